"""Bytes on disk -> the lines of a report, or one clear error naming the file (and line).

Reports arrive as text extracted from PDFs by many tools: UTF-8 mostly, sometimes Windows-1252
(a whole file, or a few lines pasted into a UTF-8 file), sometimes UTF-16 with a byte-order mark
(Windows "Unicode" text), sometimes UTF-16 without one (detected by its NUL bytes at every other
position, read with a warning that names the byte order assumed), sometimes with CR line ends. Line numbers are those an editor shows
(split on CRLF, LF or CR only; form feeds from page breaks stay inside their line).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
MAX_CONTROL_SHARE = 0.01
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
UTF16_SAMPLE = 4096  # bytes looked at to recognise UTF-16 without a byte-order mark
MIN_UTF16_NUL_SHARE = 0.3  # of the sample's code units with a NUL high byte (ASCII text: nearly all)
MIN_PRINTABLE_SHARE = 0.95  # of the decoded sample that must be printable text (or tab/line ends)
# Files that are not regular files: reading one would block (a FIFO waits for a writer) or make no
# sense, so they are reported by what they are and never opened.
_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class InputError(Exception):
    """A file that cannot be read as a report. ``str()`` is the one-line message."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None):
        self.path = Path(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {reason}")


@dataclass
class SourceText:
    path: Path
    name: str
    sha256: str
    lines: list[str]
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _line_of(data: bytes, offset: int) -> int:
    """The line holding byte ``offset``, counting CRLF, LF and lone CR as line ends."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _split_lines(data: bytes) -> list[bytes]:
    """Byte lines, split where :func:`read_report` splits the decoded text (CRLF, LF, CR)."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")


def _decode_line(raw: bytes) -> tuple[str, str, int]:
    """(text, encoding, offset of the first byte that is not UTF-8, or -1)."""
    try:
        return raw.decode("utf-8"), "utf-8", -1
    except UnicodeDecodeError as error:
        bad = error.start
    try:
        return raw.decode("cp1252"), "cp1252", bad
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return raw.decode("latin-1"), "latin-1", bad


def _bomless_utf16(data: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' when ``data`` reads as UTF-16 text without a byte-order mark (NUL
    high bytes at every other position, decoding to mostly printable text); '' otherwise."""
    sample = data[: UTF16_SAMPLE - UTF16_SAMPLE % 2]
    units = len(sample) // 2
    if not units or len(data) % 2:
        return ""
    for codec, high in (("utf-16-le", 1), ("utf-16-be", 0)):
        if sample[high::2].count(0) / units < MIN_UTF16_NUL_SHARE or sample[1 - high :: 2].count(0) > units // 100:
            continue
        text = sample.decode(codec, errors="replace")  # the sample may end inside a surrogate pair
        printable = sum((ch.isprintable() and ch != "\ufffd") or ch in "\t\n\r\f" for ch in text)
        if printable / len(text) >= MIN_PRINTABLE_SHARE:
            return codec
    return ""


def decode_report(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings). Raises InputError for empty or binary content."""
    if not data.strip():
        raise InputError(path, "empty file, nothing to read")
    codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    if codec:  # UTF-16/32 "Unicode" text from Windows tools: NUL bytes are expected
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise InputError(path, f"not valid {codec.upper()} despite its byte-order mark") from None
        if not text.strip():
            raise InputError(path, "empty file, nothing to read")
        sample = text[:65536]
        if sum(1 for ch in sample if ord(ch) in _CONTROL) / len(sample) > MAX_CONTROL_SHARE:
            raise InputError(path, f"binary content (control characters in {codec.upper()} text), not a text report")
        return text, codec, []
    bomless = _bomless_utf16(data) if b"\x00" in data[:UTF16_SAMPLE] else ""
    if bomless:
        try:
            text = data.decode(bomless)
        except UnicodeDecodeError as error:
            raise InputError(path, f"not valid {bomless.upper()} (byte {error.start}), though it starts like UTF-16 text without a byte-order mark") from None
        warning = f"{path}: no byte-order mark, but NUL bytes at every other position: read as {bomless.upper()}"
        return text, bomless, [warning]
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(path, "binary content (NUL byte), not a text report", _line_of(data, nul))
    controls = sum(1 for byte in data[:65536] if byte in _CONTROL)
    if controls / min(len(data), 65536) > MAX_CONTROL_SHARE:
        raise InputError(path, f"binary content ({controls} control bytes), not a text report")
    warnings: list[str] = []
    try:
        return data.decode("utf-8-sig"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    # Line by line: the lines that are UTF-8 stay UTF-8 (a UTF-8 report with one line pasted in
    # from a Windows tool must not have every accent turned into mojibake); the others are read
    # as Windows-1252 (Latin-1 for the five bytes it leaves undefined).
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raw_lines = _split_lines(data)
    decoded = [_decode_line(raw) for raw in raw_lines]
    bad = [(number, raw, d) for number, (raw, d) in enumerate(zip(raw_lines, decoded), start=1) if d[1] != "utf-8"]
    number, raw, (_, _, offset) = bad[0]
    encoding = "+".join(sorted({d[1] for _, _, d in bad}))
    count = f" ({len(bad)} lines not UTF-8)" if len(bad) > 1 else ""
    warnings.append(f"{path}:{number}: not UTF-8 (byte 0x{raw[offset]:02x}); read as {encoding}{count}")
    return "\n".join(text for text, _, _ in decoded), encoding, warnings


def not_readable(path: Path) -> str:
    """Why ``path`` cannot be read as a file without opening it ('' when it can be opened):
    'symbolic link loop', 'broken symbolic link', 'not a regular file (a FIFO)'... A FIFO is never
    opened, since opening one for reading blocks until something writes to it."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        if error.errno == errno.ENOENT and os.path.islink(path):
            return f"broken symbolic link (its target {os.readlink(path)!r} does not exist)"
        return ""  # read_bytes says what it is (no such file, permission denied...)
    what = next((name for test, name in _SPECIAL_FILES if test(mode)), "")
    return f"not a regular file ({what})" if what else ""


def read_bytes(path: Path | str) -> bytes:
    """The file's bytes, or InputError with the reason in a few words (any input format)."""
    path = Path(path)
    reason = not_readable(path)
    if reason:
        raise InputError(path, reason)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None


def source_text(path: Path | str, data: bytes) -> SourceText:
    """A report's bytes (already read from ``path``) -> its lines. Raises InputError."""
    path = Path(path)
    try:
        text, encoding, warnings = decode_report(path, data)
    except InputError as error:
        hint = _binary_hint(data) if error.reason.startswith("binary content") else ""
        if not hint:
            raise
        raise InputError(path, f"{error.reason}; {hint}", error.line) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return SourceText(path, path.name, hashlib.sha256(data).hexdigest(), lines, encoding, warnings)


def read_report(path: Path | str) -> SourceText:
    """Read and decode a text report. Raises InputError."""
    return source_text(path, read_bytes(path))


# Formats people give smelterkg that no reader handles yet, by their first bytes: the binary
# message then says what the file looks like and what to do. When a reader for one of them is
# registered (ingest/readers), it claims those files first and its entry here is never reached:
# remove it then.
UNSUPPORTED_FORMATS = (
    (b"%PDF-", "it looks like a PDF, which smelterkg cannot read yet: extract its text first (e.g. pdftotext -layout)"),
    (b"PK\x03\x04", "it looks like a ZIP container (a .docx or another non-CMRT archive?), which smelterkg cannot read: save it as text first"),
    (b"\xd0\xcf\x11\xe0", "it looks like an old Office file (.xls or .doc), which smelterkg cannot read yet: save it as text first"),
)


def _binary_hint(data: bytes) -> str:
    return next((hint for magic, hint in UNSUPPORTED_FORMATS if data.startswith(magic)), "")


def expand_inputs(paths: Iterable[Path | str]) -> tuple[list[Path], list[InputError]]:
    """Files to read: files as given, directories expanded to their files (recursively, sorted,
    hidden files skipped). Missing paths, symbolic link loops and special files (FIFOs, sockets,
    devices; given or found in a directory) come back as errors, with their reason."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            entries = sorted(p for p in path.rglob("*") if not any(part.startswith(".") for part in p.relative_to(path).parts))
            found = [p for p in entries if p.is_file()]
            special = [InputError(p, reason) for p in entries if not p.is_file() and not p.is_dir() and (reason := not_readable(p))]
            if not found and not special:
                errors.append(InputError(path, "directory holds no files"))
            files.extend(found)
            errors.extend(special)
        elif not_readable(path):
            errors.append(InputError(path, not_readable(path)))
        elif path.exists():
            files.append(path)
        else:
            errors.append(InputError(path, "no such file or directory"))
    return files, errors
