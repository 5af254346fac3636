"""The wheel's prebuilt parses (drafter/prebuilt.py): used for exactly the texts they were made
from, never changing a result, ignored when malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter import parse_cache, prebuilt
from drafter.errors import Problems
from drafter.library import load_library

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A parsed.json made from the checkout's library, as hatch_build.py makes it, with the
    disk cache and the in-memory copies out of the way."""
    path = tmp_path / "parsed.json"
    path.write_bytes(prebuilt.make(ROOT / "clauses"))
    monkeypatch.setattr(prebuilt, "PATH", path)
    monkeypatch.setattr(prebuilt, "_table", None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(parse_cache, "_memory", {})
    return path


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts ruamel is asked to parse from now on."""
    from ruamel.yaml import YAML

    seen: list[str] = []
    real = YAML.load

    def load(self, stream):  # noqa: ANN001, ANN202
        seen.append(stream if isinstance(stream, str) else "")
        return real(self, stream)

    monkeypatch.setattr(YAML, "load", load)
    return seen


def test_a_first_run_parses_nothing_of_the_builtin_library(shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _parses(monkeypatch)
    library = load_library(problems=Problems(), base=ROOT / "clauses")
    assert seen == []
    assert len(library.clauses) > 40 and len(library.states) == 51


def test_the_same_library_as_a_fresh_parse(shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from_shipped = load_library(problems=Problems(), base=ROOT / "clauses")
    monkeypatch.setattr(prebuilt, "_table", {})
    monkeypatch.setattr(parse_cache, "_memory", {})
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    fresh = load_library(problems=Problems(), base=ROOT / "clauses")
    assert from_shipped.clauses.keys() == fresh.clauses.keys()
    assert [c.meta for c in from_shipped.clauses.values()] == [c.meta for c in fresh.clauses.values()]
    assert from_shipped.states == fresh.states and from_shipped.forms == fresh.forms
    assert from_shipped.authorities == fresh.authorities and from_shipped.presets == fresh.presets


def test_an_edited_file_is_parsed_again(shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    copy = tmp_path / "lib"
    shutil.copytree(ROOT / "clauses", copy / "clauses")
    shutil.copytree(ROOT / "templates", copy / "templates")
    preset = copy / "clauses" / "presets" / "strong.yaml"
    preset.write_text(preset.read_text().replace("title: ", "title: Edited ", 1))
    seen = _parses(monkeypatch)
    library = load_library(problems=Problems(), base=copy / "clauses")
    assert len(seen) == 1 and "Edited" in seen[0]
    assert library.presets["strong"].title.startswith("Edited")


@pytest.mark.parametrize("spoil", ["not json", "another format", "another cache format", "a list"])
def test_a_malformed_file_counts_as_absent(shipped: Path, spoil: str, monkeypatch: pytest.MonkeyPatch) -> None:
    table = json.loads(shipped.read_bytes())  # real entries, in a file that must not be used
    if spoil == "not json":
        shipped.write_bytes(shipped.read_bytes()[:-1])
    elif spoil == "a list":
        shipped.write_text(json.dumps([table]))
    else:
        table["format" if spoil == "another format" else "cache"] = "0"
        shipped.write_text(json.dumps(table))
    seen = _parses(monkeypatch)
    load_library(problems=Problems(), base=ROOT / "clauses")
    assert len(seen) > 100  # every text parsed, as without the file


def test_an_entry_of_the_wrong_shape_is_a_miss(shipped: Path) -> None:
    table = json.loads(shipped.read_bytes())
    key = next(iter(table["entries"]))
    table["entries"][key] = {"__date__": 5}
    shipped.write_text(json.dumps(table))
    assert prebuilt.lookup(key) is None


def test_the_wheel_hook_ships_it() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert "[tool.hatch.build.targets.wheel.hooks.custom]" in text
    assert "prebuilt import make" in (ROOT / "hatch_build.py").read_text()


# ---------------------------------------------------------------- compiled templates


@pytest.fixture(scope="module")
def compiled_table() -> bytes:
    return prebuilt.make_compiled(ROOT / "clauses")


@pytest.fixture
def shipped_compiled(compiled_table: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """compiled.json as hatch_build.py makes it, an empty cache, nothing compiled in memory."""
    from drafter import templating

    path = tmp_path / "compiled.json"
    path.write_bytes(compiled_table)
    monkeypatch.setattr(prebuilt, "COMPILED_PATH", path)
    monkeypatch.setattr(prebuilt, "_compiled", None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    templating.clear_memory()
    yield path
    templating.clear_memory()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates compiled from now on (their padded sources)."""
    from drafter import templating

    seen: list[str] = []
    real = templating._compile

    def compile_(env, padded, disk):  # noqa: ANN001, ANN202
        seen.append(padded)
        return real(env, padded, disk)

    monkeypatch.setattr(templating, "_compile", compile_)
    return seen


def _draft_text(state: str = "CA") -> bytes:
    from drafter import core

    answers = {"jurisdiction": {"name": "Sample", "kind": "city", "state": state}, "preset": "strong"}
    return core.build(answers, options={"commentary": "annotated"}).render("md")


def test_a_first_build_compiles_no_builtin_template(shipped_compiled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _compiles(monkeypatch)
    shipped = _draft_text()
    assert seen == []
    # and the draft is the one compiling every template gives
    from drafter import templating

    monkeypatch.setattr(prebuilt, "_compiled", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(shipped_compiled.parent / "other-cache"))
    templating.clear_memory()
    assert _draft_text() == shipped and len(seen) > 50


@pytest.mark.parametrize("spoil", ["not json", "another format", "another key", "not base64"])
def test_a_spoiled_compiled_file_or_entry_is_compiled_again(shipped_compiled: Path, spoil: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    table = json.loads(shipped_compiled.read_bytes())
    if spoil == "not json":
        shipped_compiled.write_bytes(shipped_compiled.read_bytes()[:-1])
    elif spoil == "another format":
        table["format"] = "drafter-compiled-0"
        shipped_compiled.write_text(json.dumps(table))
    elif spoil == "another key":  # as a wheel made with another Python or Jinja would be
        table["entries"] = {f"{name[:-1]}0": value for name, value in table["entries"].items()}
        shipped_compiled.write_text(json.dumps(table))
    else:
        table["entries"] = dict.fromkeys(table["entries"], "!not base64!")
        shipped_compiled.write_text(json.dumps(table))
    seen = _compiles(monkeypatch)
    _draft_text()
    assert len(seen) > 50  # every template compiled, as without the file


def test_the_wheel_hook_ships_compiled_templates() -> None:
    assert "make_compiled" in (ROOT / "hatch_build.py").read_text()
    requires = (ROOT / "pyproject.toml").read_text().split("build-backend")[0]
    assert "jinja2" in requires and "markdown-it-py" in requires
