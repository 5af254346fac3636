"""Turning what a person types into the values an answers file holds, the same way in the
terminal wizard (``drafter new``) and the web interview (``drafter serve``).

Names are normalized by ``drafter.models.normalize_jurisdiction`` (the answers loader's own
validator), so "Sangamon County" or "City of Oakland" reads the same everywhere.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from drafter.models import US_STATES

_BY_NAME = {name.lower(): code for code, name in US_STATES.items()}
# what people type for a few places besides the names themselves
_ALIASES = {"d.c.": "DC", "washington dc": "DC", "washington, d.c.": "DC", "dist. of columbia": "DC",
            "calif.": "CA", "ill.": "IL", "mass.": "MA", "penn.": "PA", "n.y.": "NY"}


@dataclass(frozen=True)
class StateMatch:
    """A state found from typed text: its code, or none and the likeliest codes."""

    text: str
    code: str = ""
    suggestions: list[str] = field(default_factory=list)  # codes, best first

    @property
    def name(self) -> str:
        return US_STATES.get(self.code, "")


def find_state(text: str) -> StateMatch:
    """A state from its two-letter code or its name, any case; else suggestions for a typo
    ("Calfornia" -> CA, "Ilinois" -> IL, "Tx." -> TX)."""
    typed = " ".join(str(text).split())
    key = typed.lower().rstrip(".") if len(typed) <= 3 else typed.lower()
    if key.upper() in US_STATES:
        return StateMatch(typed, key.upper())
    for candidate in (typed.lower(), key):
        if candidate in _BY_NAME:
            return StateMatch(typed, _BY_NAME[candidate])
        if candidate in _ALIASES:
            return StateMatch(typed, _ALIASES[candidate])
    if not typed:
        return StateMatch(typed)
    names = difflib.get_close_matches(typed.lower(), list(_BY_NAME), n=3, cutoff=0.7)
    suggestions = [_BY_NAME[n] for n in names]
    if not suggestions and len(typed) == 2:
        # a two-letter typo: codes one letter away, in alphabetical order
        suggestions = [c for c in US_STATES if sum(a != b for a, b in zip(c, typed.upper(), strict=True)) == 1][:3]
    return StateMatch(typed, "", suggestions)


def state_choices() -> list[tuple[str, str]]:
    """(code, name) for every state, by name (for a menu or a list of suggestions)."""
    return sorted(US_STATES.items(), key=lambda item: item[1])


_SPANISH_KIND = re.compile(r"^(?P<word>ciudad y condado|ciudad|condado|pueblo|villa|parroquia|municipio|"
                           r"distrito|estado)\s+de\s+(?P<rest>.+)$", re.I)
SPANISH_KINDS = {"ciudad y condado": "city-and-county", "ciudad": "city", "condado": "county",
                 "pueblo": "town", "villa": "village", "parroquia": "parish", "municipio": "township",
                 "distrito": "borough", "estado": "state"}


def plain_name(name: str) -> tuple[str, str | None]:
    """A name typed in Spanish ("Condado de Fresno") as the name and the kind it says
    (Fresno, county); English forms ("County of Fresno") are left to
    ``normalize_jurisdiction``."""
    match = _SPANISH_KIND.match(" ".join(name.split()))
    if match is None:
        return name, None
    return match["rest"].strip(), SPANISH_KINDS[match["word"].lower()]
