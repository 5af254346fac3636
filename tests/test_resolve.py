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
