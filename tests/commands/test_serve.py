"""`smelterkg serve`: the real Oxigraph server over the bundled store, read-only, on loopback.

The server runs as a subprocess (`python -m smelterkg serve`) on a free 127.0.0.1 port; the
requests bypass any HTTP proxy configured in the environment. The subprocess is always stopped.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from smelterkg.cli import main

HOST = "127.0.0.1"
STARTUP_SECONDS = 30.0
POLL_SECONDS = 0.2
COUNT_ROWS = "SELECT (COUNT(?row) AS ?n) WHERE { ?row a <https://w3id.org/smelterkg/ontology#TableRow> }"
RESULTS_JSON = "application/sparql-results+json"
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 5.0):
    return LOOPBACK.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=timeout)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def server(bundled_store_path: Path, tmp_path: Path) -> Iterator[Server]:
    with serving(bundled_store_path, tmp_path) as running:
        yield running


@contextmanager
def serving(store: Path, tmp_path: Path, *options: str) -> Iterator[Server]:
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as err, open(tmp_path / "serve.out", "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "smelterkg", "serve", "--store", str(store), "--port", str(port), *options],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    running = Server(process, port, log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}: {log.read_text(errors='replace')}")
            try:
                with request(f"{running.base}/query?query=ASK%7B%7D", timeout=1.0) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within {STARTUP_SECONDS} s: {log.read_text(errors='replace')}")
            time.sleep(POLL_SECONDS)
        yield running
    finally:
        stop(process)


def count_rows(answer) -> int:
    assert answer.headers.get_content_type() == RESULTS_JSON
    results = json.load(answer)
    return int(results["results"]["bindings"][0]["n"]["value"])


def test_sparql_over_http_get_and_post(server: Server) -> None:
    query = urllib.parse.urlencode({"query": COUNT_ROWS})
    with request(f"{server.base}/query?{query}", headers={"Accept": RESULTS_JSON}) as answer:
        assert count_rows(answer) == 1326
    headers = {"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON}
    with request(f"{server.base}/query", data=COUNT_ROWS.encode("utf-8"), headers=headers) as answer:
        assert count_rows(answer) == 1326  # the union default graph: no GRAPH clause needed

    by_graph = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?row a <https://w3id.org/smelterkg/ontology#TableRow> } }"
    with request(f"{server.base}/query", data=by_graph.encode("utf-8"), headers=headers) as answer:
        assert count_rows(answer) == 5  # the named graphs are still there: one per source document

    with request(f"{server.base}/") as answer:  # the query UI
        assert answer.status == 200 and answer.headers.get_content_type() == "text/html"

    log = server.log.read_text()
    assert f"on http://{HOST}:{server.port}/ (SPARQL endpoint /query, query UI /)" in log
    assert "SERVICE disabled, query timeout 30 s" in log
    assert "Listening for requests at" not in log  # the server's internal address is not shown
    assert (server.log.parent / "serve.out").read_bytes() == b""  # stdout stays clean


def test_writes_are_refused(server: Server) -> None:
    update = b"INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    with pytest.raises(urllib.error.HTTPError) as refused:
        request(f"{server.base}/update", data=update, headers={"Content-Type": "application/sparql-update"})
    assert refused.value.code in (403, 405)
    refused.value.close()
    with pytest.raises(urllib.error.HTTPError) as refused:
        request(f"{server.base}/store?default", data=b"<urn:x:s> <urn:x:p> <urn:x:o> .", headers={"Content-Type": "text/turtle"})
    assert refused.value.code in (403, 405)
    refused.value.close()
    ask = urllib.parse.urlencode({"query": "ASK { ?s ?p <urn:x:o> }"})
    with request(f"{server.base}/query?{ask}", headers={"Accept": RESULTS_JSON}) as answer:
        assert json.load(answer)["boolean"] is False


def refusal(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    with pytest.raises(urllib.error.HTTPError) as refused:
        request(url, data=data, headers=headers, timeout=30.0)
    with refused.value as answer:
        return answer.code, answer.read().decode("utf-8")


def test_service_is_refused_and_never_called(server: Server) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((HOST, 0))
        listener.listen(8)
        federated = f"SELECT * WHERE {{ service <http://{HOST}:{listener.getsockname()[1]}/> {{ ?s ?p ?o }} }}"
        as_get = f"{server.base}/query?" + urllib.parse.urlencode({"query": federated})
        as_form = urllib.parse.urlencode({"query": federated}).encode("utf-8")
        for url, data, headers in [
            (as_get, None, {}),
            (f"{server.base}/query", as_form, {"Content-Type": "application/x-www-form-urlencoded"}),
            (f"{server.base}/query", federated.encode("utf-8"), {"Content-Type": "application/sparql-query"}),
        ]:
            code, body = refusal(url, data, headers)
            assert code == 400
            assert body == "SERVICE (federated queries) is disabled; pass --allow-service to allow it\n"
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):  # nobody connected to it
            listener.accept()


def test_an_update_sent_as_a_query_is_refused_as_an_update(server: Server) -> None:
    update = b"INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    code, body = refusal(f"{server.base}/query", update, {"Content-Type": "application/sparql-query"})
    assert code == 400 and body.startswith("updates are not allowed") and body.count("\n") == 1


def test_a_query_stops_at_the_time_limit(bundled_store_path: Path, tmp_path: Path) -> None:
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with serving(bundled_store_path, tmp_path, "--timeout", "1") as running:
        assert "query timeout 1 s" in running.log.read_text()
        headers = {"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON}
        code, body = refusal(f"{running.base}/query", endless.encode("utf-8"), headers)
        assert code in (500, 504) and body  # the server's own timeout error, or ours
        with request(f"{running.base}/query?query=ASK%7B%7D", headers={"Accept": RESULTS_JSON}) as answer:
            assert json.load(answer)["boolean"] is True  # still serving


def test_a_rebuilt_store_is_not_answered_from_the_deleted_one(bundled_store_path: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(bundled_store_path, store)
    with serving(store, tmp_path) as running:
        with request(f"{running.base}/query?query=ASK%7B%7D", headers={"Accept": RESULTS_JSON}) as answer:
            assert answer.status == 200
        shutil.copytree(bundled_store_path, tmp_path / "rebuilt")  # what a build does: swap a new one in
        store.rename(tmp_path / "retired")
        (tmp_path / "rebuilt").rename(store)
        code, body = refusal(f"{running.base}/query?query=ASK%7B%7D", headers={"Accept": RESULTS_JSON})
        assert code == 503 and "rebuilt" in body and "restart `smelterkg serve`" in body


def test_stop_forwards_the_signal_and_frees_the_port(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    code = server.process.wait(timeout=10)
    assert code in (0, 128 + signal.SIGTERM), server.log.read_text()
    with pytest.raises(OSError):  # the Oxigraph child is gone too: nothing listens any more
        socket.create_connection((HOST, server.port), timeout=1.0).close()


# ---------------------------------------------------------------- errors before anything starts


def test_missing_store_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["serve", "--store", str(tmp_path / "no-store"), "--port", str(free_port())]) != 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("smelterkg: error: ") and "no smelterkg store" in err


def test_missing_oxigraph_is_one_line(
    capsys: pytest.CaptureFixture[str], bundled_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["serve", "--store", str(bundled_store_path), "--port", str(free_port())]) != 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "oxigraph" in err and "not installed" in err


def test_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str], bundled_store_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--store", str(bundled_store_path), "--port", str(port)]) != 0
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "address already in use" in err, err
