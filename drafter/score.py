"""The protection scorecard: which taxonomy protections a draft carries, by area, against
what the ``strongest`` preset gives the same jurisdiction, and which loopholes its chosen
variants open."""

from __future__ import annotations

from typing import Any

from drafter.library import Library
from drafter.resolve import Selection, resolve

# taxonomy: loophole.no-enforcement is "no enforcement mechanism, reporting or remedy"
ENFORCEMENT = {"structure.private-right-of-action", "structure.independent-complaints",
               "structure.reporting"}


def scorecard(library: Library, selection: Selection) -> dict[str, Any]:
    """The scorecard as plain data (the ``--json`` form)."""
    taxonomy = library.taxonomy
    assert taxonomy is not None
    strongest = resolve(library, selection.source, preset="strongest", allow_preempted=True)
    carried = _provisions(selection)
    possible = _provisions(strongest)
    areas: dict[str, Any] = {}
    for area, title in taxonomy.area_titles.items():
        ids = [p for p, a in taxonomy.provision_area.items() if a == area]
        present = [p for p in ids if p in carried]
        reachable = [p for p in ids if p in possible]
        areas[area] = {
            "title": title,
            "present": present,
            "missing": [p for p in reachable if p not in carried],
            "total": len(reachable),
            "score": round(100 * len(present) / len(reachable)) if reachable else 100,
        }
    loopholes = [{"id": loophole, "clause": clause.id, "description": taxonomy.loopholes[loophole]}
                 for clause in selection.clauses for loophole in clause.meta.opens]
    if not ENFORCEMENT & carried:
        loopholes.append({"id": "loophole.no-enforcement", "clause": None,
                          "description": taxonomy.loopholes["loophole.no-enforcement"]})
    present_total = sum(len(a["present"]) for a in areas.values())
    total = sum(a["total"] for a in areas.values())
    return {
        "jurisdiction": selection.source.answers.jurisdiction.name,
        "preset": selection.preset,
        "areas": areas,
        "loopholes": loopholes,
        "withheld_by_state_law": list(selection.withheld),
        "overall": {"present": present_total, "total": total,
                    "percent": round(100 * present_total / total) if total else 100},
    }


def _provisions(selection: Selection) -> set[str]:
    """What the draft's text carries: its clauses' provisions, less those state law bars
    (templates leave those passages out)."""
    barred = set(selection.barred)
    return {p for clause in selection.clauses for p in clause.meta.provisions if p not in barred}
