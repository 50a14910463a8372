"""Where the CMRT test workbooks are: the repository's own fixtures (tools/make_cmrt_fixtures.py)
and the third-party reference files in ../shared/reference/ (tests using those skip without them)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "cmrt"
SHARED = ROOT.parent / "shared" / "reference"
RMI = SHARED / "rmi"
SUPPLIERS = SHARED / "cmrt"


def shared_file(directory: Path, name: str) -> Path:
    path = directory / name
    if not path.is_file():
        pytest.skip(f"third-party reference file {path} is absent (../shared/reference is not committed; it sits beside the repository on developer machines and CI)")
    return path


@pytest.fixture
def fixture_path():
    def get(name: str) -> Path:
        path = DATA / name
        assert path.is_file(), f"{path} missing: run python tools/make_cmrt_fixtures.py"
        return path

    return get
