"""The checking reverse proxy in front of the Oxigraph server of ``smelterkg serve``.

The Oxigraph server listens on an internal loopback port; this proxy (stdlib
``ThreadingHTTPServer``) listens on the user's address and forwards every request to it
unchanged, status codes and headers included, after two checks:

- every SPARQL query a request carries (the ``query`` parameter of the URL or of a form body, or
  an ``application/sparql-query`` body, as the SPARQL 1.1 protocol sends it) passes
  ``queries.sandbox.check``: ``SERVICE`` (unless allowed) and updates get a 400 with a one-line
  reason, and the query never reaches the server;
- a query whose answer has not started within the time limit (plus a few seconds' grace for the
  server's own ``--timeout-s``, which does not interrupt every query) gets a 504; the server may
  go on computing it in the background until its own limit stops it;
- the store directory is still the one the server opened (same device and inode): a rebuild
  swaps a new directory in and deletes the old one, which the server would go on answering from,
  so requests then get a 503 asking to restart ``smelterkg serve``.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from smelterkg.queries.sandbox import SandboxError, check

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
     "transfer-encoding", "upgrade"}
)  # fmt: skip
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
UNLIMITED = 24 * 3600.0  # no --timeout: only a stuck socket is given up on
GRACE = 5.0  # the server's own timeout error, when it has one, comes first
CHUNK = 1 << 16


class Refused(Exception):
    """A request answered here, not forwarded: ``status`` and a one-line ``str()``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def store_identity(store: Path) -> tuple[int, int] | None:
    """(device, inode) of the store directory; None when it is gone."""
    try:
        info = os.stat(store)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _decode(data: bytes | str, what: str) -> str:
    try:
        return data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise Refused(400, f"the {what} is not UTF-8") from None


def _form_values(encoded: str, name: str, what: str) -> list[str]:
    try:
        return parse_qs(encoded, keep_blank_values=True, encoding="utf-8", errors="strict").get(name, [])
    except UnicodeDecodeError:
        raise Refused(400, f"the {what} is not UTF-8") from None


def queries_of(method: str, target: str, content_types: list[str], body: bytes) -> list[str]:
    """Every SPARQL query text the request carries, as the server would read it."""
    if len(content_types) > 1:
        raise Refused(400, "more than one Content-Type header")
    parts = urlsplit(target)
    found = _form_values(parts.query, "query", "query string")
    media = _media_type(content_types[0] if content_types else None)
    if method == "POST" and media == FORM:
        found += _form_values(_decode(body, "form body"), "query", "form body")
    elif method == "POST" and (media == SPARQL_QUERY or parts.path.rstrip("/").endswith("/query")):
        found.append(_decode(body, "query body"))
    return found


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], upstream: tuple[str, int], store: Path, allow_service: bool, timeout: float = 0
    ):
        self.upstream = upstream
        self.timeout = timeout
        self.store = store
        self.identity = store_identity(store)
        self.allow_service = allow_service
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def refusal(self, method: str, target: str, content_types: list[str], body: bytes) -> Refused | None:
        if store_identity(self.store) != self.identity:
            return Refused(503, f"{self.store}: the store was rebuilt or removed since the server started; restart `smelterkg serve`")
        try:
            for text in queries_of(method, target, content_types, body):
                check(text, allow_service=self.allow_service)
        except SandboxError as problem:
            return Refused(400, str(problem))
        except Refused as problem:
            return problem
        return None


class _Handler(BaseHTTPRequestHandler):
    server: ProxyServer
    protocol_version = "HTTP/1.0"  # one request per connection: bodies end when the connection closes

    def _forward(self) -> None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._answer(Refused(411, "send the request body with a Content-Length"))
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._answer(Refused(400, "bad Content-Length"))
        body = self.rfile.read(length) if length > 0 else b""
        refused = self.server.refusal(self.command, self.path, self.headers.get_all("Content-Type") or [], body)
        if refused is not None:
            return self._answer(refused)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        host, port = self.server.upstream
        limit = self.server.timeout
        connection = http.client.HTTPConnection(host, port, timeout=limit + GRACE if limit else UNLIMITED)
        try:
            try:
                connection.request(self.command, self.path, body=body if body or length else None, headers=headers)
                answer = connection.getresponse()
            except TimeoutError:
                return self._answer(Refused(504, f"query stopped: the time limit of {limit:g} s was reached"))
            except (OSError, http.client.HTTPException):
                return self._answer(Refused(502, "the Oxigraph server is not answering (starting, or stopped)"))
            self.send_response_only(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                shutil.copyfileobj(answer, self.wfile, CHUNK)
        except (OSError, http.client.HTTPException):
            pass  # the client went away, or the server cut its answer short (its timeout): the client sees it end
        finally:
            connection.close()

    def _answer(self, refused: Refused) -> None:
        data = (str(refused) + "\n").encode("utf-8")
        self.send_response(refused.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _forward

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet, as the Oxigraph server is

    def log_error(self, format: str, *args: object) -> None:  # noqa: A002
        print(f"smelterkg: serve: {format % args}", file=sys.stderr)


def start(
    address: tuple[str, int], upstream: tuple[str, int], store: Path, allow_service: bool, timeout: float = 0
) -> ProxyServer:
    """The proxy, listening and serving in a daemon thread; ``shutdown()`` then ``server_close()``
    to stop it. ``timeout``: seconds a query may take before its answer starts (0: no limit)."""
    server = ProxyServer(address, upstream, store, allow_service, timeout)
    threading.Thread(target=server.serve_forever, name="smelterkg-endpoint", daemon=True).start()
    return server
