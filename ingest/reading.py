"""Bytes on disk -> the lines of a report, or one clear error naming the file (and line).

Reports arrive as text extracted from PDFs by many tools: UTF-8 mostly, sometimes Windows-1252
(a whole file, or a few lines pasted into a UTF-8 file), sometimes UTF-16 with a byte-order mark
(Windows "Unicode" text), sometimes with CR line ends. Line numbers are those an editor shows
(split on CRLF, LF or CR only; form feeds from page breaks stay inside their line).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
MAX_CONTROL_SHARE = 0.01
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


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


def read_bytes(path: Path | str) -> bytes:
    """The file's bytes, or InputError with the reason in a few words (any input format)."""
    path = Path(path)
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
    (b"PK\x03\x04", "it looks like a ZIP container (an .xlsx or .docx?), which smelterkg cannot read yet: save it as text first"),
    (b"\xd0\xcf\x11\xe0", "it looks like an old Office file (.xls or .doc), which smelterkg cannot read yet: save it as text first"),
)


def _binary_hint(data: bytes) -> str:
    return next((hint for magic, hint in UNSUPPORTED_FORMATS if data.startswith(magic)), "")


def expand_inputs(paths: Iterable[Path | str]) -> tuple[list[Path], list[InputError]]:
    """Files to read: files as given, directories expanded to their files (recursively, sorted,
    hidden files skipped). Missing paths come back as errors."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                errors.append(InputError(path, "directory holds no files"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            errors.append(InputError(path, "no such file or directory"))
    return files, errors
