"""``python -m aligner``: the same commands as the ``aligner`` script."""

from aligner.cli import main

if __name__ == "__main__":
    main()
