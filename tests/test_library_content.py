"""The built-in library is complete, tiered and honest (issue: the clause library)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from drafter.core import answers_from_mapping
from drafter.errors import Problems
from drafter.library import Library, load_library
from drafter.render import build_document, format_citation  # noqa: F401
from drafter.resolve import resolve

ROOT = Path(__file__).resolve().parents[1]
TAXONOMY = YAML(typ="safe").load((ROOT / "clauses" / "taxonomy.yaml").read_text())
PROTECTION_AREAS = ("detainers", "information", "access", "policing")
CITE = re.compile(r"""cite\(\s*["']([^"']+)["']\s*\)""")
LOOPHOLE_WORDS = {
    "loophole.conviction-carveout": "conviction carve-out",
    "loophole.reimbursement-condition": "reimbursement condition",
    "loophole.notification-gap": "notification gap",
    "loophole.coverage-gap": "coverage gap",
    "loophole.broad-savings-clause": "broad savings clause",
    "loophole.data-pipeline": "data pipeline",
    "loophole.voluntary-cooperation": "voluntary cooperation",
    "loophole.no-enforcement": "enforcement gap",
    "loophole.non-binding": "non-binding",
}


def test_taxonomy_matches_the_shared_one() -> None:
    """clauses/taxonomy.yaml keeps every id of the shared taxonomy with its wording, and only adds."""
    # The shared taxonomy beside the checkout when there is one, else the copy kept in the
    # tests (so a fresh clone or CI checks the same thing instead of skipping).
    shared = ROOT.parent / "shared" / "taxonomy.yaml"
    if not shared.exists():
        shared = ROOT / "tests" / "data" / "shared-taxonomy.yaml"
    theirs = YAML(typ="safe").load(shared.read_text())
    assert theirs["areas"] and theirs["loopholes"]
    for area, body in theirs["areas"].items():
        assert TAXONOMY["areas"][area]["title"] == body["title"]
        for pid, text in body["provisions"].items():
            assert TAXONOMY["areas"][area]["provisions"].get(pid) == text, pid
    for lid, text in theirs["loopholes"].items():
        assert TAXONOMY["loopholes"].get(lid) == text, lid
    ours = {p for a in TAXONOMY["areas"].values() for p in a["provisions"]}
    assert len(ours) > sum(len(a["provisions"]) for a in theirs["areas"].values())


def test_every_provision_is_carried(library: Library) -> None:
    provisions = {p for area in TAXONOMY["areas"].values() for p in area["provisions"]}
    assert len(provisions) >= 45  # the shared 39 and the 2025-2026 measures
    carried = {p for c in library.clauses.values() for p in c.meta.provisions}
    assert provisions - carried == set()
    assert len(library.clauses) >= 45


def test_strength_tiers_and_variant_groups(library: Library) -> None:
    for area in PROTECTION_AREAS:
        tiers = {c.meta.strength for c in library.clauses.values() if c.meta.area == area}
        assert len(tiers) >= 2, area
    groups = library.variant_groups()
    assert len(groups) >= 4
    for required in ("detainer-refusal", "release-information", "savings-clause",
                     "detainee-interviews", "cite-release"):
        assert required in groups


@pytest.mark.parametrize("clause_id", sorted(load_library().clauses))
def test_each_clause_is_complete(library: Library, clause_id: str) -> None:
    clause = library.clauses[clause_id]
    meta = clause.meta
    assert len(clause.commentary.split()) >= 120, "commentary under 120 words"
    assert meta.authorities or meta.sources
    assert meta.summary.en.strip() and meta.summary.es.strip()
    for authority in (*meta.authorities, *meta.sources, *CITE.findall(clause.commentary)):
        assert authority in library.authorities, authority
    if meta.variant_of and meta.strength != "strongest":
        for loophole in meta.opens:
            # Council-facing commentary names the gap in words, never by its id (rule F-02).
            words = LOOPHOLE_WORDS.get(loophole, loophole)
            assert words in clause.commentary.lower(), f"commentary never describes {loophole}"
    for lead in ("**What it does.**", "**Legal basis.**", "**Risks.**"):
        assert lead in clause.commentary or meta.role != "operative", lead


def test_weaker_variants_name_what_they_open(library: Library) -> None:
    weaker = [c for c in library.clauses.values()
              if c.meta.variant_of and c.meta.strength == "baseline"]
    assert weaker and all(c.meta.opens for c in weaker)


def test_definitions_cite_known_authorities(library: Library) -> None:
    for definition in library.definitions.values():
        for authority in (*definition.meta.authorities, *definition.meta.sources):
            assert authority in library.authorities


def test_unverified_authorities_render_flagged(library: Library) -> None:
    unverified = [a for a in library.authorities.values() if not a.verified]
    assert unverified
    assert "[unverified" in format_citation(unverified[0])
    verified = next(a for a in library.authorities.values() if a.verified)
    assert "unverified" not in format_citation(verified)


def test_state_rules_cover_the_preempting_states(library: Library) -> None:
    assert {"TX", "FL", "GA", "IA", "IN", "LA", "MS", "MO", "NC", "TN", "AZ", "AR", "NH", "WY"} <= set(
        library.states)
    for code in ("TX", "FL", "GA", "IA", "IN", "LA", "MS", "NC", "TN", "AZ", "AR", "NH"):
        rule = library.states[code]
        assert rule.stance == "restrictive" and rule.laws and rule.bans and rule.note, code


def _build(library: Library, preset: str, jurisdiction: dict, allow: bool = False):
    data = {"jurisdiction": jurisdiction, "preset": preset}
    source = answers_from_mapping(data, name="(test)")
    selection = resolve(library, source, allow_preempted=allow)
    return selection, build_document(library, selection)


KINDS = [{"name": "Ames", "kind": "city", "state": "IA"},
         {"name": "Lane", "kind": "county", "state": "OR", "runs_jail": True},
         {"name": "New Mexico", "kind": "state", "state": "NM"}]


@pytest.mark.parametrize("preset", ["strongest", "strong", "baseline", "preemption-safe",
                                    "jail-county"])
@pytest.mark.parametrize("jurisdiction", KINDS, ids=[k["kind"] for k in KINDS])
def test_every_preset_builds_for_every_kind(library: Library, preset: str,
                                            jurisdiction: dict) -> None:
    selection, document = _build(library, preset, jurisdiction, allow=True)
    assert document.sections and selection.clauses


def test_strongest_for_a_jail_county_has_no_loophole(library: Library) -> None:
    selection, document = _build(library, "strongest",
                                 {"name": "Lane", "kind": "county", "state": "OR",
                                  "sheriff": "Lane County Sheriff's Office", "runs_jail": True})
    ids = {c.id for c in selection.clauses}
    assert not [c.id for c in selection.clauses if c.meta.opens]
    assert "information.savings-1373-narrow" in ids and "information.savings-broad" not in ids
    assert {"structure.private-right-of-action", "structure.independent-complaints",
            "structure.implementation", "structure.reporting"} <= ids
    text = " ".join(b.text for s in document.all_sections() for b in s.blocks
                    if hasattr(b, "text"))
    assert not re.search(r"\bshould\b", text)
    assert not re.search(r"unless the person has been convicted", text, re.I)


def test_preempting_state_gets_only_open_measures(library: Library) -> None:
    for state in ("TX", "FL", "TN"):
        selection, document = _build(library, "strongest",
                                     {"name": "X", "kind": "city", "state": state})
        withheld = set(selection.barred)
        assert not [c.id for c in selection.clauses if c.meta.provisions[0] in withheld]
        text = "\n".join(b.text for s in document.all_sections() for b in s.blocks if hasattr(b, "text"))
        # barred passages of kept clauses drop out of the text
        assert "shall not ask about a person's immigration status" not in text
        assert document.warnings and library.states[state].name in document.warnings[0].text
        assert any("policing" in c.id for c in selection.clauses)


def test_check_problems_none(library: Library) -> None:
    from drafter.checks import check_library

    problems = Problems()
    check_library(library, problems)
    serious = [p for p in problems.items if p.severity != "info"]
    assert not serious, serious[:5]
