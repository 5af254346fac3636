"""State law applied where a draft is decided: bans, mandates, floors, effective dates.

The first half uses a made-up rule in an overlay library, so each mechanism is tested on
its own; the second half checks the real rules for every state and DC against every preset.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafter import api
from drafter.errors import DrafterError, Problems
from drafter.library import Library, load_library
from drafter.models import US_STATES
from drafter.render import build_document
from drafter.resolve import load_answers, resolve

from .conftest import ROOT, write_tree

RULE = """
state: TX
name: Texas
as_of: 2026-11-29
stance: restrictive
summary: A test rule.
laws:
  - authority: test-ban-law
    effective: 2017-09-01
    summary: Forbids limits on detainers and status questions.
    penalties:
      - who: officials
        what: Removal from office.
  - authority: test-mandate-law
    effective: 2026-01-01
    summary: Requires sheriffs who run jails to seek 287(g) agreements.
bans:
  - law: test-ban-law
    provisions: [detainer.no-hold, detainer.no-287g]
    passages: [policing.fair-impartial#status-questions]
    note: It forbids limits on detainers.
mandates:
  - law: test-mandate-law
    applies_to: [county]
    jail_only: true
    duty: The sheriff must seek a 287(g) agreement every year.
    duty_es: El sheriff tiene que pedir un acuerdo 287(g) cada año.
    contradicts:
      passages: [structure.forum#agreements]
note: Made up for tests.
authorities:
  - id: test-ban-law
    kind: state-law
    name: Test Ban Act
    citation: Test Code 1
    year: 2017
    jurisdiction: Texas
    holding_or_summary: A made-up law for tests.
    verified_source: none
    verified: false
  - id: test-mandate-law
    kind: state-law
    name: Test Mandate Act
    citation: Test Code 2
    year: 2025
    jurisdiction: Texas
    holding_or_summary: A made-up law for tests.
    verified_source: none
    verified: false
"""

FLOOR = """
state: CA
name: California
as_of: 2026-11-29
stance: protective
summary: A test floor.
laws:
  - authority: test-floor-law
    effective: 2018-01-01
    summary: Forbids holds on detainers.
floors:
  - law: test-floor-law
    covers: [detainer.no-hold]
    below: [detainers.holds-conviction-limited, detainers.holds-reimbursed]
    note: State law forbids holds on detainers with no conviction exception.
note: Made up for tests.
authorities:
  - id: test-floor-law
    kind: state-law
    name: Test Floor Act
    citation: Test Code 3
    year: 2017
    jurisdiction: California
    holding_or_summary: A made-up law for tests.
    verified_source: none
    verified: false
"""

WEAK_PRESET = """
id: weak-holds
title: Weak holds
description: Picks the conviction-hold variant, to test floors.
select: defaults
include: [detainers.holds-conviction-limited]
"""


@pytest.fixture(scope="module")
def overlay(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Library]:
    root = write_tree(tmp_path_factory.mktemp("overlay"),
                      {"states/TX.yaml": RULE, "states/CA.yaml": FLOOR,
                       "presets/weak-holds.yaml": WEAK_PRESET})
    return root, load_library(root)


def _selection(tmp_path: Path, library: Library, *, kind: str, state: str, preset: str = "strongest",
               runs_jail: bool = True, extra: str = "", **kwargs: object):
    text = (f"jurisdiction:\n  name: Springfield\n  kind: {kind}\n  state: {state}\n"
            f"  runs_jail: {'true' if runs_jail else 'false'}\npreset: {preset}\n{extra}"
            "output:\n  date: 2026-11-22\n")
    path = write_tree(tmp_path, {f"{kind}-{state}-{preset}.yaml": text}) / f"{kind}-{state}-{preset}.yaml"
    problems = Problems()
    source = load_answers(path, problems)
    problems.raise_errors()
    return resolve(library, source, **kwargs)


def _text(library: Library, selection) -> str:
    from drafter.writers.markdown import MarkdownWriter

    return MarkdownWriter().render(build_document(library, selection, commentary="annotated"))


def test_a_ban_withholds_clauses_and_passages_and_says_why(tmp_path, overlay) -> None:
    _, library = overlay
    selection = _selection(tmp_path, library, kind="city", state="TX",
                           as_of=dt.date(2026, 11, 29))
    chosen = {c.id for c in selection.clauses}
    assert "detainers.no-holds" not in chosen and "detainers.no-287g" not in chosen
    assert not chosen & {"detainers.holds-conviction-limited", "detainers.holds-reimbursed"}
    text = _text(library, selection)
    assert "State law notice: Texas" in text and "Test Ban Act" in text
    assert "Removal from office" in text  # penalties, and who bears them
    assert "stop, detain, search" in text and "stop, detain, question" not in text
    # The mandate binds counties that run a jail, not cities: the forum's vote stays here.
    assert "approves the proposal by a recorded vote" in text


def test_a_mandate_removes_what_contradicts_it_only_where_it_binds(tmp_path, overlay) -> None:
    _, library = overlay
    county = _selection(tmp_path, library, kind="county", state="TX", as_of=dt.date(2026, 11, 29))
    text = _text(library, county)
    assert "approves the proposal by a recorded vote" not in text
    assert "The sheriff must seek a 287(g) agreement every year." in text
    assert "structure.forum" in county.changes
    no_jail = _selection(tmp_path, library, kind="county", state="TX", runs_jail=False,
                         as_of=dt.date(2026, 11, 29))
    assert "structure.forum" not in no_jail.changes


def test_the_law_of_the_draft_date_applies_and_later_laws_are_warned(tmp_path, overlay) -> None:
    _, library = overlay
    before = _selection(tmp_path, library, kind="county", state="TX", as_of=dt.date(2025, 6, 1))
    after = _selection(tmp_path, library, kind="county", state="TX", as_of=dt.date(2026, 11, 29))
    assert set(after.barred) - set(before.barred) == {"structure.forum#agreements"}
    assert any("takes effect on January 1, 2026" in w.message for w in before.warnings)
    assert "approves the proposal by a recorded vote" in _text(library, before)


def test_allow_preempted_keeps_everything_with_a_boxed_warning(tmp_path, overlay) -> None:
    _, library = overlay
    selection = _selection(tmp_path, library, kind="county", state="TX", allow_preempted=True,
                           as_of=dt.date(2026, 11, 29))
    assert "detainers.no-holds" in {c.id for c in selection.clauses}
    assert "This draft was built with --allow-preempted" in _text(library, selection)


def test_a_preset_below_a_floor_gets_the_stronger_variant(tmp_path, overlay) -> None:
    _, library = overlay
    selection = _selection(tmp_path, library, kind="county", state="CA", preset="weak-holds")
    chosen = {c.id for c in selection.clauses}
    assert "detainers.holds-conviction-limited" not in chosen and "detainers.no-holds" in chosen
    assert "Test Floor Act" in " ".join(selection.changes["detainers.no-holds"])
    # The same preset elsewhere keeps the variant it picked.
    elsewhere = _selection(tmp_path, library, kind="city", state="VT", preset="weak-holds")
    assert "detainers.holds-conviction-limited" in {c.id for c in elsewhere.clauses}


def test_including_a_clause_below_a_floor_is_an_error_naming_the_statute(tmp_path, overlay) -> None:
    _, library = overlay
    extra = "include: [detainers.holds-conviction-limited]\n"
    with pytest.raises(DrafterError) as caught:
        _selection(tmp_path, library, kind="county", state="CA", extra=extra)
    problem = caught.value.problems[0]
    assert "Test Floor Act" in problem.message and problem.line == 7
    assert "--below-floor" in problem.hint
    kept = _selection(tmp_path, library, kind="county", state="CA", extra=extra, below_floor=True)
    assert "detainers.holds-conviction-limited" in {c.id for c in kept.clauses}
    assert "goes below state law" in _text(library, kept)


def test_fact_sheets_never_promise_a_withheld_passage(tmp_path, overlay) -> None:
    from drafter.factsheet import factsheet_document
    from drafter.writers.markdown import MarkdownWriter

    _, library = overlay
    county = _selection(tmp_path, library, kind="county", state="TX", preset="preemption-safe",
                        as_of=dt.date(2026, 11, 29))
    ordinance = build_document(library, county, commentary="none")
    english = MarkdownWriter().render(factsheet_document(library, county, ordinance, "en"))
    spanish = MarkdownWriter().render(factsheet_document(library, county, ordinance, "es"))
    assert "without a public meeting and a vote" not in english
    assert "The sheriff must seek a 287(g) agreement every year." in english
    assert "El sheriff tiene que pedir un acuerdo 287(g) cada año." in spanish
    assert "immigration status" not in english.split("How to get involved")[0].split("stop, search")[-1][:80]


def test_cli_as_of_and_states_commands(tmp_path, overlay, runner) -> None:
    from drafter.cli import cli

    root, _ = overlay
    answers = write_tree(tmp_path, {"a.yaml": "jurisdiction:\n  name: Travis\n  kind: county\n"
                                              "  state: TX\n  runs_jail: true\n"}) / "a.yaml"
    old = runner.invoke(cli, ["build", str(answers), "--library", str(root), "-o",
                              str(tmp_path / "old.md"), "--as-of", "2025-06-01"])
    new = runner.invoke(cli, ["build", str(answers), "--library", str(root), "-o",
                              str(tmp_path / "new.md"), "--as-of", "2026-11-29"])
    assert old.exit_code == 0 and new.exit_code == 0, old.output + new.output
    assert "approves the proposal by a recorded vote" in (tmp_path / "old.md").read_text()
    assert "approves the proposal by a recorded vote" not in (tmp_path / "new.md").read_text()
    bad = runner.invoke(cli, ["build", str(answers), "--as-of", "2026-13-01", "-o", str(tmp_path / "x.md")])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    shown = runner.invoke(cli, ["states", "show", "Texas", "--library", str(root)])
    assert shown.exit_code == 0 and "Test Mandate Act" in shown.output and "Bans" in shown.output
    typo = runner.invoke(cli, ["states", "show", "Texsa", "--library", str(root)])
    assert typo.exit_code == 1 and "did you mean Texas" in typo.output


# ---------------------------------------------------------------- the real rules

STATES = sorted(c for c in US_STATES if c != "PR")
TODAY = dt.date(2026, 11, 29)


def test_every_state_and_dc_has_a_rule(library: Library) -> None:
    assert sorted(library.states) == STATES


def _withheld_clause(library: Library, selection, cid: str) -> bool:
    barred = set(selection.barred)
    clause = library.clauses[cid]
    return cid in barred or bool(clause.meta.provisions and clause.meta.provisions[0] in barred)


def local_kinds(library: Library, state: str) -> list[str]:
    """A city (or town) and a county (or parish) of the state, as far as it has them."""
    have = [k for k in ("city", "town", "county", "parish") if library.forms[k].for_state(state).exists]
    city = next(k for k in have if k in ("city", "town"))
    county = next((k for k in have if k in ("county", "parish")), None)
    return [city, county] if county else [city]


@pytest.mark.parametrize("state", STATES)
def test_every_preset_respects_bans_mandates_and_floors(tmp_path: Path, library: Library,
                                                        state: str) -> None:
    rule = library.states[state]
    for kind in local_kinds(library, state):
        for preset in sorted(library.presets):
            selection = _selection(tmp_path, library, kind=kind, state=state, preset=preset,
                                   as_of=TODAY)
            chosen = [c.id for c in selection.clauses]
            outcome = selection.state
            for cid in chosen:
                assert not _withheld_clause(library, selection, cid), (state, kind, preset, cid)
                assert cid not in outcome.below, (state, kind, preset, cid)
            for ban in rule.bans:
                law = next(x for x in rule.laws if x.authority == ban.law)
                if (ban.effective or law.effective) <= TODAY and law.status not in ("enjoined", "repealed"):
                    assert set(ban.passages) <= set(selection.barred)
            for mandate in outcome.mandates:
                assert set(mandate.contradicts.passages) <= set(selection.barred)
                assert not set(mandate.contradicts.clauses) & set(chosen)
            if preset == "preemption-safe":
                assert not selection.withheld, (state, kind, selection.withheld)
            if preset == "strongest":  # the strongest variant the state allows, in every group
                rank = {"strongest": 0, "strong": 1, "baseline": 2}
                for cid in chosen:
                    group = library.clauses[cid].meta.variant_of
                    if not group:
                        continue
                    stronger = [m for m in library.variant_groups()[group]
                                if rank[m.meta.strength] < rank[library.clauses[cid].meta.strength]
                                and not _withheld_clause(library, selection, m.id)
                                and m.id not in outcome.below]
                    assert not stronger, (state, kind, cid, [m.id for m in stronger])


@pytest.mark.parametrize("state", ["CA", "IL"])
def test_protective_states_never_hold_anyone_on_a_detainer(tmp_path, library, state) -> None:
    for preset in sorted(library.presets):
        chosen = {c.id for c in _selection(tmp_path, library, kind="county", state=state,
                                           preset=preset, as_of=TODAY).clauses}
        assert not chosen & {"detainers.holds-conviction-limited", "detainers.holds-reimbursed"}, preset


@pytest.mark.parametrize("state", ["TX", "FL"])
def test_287g_mandate_states_get_nothing_that_restricts_287g(tmp_path, library, state) -> None:
    for preset in sorted(library.presets):
        selection = _selection(tmp_path, library, kind="county", state=state, preset=preset,
                               as_of=TODAY)
        chosen = {c.id for c in selection.clauses}
        assert "detainers.no-287g" not in chosen
        if "structure.forum" in chosen:
            assert "structure.forum#agreements" in selection.barred
        assert selection.state.mandates, "the sheriff's duty must be stated"
    text = _text(library, selection)
    notice = text.split("State law notice:")[1].split("\n\n")[0]
    assert "What state law still requires here." in notice and "287(g)" in notice


def test_as_of_dates_differ_exactly_where_a_law_took_effect(tmp_path, library) -> None:
    early, late = dt.date(2025, 6, 1), TODAY
    moved = []
    for state in STATES:
        rule = library.states[state]
        laws = {law.authority: law for law in rule.laws}
        changed = set()
        for item in [*rule.bans, *[m for m in rule.mandates if {"county", "parish"} & set(m.applies_to)]]:
            when = item.effective or laws[item.law].effective
            targets = item if hasattr(item, "provisions") else item.contradicts
            if early < when <= late and laws[item.law].status not in ("enjoined", "repealed"):
                changed |= {*targets.provisions, *targets.clauses, *targets.passages}
        kind = local_kinds(library, state)[-1]
        before = _selection(tmp_path, library, kind=kind, state=state, as_of=early)
        after = _selection(tmp_path, library, kind=kind, state=state, as_of=late)
        assert set(after.barred) ^ set(before.barred) <= changed, state
        if changed - set(before.barred):
            assert set(after.barred) != set(before.barred), state
            moved.append(state)
    assert "NH" in moved, moved  # HB 511 and SB 62 took effect on January 1, 2026
    # Texas SB 8 (in force January 1, 2026) removes nothing SB 4 had not already removed, but the
    # sheriff's new duty appears in the notice of the later draft only.
    texts = [_text(library, _selection(tmp_path, library, kind="county", state="TX", as_of=day))
             for day in (early, late)]
    duties = [t.split("What state law still requires here.**")[1].split("\n")[0] for t in texts]
    assert "287(g)" not in duties[0] and "287(g)" in duties[1]


def test_state_law_doc_is_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_state_docs", ROOT / "scripts" / "make_state_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "state-law.md").read_text(encoding="utf-8") == module.render(), \
        "run: python scripts/make_state_docs.py"


def test_every_state_rule_names_known_authorities(library: Library) -> None:
    for code, rule in library.states.items():
        for law in rule.laws:
            assert law.authority in library.authorities, (code, law.authority)


def test_an_unknown_authority_in_a_state_rule_is_a_located_error(tmp_path: Path) -> None:
    broken = RULE.replace("  - authority: test-ban-law", "  - authority: no-such-law").replace(
        "  - law: test-ban-law", "  - law: no-such-law")
    root = write_tree(tmp_path, {"states/TX.yaml": broken})
    with pytest.raises(DrafterError) as caught:
        load_library(root)
    messages = [(p.path, p.line, p.message) for p in caught.value.problems]
    assert any("no-such-law" in m and line > 0 for _, line, m in messages), messages


def test_every_mandate_says_its_duty_in_spanish(library: Library) -> None:
    # The Spanish fact sheet prints duty_es; without it a Spanish reader would get no duty at all.
    missing = [(code, m.duty[:40]) for code, rule in library.states.items() for m in rule.mandates
               if not m.duty_es.strip()]
    assert not missing


def test_api_lists_every_state() -> None:
    rows = api.list_states()
    assert [r["state"] for r in rows] == STATES


PASSAGE_TEXT = {  # words only the passage puts in the draft
    "policing.fair-impartial#status-questions": "stop, detain, question",
    "structure.forum#agreements": "approves the proposal by a recorded vote",
}


@pytest.mark.parametrize("state", [s for s in STATES if s in {"TX", "FL", "GA", "AZ", "TN", "AL", "NH", "IN"}])
def test_built_text_never_contains_a_withheld_passage(tmp_path: Path, library: Library, state: str) -> None:
    kind = local_kinds(library, state)[-1]
    selection = _selection(tmp_path, library, kind=kind, state=state, preset="preemption-safe", as_of=TODAY)
    text = _text(library, selection)
    body = text.split("Left out of this draft.")[-1]
    for passage, words in PASSAGE_TEXT.items():
        if passage in selection.barred:
            assert words not in body, (state, passage)
    for mandate in selection.state.mandates:
        assert mandate.duty in text  # what still binds the county is in the draft itself


def test_every_state_with_a_law_in_force_names_it_in_the_notice(library: Library) -> None:
    """A county's lawyer learns from the notice which state laws apply, even a law that changes
    nothing in the draft (Nevada's model policies); a state with no such law gets one line saying
    that state law was checked, when, and what was found."""
    import drafter
    from drafter.render import state_checked, state_warnings

    for code, rule in sorted(library.states.items()):
        draft = drafter.build({"jurisdiction": {"name": "Test City", "kind": "city", "state": code}},
                              library=library, options={"date": "2026-11-29"})
        notice = " ".join(run.text for para in state_warnings(library, draft.selection) for run in para.runs)
        in_force = [law for law in rule.laws if law.effective <= dt.date(2026, 11, 29) and law.status != "repealed"]
        for law in in_force:
            assert library.authorities[law.authority].name in notice, (code, law.authority)
        checked = " ".join(run.text for para in state_checked(draft.selection) for run in para.runs)
        if not rule.laws:
            assert notice == "", code  # nothing to warn of: no red box
            assert checked.startswith(f"State law checked: {rule.name}."), code
            assert rule.summary in checked and f"State law checked: {rule.name}." in draft.render("md").decode(), code
            assert "as of 20" in rule.summary, f"{code}: the one line must say when state law was checked"
        else:
            assert checked == "", code
