from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import DrafterError, Problems
from drafter.library import Library
from drafter.resolve import load_answers, resolve

from .conftest import write_tree

BASE = """
jurisdiction:
  name: Springfield
  kind: {kind}
  state: {state}
preset: {preset}
{extra}
"""


def selection_for(tmp_path: Path, library: Library, *, kind: str = "city", state: str = "IL",
                  preset: str = "strongest", extra: str = "", **kwargs: object):
    text = BASE.format(kind=kind, state=state, preset=preset, extra=extra)
    path = write_tree(tmp_path, {"a.yaml": text}) / "a.yaml"
    problems = Problems()
    source = load_answers(path, problems)
    problems.raise_errors()
    return resolve(library, source, **kwargs)


def ids(selection) -> list[str]:
    return [c.id for c in selection.clauses]


def test_strongest_picks_every_default(tmp_path: Path, library: Library) -> None:
    chosen = set(ids(selection_for(tmp_path, library)))
    for group, members in library.variant_groups().items():
        assert [c.id for c in members if c.id in chosen] == [members[0].id], group


def test_include_replaces_the_group_default(tmp_path: Path, library: Library) -> None:
    # Pennsylvania has no state floor on holds, so the weaker variant stands there.
    sel = selection_for(tmp_path, library, state="PA", extra="include: [detainers.holds-reimbursed]")
    assert "detainers.holds-reimbursed" in ids(sel) and "detainers.no-holds" not in ids(sel)


def test_two_variants_of_one_group_is_an_error(tmp_path: Path, library: Library) -> None:
    extra = "include:\n  - detainers.holds-reimbursed\n  - detainers.holds-conviction-limited"
    with pytest.raises(DrafterError) as info:
        selection_for(tmp_path, library, extra=extra)
    [problem] = info.value.problems
    assert problem.line == 8 and "alternatives in variant group" in problem.message


def test_unknown_ids_each_reported(tmp_path: Path, library: Library) -> None:
    extra = "include: [detainers.nope]\nexclude: [policing.nope]"
    with pytest.raises(DrafterError) as info:
        selection_for(tmp_path, library, extra=extra)
    assert sorted(p.line for p in info.value.problems) == [6, 7]


def test_exclude_removes(tmp_path: Path, library: Library) -> None:
    sel = selection_for(tmp_path, library, extra="exclude: [detainers.no-287g]")
    assert "detainers.no-287g" not in ids(sel)


def test_param_errors_are_located(tmp_path: Path, library: Library) -> None:
    extra = ("params:\n  structure.effective-date:\n    effective_days: soon\n"
             "    colour: red\n  policing.nope:\n    x: 1")
    with pytest.raises(DrafterError) as info:
        selection_for(tmp_path, library, extra=extra)
    messages = {p.line: p.message for p in info.value.problems}
    assert "expected a whole number" in messages[8]
    assert "has no parameter 'colour'" in messages[9]
    assert "unknown clause 'policing.nope'" in messages[10]


def test_param_values_are_used(tmp_path: Path, library: Library) -> None:
    extra = "params:\n  structure.effective-date:\n    effective_days: 45"
    sel = selection_for(tmp_path, library, extra=extra)
    assert sel.params["structure.effective-date"]["effective_days"] == 45


def test_preempting_state_withholds_what_it_bans(tmp_path: Path, library: Library) -> None:
    sel = selection_for(tmp_path, library, state="TX")
    banned = {p for ban in library.states["TX"].bans for p in ban.provisions}
    assert banned <= set(sel.barred)
    for clause in sel.clauses:  # a clause whose main protection is barred is withheld
        assert clause.meta.provisions[0] not in sel.barred, clause.id
    assert any("Texas" in w.message for w in sel.warnings)
    kept = selection_for(tmp_path, library, state="TX", allow_preempted=True)
    assert "detainers.no-holds" in ids(kept)


def test_unknown_preset(tmp_path: Path, library: Library) -> None:
    with pytest.raises(DrafterError) as info:
        selection_for(tmp_path, library, preset="bravest")
    assert "unknown preset 'bravest'" in info.value.problems[0].message
    assert info.value.problems[0].line == 5


def test_chapter_layout_needs_a_code_chapter(tmp_path: Path, library: Library) -> None:
    with pytest.raises(DrafterError) as info:
        selection_for(tmp_path, library, extra="output:\n  layout: chapter")
    assert "needs jurisdiction.code" in info.value.problems[0].message


def test_an_office_named_only_by_the_library_is_flagged_until_the_answers_name_it(
        tmp_path: Path, library: Library) -> None:
    """A town's draft must not silently give complaints to an inspector general it may not have:
    the build warns, and the draft's notice names the section and what to do."""
    from drafter import api
    from drafter.models import Param

    town = tmp_path / "t.yaml"
    town.write_text("jurisdiction: {name: Bowdoinham, kind: town, state: ME}\n")
    draft = api.build(answers=town, output=tmp_path / "t.md", formats=["md"])
    warned = [w for w in draft.warnings if "Office of the Inspector General" in w.message]
    assert len(warned) == 1 and "a town may have no such office" in warned[0].message
    assert "complaint_body" in warned[0].hint
    text = (tmp_path / "t.md").read_text()
    assert ("**Office to confirm:** Section 40 names the Office of the Inspector General as the independent "
            "body that receives complaints") in text and "If the Town of Bowdoinham has no such office" in text
    city = tmp_path / "c.yaml"
    city.write_text("jurisdiction: {name: Springfield, kind: city, state: IL}\n")
    draft = api.build(answers=city, output=tmp_path / "c.md", formats=["md"])
    # a city is told in the draft only: on the console every default build would warn
    assert not [w for w in draft.warnings if "Inspector General" in w.message]
    assert "If the City of Springfield has no such office" in (tmp_path / "c.md").read_text()
    named = tmp_path / "n.yaml"
    named.write_text("jurisdiction: {name: Bowdoinham, kind: town, state: ME}\n"
                     "params: {structure.independent-complaints: {complaint_body: Select Board}}\n")
    draft = api.build(answers=named, output=tmp_path / "n.md", formats=["md"])
    assert not [w for w in draft.warnings if "Inspector General" in w.message]
    assert "Office to confirm" not in (tmp_path / "n.md").read_text()
    with pytest.raises(ValueError, match="only a string parameter may have 'names_office'"):
        Param(type="integer", default=3, prompt="Days", names_office="a body")
