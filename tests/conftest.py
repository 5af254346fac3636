from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.library import Library, load_library

# The suite never reads or writes the user's real parse cache (a stale or tampered entry
# there must not change a test, and tests must not leave entries behind): set at import,
# before any test module is collected, so even collection-time parses use the private folder.
TEST_CACHE = tempfile.mkdtemp(prefix="drafter-test-cache-")
os.environ["XDG_CACHE_HOME"] = TEST_CACHE
os.environ.pop("DRAFTER_NO_CACHE", None)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(TEST_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create files under root from {relative path: dedented text}."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


MINIMAL_ANSWERS = """
jurisdiction:
  name: Springfield
  kind: city
  state: IL
  police: Springfield Police Department
preset: strongest
output:
  date: 2026-01-15
"""


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"answers.yaml": MINIMAL_ANSWERS}) / "answers.yaml"
