"""`smelterkg query` cannot be turned against its host: SERVICE is refused unless allowed, updates
are refused as updates, a query stops at its time limit, and Ctrl-C stops it at once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smelterkg.cli import main

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 38,897^3 rows
HARD_TIMEOUT = 120  # seconds; only so that a broken build fails instead of hanging


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP port on 127.0.0.1 that a SERVICE clause can point at."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock


def federated(sock: socket.socket) -> str:
    return f"SELECT * WHERE {{ service <http://127.0.0.1:{sock.getsockname()[1]}/sparql> {{ ?s ?p ?o }} }}"


def nobody_called(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        sock.accept()[0].close()
    except BlockingIOError:
        return True
    return False


def one_error_line(err: str, *needles: str) -> None:
    assert len(err.splitlines()) == 1 and err.startswith("smelterkg: error: "), err
    for needle in needles:
        assert needle in err, err


def test_service_is_refused_for_an_expression_and_a_file(capsys, bundled_store_path, listener, tmp_path):
    query = tmp_path / "federated.rq"
    query.write_text("# title: Federated\n# answers: nothing here\n" + federated(listener) + "\n", encoding="utf-8")
    for target in (["-e", federated(listener)], [str(query)]):
        code = main(["query", *target, "--store", str(bundled_store_path), "--timeout", "60"])
        out, err = capsys.readouterr()
        assert code == 1 and out == ""
        one_error_line(err, "SERVICE (federated queries) is disabled", "--allow-service")
    assert nobody_called(listener)


def test_allow_service_lets_the_query_call_out(capsys, bundled_store_path, listener):
    called = threading.Event()

    def answer_badly() -> None:
        connection, _ = listener.accept()
        called.set()
        connection.close()

    threading.Thread(target=answer_badly, daemon=True).start()
    code = main(["query", "-e", federated(listener), "--allow-service", "--store", str(bundled_store_path), "--timeout", "60"])
    capsys.readouterr()
    assert called.is_set() and code == 1  # the request was made; the listener's answer was no SPARQL


def test_an_update_is_refused_as_an_update(capsys, bundled_store_path):
    code = main(["query", "-e", "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }", "--store", str(bundled_store_path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    one_error_line(err, "updates are not allowed", "read-only", "smelterkg build")
    assert "syntax error" not in err


def test_a_bad_timeout_is_one_line(capsys, bundled_store_path):
    code = main(["query", "-e", "ASK {}", "--timeout", "-1", "--store", str(bundled_store_path)])
    _, err = capsys.readouterr()
    assert code == 1
    one_error_line(err, "--timeout")


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "smelterkg", "query", *argv]


def test_a_query_stops_at_its_time_limit(bundled_store_path):
    done = subprocess.run(
        _cli("-e", ENDLESS, "--timeout", "1", "--store", str(bundled_store_path)),
        capture_output=True, text=True, timeout=HARD_TIMEOUT,
    )  # fmt: skip
    assert done.returncode == 124 and done.stdout == ""
    one_error_line(done.stderr, "time limit of 1 s was reached", "--timeout")


def _children(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().strip()
    except OSError:
        return ""


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_stops_a_running_query_at_once(bundled_store_path):
    process = subprocess.Popen(
        _cli("-e", ENDLESS, "--timeout", "0", "--store", str(bundled_store_path)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30  # until the query runs (in its own process, where there is /proc)
        while time.monotonic() < deadline and not _children(process.pid) and process.poll() is None:
            time.sleep(0.1)
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=HARD_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130 and out == ""
    one_error_line(err, "interrupted")
