from __future__ import annotations

import os
import shutil
import signal
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

# A suite started in the background by a non-interactive shell ("... &") inherits Ctrl-C ignored,
# and so would every drafter it starts; the interrupt tests need Ctrl-C delivered as it is at a
# terminal. A handler (unlike "ignored") is not inherited across exec, so children get the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# The suite never reads or writes the user's real parse cache (a stale or tampered entry
# there must not change a test, and tests must not leave entries behind): set before any
# test module is imported, so even collection-time parses use the private folder.
TEST_CACHE = tempfile.mkdtemp(prefix="drafter-test-cache-")
os.environ["XDG_CACHE_HOME"] = TEST_CACHE
os.environ.pop("DRAFTER_NO_CACHE", None)

# Nor the user's home or settings: HOME and the other XDG folders point into a throw-away
# folder too (a test that wrote to "~" would write there).
_HOME = Path(tempfile.mkdtemp(prefix="drafter-tests-home-"))
for _name, _sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share")):
    (_HOME / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_HOME / _sub)

from drafter.library import Library, load_library  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(TEST_CACHE, ignore_errors=True)
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def test_home() -> Path:
    """The throw-away HOME the whole suite runs with."""
    return _HOME


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
