"""Hostile and huge input, small and fast: limits refused in one line, no traceback, linear
readers and splitter, outputs that never destroy what they name (issue 25).

The full-size battery, with times and peak memory, is ``benchmarks/reliability.py``. The cases
here that guard linear time use sizes where the old quadratic code took minutes and the linear
code takes a fraction of a second; no test reads a clock.
"""

from __future__ import annotations

import io
import os
import re
import signal
import stat
import struct
import subprocess
import sys
import threading
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.errors import InputError, UsageError
from aligner.output.files import check_not_inputs, write_atomic
from aligner.readers.dispatch import read_source
from aligner.readers.docx import read_docx
from aligner.readers.encoding import decode_bytes
from aligner.readers.epub import read_epub
from aligner.readers.html import read_html, read_html_text
from aligner.readers.limits import MB, LimitError, Limits
from aligner.readers.markdown import read_markdown_text
from aligner.readers.pins import read_pins
from aligner.readers.plain import read_plain_text
from aligner.readers.text import read_bytes, read_stream
from aligner.segmentation.lines import split_line
from aligner.segmentation.punkt import tokenizer
from aligner.segmentation.sentences import segment

ROOT = Path(__file__).resolve().parent.parent
FR = ROOT / "texts" / "armistice-1917" / "fr.txt"
EN = ROOT / "texts" / "armistice-1917" / "en.txt"
SMALL = Limits(
    max_input_bytes=MB,
    max_unpacked_bytes=MB,
    max_members=10,
    max_spine_items=10,
    max_depth=50,
    max_sentence_chars=100,
)


def one_error_line(output: str) -> str:
    """The single non-blank line of ``output`` (stderr), which must not be a traceback."""
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


# --- input size ---------------------------------------------------------------------------


def test_endless_stream_is_refused_at_the_limit() -> None:
    with pytest.raises(LimitError, match=r"1 MB input limit.*--max-input-mb"):
        read_bytes("/dev/zero", SMALL)


def test_stream_read_in_bounded_pieces() -> None:
    with pytest.raises(LimitError, match=r"--max-input-mb"):
        read_stream(io.BytesIO(b"x" * (MB + 1)), "<stdin>", SMALL)
    assert read_stream(io.BytesIO(b"x" * MB), "<stdin>", SMALL) == b"x" * MB


def test_large_file_refused_by_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (MB // 4))
    with pytest.raises(LimitError, match=r"big.txt: larger than the 1 MB"):
        read_bytes(big, SMALL)


def test_cli_refuses_dev_zero_in_one_line() -> None:
    result = CliRunner().invoke(cli, ["split", "/dev/zero", "--lang", "en", "--max-input-mb", "1"])
    assert result.exit_code == 1
    assert "--max-input-mb" in one_error_line(result.stderr)


def test_cli_refuses_a_long_stdin_in_one_line() -> None:
    runner = CliRunner()
    args = ["split", "-", "--lang", "en", "--max-input-mb", "1"]
    result = runner.invoke(cli, args, input=b"word " * MB)
    assert result.exit_code == 1
    assert "<stdin>: larger than the 1 MB input limit" in one_error_line(result.stderr)


# --- archives -----------------------------------------------------------------------------

_CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def _epub(chapters: dict[str, str], spine: list[str] | None = None, extra: int = 0) -> bytes:
    manifest = "".join(
        f'<item id="{n}" href="{n}" media-type="application/xhtml+xml"/>' for n in chapters
    )
    refs = "".join(f'<itemref idref="{n}"/>' for n in (spine or list(chapters)))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        f"<metadata/><manifest>{manifest}</manifest><spine>{refs}</spine></package>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", _CONTAINER)
        z.writestr("content.opf", opf)
        for name, body in chapters.items():
            z.writestr(name, f"<html><body>{body}</body></html>")
        for k in range(extra):
            z.writestr(f"image{k}.png", b"")
    return buffer.getvalue()


def _docx(body: str) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>',
        )
    return buffer.getvalue()


def test_inflated_bytes_counted_across_members() -> None:
    # Each chapter is under the limit; together they pass it.
    chapter = "<p>" + "It rained. " * 40_000 + "</p>"  # 440 KB, compresses to almost nothing
    data = _epub({"a.xhtml": chapter, "b.xhtml": chapter, "c.xhtml": chapter})
    assert len(data) < 100_000
    with pytest.raises(LimitError, match=r"unpacks to more than the 1 MB limit.*--max-unpacked-mb"):
        read_epub(data, "book.epub", limits=SMALL)
    assert "It rained." in read_epub(data, "book.epub").text


def _claim(data: bytes, member: str, size: int) -> bytes:
    """``data`` with the headers of ``member`` claiming ``size`` bytes uncompressed."""
    out = bytearray(data)
    name = member.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        local = z.getinfo(member).header_offset
    out[local + 22 : local + 26] = struct.pack("<I", size)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack("<H", out[central + 28 : central + 30])[0]
        if out[central + 46 : central + 46 + length] == name:
            out[central + 24 : central + 28] = struct.pack("<I", size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def test_headers_that_lie_about_size_are_one_line() -> None:
    data = _claim(_epub({"a.xhtml": "<p>" + "It rained. " * 200_000 + "</p>"}), "a.xhtml", 1000)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.getinfo("a.xhtml").file_size == 1000
    with pytest.raises(InputError, match=r"book.epub: cannot read a.xhtml"):
        read_epub(data, "book.epub", limits=SMALL)


def test_too_many_files_refused_before_reading_the_directory() -> None:
    data = _epub({"a.xhtml": "<p>Hi.</p>"}, extra=20)
    with pytest.raises(LimitError, match=r"more than 10 files in the archive.*--max-files"):
        read_epub(data, "book.epub", limits=SMALL)


def test_spine_items_limited_and_read_once() -> None:
    chapters = {f"c{k}.xhtml": f"<p>Chapter {k}.</p>" for k in range(3)}
    spine = [f"c{k % 3}.xhtml" for k in range(30)]
    with pytest.raises(LimitError, match=r"more than 10 documents in the EPUB's reading order"):
        read_epub(_epub(chapters, spine), "book.epub", limits=SMALL)
    # 20,000 references to three documents: each read once (a list's look-up was quadratic).
    many = [f"c{k % 3}.xhtml" for k in range(20_000)]
    source = read_epub(_epub(chapters, many), "book.epub")
    assert source.text == "Chapter 0.\n\nChapter 1.\n\nChapter 2."


def test_docx_nested_too_deep_refused() -> None:
    inner = "<w:p><w:r><w:t>Deep.</w:t></w:r></w:p>"
    deep = "<w:tbl>" * 60 + inner + "</w:tbl>" * 60
    with pytest.raises(LimitError, match=r"nested more than 50 deep.*--max-depth"):
        read_docx(_docx(deep), "deep.docx", limits=SMALL)
    assert read_docx(_docx(deep), "deep.docx").text == "Deep."
    # Far deeper than Python's recursion limit: refused, not a RecursionError.
    abyss = "<w:tbl>" * 5000 + inner + "</w:tbl>" * 5000
    with pytest.raises(LimitError, match=r"--max-depth"):
        read_docx(_docx(abyss), "abyss.docx")


def _corrupt(data: bytes, member: str) -> bytes:
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out[start + 2 : start + 30] = b"\xff" * 28
    return bytes(out)


@pytest.mark.parametrize(
    ("name", "data", "member"),
    [
        ("book.epub", _epub({"a.xhtml": "<p>" + "Some words. " * 300 + "</p>"}), "a.xhtml"),
        ("book.docx", _docx("<w:p><w:r><w:t>Some words.</w:t></w:r></w:p>" * 300), None),
    ],
)
def test_corrupt_deflate_stream_is_one_line(
    tmp_path: Path, name: str, data: bytes, member: str | None
) -> None:
    damaged = _corrupt(data, member or "word/document.xml")
    with pytest.raises(InputError, match=name):
        read_source(damaged, name)
    path = tmp_path / name
    path.write_bytes(damaged)
    result = CliRunner().invoke(cli, ["split", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert one_error_line(result.stderr).startswith(f"aligner: error: {path}: cannot read")


# --- codecs and JSON ----------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["rot13", "undefined", "base64", "no-such-codec"])
def test_html_declaring_an_unusable_charset_is_read_as_utf8(charset: str) -> None:
    page = f'<html><head><meta charset="{charset}"></head><body><p>Héllo there.</p></body></html>'
    assert read_html(page.encode("utf-8"), "page.html").text == "Héllo there."


@pytest.mark.parametrize("encoding", ["rot13", "undefined", "zip"])
def test_unusable_encoding_is_an_input_error(encoding: str) -> None:
    with pytest.raises(InputError, match=r"not a text encoding"):
        decode_bytes(b"Hello.", "x.txt", encoding)


def test_cli_encoding_rot13_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["split", str(EN), "--lang", "en", "--encoding", "rot13"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "not a text encoding" in result.stderr


def test_pins_nested_deep_or_with_huge_numbers_are_refused_by_line() -> None:
    with pytest.raises(UsageError, match=r"line 2: not a pin .JSON nested too deep"):
        read_pins('{"src_ids": [0], "tgt_ids": [0]}\n' + "[" * 100_000 + "]" * 100_000, 3, 3)
    with pytest.raises(UsageError, match=r"line 1: not a pin .a number too long"):
        read_pins('{"src_ids": [' + "9" * 5000 + '], "tgt_ids": [0]}', 3, 3)
    with pytest.raises(UsageError, match=r"sentence 9999999999… \(4000 digits\) is outside"):
        read_pins('{"src_ids": [' + "9" * 4000 + '], "tgt_ids": [0]}', 3, 3)


# --- linear time --------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["`", "*", "_", "~", "**a ", "[", "![", "<http:", "  "])
def test_markdown_runs_are_linear(unit: str) -> None:
    # 64,000 backticks took the old patterns about 40 minutes; each of these takes a moment.
    line = "Some text. " + unit * (64_000 // len(unit)) + "x More text."
    text = read_markdown_text("# Title\n\n" + line + "\n").text
    assert text.startswith("Title\n\nSome text.") and text.endswith("x More text.")


def test_markdown_inline_markup_still_stripped() -> None:
    md = 'A **bold** _it_ *em* ~~gone~~ `c*o*de` [link](http://x.org "t") ![img](i.png) end.'
    assert read_markdown_text(md).text == "A bold it em gone c*o*de link end."
    # A run of backticks closes only at one of the same length (CommonMark).
    assert read_markdown_text("a ``b`c`` d ```e").text == "a b`c d ```e"


def test_plain_paragraph_of_many_lines_is_linear() -> None:
    # 200,000 one-letter lines: one paragraph re-read at each line took minutes.
    text = "\n".join("abcdefghij"[k % 10] for k in range(200_000))
    source = read_plain_text(text)
    assert len(source.text) == 2 * 200_000 - 1
    assert read_plain_text("a pro-\ngram and a program.").text == "a program and a program."


@pytest.mark.parametrize("unit", [")", ".", "😍", "🏻", "\u200d🏻", "...", ":))"])
def test_sentence_rules_linear_on_runs(unit: str) -> None:
    # 100,000 ")" without a space after them took about a minute.
    line = "Start " + unit * (100_000 // len(unit)) + "x"
    assert split_line(line, "en")[0][0] == 0


def test_punkt_patterns_have_no_time_limit() -> None:
    # nltk's own compile wraps Punkt's patterns in a 5 s wall-clock limit (nltk.redos), which
    # a book written as one line exceeded; the standard library's patterns are linear here.
    variables = tokenizer("en")._lang_vars
    assert isinstance(variables.period_context_re(), re.Pattern)
    assert isinstance(variables._word_tokenizer_re(), re.Pattern)


def test_long_line_memory_in_proportion() -> None:
    line = "It was a long day. And the night was longer; " * 4_600  # 200 KB, one line
    tracemalloc.start()
    try:
        document = segment(line, "en")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(document.sentences) == 9_200
    # The paragraph pattern kept about 128 bytes per character of a paragraph.
    assert peak < 60 * len(line)


def test_long_sentence_cut_with_a_warning() -> None:
    text = "Short one. This " + "word " * 100 + "end. Last one."
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        document = segment(text, "en", max_sentence_chars=100)
    assert any("--max-sentence-chars" in str(w.message) for w in caught)
    assert all(len(s.text) <= 100 for s in document.sentences)
    assert document.sentences[0].text == "Short one."
    assert document.sentences[-1].text == "Last one."
    for s in document.sentences:
        assert document.text[s.start : s.end] == s.text
    assert " ".join(s.text for s in document.sentences) == " ".join(text.split())


def test_deep_html_nesting_is_read() -> None:
    page = "<html><body>" + "<div>Text here." * 20_000 + "</div>" * 20_000 + "</body></html>"
    assert len(read_html_text(page).paragraphs) == 20_000


# --- outputs ------------------------------------------------------------------------------


def test_symlink_output_is_followed_not_replaced(tmp_path: Path) -> None:
    link = tmp_path / "out.tsv"
    link.symlink_to("real.tsv")
    write_atomic(link, "data\n")
    assert link.is_symlink()
    assert (tmp_path / "real.tsv").read_text() == "data\n"


def test_fifo_output_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def drain() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    write_atomic(fifo, "through\n")
    reader.join(timeout=10)
    assert received == [b"through\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A copy of /dev/null (minor 3) or /dev/full (minor 7) in ``tmp_path``: if the code under
    test replaced it, only this copy would be lost."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating a device node needs root (CAP_MKNOD)")
    return path


def test_device_output_is_written_through(tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    write_atomic(null, "gone\n")
    assert stat.S_ISCHR(os.stat(null).st_mode)
    full = _device(tmp_path, "full", 7)
    with pytest.raises(InputError, match=r"full: cannot write .No space left on device"):
        write_atomic(full, "too much\n")
    assert stat.S_ISCHR(os.stat(full).st_mode)
    assert not list(tmp_path.glob(".aligner-*"))


def test_cli_full_device_is_one_line(tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    args = ["align", str(FR), str(EN), "--src-lang", "fr", "--tgt-lang", "en", "-q"]
    result = CliRunner().invoke(cli, [*args, "-f", "tsv", "-o", str(full)])
    assert result.exit_code == 1
    assert "No space left on device" in one_error_line(result.stderr)
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_stdin_input_is_never_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given = tmp_path / "fr.txt"
    given.write_bytes(FR.read_bytes())
    with open(given, "rb") as stdin:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
        with pytest.raises(UsageError, match=r"is an input"):
            check_not_inputs([given], ["-"])
        check_not_inputs([tmp_path / "other.txt"], ["-"])


def test_cli_stdin_input_survives_output(tmp_path: Path) -> None:
    given = tmp_path / "fr.txt"
    given.write_bytes(FR.read_bytes())
    args = ["align", "-", str(EN), "--src-lang", "fr", "--tgt-lang", "en", "-q", "-f", "tsv"]
    with open(given, "rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "aligner", *args, "-o", str(given)],
            stdin=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 2
    assert "is an input" in done.stderr and "Traceback" not in done.stderr
    assert given.read_bytes() == FR.read_bytes()


_SIGTERM_CHILD = """
import os, signal, sys
import aligner.output.files as files

real_fdopen = os.fdopen

class Killed:
    def __init__(self, handle):
        self.handle = handle
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.handle.close()
    def write(self, data):
        self.handle.write(data[:10])
        os.kill(os.getpid(), signal.SIGTERM)  # the signal arrives while the file is written
        self.handle.write(data[10:])

files.os.fdopen = lambda fd, mode: Killed(real_fdopen(fd, mode))
files.write_atomic(sys.argv[1], "x" * 100000)
"""


def test_sigterm_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    done = subprocess.run(
        [sys.executable, "-c", _SIGTERM_CHILD, str(target)], capture_output=True, check=False
    )
    assert done.returncode == 128 + signal.SIGTERM
    assert not target.exists()
    assert not list(tmp_path.glob(".aligner-*"))


def test_any_reader_failure_is_one_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner import documents
    from aligner.readers import dispatch

    def broken(data: bytes, name: str, encoding: str | None = None) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(dispatch.READERS, "html", broken)
    with pytest.raises(InputError, match=r"page.html: cannot be read \(RecursionError"):
        documents.load_document(b"<html><body><p>Hi.</p></body></html>", "page.html", "en")


@pytest.mark.parametrize("kind", ["odt", "fb2.zip"])
def test_odt_and_zipped_fb2_count_their_inflated_bytes(kind: str) -> None:
    from aligner.readers.fb2 import read_fb2
    from aligner.readers.odt import read_odt

    body = "It rained. " * 200_000  # 2.2 MB of text, a few KB zipped
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        if kind == "odt":
            z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            z.writestr(
                "content.xml",
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                'office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                f"<office:body><office:text><text:p>{body}</text:p></office:text></office:body>"
                "</office:document-content>",
            )
        else:
            z.writestr(
                "book.fb2",
                '<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0"><body>'
                f"<section><p>{body}</p></section></body></FictionBook>",
            )
    data = buffer.getvalue()
    reader = read_odt if kind == "odt" else read_fb2
    with pytest.raises(LimitError, match=r"unpacks to more than the 1 MB limit"):
        reader(data, f"book.{kind}", limits=SMALL)
    assert "It rained." in reader(data, f"book.{kind}").text
