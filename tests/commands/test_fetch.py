"""`smelterkg fetch` against a real HTTP server on 127.0.0.1 replaying EDGAR-format fixtures
(tests/data/edgar/: ``data/`` is data.sec.gov, ``www/`` is www.sec.gov). Never the real network:
the bases point at the local server and the client refuses any URL outside them."""

from __future__ import annotations

import csv
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from smelterkg import cli
from smelterkg.ingest.edgar.urls import read_url_csv

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "edgar"
SHARED_CSV = Path(__file__).resolve().parents[3] / "shared" / "reference" / "edgar" / "formsd_2024_exhibit_urls.csv"
AGENT = "smelterkg tests admin@example.com"
ONE_2023 = "0000990001_2023_0000990001-24-000012_etw_ex101.htm"
ONE_2022 = "0000990001_2022_0000990001-23-000009_exhibit1012022.htm"
ONE_2014 = "0000990001_2014_0000990001-16-000002_d900001dex101.htm"
MISSING = "https://www.sec.gov/Archives/edgar/data/990002/000119312524150001/d777dex101.htm"


@dataclass
class Edgar:
    """The replaying server: what it was asked (time, path, User-Agent) and failures to play first."""

    base: str = ""
    requests: list[tuple[float, str, str | None]] = field(default_factory=list)
    failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]


@pytest.fixture
def edgar() -> Iterator[Edgar]:
    state = Edgar()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            with lock:
                state.requests.append((time.monotonic(), self.path, self.headers.get("User-Agent")))
                planned = state.failures.get(self.path)
                failure = planned.pop(0) if planned else None
            if failure is not None:
                status, headers = failure
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            top, _, rest = self.path.lstrip("/").partition("/")
            file = (FIXTURES / top / rest).resolve()
            if top not in ("www", "data") or FIXTURES not in file.parents or not file.is_file():
                self.send_error(404)
                return
            body = file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def fetch(edgar: Edgar, out: Path, *args: str, agent: str | None = AGENT) -> int:
    argv = ["fetch", "-o", str(out), "--www-base", f"{edgar.base}/www", "--data-base", f"{edgar.base}/data", *args]
    return cli.main(argv + (["--user-agent", agent] if agent is not None else []))


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def fixture(path: str) -> bytes:
    return (FIXTURES / "www" / path).read_bytes()


@pytest.fixture(autouse=True)
def _no_agent_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMELTERKG_USER_AGENT", raising=False)


def test_a_user_agent_with_a_contact_is_required_and_nothing_is_asked_without_it(
    edgar: Edgar, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fetch(edgar, tmp_path / "out", "--cik", "990001", agent=None) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("smelterkg: error: no User-Agent") and "admin@example.com" in err
    assert fetch(edgar, tmp_path / "out", "--cik", "990001", agent="python-urllib/3.12") == 1
    assert "no contact e-mail" in capsys.readouterr().err
    assert edgar.requests == []


def test_the_user_agent_from_the_environment_is_sent_on_every_request(
    edgar: Edgar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMELTERKG_USER_AGENT", "Env Corp ops@example.org")
    assert fetch(edgar, tmp_path / "out", "--cik", "990001", agent=None) == 0
    assert edgar.requests and {agent for _, _, agent in edgar.requests} == {"Env Corp ops@example.org"}


def test_by_cik_every_form_sd_exhibit_is_named_by_cik_year_accession_and_listed_in_the_manifest(
    edgar: Edgar, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert fetch(edgar, out, "--cik", "990001,990002") == 1  # 990002's exhibit is a permanent 404
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("smelterkg: error:")]
    assert errors == [f"smelterkg: error: {MISSING}: HTTP 404 Not Found"]  # the official URL, as in the manifest
    assert "000119312524170002/index.json: no EX-1.01 exhibit among its 2 files" in err  # the SD/A
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == sorted([ONE_2023, ONE_2022, ONE_2014, "manifest.csv"])
    assert (out / ONE_2023).read_bytes() == fixture("Archives/edgar/data/990001/000099000124000012/etw_ex101.htm")
    rows = manifest(out)
    assert [row["path"] for row in rows] == sorted([ONE_2023, ONE_2022, ONE_2014])
    body = (out / ONE_2023).read_bytes()
    assert rows[2] == {
        "cik": "0000990001", "company": "EXAMPLE TIN WORKS INC", "form": "SD", "filing_date": "2024-05-23",
        "year": "2023", "accession": "0000990001-24-000012",
        "url": "https://www.sec.gov/Archives/edgar/data/990001/000099000124000012/etw_ex101.htm",
        "sha256": hashlib.sha256(body).hexdigest(), "bytes": str(len(body)), "path": ONE_2023,
    }
    # no reportDate on the 2023 filing: the year before the filing year
    assert rows[1]["path"] == ONE_2022 and rows[1]["year"] == "2022" and rows[1]["filing_date"] == "2023-05-30"
    # a late filing (January 2016) for 2014: its period of report wins over the rule
    assert rows[0]["path"] == ONE_2014 and rows[0]["year"] == "2014" and rows[0]["filing_date"] == "2016-01-12"
    # the 10-K of the same filer is never looked at; the 404 is asked once (not retried)
    assert not any("000099000124000003" in path for path in edgar.paths())
    assert edgar.paths().count(f"/www{MISSING.removeprefix('https://www.sec.gov')}") == 1


def test_no_one_second_window_holds_more_than_ten_requests(edgar: Edgar, tmp_path: Path) -> None:
    fetch(edgar, tmp_path / "out", "--cik", "990001", "--cik", "990002")
    times = [moment for moment, _, _ in edgar.requests]
    assert len(times) >= 11
    # 11 consecutive request starts span at least a second (a little slack for the server's clock reads)
    assert min(later - earlier for earlier, later in zip(times, times[10:])) >= 0.95


def test_429_and_503_are_retried_with_backoff_honouring_retry_after(edgar: Edgar, tmp_path: Path) -> None:
    path = "/www/Archives/edgar/data/990001/000099000124000012/etw_ex101.htm"
    edgar.failures[path] = [(429, {"Retry-After": "1"}), (503, {})]
    assert fetch(edgar, tmp_path / "out", "--cik", "990001") == 0
    asked = [moment for moment, where, _ in edgar.requests if where == path]
    assert len(asked) == 3
    assert asked[1] - asked[0] >= 0.95  # Retry-After: 1
    assert (tmp_path / "out" / ONE_2023).read_bytes() == fixture(path.removeprefix("/www/"))


def test_a_second_run_downloads_nothing_it_already_has(edgar: Edgar, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert fetch(edgar, out, "--cik", "990001") == 0
    first = (out / "manifest.csv").read_bytes()
    edgar.requests.clear()
    capsys.readouterr()
    (out / ONE_2022).unlink()  # a file lost since: put back from the cache, not downloaded
    assert fetch(edgar, out, "--cik", "990001") == 0
    assert all(path.startswith("/data/submissions/") for path in edgar.paths()), edgar.paths()
    assert "fetched 0 files, 3 already present, 0 failed" in capsys.readouterr().err
    assert (out / "manifest.csv").read_bytes() == first
    assert (out / ONE_2022).read_bytes() == fixture("Archives/edgar/data/990001/000099000123000009/exhibit1012022.htm")


def test_year_selects_the_reporting_year(edgar: Edgar, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert fetch(edgar, out, "--cik", "990001", "--year", "2022") == 0
    assert [row["path"] for row in manifest(out)] == [ONE_2022]
    assert [p for p in edgar.paths() if p.endswith("index.json")] == ["/www/Archives/edgar/data/990001/000099000123000009/index.json"]


def test_a_year_alone_reads_the_form_indexes_of_the_following_filing_year(
    edgar: Edgar, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert fetch(edgar, out, "--year", "2023") == 1  # 990002's exhibit is missing
    err = capsys.readouterr().err
    assert {f"/www/Archives/edgar/full-index/2024/QTR{q}/form.idx" for q in range(1, 5)} <= set(edgar.paths())
    assert "QTR1/form.idx: not published (HTTP 404); skipped" in err
    rows = manifest(out)
    assert [(row["path"], row["company"], row["form"]) for row in rows] == [(ONE_2023, "EXAMPLE TIN WORKS INC", "SD")]
    assert not any("990003" in path for path in edgar.paths())  # an SDR is not a Form SD


def test_a_csv_of_exhibit_urls_in_the_shared_format(edgar: Edgar, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert fetch(edgar, out, "--urls", str(FIXTURES / "exhibit_urls.csv")) == 1
    err = capsys.readouterr().err
    assert f"exhibit_urls.csv:5: https://example.com/reports/cmr-2023.htm: not an EDGAR Archives document URL; skipped" in err
    assert sum(line.startswith("smelterkg: error:") for line in err.splitlines()) == 1 and "d777dex101.htm: HTTP 404" in err
    assert all(path.startswith("/www/Archives/edgar/data/") for path in edgar.paths())  # no index, no other host
    rows = {row["path"]: row for row in manifest(out)}
    assert set(rows) == {ONE_2023, ONE_2022, "0000990001_2023_0000990001-24-000012_etw-20231231_sd.htm"}
    assert rows[ONE_2023]["company"] == "EXAMPLE TIN WORKS INC (ETW) (CIK 0000990001)"  # as the CSV prints it
    assert rows[ONE_2023]["url"] == "https://www.sec.gov/Archives/edgar/data/990001/000099000124000012/etw_ex101.htm"
    assert rows[ONE_2023]["form"] == ""  # the CSV does not say
    assert (out / ONE_2023).read_bytes() == fixture("Archives/edgar/data/990001/000099000124000012/etw_ex101.htm")


@pytest.mark.skipif(not SHARED_CSV.is_file(), reason=f"{SHARED_CSV} is absent (the shared reference data)")
def test_the_shared_csv_header_is_understood() -> None:
    head = "".join(SHARED_CSV.read_text(encoding="utf-8").splitlines(keepends=True)[:3])
    targets, problems = read_url_csv(head, SHARED_CSV.name)
    assert problems == [] and len(targets) == 2
    assert all(t.url.startswith("https://www.sec.gov/Archives/edgar/data/") and len(t.cik) == 10 for t in targets)
    assert all(t.accession.count("-") == 2 and t.filing_date[:4].isdigit() for t in targets)


def test_a_url_on_another_host_is_refused_without_a_request(
    edgar: Edgar, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = tmp_path / "urls.csv"
    urls.write_text("filingUrl\nhttps://mirror.example/Archives/edgar/data/990001/000099000124000012/etw_ex101.htm\n", encoding="utf-8")
    assert fetch(edgar, tmp_path / "out", "--urls", str(urls)) == 1
    err = capsys.readouterr().err
    assert "mirror.example/Archives/edgar/data/990001/000099000124000012/etw_ex101.htm: not under the EDGAR base URLs" in err
    assert edgar.requests == []
