"""Spanish fact sheets and summaries never use the renderings docs/glossary-es.md bans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.factsheet import BANNED_ES
from drafter.library import Library

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def _banned(text: str) -> list[str]:
    return [term for term in BANNED_ES if re.search(rf"\b{re.escape(term)}\b", text)]


def test_glossary_lists_every_banned_term_reason() -> None:
    glossary = (ROOT / "docs" / "glossary-es.md").read_text()
    for term in ("solicitud de retención", "libertad a prueba", "oficina del sheriff", "la Junta"):
        assert term in glossary


def test_no_summary_uses_a_banned_rendering(library: Library) -> None:
    bad = {c.id: _banned(c.meta.summary.es) for c in library.clauses.values()}
    assert not {k: v for k, v in bad.items() if v}


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_spanish_fact_sheet_has_no_banned_rendering(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "fs.md"
    result = CliRunner().invoke(cli, ["factsheet", str(sample), "--lang", "es", "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert not _banned(text)
    assert not re.search(r"\b(?:El|del) (?:Junta|Comisión|Corte|Legislatura)\b", text)
    assert not re.search(r"\b(?:Board|Council|Commission|Selectboard)\b", text.split("\n", 6)[-1][:600])
