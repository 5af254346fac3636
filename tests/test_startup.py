"""Start-up: ``drafter --version`` and ``--help`` answer without importing click (drafter/launch.py),
with exactly click's text; ``clauses list`` reads the library index without loading clause bodies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import sys\nsys.argv = ['drafter', *sys.argv[1:]]\nfrom drafter.launch import main\n"
         "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
         "sys.stderr.write(repr(sorted(m for m in ('click', 'pydantic', 'jinja2', 'docx', 'rich', "
         "'ruamel.yaml', 'pathlib') if m in sys.modules)))\n")


def launch(*args: str, cache: Path, env: dict[str, str] | None = None) -> tuple[str, str]:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "100"}
    environment.pop("DRAFTER_NO_CACHE", None)
    environment.update(env or {})
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=environment, cwd=ROOT, check=True)
    return done.stdout, done.stderr.strip().splitlines()[-1]


def click_output(*args: str) -> str:
    return CliRunner().invoke(cli, list(args), prog_name="drafter", terminal_width=100).output


def test_version_is_clicks_and_imports_nothing(tmp_path: Path) -> None:
    out, loaded = launch("--version", cache=tmp_path)
    assert out == click_output("--version") == "drafter, version 0.1.0\n"
    assert loaded == "[]"


def test_help_is_clicks_then_read_back_without_click(tmp_path: Path) -> None:
    first, loaded_first = launch("--help", cache=tmp_path)
    second, loaded_second = launch("--help", cache=tmp_path)
    assert first == second
    assert "Usage: drafter [OPTIONS] COMMAND [ARGS]..." in first and "clauses" in first
    assert "click" in loaded_first  # rendered by click the first time
    assert loaded_second == "[]"  # then read back: no click, no pathlib
    assert [p.name for p in (tmp_path / "drafter" / "yaml-v3").glob("help-*.txt")]


def test_a_help_file_with_control_characters_is_ignored(tmp_path: Path) -> None:
    clean, _ = launch("--help", cache=tmp_path)
    [stored] = (tmp_path / "drafter" / "yaml-v3").glob("help-*.txt")
    stored.write_text("\x1b]0;owned\x07 Usage: nothing\n", encoding="utf-8")
    again, loaded = launch("--help", cache=tmp_path)
    assert again == clean and "click" in loaded  # rendered again, and rewritten
    assert stored.read_text(encoding="utf-8") == clean


def test_no_cache_means_click_every_time(tmp_path: Path) -> None:
    launch("--help", cache=tmp_path, env={"DRAFTER_NO_CACHE": "1"})
    out, loaded = launch("--help", cache=tmp_path, env={"DRAFTER_NO_CACHE": "1"})
    assert "Usage: drafter" in out and "click" in loaded


@pytest.mark.parametrize("args", [["clauses", "list", "--json"], ["clauses", "list", "--json", "--area", "access"]])
def test_clauses_list_from_the_index_is_the_same(tmp_path: Path, args: list[str]) -> None:
    full = json.loads(click_output(*args))
    first, _ = launch(*args, cache=tmp_path)
    second, loaded = launch(*args, cache=tmp_path)
    assert json.loads(first) == json.loads(second) == full and len(full) > 5
    assert "pydantic" not in loaded and "ruamel.yaml" not in loaded  # nothing validated or parsed
