"""Shared fixtures. The server-backed tests need a running `tributary connect` over a demo lake and its
generator ground truth; scripts/notebook-test builds both and sets TRIBUTARY_CONNECT_URL and
TRIBUTARY_GROUND_TRUTH."""

import json
import os
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(NOTEBOOKS))  # tributary_nb, check_clean


@pytest.fixture(scope="session")
def spark():
    if not os.environ.get("TRIBUTARY_CONNECT_URL"):
        pytest.fail("TRIBUTARY_CONNECT_URL is not set: run these tests with scripts/notebook-test, which starts "
                    "`tributary connect` over a demo lake")
    import tributary_nb

    session = tributary_nb.connect()
    yield session
    session.stop()


@pytest.fixture(scope="session")
def truth():
    path = os.environ.get("TRIBUTARY_GROUND_TRUTH")
    if not path:
        pytest.fail("TRIBUTARY_GROUND_TRUTH is not set: run these tests with scripts/notebook-test")
    return json.loads(Path(path).read_text(encoding="utf-8"))
