"""``benchmarks/speed.py`` byte-compiles the aligner's package before it measures it, as pip
does when it installs a package (``--no-bytecode`` leaves it as found)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from scripts import load_script

import aligner

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _load() -> ModuleType:
    return load_script("benchmarks/speed.py", "speed_bench")


def test_the_package_compiled_is_the_aligner_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    speed = _load()
    compiled: list[Path] = []

    def compile_dir(path: Path, **kwargs: object) -> bool:
        compiled.append(Path(path))
        return True

    monkeypatch.setattr("compileall.compile_dir", compile_dir)
    assert speed.compile_package() is True
    assert compiled == [Path(aligner.__file__).parent]
