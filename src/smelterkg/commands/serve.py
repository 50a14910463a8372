"""`smelterkg serve`: the store behind a SPARQL endpoint, read-only.

Runs the real Oxigraph server (the ``oxigraph`` executable from the ``oxigraph`` package on PyPI):
``oxigraph serve-read-only --location DIR --bind HOST:PORT --union-default-graph``. The default
graph is the union of all graphs, so queries need no ``GRAPH`` clause (``GRAPH ?g`` still tells
which source a triple came from). Writes are refused by the server (HTTP 403).

The server listens on an internal loopback port only; the user's address is served by the
checking proxy of ``smelterkg.endpoint`` (SERVICE and updates refused with a 400, a rebuilt
store answered with a 503). Queries are stopped after ``--timeout`` seconds (the server's
``--timeout-s``).

The server is a child process: Ctrl-C, SIGTERM and SIGHUP are forwarded to it, and its exit code
is ours (128 + the signal's number when a signal ended it, as a shell reports it).
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import IO

from smelterkg import endpoint
from smelterkg.commands import add_store_option, error, info, open_store, store_path
from smelterkg.store import StoreError

DEFAULT_BIND = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30
UPSTREAM_HOST = "127.0.0.1"  # where the Oxigraph server itself listens: never reachable from outside
EXECUTABLE = "oxigraph.exe" if os.name == "nt" else "oxigraph"
FORWARDED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


class ServeError(Exception):
    """The server cannot be started; ``str()`` is the one-line message."""


def find_oxigraph() -> str:
    """The ``oxigraph`` executable: beside this Python (its venv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / EXECUTABLE
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError("the `oxigraph` server is not installed (pip install 'oxigraph>=0.5,<0.6')")


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _parse_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise ServeError(f"invalid port {text!r} (expected 1-65535)")
    return port


def check_bindable(host: str, port: int) -> None:
    """Fail early, in one line, when the address cannot be listened on (in use, not local...)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as problem:
        raise ServeError(f"cannot listen on {_host_port(host, port)}: {problem.strerror}") from None
    probe = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":  # as the server's listener does: a port in TIME_WAIT is free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
    except OSError as problem:
        reason = "address already in use" if problem.errno == errno.EADDRINUSE else problem.strerror or str(problem)
        raise ServeError(f"cannot listen on {_host_port(host, port)}: {reason}") from None
    finally:
        probe.close()


def command(oxigraph: str, store: Path, host: str, port: int, timeout: int = DEFAULT_TIMEOUT) -> list[str]:
    return [
        oxigraph, "serve-read-only",
        "--location", str(store),
        "--bind", _host_port(host, port),
        "--union-default-graph",
        *(["--timeout-s", str(timeout)] if timeout else []),
    ]  # fmt: skip


def _parse_timeout(text: str) -> int:
    try:
        seconds = int(text)
    except ValueError:
        seconds = -1
    if seconds < 0:
        raise ServeError(f"invalid --timeout {text!r} (expected whole seconds >= 0, 0 for no limit)")
    return seconds


def internal_port() -> int:
    """A free loopback port for the Oxigraph server behind the proxy."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((UPSTREAM_HOST, 0))
        return probe.getsockname()[1]


def start_proxy(
    host: str, port: int, upstream_port: int, store: Path, allow_service: bool, timeout: int
) -> endpoint.ProxyServer:
    try:
        return endpoint.start((host, port), (UPSTREAM_HOST, upstream_port), store, allow_service, timeout)
    except OSError as problem:
        raise ServeError(f"cannot listen on {_host_port(host, port)}: {problem.strerror or problem}") from None


def _exit_code(returncode: int) -> int:
    return 128 - returncode if returncode < 0 else returncode


def run_server(argv: list[str]) -> int:
    """Run the server until it stops; forward the stop signals to it; return its exit code."""
    child: list[subprocess.Popen[bytes]] = []
    pending: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        if not child:
            pending.append(signum)
        elif child[0].poll() is None:
            child[0].send_signal(signum)

    previous = {}
    try:
        for signum in FORWARDED_SIGNALS:
            previous[signum] = signal.signal(signum, forward)
    except ValueError:  # not the main thread: no handlers, the caller stops the child itself
        pass
    env = dict(os.environ)
    env.setdefault("RUST_LIB_BACKTRACE", "0")  # a failing server prints its error, not a stack trace
    options: dict[str, object] = {}
    if os.name == "posix":
        # its own process group: a terminal's Ctrl-C reaches us only, and we forward it once
        options["process_group"] = 0
    try:
        try:
            child.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, **options))
        except OSError as problem:
            raise ServeError(f"cannot start {argv[0]}: {problem.strerror or problem}") from None
        relay = threading.Thread(target=_relay_log, args=(child[0].stdout,), daemon=True)
        relay.start()
        for signum in pending:
            child[0].send_signal(signum)
        code = child[0].wait()
        relay.join(timeout=5)  # the server's last words (why it stopped) come before ours
        return _exit_code(code)
    finally:
        if child and child[0].poll() is None:  # we are leaving on an exception: do not orphan it
            child[0].terminate()
            try:
                child[0].wait(timeout=5)
            except subprocess.TimeoutExpired:
                child[0].kill()
                child[0].wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


INTERNAL_LOG_LINES = (b"Listening for requests at",)  # the internal address: not where clients go


def _relay_log(stream: IO[bytes] | None) -> None:
    """Copy the server's log to our stderr, without the lines about its internal address."""
    if stream is None:
        return
    target = _stderr_fd()
    for line in stream:
        if not line.startswith(INTERNAL_LOG_LINES) and target is not None:
            try:
                os.write(target, line)
            except OSError:
                return


def _stderr_fd() -> int | None:
    """The server's log goes to our stderr (stdout is for data)."""
    try:
        sys.stderr.flush()
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def run(args: argparse.Namespace) -> int:
    target = store_path(args)
    host = args.bind
    try:
        port = _parse_port(args.port)
        timeout = _parse_timeout(args.timeout)
        store = open_store(args)  # the same check and message as the other commands
        del store
        oxigraph = find_oxigraph()
        check_bindable(host, port)
        shown = _host_port(WILDCARD_HOSTS.get(host, host), port)
        upstream = internal_port()
        proxy = start_proxy(host, port, upstream, target.absolute(), args.allow_service, timeout)
        service = "SERVICE allowed (queries may make HTTP requests)" if args.allow_service else "SERVICE disabled"
        limit = f"query timeout {timeout} s" if timeout else "no query timeout"
        info(
            f"serving {target} read-only on http://{shown}/ (SPARQL endpoint /query, query UI /) with "
            f"{Path(oxigraph).name}: union default graph, {service}, {limit}"
        )
        if host in WILDCARD_HOSTS:
            info(f"listening on all interfaces ({_host_port(host, port)}): reachable from other machines")
        info("press Ctrl-C to stop")
        try:
            return run_server(command(oxigraph, target.absolute(), UPSTREAM_HOST, upstream, timeout))
        finally:
            proxy.shutdown()
            proxy.server_close()
    except (StoreError, ServeError) as problem:
        error(str(problem))
        return 1


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the store read-only over SPARQL (the Oxigraph server)",
        description="Run the Oxigraph SPARQL server over the store, read-only, with the union of all graphs as "
        "the default graph. The query UI is at http://HOST:PORT/ and the SPARQL endpoint at "
        "http://HOST:PORT/query. Stop it with Ctrl-C.",
    )
    add_store_option(serve)
    serve.add_argument("--port", metavar="P", default=str(DEFAULT_PORT), help=f"port (default: {DEFAULT_PORT})")
    serve.add_argument(
        "--bind",
        metavar="HOST",
        default=DEFAULT_BIND,
        help=f"address to listen on (default: {DEFAULT_BIND}, this machine only; 0.0.0.0 for every interface)",
    )
    serve.add_argument(
        "--timeout",
        metavar="SECONDS",
        default=str(DEFAULT_TIMEOUT),
        help=f"stop a query after this long (default: {DEFAULT_TIMEOUT}; 0 for no limit)",
    )
    serve.add_argument(
        "--allow-service",
        action="store_true",
        help="allow SERVICE (federated queries: the server then makes HTTP requests a client asks for)",
    )
    serve.set_defaults(handler=run)
