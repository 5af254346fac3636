"""Jurisdiction forms (templates/jurisdictions): every state's city, county and other kinds
name the right body, executive, clerk and legal officer everywhere, driven from the data.

Drafts are built in-process (one loaded library, Markdown, no commentary) so the ~150
builds stay fast.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from drafter.core import answers_from_mapping
from drafter.library import load_library
from drafter.models import KINDS, US_STATES, JurisdictionAnswers
from drafter.render import build_document, enactment, form_text
from drafter.resolve import resolve
from drafter.writers.markdown import MarkdownWriter

LIBRARY = load_library()
STATES = sorted(s for s in US_STATES if s != "PR")
EXTRA_KINDS = ("town", "village", "borough", "township", "parish", "city-and-county", "state")


def _exists(kind: str, state: str) -> bool:
    return LIBRARY.forms[kind].for_state(state).exists


def build(jurisdiction: dict[str, Any], commentary: str = "none", **answers: Any) -> tuple[str, Any]:
    data = {"jurisdiction": jurisdiction, "output": {"date": dt.date(2026, 11, 22)}, **answers}
    source = answers_from_mapping(data, name="test.yaml")
    selection = resolve(LIBRARY, source, allow_preempted=True)
    document = build_document(LIBRARY, selection, commentary=commentary)
    return MarkdownWriter().render(document), selection


def _plain(markdown: str) -> str:
    return markdown.replace("\\_", "_").replace("\\", "")


def cases() -> list[tuple[str, str]]:
    out = []
    for state in STATES:
        for kind in ("city", "county", *EXTRA_KINDS):
            if _exists(kind, state):
                out.append((state, kind))
    return out


@pytest.mark.parametrize(("state", "kind"), cases(), ids=lambda v: v)
def test_names_the_right_officers(state: str, kind: str) -> None:
    name = "Springfield" if kind != "state" else US_STATES[state]
    text, selection = build({"name": name, "kind": kind, "state": state})
    plain = _plain(text)
    form = LIBRARY.forms[kind].for_state(state)

    def fill(value: str) -> str:
        return form_text(value, form, name, state)

    body = fill(form.governing_body)
    full = fill(form.full_name)
    title = plain.split("\n# ", 1)[1].split("\n", 1)[0]
    assert title.startswith("A") and full.upper() in title.upper() or kind == "state"
    if kind != "state":
        # where the voters enact, the title names the town alone (as a warrant article does)
        assert (body.upper() in title.upper()) != form.voters_enact, title
    enacting = fill(form.enacting_clause).rstrip(":,. ")
    assert enacting.lower()[5:] in plain.lower(), enacting
    signature = plain.rsplit(form.tally[-1], 1)[1]
    if form.chambers:
        for chamber in form.chambers:
            assert f"PASSED by the {chamber.name}" in plain
            assert fill(chamber.presiding_officer) in signature
            assert fill(chamber.clerk) in signature
        assert "Governor" in signature
        assert "model ordinance" not in plain.lower()
        assert "ordinance" not in title.lower()
    else:
        assert fill(form.vote).split(" on ")[0] in plain
        assert fill(form.presiding_officer) in signature
        assert fill(form.clerk) in signature
    if form.legal_officer:
        assert "APPROVED AS TO FORM:" in signature and fill(form.legal_officer) in signature
    else:
        assert "APPROVED AS TO FORM" not in signature
    executive = fill(form.executive)
    if executive and executive != fill(form.presiding_officer):
        assert executive in signature
    # no other body's name where this one belongs
    others = {fill_other for k, f in LIBRARY.forms.items() for s in [state]
              for fill_other in [form_text(f.for_state(s).governing_body, f.for_state(s), name, s)]
              if k != kind} - {body}
    for other in others:
        if other in body or len(other.split()) < 2:
            continue
        assert f"{other} of the" not in plain, f"{other} in a {kind} draft"
    # names drafter never checked are said to be unchecked: in the draft always, on the console
    # for every kind but a city (whose usual council, mayor, clerk and attorney seldom mislead)
    unchecked = [w.message for w in selection.warnings if "has not checked against" in w.message]
    assert ("Names not checked:" in plain) == (not form.verified), (state, kind)
    assert bool(unchecked) == (not form.verified and kind != "city"), (state, kind)
    if unchecked:
        assert body in unchecked[0] and fill(form.clerk) in unchecked[0], unchecked


def test_naming_the_body_and_officers_in_the_answers_file_clears_the_unchecked_names() -> None:
    state = next(s for s in STATES if _exists("county", s) and not LIBRARY.forms["county"].for_state(s).verified)
    place = {"name": "Sedgwick", "kind": "county", "state": state}
    text, selection = build(place)
    assert "Names not checked:" in _plain(text)
    assert any(f"not checked against {US_STATES[state]} law" in w.message for w in selection.warnings)
    named = {**place, "governing_body": "Board of Supervisors", "clerk": "County Auditor",
             "legal_officer": "County Counselor"}
    text, selection = build(named)
    assert "Names not checked:" not in _plain(text) and "County Counselor" in _plain(text)
    assert not any("not checked against" in w.message for w in selection.warnings)
    # naming only the body leaves the clerk and the legal officer unchecked
    text, selection = build({**place, "governing_body": "Board of Supervisors"})
    assert "Names not checked:" in _plain(text)


def test_a_brace_in_an_answers_file_name_is_text_not_a_placeholder() -> None:
    text, _ = build({"name": "Oakland", "kind": "city", "state": "CA", "governing_body": "City {Council}",
                     "clerk": "Clerk {name}"})
    assert "City {Council} of the City of Oakland" in _plain(text) and "Clerk {name}" in _plain(text)


# clauses whose reports, audits, certifications or findings go to whoever oversees the law
REPORTED_TO_OVERSIGHT = ["access.officer-identification", "access.officer-identification-local",
                         "detainers.federal-beds-immigration",
                         "detainers.federal-beds-reporting", "information.database-access",
                         "information.surveillance-contracts", "information.surveillance-end",
                         "policing.fair-impartial", "structure.forum", "structure.implementation",
                         "structure.independent-complaints", "structure.reporting"]


@pytest.mark.parametrize(("state", "kind"), [("NM", "state"), ("CT", "town"), ("MA", "town")])
def test_reports_go_to_the_body_that_oversees_the_law_not_to_a_legislature_or_town_meeting(
        state: str, kind: str) -> None:
    form = LIBRARY.forms[kind].for_state(state)
    body, oversight = form.governing_body, form.oversight_body
    assert oversight and oversight != body
    name = US_STATES[state] if kind == "state" else "Guilford"
    for clause in REPORTED_TO_OVERSIGHT:
        if kind not in LIBRARY.clauses[clause].meta.applies_to:
            continue
        text, _ = build({"name": name, "kind": kind, "state": state}, commentary="annotated",
                        include=[clause])
        anchor = f'<a id="sec-{clause.replace(".", "-")}"></a>'
        section = _plain(text).split(anchor, 1)[1].split('<a id="sec-', 1)[0]
        assert f"the {oversight}" in section, clause
        for sentence in re.split(r"(?<=\.) ", section):
            if re.search(r"\b(report|certif|findings|forum)", sentence):
                assert f"to the {body}" not in sentence and f"The {body} holds" not in sentence, sentence


def test_known_bugs_fixed() -> None:
    text, _ = build({"name": "Fresno", "kind": "county", "state": "CA"})
    assert "Board of Commissioners" not in text and text.count("Board of Supervisors") > 3
    text, _ = build({"name": "Brattleboro", "kind": "town", "state": "VT"})
    assert "Mayor" not in _plain(text).rsplit("ABSENT", 1)[1] and "Selectboard" in text
    text, _ = build({"name": "Sangamon County", "kind": "county", "state": "IL"})
    assert "State's Attorney" in text and "County Attorney" not in text
    assert "County of Sangamon County" not in text and "County of Sangamon" in text
    text, _ = build({"name": "Jefferson", "kind": "parish", "state": "LA"})
    assert "Police Jury of the Parish of Jefferson" in text and "District Attorney" in text
    signature = _plain(build({"name": "Cumberland", "kind": "county", "state": "ME"})[0]).rsplit("ABSENT", 1)[1]
    assert "Clerk to the County Commissioners" in signature and "County Attorney" not in signature
    text = build({"name": "Manchester", "kind": "city", "state": "NH"})[0]
    assert "be it ordained by the Board of Mayor and Aldermen of the City of Manchester" in text
    assert "City Council" not in text


def _legislates_otherwise() -> list[tuple[str, str]]:
    """Jurisdictions whose body enacts something other than an ordinance (a resolution, a local law, a
    state's statute)."""
    return [(state, kind) for state, kind in cases()
            if LIBRARY.forms[kind].for_state(state).instrument.lower() != "ordinance"]


@pytest.mark.parametrize(("state", "kind"), _legislates_otherwise(), ids=lambda v: v)
def test_a_body_that_legislates_by_resolution_is_never_told_to_act_by_ordinance(state: str, kind: str) -> None:
    # the cite-and-release list a body may extend, in the strongest preset that has it
    plain = _plain(build({"name": "Springfield", "kind": kind, "state": state}, preset="strongest")[0])
    instrument = enactment(LIBRARY.forms[kind].for_state(state).instrument, kind)  # "resolution", "statute"
    assert not re.search(r"\bby ordinance\b|\bthis ordinance\b|\ban ordinance that\b", plain, re.I)
    if "adds to this section by" in plain:  # the cite-and-release list, where the preset has it
        assert f"adds to this section by {instrument}." in plain
    assert f"adds to this definition by {instrument}." in plain


def test_kansas_counties_legislate_by_resolution() -> None:
    plain = _plain(build({"name": "Douglas", "kind": "county", "state": "KS"}, preset="strongest")[0])
    assert "RESOLUTION NO." in plain
    assert "be it resolved by the board of county commissioners of douglas county, kansas" in plain.lower()
    assert "by resolution adopted after public notice and hearing" in plain


@pytest.mark.parametrize("kind", KINDS)
def test_no_doubled_kind_words(kind: str) -> None:
    state = {"parish": "LA", "borough": "PA", "township": "MI"}.get(kind, "CA")
    word = {"city-and-county": "City and County", "state": "State"}.get(kind, kind.title())
    typed = f"{word} of Testville" if kind not in ("county", "parish") else f"Testville {word}"
    text, _ = build({"name": typed, "kind": kind, "state": state,
                     "code": {"title": "Title 2", "chapter": "Chapter 45",
                              "chapter_title": "Sanctuary"}})
    upper = _plain(text).upper()
    for doubled in ("CITY OF CITY", "COUNTY OF TESTVILLE COUNTY", "CHAPTER CHAPTER",
                    "TITLE TITLE", "PARISH OF TESTVILLE PARISH", "TOWN OF TOWN",
                    "STATE OF STATE", "SECTION CHAPTER"):
        assert doubled not in upper
    assert not re.search(r"CHAPTER 45\.0\d0", upper) or "CHAPTER 45.010" not in upper


@pytest.mark.parametrize(("typed", "kind", "name"), [
    ("City of Oakland", "city", "Oakland"), ("Sangamon County", "county", "Sangamon"),
    ("Kansas City", "city", "Kansas City"), ("Springfield, Illinois", "city", "Springfield"),
    ("Jefferson Parish", "parish", "Jefferson"), ("State of New Mexico", "state", "New Mexico"),
])
def test_normalized_names(typed: str, kind: str, name: str) -> None:
    state = {"Springfield, Illinois": "IL", "Jefferson Parish": "LA",
             "State of New Mexico": "NM"}.get(typed, "CA")
    parsed = JurisdictionAnswers.model_validate({"name": typed, "kind": kind, "state": state})
    assert parsed.name == name and parsed.kind == kind


def test_name_and_kind_disagree() -> None:
    with pytest.raises(ValueError, match="says town but kind is city"):
        JurisdictionAnswers.model_validate({"name": "Town of X", "kind": "city", "state": "VT"})


def test_chapter_prefix_stripped() -> None:
    parsed = JurisdictionAnswers.model_validate(
        {"name": "X", "kind": "city", "state": "CA",
         "code": {"title": "Title 2", "chapter": "Chapter 45", "chapter_title": "T"}})
    assert parsed.code is not None and (parsed.code.title, parsed.code.chapter) == ("2", "45")


def test_agency_names_used() -> None:
    text, _ = build({"name": "Cook", "kind": "county", "state": "IL",
                     "sheriff": "Cook County Sheriff's Office",
                     "agencies": ["Cook County Adult Probation Department"]})
    covered = text.split('"Covered agency" means', 1)[1].split('\n\n(', 1)[0]
    assert "Cook County Sheriff's Office" in covered
    assert "Cook County Adult Probation Department" in covered


def test_state_bill_reaches_local_agencies_and_duties_fall_on_executive() -> None:
    text, _ = build({"name": "New Mexico", "kind": "state", "state": "NM"})
    plain = _plain(text)
    covered = plain.split('"Covered agency" means', 1)[1][:1500]
    assert "sheriff" in covered and "jail" in covered and "local police" in covered
    assert "The Legislature shall hold" not in plain
    assert "Attorney General shall hold at least one public community forum" in plain
    assert plain.count("PASSED by the") == 2 and "Governor" in plain
    assert "model ordinance" not in plain.lower()


def test_every_state_has_a_state_form_and_sources_are_recorded() -> None:
    state = LIBRARY.forms["state"]
    for code in STATES:
        if code == "DC":
            continue
        assert code in state.by_state, code
    for form in LIBRARY.forms.values():
        for code, entry in form.by_state.items():
            assert not entry.verified or entry.source, (form.kind, code)


def test_a_state_names_the_one_county_whose_form_differs() -> None:
    # Kent County, Delaware is governed by the Levy Court (9 Del. C. ch. 41); the other two by a council.
    kent, _ = build({"name": "Kent County", "kind": "county", "state": "DE"})
    assert "Levy Court of the County of Kent" in _plain(kent) and "County Council" not in kent
    assert "County Clerk" in kent
    sussex, _ = build({"name": "Sussex", "kind": "county", "state": "DE"})
    assert "County Council" in sussex and "Levy Court" not in sussex
    assert LIBRARY.forms["county"].for_state("DE", "kent").governing_body == "Levy Court"
    assert LIBRARY.forms["county"].for_state("DE").governing_body == "County Council"
    # Dane County, Wisconsin elects a county executive, who approves or vetoes (Wis. Stat. § 59.17(6)).
    dane, _ = build({"name": "Dane County", "kind": "county", "state": "WI"})
    assert "County Executive" in _plain(dane).rsplit("ABSENT", 1)[1]
    # so does Milwaukee County, by law: every county of 750,000 or more (§ 59.17(1)(a))
    milwaukee, _ = build({"name": "Milwaukee County", "kind": "county", "state": "WI"})
    assert "County Executive" in _plain(milwaukee).rsplit("ABSENT", 1)[1]
    assert LIBRARY.forms["county"].for_state("WI").executive == ""


@pytest.mark.parametrize("places, message", [
    ({"Kent County": {"verified": False}}, "without the kind word"),
    ({"Kent": {"verified": False, "places": {"Dover": {"verified": False}}}}, "cannot list places of its own"),
])
def test_a_place_entry_that_could_never_apply_is_an_error(places: dict[str, Any], message: str) -> None:
    from drafter.models import FormOverride

    with pytest.raises(ValueError, match=message):
        FormOverride.model_validate({"verified": False, "places": places})


@pytest.mark.parametrize(("state", "kind", "name"), [("ME", "town", "Bowdoinham"), ("NH", "town", "Hanover"),
                                                      ("CT", "town", "Guilford"), ("ND", "township", "Elm")])
def test_where_the_voters_enact_the_title_names_the_town_not_its_meeting(state: str, kind: str, name: str) -> None:
    """A warrant article puts "an ordinance of the Town of Bowdoinham" to the voters: the meeting is the
    voters assembled, not a body the town's law belongs to, so the title names the town alone."""
    form = LIBRARY.forms[kind].for_state(state)
    assert form.voters_enact
    text, _ = build({"name": name, "kind": kind, "state": state})
    title = next(line[2:] for line in _plain(text).splitlines() if line.startswith("# ")).lower()
    assert form.governing_body.lower() not in title
    assert f"{form.instrument} of the {kind} of {name}".lower() in title
    council, _ = build({"name": name, "kind": kind, "state": state, "governing_body": "Town Council"})
    assert f"of the town council of the {kind} of {name}".lower() in _plain(council).lower()
    city, _ = build({"name": "Oakland", "kind": "city", "state": "CA"})
    assert "Ordinance of the City Council of the City of Oakland".lower() in _plain(city).lower()
