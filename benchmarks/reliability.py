"""Hostile and huge input: each case run as ``aligner`` in its own process, under a time limit.

Usage::

    python benchmarks/reliability.py [--only NAME ...] [--timeout S] [--write]

Every case (issue 25's battery, full size) is built in a temporary folder, then run as
``python -m aligner …`` in a subprocess; its wall-clock and CPU time and its peak memory (the
child's maximum resident set, from ``os.wait4``) are measured. A case passes when it ends
within the time limit, without a traceback, either with exit status 0 or refused with one line
on stderr (and, for the output cases, with the device, link or input intact). Prints a Markdown
table; ``--write`` also puts it in ``benchmarks/RESULTS.md`` (section "Round four: hostile and
huge input").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Round four: hostile and huge input"
BIBLE = Path("/work/shared/data/bible_fr-en-ru_verse_OT/OT.en")
ARMISTICE = ROOT / "texts" / "armistice-1917"
MB = 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    """What one case did."""

    status: int | None  # None: killed at the time limit
    wall: float
    cpu: float
    peak_mb: float
    stderr: str
    note: str = ""

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    @property
    def traceback(self) -> bool:
        return "Traceback" in self.stderr


@dataclass
class Case:
    """A hostile input: how to build it, the command line, and what must hold afterwards."""

    name: str
    what: str
    build: Callable[[Path], list[str]]
    stdin: Callable[[Path], Path] | None = None
    check: Callable[[Path, Outcome], str] | None = None
    expect_refusal: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _bible() -> str:
    return BIBLE.read_text(encoding="utf-8")


def _repeat(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --- archives -----------------------------------------------------------------------------

_CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def _opf(items: list[tuple[str, str]], spine: list[str]) -> str:
    manifest = "".join(
        f'<item id="{i}" href="{h}" media-type="application/xhtml+xml"/>' for i, h in items
    )
    refs = "".join(f'<itemref idref="{i}"/>' for i in spine)
    return (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        f"<metadata/><manifest>{manifest}</manifest><spine>{refs}</spine></package>"
    )


def _xhtml(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>t</title></head><body>{body}</body></html>"
    )


def _epub(path: Path, chapters: dict[str, str], opf: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", _CONTAINER)
        z.writestr("OEBPS/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        for name, body in chapters.items():
            z.writestr(f"OEBPS/{name}", body, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _bomb_epub(tmp: Path) -> list[str]:
    """A chapter whose headers claim 1,000 bytes and whose deflate stream gives 2,000,000,000."""
    path = tmp / "bomb.epub"
    size = 2_000_000_000
    head = b"<html><body><p>"
    squeeze = zlib.compressobj(1, zlib.DEFLATED, -15)
    chunks = [squeeze.compress(head)]
    block = b"a" * (16 * MB)
    crc = zlib.crc32(head)
    left = size - len(head)
    while left > 0:
        piece = block[: min(left, len(block))]
        chunks.append(squeeze.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    chunks.append(squeeze.flush())
    stream = b"".join(chunks)
    opf = _opf([("c1", "c1.xhtml")], ["c1"])
    _epub(path, {"c1.xhtml": "placeholder"}, opf)
    # Put the bomb in place of the placeholder: a new archive written by hand around it.
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i)) for i in z.infolist() if i.filename != "OEBPS/c1.xhtml"]
    out = bytearray()
    central = bytearray()
    entries = [
        (i.filename.encode(), d, zlib.compress(d)[2:-4], zlib.crc32(d), len(d)) for i, d in members
    ]
    entries.append((b"OEBPS/c1.xhtml", b"", stream, crc & 0xFFFFFFFF, 1000))
    for name, _raw, packed, crc32, claimed in entries:
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc32, len(packed), claimed, len(name), 0
        )
        out += name + packed
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, 8, 0, 0, crc32, len(packed), claimed, len(name),
            0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0
    )
    path.write_bytes(bytes(out))
    return ["split", str(path), "--lang", "en"]


def _big_chapters_epub(tmp: Path) -> list[str]:
    text = _bible()
    chapter = _xhtml("".join(f"<p>{p}</p>" for p in _repeat(text, 60 * MB).split("\n")))
    names = {f"c{k}.xhtml": chapter for k in range(6)}
    opf = _opf([(n.split(".")[0], n) for n in names], [n.split(".")[0] for n in names])
    return ["split", str(_epub(tmp / "six.epub", names, opf)), "--lang", "en"]


def _many_chapters_epub(tmp: Path) -> list[str]:
    """Ten 8 MB chapters: each small, 80 MB together (past the total, not any one's size)."""
    text = _bible()
    chapter = _xhtml("".join(f"<p>{p}</p>" for p in _repeat(text, 8 * MB).split("\n")))
    names = {f"c{k}.xhtml": chapter for k in range(10)}
    opf = _opf([(n.split(".")[0], n) for n in names], [n.split(".")[0] for n in names])
    return ["split", str(_epub(tmp / "ten.epub", names, opf)), "--lang", "en"]


def _spine_epub(tmp: Path, extra: list[str]) -> list[str]:
    chapters = {f"c{k}.xhtml": _xhtml(f"<p>Chapter {k}. It was a long day.</p>") for k in range(10)}
    items = [(f"i{k}", f"c{k % 10}.xhtml") for k in range(100_000)]
    path = _epub(tmp / "spine.epub", chapters, _opf(items, [i for i, _ in items]))
    return ["split", str(path), "--lang", "en", *extra]


def _docx(tmp: Path, body: str, name: str = "tiny.docx") -> Path:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    )
    path = tmp / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
    return path


def _tiny_docx(tmp: Path, megabytes: int, extra: list[str]) -> list[str]:
    paragraph = "<w:p><w:r><w:t>a.</w:t></w:r></w:p>"
    body = paragraph * (megabytes * MB // len(paragraph))
    return ["split", str(_docx(tmp, body, f"tiny{megabytes}.docx")), "--lang", "en", *extra]


def _corrupt(path: Path, member: str) -> Path:
    """``path`` with the deflate stream of ``member`` overwritten by garbage."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 2, start + min(info.compress_size, 40)):
        data[k] = 0xFF
    path.write_bytes(bytes(data))
    return path


def _corrupt_epub(tmp: Path) -> list[str]:
    body = _xhtml("<p>" + "It was a long day and the night was longer. " * 200 + "</p>")
    path = _epub(tmp / "corrupt.epub", {"c1.xhtml": body}, _opf([("c1", "c1.xhtml")], ["c1"]))
    return ["split", str(_corrupt(path, "OEBPS/c1.xhtml")), "--lang", "en"]


def _corrupt_docx(tmp: Path) -> list[str]:
    body = "<w:p><w:r><w:t>It was a long day and the night was longer.</w:t></w:r></w:p>" * 200
    return [
        "split",
        str(_corrupt(_docx(tmp, body, "corrupt.docx"), "word/document.xml")),
        "--lang",
        "en",
    ]


# --- text ---------------------------------------------------------------------------------


def _line(tmp: Path, size: int) -> list[str]:
    path = _write(tmp / f"line{size // MB}.txt", _repeat(_bible().replace("\n", " "), size))
    return ["split", str(path), "--lang", "en"]


def _wrapped(tmp: Path, size: int) -> list[str]:
    """The Bible's verses as paragraphs hard-wrapped at 70 columns, ``size`` bytes."""
    verses = _bible().split("\n")
    out: list[str] = []
    total = 0
    k = 0
    while total < size:
        para = "\n".join(textwrap.wrap(verses[k % len(verses)], 70)) + "\n\n"
        out.append(para)
        total += len(para)
        k += 1
    return ["split", str(_write(tmp / f"wrapped{size // MB}.txt", "".join(out))), "--lang", "en"]


def _markdown_run(tmp: Path, unit: str, count: int) -> list[str]:
    path = _write(tmp / "run.md", "# Title\n\nSome text. " + unit * count + " More text.\n")
    return ["split", str(path), "--lang", "en"]


def _nested_divs(tmp: Path) -> list[str]:
    text = _bible().split("\n")
    parts = ["<html><body>"]
    size = 0
    k = 0
    while k < 100_000:
        para = text[k % len(text)][:480]
        parts.append(f"<div>{para}")
        size += len(para) + 5
        k += 1
    parts.append("</div>" * k + "</body></html>")
    return ["split", str(_write(tmp / "nested.html", "".join(parts))), "--lang", "en"]


def _charset(tmp: Path, charset: str) -> list[str]:
    head = f'<html><head><meta charset="{charset}"></head>'
    page = head + "<body><p>Hello there. Fine.</p></body></html>"
    return ["split", str(_write(tmp / f"{charset}.html", page)), "--lang", "en"]


def _pins(tmp: Path, content: str, name: str) -> list[str]:
    pins = _write(tmp / name, content)
    return [
        "align", str(ARMISTICE / "fr.txt"), str(ARMISTICE / "en.txt"),
        "--src-lang", "fr", "--tgt-lang", "en", "--pins", str(pins), "-q",
    ]  # fmt: skip


# --- outputs ------------------------------------------------------------------------------


def _align_to(target: str) -> list[str]:
    return [
        "align", str(ARMISTICE / "fr.txt"), str(ARMISTICE / "en.txt"),
        "--src-lang", "fr", "--tgt-lang", "en", "-f", "tsv", "-q", "-o", target,
    ]  # fmt: skip


def _still_device(path: str) -> Callable[[Path, Outcome], str]:
    def check(_tmp: Path, _outcome: Outcome) -> str:
        return "device intact" if stat.S_ISCHR(os.stat(path).st_mode) else "DEVICE REPLACED"

    return check


def _symlink(tmp: Path) -> list[str]:
    (tmp / "link.tsv").symlink_to("real.tsv")
    return _align_to(str(tmp / "link.tsv"))


def _symlink_check(tmp: Path, _outcome: Outcome) -> str:
    link = tmp / "link.tsv"
    ok = link.is_symlink() and (tmp / "real.tsv").stat().st_size > 0
    return "link intact, target written" if ok else "LINK REPLACED"


def _fifo(tmp: Path) -> list[str]:
    fifo = tmp / "out.fifo"
    os.mkfifo(fifo)

    def drain() -> None:
        with open(fifo, "rb") as handle:
            (tmp / "drained").write_bytes(handle.read())

    threading.Thread(target=drain, daemon=True).start()
    return _align_to(str(fifo))


def _fifo_check(tmp: Path, _outcome: Outcome) -> str:
    fifo_ok = stat.S_ISFIFO(os.lstat(tmp / "out.fifo").st_mode)
    time.sleep(0.2)
    drained = (tmp / "drained").exists() and (tmp / "drained").stat().st_size > 0
    return "FIFO intact, read through" if fifo_ok and drained else "FIFO REPLACED OR UNREAD"


def _stdin_input(tmp: Path) -> list[str]:
    shutil.copy(ARMISTICE / "fr.txt", tmp / "fr.txt")
    return [
        "align", "-", str(ARMISTICE / "en.txt"), "--src-lang", "fr", "--tgt-lang", "en",
        "-f", "tsv", "-q", "-o", str(tmp / "fr.txt"),
    ]  # fmt: skip


def _stdin_check(tmp: Path, _outcome: Outcome) -> str:
    same = (tmp / "fr.txt").read_bytes() == (ARMISTICE / "fr.txt").read_bytes()
    return "input intact" if same else "INPUT OVERWRITTEN"


# --- the battery --------------------------------------------------------------------------


def cases() -> list[Case]:
    """Issue 25's battery, full size."""
    return [
        Case("dev-zero", "`split /dev/zero`", lambda t: ["split", "/dev/zero", "--lang", "en"],
             expect_refusal=True),
        Case("dev-zero-stdin", "`split - < /dev/zero`", lambda t: ["split", "-", "--lang", "en"],
             stdin=lambda t: Path("/dev/zero"), expect_refusal=True),
        Case("md-backticks", "Markdown line of 16,000 backticks",
             lambda t: _markdown_run(t, "`", 16_000)),
        Case("md-stars", "16,000 stars", lambda t: _markdown_run(t, "*", 16_000)),
        Case("md-underscores", "16,000 underscores", lambda t: _markdown_run(t, "_", 16_000)),
        Case("md-tildes", "16,000 tildes", lambda t: _markdown_run(t, "~", 16_000)),
        Case("md-open-stars", "8,000 unclosed `**a`", lambda t: _markdown_run(t, "**a ", 8_000)),
        Case("md-brackets", "16,000 `[` (no `]`)", lambda t: _markdown_run(t, "[", 16_000)),
        Case("one-letter-lines", "1,000,000 one-letter lines (2 MB)",
             lambda t: ["split", str(_write(t / "a.txt", "a\n" * 1_000_000)), "--lang", "en"]),
        Case("line-5mb", "one 5 MB line of real text", lambda t: _line(t, 5 * MB)),
        Case("line-20mb", "one 20 MB line of real text", lambda t: _line(t, 20 * MB)),
        Case("line-200mb", "one 200 MB line", lambda t: _line(t, 200 * MB), expect_refusal=True),
        Case("wrapped-2mb", "2 MB of wrapped text", lambda t: _wrapped(t, 2 * MB)),
        Case("wrapped-4mb", "4 MB of wrapped text (twice that)", lambda t: _wrapped(t, 4 * MB)),
        Case("epub-bomb", "EPUB chapter: headers say 1,000 bytes, inflates to 2 GB", _bomb_epub,
             expect_refusal=True),
        Case("epub-six-60mb", "EPUB, six 60 MB chapters of real text", _big_chapters_epub,
             expect_refusal=True),
        Case("epub-ten-8mb", "EPUB, ten 8 MB chapters of real text (80 MB unpacked)",
             _many_chapters_epub, expect_refusal=True),
        Case("epub-spine-100k", "EPUB, 100,000 spine items", lambda t: _spine_epub(t, []),
             expect_refusal=True),
        Case("epub-spine-100k-allowed", "the same, --max-files 200000",
             lambda t: _spine_epub(t, ["--max-files", "200000"])),
        Case("docx-250mb", "DOCX, 250 MB document.xml of tiny paragraphs",
             lambda t: _tiny_docx(t, 250, []), expect_refusal=True),
        Case("docx-100mb", "DOCX, 100 MB document.xml of tiny paragraphs",
             lambda t: _tiny_docx(t, 100, []), expect_refusal=True),
        Case("docx-60mb", "DOCX, 60 MB document.xml of tiny paragraphs (under the limit)",
             lambda t: _tiny_docx(t, 60, [])),
        Case("html-nested-divs", "100,000 nested divs of text (50 MB)", _nested_divs),
        Case("epub-corrupt-deflate", "EPUB with a corrupt deflate stream", _corrupt_epub,
             expect_refusal=True),
        Case("docx-corrupt-deflate", "DOCX with a corrupt deflate stream", _corrupt_docx,
             expect_refusal=True),
        Case("html-rot13", 'HTML declaring charset="rot13"', lambda t: _charset(t, "rot13")),
        Case("html-undefined", 'HTML declaring charset="undefined"',
             lambda t: _charset(t, "undefined")),
        Case("encoding-rot13", "`--encoding rot13`",
             lambda t: ["split", str(ARMISTICE / "en.txt"), "--lang", "en", "--encoding", "rot13"],
             expect_refusal=True),
        Case("pins-deep", "pins nested 100,000 deep",
             lambda t: _pins(t, "[" * 100_000 + "]" * 100_000 + "\n", "deep.jsonl"),
             expect_refusal=True),
        Case("pins-5000-digits", "pins with a 5,000-digit index",
             lambda t: _pins(t, '{"src_ids": [' + "9" * 5000 + '], "tgt_ids": [0]}\n', "d.jsonl"),
             expect_refusal=True),
        Case("out-dev-null", "`-o /dev/null`", lambda t: _align_to("/dev/null"),
             check=_still_device("/dev/null")),
        Case("out-dev-full", "`-o /dev/full`", lambda t: _align_to("/dev/full"),
             check=_still_device("/dev/full"), expect_refusal=True),
        Case("out-dev-stdout", "`-o /dev/stdout`", lambda t: _align_to("/dev/stdout")),
        Case("out-symlink", "`-o` a symbolic link", _symlink, check=_symlink_check),
        Case("out-fifo", "`-o` a FIFO", _fifo, check=_fifo_check),
        Case("out-stdin", "`-o fr.txt` while fr.txt is standard input", _stdin_input,
             stdin=lambda t: t / "fr.txt", check=_stdin_check, expect_refusal=True),
    ]  # fmt: skip


# Runs the command under a time limit and writes its status, times and peak memory as JSON.
# A small process of its own: a child's peak memory (ru_maxrss) starts from its parent's, and
# this benchmark's own process holds the large inputs it has just built.
_LAUNCHER = """
import json, os, subprocess, sys, time
out, timeout, *command = sys.argv[1:]
start = time.perf_counter()
child = subprocess.Popen(command)
status = None
while True:
    pid, wait_status, usage = os.wait4(child.pid, os.WNOHANG)
    if pid:
        status = os.waitstatus_to_exitcode(wait_status)
        break
    if time.perf_counter() > start + float(timeout):
        child.kill()
        _, _, usage = os.wait4(child.pid, 0)
        break
    time.sleep(0.05)
child.returncode = -9 if status is None else status
wall = time.perf_counter() - start
cpu = usage.ru_utime + usage.ru_stime
with open(out, "w") as handle:
    json.dump({"status": status, "wall": wall, "cpu": cpu, "peak_kb": usage.ru_maxrss}, handle)
"""


def run(case: Case, tmp: Path, timeout: float) -> Outcome:
    """Build and run one case in a subprocess (through :data:`_LAUNCHER`)."""
    args = case.build(tmp)
    stdin_path = case.stdin(tmp) if case.stdin else None
    err_path, result_path = tmp / "stderr", tmp / "result.json"
    command = [sys.executable, "-m", "aligner", *args]
    launcher = [sys.executable, "-c", _LAUNCHER, str(result_path), str(timeout), *command]
    with open(err_path, "wb") as err, open(os.devnull, "wb") as out:
        if stdin_path is None:
            subprocess.run(launcher, stdin=subprocess.DEVNULL, stdout=out, stderr=err, check=True)
        else:
            with open(stdin_path, "rb") as stdin:
                subprocess.run(launcher, stdin=stdin, stdout=out, stderr=err, check=True)
    measured = json.loads(result_path.read_text())
    # Messages name the case's files by their own names, not the temporary folder's.
    stderr = err_path.read_text(errors="replace").replace(f"{tmp}/", "")
    outcome = Outcome(
        measured["status"], measured["wall"], measured["cpu"], measured["peak_kb"] / 1024, stderr
    )
    if case.check is not None:
        outcome = Outcome(**{**outcome.__dict__, "note": case.check(tmp, outcome)})
    return outcome


def verdict(case: Case, outcome: Outcome) -> str:
    """ok, or what went wrong."""
    if outcome.status is None:
        return "TIMED OUT"
    if outcome.traceback:
        return "TRACEBACK"
    if outcome.note and outcome.note.isupper():
        return outcome.note
    if (
        outcome.status != 0
        and len(outcome.lines) != 1
        and not outcome.lines[-1].startswith("Error:")
    ):
        return f"{len(outcome.lines)} LINES"
    if outcome.status == 0 and case.expect_refusal:
        return "ok (accepted)"
    return "ok"


def table(rows: list[tuple[Case, Outcome]], timeout: float) -> str:
    out = [
        f"Each case run as `python -m aligner …` in its own process (limit {timeout:.0f} s); "
        "time is wall clock and CPU (user + system), memory the child's peak resident set "
        "(`os.wait4` in a small launcher process). Measured by "
        "`python benchmarks/reliability.py --write` on a shared 2-core machine.",
        "",
        "| case | input | exit | wall s | CPU s | peak MB | verdict | stderr's last line |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case, o in rows:
        message = o.lines[-1] if o.lines else ""
        message = message.replace("|", "\\|")
        if len(message) > 110:
            message = message[:107] + "…"
        if o.note:
            message = f"{message} ({o.note})" if message else o.note
        status = "killed" if o.status is None else str(o.status)
        out.append(
            f"| {case.name} | {case.what} | {status} | {o.wall:.1f} | {o.cpu:.1f} | "
            f"{o.peak_mb:.0f} | {verdict(case, o)} | {message} |"
        )
    return "\n".join(out)


_START = "<!-- benchmarks/reliability.py: table -->"
_END = "<!-- end of table -->"


def write_results(text: str) -> None:
    """Put ``text`` between the table's markers in RESULTS.md (the section is added if none)."""
    body = RESULTS.read_text(encoding="utf-8")
    block = f"{_START}\n{text}\n{_END}"
    if _START in body and _END in body:
        head, _, rest = body.partition(_START)
        _, _, tail = rest.partition(_END)
        body = head + block + tail
    else:
        body = body.rstrip("\n") + f"\n\n{SECTION}\n\n{block}\n"
    RESULTS.write_text(body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these cases (by name)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per case")
    parser.add_argument("--write", action="store_true", help="write the table into RESULTS.md")
    args = parser.parse_args()
    rows: list[tuple[Case, Outcome]] = []
    for case in cases():
        if args.only and case.name not in args.only:
            continue
        tmp = Path(tempfile.mkdtemp(prefix=f"reliability-{case.name}-"))
        try:
            outcome = run(case, tmp, args.timeout)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        rows.append((case, outcome))
        print(
            f"{case.name}: exit {outcome.status} {outcome.wall:.1f} s wall {outcome.cpu:.1f} s CPU "
            f"{outcome.peak_mb:.0f} MB {verdict(case, outcome)}",
            file=sys.stderr,
        )
    text = table(rows, args.timeout)
    by_name = {c.name: o for c, o in rows}
    if "wrapped-2mb" in by_name and "wrapped-4mb" in by_name:
        ratio = by_name["wrapped-4mb"].cpu / by_name["wrapped-2mb"].cpu
        text += f"\n\nDoubling the wrapped text multiplied its CPU time by {ratio:.2f}."
    print(text)
    if args.write:
        write_results(text)


if __name__ == "__main__":
    main()
