"""``drafter check`` keeps its results between runs (drafter/check_cache.py): a warm run redoes
nothing for what has not changed, sees every edit, and reports exactly what a full run does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drafter import check_cache, checks
from drafter.checks import run_check
from drafter.resources import builtin_clauses

SEVERABILITY = "structure/severability.md"
EXTRA = """---
id: policing.{name}
title: {title}
area: policing
provisions: [policing.cite-release]
strength: strongest
sources: [nyc-cjra-2016]
summary: {{en: Extra., es: Extra.}}
---
1. A law enforcement agency shall cite and release{text}.

## Commentary

This is commentary.
"""


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    """A copy of the built-in library, checked in place (it has its own taxonomy)."""
    return Path(shutil.copytree(builtin_clauses(), tmp_path / "clauses"))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many clauses had their templates checked and how many drafts were built."""
    calls = {"clauses": 0, "builds": 0}
    templates, build = checks._check_clause_templates, checks.build_document

    def clause_templates(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["clauses"] += 1
        return templates(*args, **kwargs)

    def build_document(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["builds"] += 1
        return build(*args, **kwargs)

    monkeypatch.setattr(checks, "_check_clause_templates", clause_templates)
    monkeypatch.setattr(checks, "build_document", build_document)
    return calls


def checked(lib: Path, counted: dict[str, int]) -> tuple[list, dict[str, int]]:
    """The problems of a cached run, after asserting they are those of a full run; and how
    many clauses and builds the cached run did again."""
    counted.update(clauses=0, builds=0)
    report = run_check(lib)
    done = dict(counted)
    full = run_check(lib, cache=False)
    assert report.problems == full.problems and report.counts == full.counts
    return report.problems, done


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_warm_run_redoes_nothing_and_sees_an_edit_to_one_clause(lib: Path, counted: dict[str, int]) -> None:
    first, done = checked(lib, counted)
    assert done["clauses"] > 40 and done["builds"] == 15  # the first run checks everything
    again, done = checked(lib, counted)
    assert again == first and done == {"clauses": 0, "builds": 0}  # the second reuses it all
    assert not [p for p in first if p.severity == "error"]

    edit(lib / SEVERABILITY, "that holding does not affect", "that holding does not [insert name] affect")
    after, done = checked(lib, counted)
    assert done["clauses"] == 1  # only the edited clause; every preset is built again
    assert done["builds"] == 15
    placeholder = [p for p in after if p.rule == "R-36" and p.path.endswith(SEVERABILITY)]
    assert len(placeholder) == 1 and placeholder[0].severity == "error"
    lines = (lib / SEVERABILITY).read_text(encoding="utf-8").splitlines()
    assert "[insert name]" in lines[placeholder[0].line - 1]  # located in the edited file

    edit(lib / SEVERABILITY, "does not [insert name] affect", "does not affect")  # undo: as before
    undone, done = checked(lib, counted)
    assert undone == first and done == {"clauses": 0, "builds": 0}


def test_library_wide_inputs_recheck_every_clause(lib: Path, counted: dict[str, int]) -> None:
    checked(lib, counted)
    clauses = run_check(lib).counts["clauses"]

    # an authority a clause cites becomes unverified: the clause says so on the warm run
    authorities = lib / "authorities.yaml"
    text = authorities.read_text(encoding="utf-8")
    start = text.index("- id: printz-v-us-1997")
    at = text.index("verified: true", start)
    authorities.write_text(text[:at] + "verified: false" + text[at + len("verified: true"):], encoding="utf-8")
    found, done = checked(lib, counted)
    assert done["clauses"] == clauses
    assert any(p.message == "cites unverified authority 'printz-v-us-1997'"
               and p.path.endswith("detainers/no-holds.md") for p in found)

    # a definition changes (a new form of its term): every clause's use of terms is read again
    edit(lib / "definitions" / "street-vendor.md", "forms: [street vendors]",
         "forms: [street vendors, vendor]")
    _found, done = checked(lib, counted)
    assert done["clauses"] == clauses

    # the taxonomy changes
    edit(lib / "taxonomy.yaml", "loopholes:", "loopholes:\n  loophole.made-up: A made-up loophole.")
    _found, done = checked(lib, counted)
    assert done["clauses"] == clauses


def test_a_ref_target_that_appears_or_goes_is_seen(lib: Path, counted: dict[str, int]) -> None:
    (lib / "policing" / "extra.md").write_text(
        EXTRA.format(name="extra", title="Extra", text=' (see {{ ref("policing.later") }})'), encoding="utf-8")
    before, done = checked(lib, counted)
    missing = "ref('policing.later'): no clause or variant group has that id"
    assert any(missing in p.message and p.path.endswith("policing/extra.md") for p in before)

    (lib / "policing" / "later.md").write_text(EXTRA.format(name="later", title="Later", text=""),
                                               encoding="utf-8")
    after, done = checked(lib, counted)
    assert not any(missing in p.message for p in after)
    assert done["clauses"] == 2  # the new clause and the one whose ref() it answers

    (lib / "policing" / "later.md").unlink()
    again, done = checked(lib, counted)
    assert again == before and done["clauses"] == 1


def test_no_cache_and_drafter_no_cache_run_everything(lib: Path, counted: dict[str, int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    run_check(lib)
    counted.update(clauses=0, builds=0)
    run_check(lib, cache=False)
    assert counted["clauses"] > 40 and counted["builds"] == 15
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    counted.update(clauses=0, builds=0)
    run_check(lib)
    assert counted["clauses"] > 40 and counted["builds"] == 15


def test_a_forged_or_malformed_entry_is_a_miss(lib: Path, counted: dict[str, int]) -> None:
    first, _ = checked(lib, counted)
    from drafter import parse_cache

    folder, _secret = parse_cache._folder()
    entries = sorted(folder.glob("*.check"))
    assert entries
    for path in entries:  # flip a byte of every stored result: none may be believed
        raw = bytearray(path.read_bytes())
        raw[-2] ^= 1
        path.write_bytes(bytes(raw))
    again, done = checked(lib, counted)
    assert again == first and done["builds"] == 15 and done["clauses"] > 40
    assert check_cache.load_problems([["a.md", 1, 1, "m", "", "error", "", ""]])[0].path == "a.md"
    with pytest.raises(ValueError):
        check_cache.load_problems([["a.md", "1", 1, "m", "", "error", "", ""]])
    with pytest.raises(ValueError):
        check_cache.load_problems([["a.md", 1, 1, "m", "", "fatal", "", ""]])


def test_library_digest_knows_every_field_of_library(lib: Path) -> None:
    """A new kind of library data must be added to the preset builds' key, not left out."""
    from drafter.errors import Problems
    from drafter.library import load_library

    library = load_library(None, Problems(), base=lib)
    prints = {cid: check_cache.entry_fingerprint(c) for cid, c in library.clauses.items()}
    digest = check_cache.library_digest(library, prints)
    edit(lib / "states" / "CA.yaml", "name: California Values Act (SB 54)", "name: California Values Act")
    changed = load_library(None, Problems(), base=lib)
    assert check_cache.library_digest(changed, prints) != digest
