"""Bytes on disk -> the lines of a report, or one clear error naming the file (and line).

Reports arrive as text extracted from PDFs by many tools: UTF-8 mostly, sometimes Windows-1252,
sometimes with CR line ends. Line numbers are those an editor shows (split on newlines only;
form feeds from page breaks stay inside their line).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
MAX_CONTROL_SHARE = 0.01


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
    return data.count(b"\n", 0, offset) + 1


def decode_report(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings). Raises InputError for empty or binary content."""
    if not data.strip():
        raise InputError(path, "empty file, nothing to read")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(path, "binary content (NUL byte), not a text report", _line_of(data, nul))
    controls = sum(1 for byte in data[:65536] if byte in _CONTROL)
    if controls / min(len(data), 65536) > MAX_CONTROL_SHARE:
        raise InputError(path, f"binary content ({controls} control bytes), not a text report")
    warnings: list[str] = []
    try:
        return data.decode("utf-8-sig"), "utf-8", warnings
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
        warnings.append(f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x}); read as {encoding}")
        return text, encoding, warnings


def read_report(path: Path | str) -> SourceText:
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None
    text, encoding, warnings = decode_report(path, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return SourceText(path, path.name, hashlib.sha256(data).hexdigest(), lines, encoding, warnings)


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
