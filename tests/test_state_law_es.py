"""Every state rule speaks Spanish too: summary_es for each rule, open_es item for item with open,
and none of the renderings docs/glossary-es.md bans (BANNED_ES in drafter/factsheet.py)."""

from __future__ import annotations

import re

import pytest

from drafter.factsheet import BANNED_ES
from drafter.library import Library

from .conftest import ROOT

CODES = sorted(p.stem for p in (ROOT / "clauses" / "states").glob("*.yaml"))


def _banned(text: str) -> list[str]:
    return [term for term in BANNED_ES if re.search(rf"\b{re.escape(term)}\b", text, re.IGNORECASE)]


def test_every_state_and_dc_has_a_rule(library: Library) -> None:
    assert len(CODES) == 51 and sorted(library.states) == CODES


@pytest.mark.parametrize("code", CODES)
def test_rule_has_spanish_summary(library: Library, code: str) -> None:
    rule = library.states[code]
    assert rule.summary_es.strip(), f"{code}: summary_es is missing or empty"
    assert rule.summary_es.strip() != rule.summary.strip(), f"{code}: summary_es is the English text"


@pytest.mark.parametrize("code", CODES)
def test_open_es_matches_open_item_for_item(library: Library, code: str) -> None:
    rule = library.states[code]
    assert len(rule.open_es) == len(rule.open), (
        f"{code}: open has {len(rule.open)} items, open_es has {len(rule.open_es)}")
    assert all(item.strip() for item in rule.open_es)


@pytest.mark.parametrize("code", CODES)
def test_spanish_state_text_uses_no_banned_rendering(library: Library, code: str) -> None:
    rule = library.states[code]
    texts = {"summary_es": rule.summary_es, **{f"open_es[{i}]": t for i, t in enumerate(rule.open_es)},
             **{f"mandates[{i}].duty_es": m.duty_es for i, m in enumerate(rule.mandates)}}
    bad = {where: _banned(text) for where, text in texts.items()}
    assert not {k: v for k, v in bad.items() if v}, f"{code}: {bad}"


def test_banned_check_catches_a_banned_rendering() -> None:
    assert _banned("La cárcel cumple la orden de detención migratoria.")
    assert _banned("Habla con el alguacil.")
    assert not _banned("Una solicitud de retención migratoria (detainer) no la firma un juez.")
