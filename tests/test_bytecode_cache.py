"""Compiled templates kept between runs (drafter/templating.py, parse_cache.get_blob/put_blob).

A warm run compiles nothing; the stored code is of the guarded (rewritten) template, so every
sandbox limit still trips; an entry that was edited, forged, renamed or truncated is discarded
and never executed; turning the cache off writes nothing.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from drafter import core, limits, parse_cache, templating
from drafter.templating import RenderError, render, undeclared_variables

ROOT = Path(__file__).resolve().parents[1]
LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache folder; nothing compiled in memory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DRAFTER_NO_CACHE", raising=False)
    templating.clear_memory()
    yield tmp_path / "cache" / "drafter" / f"yaml-v{parse_cache.FORMAT}"
    templating.clear_memory()


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jinja"))


class Compiles:
    """Counts compiles (parses of template source) in the shared environment."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        env = templating.environment()
        parse = env.parse

        def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self.count += 1
            return parse(*args, **kwargs)

        monkeypatch.setattr(env, "parse", counting)


def test_a_template_is_compiled_once_and_read_back(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiles = Compiles(monkeypatch)
    source = "{{ jurisdiction.name }} shall {{ verb }}.\n"
    first = render(source, {"jurisdiction": {"name": "Oakland"}, "verb": "act"}, display="a.md")
    assert compiles.count == 1 and len(entries(cache)) == 1
    assert undeclared_variables(source) == {"jurisdiction", "verb"}
    assert compiles.count == 1  # the names came from the compile: no second parse
    templating.clear_memory()  # a new process
    again = render(source, {"jurisdiction": {"name": "Oakland"}, "verb": "act"}, display="a.md")
    assert again == first == "Oakland shall act.\n"
    assert undeclared_variables(source) == {"jurisdiction", "verb"}
    assert compiles.count == 1  # read from disk, not compiled


def test_limits_hold_for_templates_read_from_the_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(2):
        with pytest.raises(RenderError) as info:
            render(LOOP, {}, display="evil.md", first_line=3)
        assert "loops ran more than" in str(info.value) and info.value.problem.line >= 3
        templating.clear_memory()
    compiles = Compiles(monkeypatch)
    with pytest.raises(RenderError, match="loops ran more than"):
        render(LOOP, {}, display="evil.md", first_line=3)
    assert compiles.count == 0  # the guarded code came from disk, and it still counts every step


def test_a_lower_shape_limit_checks_cached_templates_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nested = "{% for a in [1] %}{% for b in [1] %}{% for c in [1] %}x{% endfor %}{% endfor %}{% endfor %}"
    assert render(nested, {}, display="a.md") == "x"
    templating.clear_memory()
    monkeypatch.setattr(limits, "MAX_LOOP_NESTING", 2)
    with pytest.raises(RenderError, match="loops nested more than 2"):
        render(nested, {}, display="a.md")


def _forge(path: Path, code_text: str) -> None:
    """Replace an entry's code with ``code_text``, keeping its old MAC (no key to sign with)."""
    raw = path.read_bytes()
    blob = raw[65:]
    size = int.from_bytes(blob[:4], "big")
    evil = marshal.dumps(compile(code_text, "<template>", "exec"))
    path.write_bytes(raw[:65] + blob[:4 + size] + evil)


def test_a_tampered_entry_is_discarded_never_executed(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = "{{ name }} shall act.\n"
    assert render(source, {"name": "Oakland"}, display="a.md") == "Oakland shall act.\n"
    [entry] = entries(cache)
    monkeypatch.delenv("DRAFTER_PWNED", raising=False)
    _forge(entry, "import os\nos.environ['DRAFTER_PWNED'] = '1'\n"
                  "def root(context, missing=None, environment=None):\n    yield 'PWNED'\n"
                  "blocks = {}\ndebug_info = ''\n")
    templating.clear_memory()
    compiles = Compiles(monkeypatch)
    assert render(source, {"name": "Oakland"}, display="a.md") == "Oakland shall act.\n"
    assert "DRAFTER_PWNED" not in os.environ
    assert compiles.count == 1  # compiled again from the source
    templating.clear_memory()
    assert render(source, {"name": "Oakland"}, display="a.md") == "Oakland shall act.\n"
    assert compiles.count == 1  # and the rewritten entry is good again


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "other-key", "link"])
def test_damaged_entries_are_misses(cache: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    render("{{ a }} one\n", {"a": "x"}, display="a.md")
    render("{{ a }} two\n", {"a": "x"}, display="b.md")
    first = cache / f"{templating._disk_key('{{ a }} one' + chr(10))}.jinja"
    second = cache / f"{templating._disk_key('{{ a }} two' + chr(10))}.jinja"
    assert sorted([first, second]) == entries(cache)
    raw = first.read_bytes()
    if damage == "flip":
        first.write_bytes(raw[:-5] + bytes([raw[-5] ^ 1]) + raw[-4:])
    elif damage == "truncate":
        first.write_bytes(raw[: len(raw) // 2])
    elif damage == "empty":
        first.write_bytes(b"")
    elif damage == "other-key":  # a valid entry copied under another template's key
        first.write_bytes(second.read_bytes())
    else:
        first.unlink()
        first.symlink_to(second)
    templating.clear_memory()
    compiles = Compiles(monkeypatch)
    assert render("{{ a }} one\n", {"a": "x"}, display="a.md") == "x one\n"
    assert compiles.count == 1
    assert not first.is_symlink()


def test_no_cache_writes_no_compiled_templates(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    render("{{ a }}\n", {"a": "x"}, display="a.md")
    assert not cache.exists() or not entries(cache)


def test_a_warm_build_compiles_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = ROOT / "samples" / "oakland-ca.yaml"
    first = core.build(sample).render("md")
    assert len(entries(cache)) > 50
    templating.clear_memory()
    parse_cache.clear_memory()
    compiles = Compiles(monkeypatch)
    assert core.build(sample).render("md") == first
    assert compiles.count == 0
