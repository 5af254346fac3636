"""The fact-source and council-facing rules (F-01, F-02): the built-in library is clean
under them, a seeded bad sentence is reported at its file and line, state-limited findings
recite only where they fit, citations print once, and docs/claims-audit.md is current."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from drafter import api
from drafter.checks import check_facts, fact_sentences, machinery
from drafter.errors import Problems
from drafter.library import Library
from drafter.models import Authority, ClauseMeta, finding_applies
from drafter.render import undouble_citations
from drafter.resources import builtin_clauses

ROOT = Path(__file__).resolve().parents[1]


def test_builtin_library_is_clean_under_the_fact_rules(library: Library) -> None:
    problems = Problems()
    check_facts(library, problems)
    assert not problems.items, "\n".join(str(p) for p in problems.items)


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    """A user library that overlays the built-in one with a copy of one clause."""
    root = tmp_path / "clauses"
    (root / "detainers").mkdir(parents=True)
    shutil.copy(builtin_clauses() / "detainers" / "no-holds.md", root / "detainers")
    return root


def test_seeded_unsourced_figure_is_reported_with_file_and_line(library_copy: Path) -> None:
    path = library_copy / "detainers" / "no-holds.md"
    text = path.read_text()
    bad = "New York City's list grew to about 170 crimes in 2014."
    text = text.replace("**How it works in practice.**", bad + "\n\n**How it works in practice.**", 1)
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith(bad))
    result = api.check(library=library_copy)
    found = [p for p in result.problems if p.rule == "F-01" and p.path.endswith("no-holds.md")]
    assert [(p.line, p.severity) for p in found] == [(line, "warning")], [str(p) for p in found]
    assert "170" in found[0].message and "2014" in found[0].message


def test_seeded_machinery_is_reported(library_copy: Path) -> None:
    path = library_copy / "detainers" / "no-holds.md"
    text = path.read_text().replace("**Variants.**", "**Variants.** See `loophole.coverage-gap`.", 1)
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "loophole.coverage-gap" in row)
    result = api.check(library=library_copy)
    found = [p for p in result.problems if p.rule == "F-02" and p.path.endswith("no-holds.md")]
    assert [p.line for p in found] == [line]


def test_a_citation_next_door_sources_the_sentence() -> None:
    source = ('Chicago removed four carve-outs in 2021. The vote was 41 to 8 '
              '({{ cite("chicago-welcoming-city") }}).\n\nIn 1987 Oregon acted.')
    facts = fact_sentences(source, 10)
    assert [(f["line"], bool(f["cites"] or f["nearby"])) for f in facts] == [
        (10, True), (10, True), (12, False)]


def test_identifiers_are_not_figures() -> None:
    source = ("Section 1373 and 8 U.S.C. § 1644 differ from SB 54, Local Law 228 and 287(g); "
              "see 921 F.3d 865 and the 2d Cir.")
    assert fact_sentences(source, 1) == []
    assert machinery("Use {{ ref(\"detainers.no-holds\") }} here.") == []
    assert [m for _, m in machinery("drafter closes loophole.data-pipeline")] == [
        "drafter", "loophole.data-pipeline"]


def test_state_limited_findings() -> None:
    meta = ClauseMeta.model_validate({
        "id": "structure.forum", "title": "Forum", "area": "structure", "strength": "strongest",
        "provisions": ["structure.forum"], "sources": ["ca-truth-act"],
        "summary": {"en": "x", "es": "x"},
        "findings": ["general", {"text": "California's TRUTH Act requires a forum",
                                 "states": ["CA"]}]})
    general, truth = meta.findings
    assert finding_applies(general, "VT") and finding_applies(truth, "CA")
    assert not finding_applies(truth, "TX") and not finding_applies(truth, "VT")


@pytest.mark.parametrize("sample", ["austin-tx", "brattleboro-vt"])
def test_drafts_outside_california_recite_no_california_law(sample: str, tmp_path: Path) -> None:
    out = tmp_path / "draft.md"
    api.build(answers=ROOT / "samples" / f"{sample}.yaml", output=out, formats=["md"],
              commentary="none", force=True)
    text = out.read_text()
    recitals = text.split("Section 1", 1)[0]
    assert "TRUTH Act" not in recitals and "Los Angeles" not in recitals


def test_citation_is_printed_once() -> None:
    authority = Authority(id="tx-sb4-2017", kind="state-law", name="Texas SB 4 (2017) anti-sanctuary law",
                          citation="Tex. Gov't Code ch. 752", year=2017, jurisdiction="Texas",
                          holding_or_summary="x", verified_source="x", verified=True)
    text = "Examples include Texas SB 4 ([Texas SB 4 (2017) anti-sanctuary law](#cite:tx-sb4-2017))."
    assert undouble_citations(text, {"tx-sb4-2017": authority}) == (
        "Examples include Texas SB 4 (Tex. Gov't Code ch. 752).")
    other = "A detainer is a request ([Texas SB 4 (2017) anti-sanctuary law](#cite:tx-sb4-2017))."
    assert undouble_citations(other, {"tx-sb4-2017": authority}) == other


def test_claims_audit_is_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "claims_audit.py"), "--check"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
