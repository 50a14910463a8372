"""A content-addressed cache under the output directory: what a re-run does not download again.

``objects/ab/abcdef...`` holds each body once, named by its sha256. ``urls.tsv`` maps an EDGAR
Archives URL (immutable once filed) to the sha256 of its body, one ``url<TAB>sha256`` line appended
as each download completes, so an interrupted run resumes where it stopped. Mutable documents (the
submissions JSON) are never looked up by URL: ``store`` them, but fetch them every run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

URL_INDEX = "urls.tsv"


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def write_atomically(target: Path, body: bytes) -> None:
    """``body`` into ``target`` through a temporary file beside it: never a partial file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._urls: dict[str, str] = {}
        index = root / URL_INDEX
        if index.is_file():
            for line in index.read_text(encoding="utf-8").splitlines():
                url, _, digest = line.partition("\t")
                if url and len(digest) == 64:
                    self._urls[url] = digest

    def object_path(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest

    def lookup(self, url: str) -> tuple[str, bytes] | None:
        """The sha256 and body cached for an immutable URL, if the object is still there and intact."""
        digest = self._urls.get(url)
        if digest is None:
            return None
        path = self.object_path(digest)
        try:
            body = path.read_bytes()
        except OSError:
            return None
        return (digest, body) if sha256(body) == digest else None

    def store(self, body: bytes, url: str | None = None) -> str:
        """Keep ``body`` (once per content); with ``url``, remember it for ``lookup``. Its sha256."""
        digest = sha256(body)
        path = self.object_path(digest)
        if not path.is_file():
            write_atomically(path, body)
        if url is not None and self._urls.get(url) != digest:
            self._urls[url] = digest
            with (self.root / URL_INDEX).open("a", encoding="utf-8") as index:
                index.write(f"{url}\t{digest}\n")
        return digest

    def place(self, digest: str, target: Path) -> None:
        """The cached object at ``target`` (a hard link when the file system allows, else a copy)."""
        source = self.object_path(digest)
        if target.is_file() and target.stat().st_size == source.stat().st_size and sha256(target.read_bytes()) == digest:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.part")
        temporary.unlink(missing_ok=True)
        try:
            os.link(source, temporary)
        except OSError:
            shutil.copyfile(source, temporary)
        os.replace(temporary, target)
