from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.errors import Problems
from drafter.library import Library
from drafter.render import build_document, must_style, similar, term_pattern
from drafter.resolve import load_answers, resolve

from .conftest import write_tree

CHAPTER = """
jurisdiction:
  name: Springfield
  kind: city
  state: IL
  code: {title: "2", chapter: "2.90", chapter_title: Welcoming City}
preset: strongest
"""


def document_for(tmp_path: Path, library: Library, text: str, **kwargs: object):
    path = write_tree(tmp_path, {"a.yaml": text}) / "a.yaml"
    problems = Problems()
    source = load_answers(path, problems)
    problems.raise_errors()
    selection = resolve(library, source)
    return selection, build_document(library, selection, **kwargs)


def all_text(document) -> str:
    return "\n".join(all_text_of(section) for section in document.all_sections())


def test_chapter_layout_numbers_code_sections(tmp_path: Path, library: Library) -> None:
    _, doc = document_for(tmp_path, library, CHAPTER)
    assert doc.sections[0].label == "SECTION 1." and doc.sections[0].heading == "Findings and Purpose"
    chapter = doc.sections[1].chapter
    assert chapter is not None
    numbers = [s.label for s in chapter.sections]
    assert numbers == [f"2.90.{10 * i:03d}" for i in range(1, len(numbers) + 1)]
    assert chapter.sections[1].heading == "Definitions"
    assert doc.sections[-1].heading == "Effective Date"
    assert not doc.recitals  # findings are a section in the chapter layout


def test_standalone_layout_uses_recitals(tmp_path: Path, library: Library) -> None:
    text = CHAPTER.replace("  code: {title: \"2\", chapter: \"2.90\", chapter_title: Welcoming City}\n", "")
    _, doc = document_for(tmp_path, library, text)
    assert doc.recitals[0].startswith("WHEREAS, ") and doc.recitals[0].endswith("; and")
    assert doc.recitals[-1].endswith(".")
    assert doc.enacting_clause.startswith("NOW, THEREFORE, ")
    assert [s.label for s in doc.sections] == [f"SECTION {i}." for i in range(1, len(doc.sections) + 1)]


def test_definitions_are_exactly_the_terms_used(tmp_path: Path, library: Library) -> None:
    selection, doc = document_for(tmp_path, library, CHAPTER)
    definitions = next(s for s in doc.all_sections() if s.heading == "Definitions")
    defined = [b.text.split('"')[1] for b in definitions.blocks if hasattr(b, "label")]
    assert defined == sorted(defined, key=str.lower)
    body = all_text(doc).replace(all_text_of(definitions), "")
    by_term = {d.meta.term: d for d in library.definitions.values()}
    for term in defined:
        definition = by_term[term]
        used_directly = term_pattern(definition).search(body)
        used_by_other = any(term_pattern(definition).search(by_term[t].body)
                            for t in defined if t != term)
        assert used_directly or used_by_other, term
    for term, definition in by_term.items():
        if term not in defined:
            assert not term_pattern(definition).search(body), term


def all_text_of(section) -> str:  # noqa: ANN001
    out = []
    for block in section.blocks:
        stack = [block]
        while stack:
            node = stack.pop()
            out.append(node.text)
            stack.extend(getattr(node, "children", []))
    return "\n".join(out)


def test_every_chosen_clause_is_in_the_document(tmp_path: Path, library: Library) -> None:
    selection, doc = document_for(tmp_path, library, CHAPTER)
    keys = {s.key for s in doc.all_sections()}
    for clause in selection.clauses:
        assert clause.id in keys, clause.id


def test_cross_references_resolve_to_labels(tmp_path: Path, library: Library) -> None:
    _, doc = document_for(tmp_path, library, CHAPTER)
    labels = {s.key: s.ref for s in doc.all_sections()}

    def runs(block: object) -> list:  # every run of a block, its sub-items and continuations
        found = list(getattr(block, "runs", []))
        for child in [*getattr(block, "children", []), *getattr(block, "after", [])]:
            found += runs(child)
        return found

    links = [run for section in doc.all_sections()
             for block in [*section.blocks, *(section.note.blocks if section.note else [])]
             for run in runs(block) if run.link]
    assert len(links) >= 5, "the test draft should carry cross-references"
    for run in links:
        assert run.text == labels[run.link], (run.text, run.link)


def test_commentary_modes(tmp_path: Path, library: Library) -> None:
    _, annotated = document_for(tmp_path, library, CHAPTER)
    assert all(s.note is not None for s in annotated.all_sections() if not s.key.startswith("_"))
    _, clean = document_for(tmp_path, library, CHAPTER, commentary="none")
    assert all(s.note is None for s in clean.all_sections())


def test_draft_notice_and_signature(tmp_path: Path, library: Library) -> None:
    _, doc = document_for(tmp_path, library, CHAPTER)
    assert "licensed attorney" in doc.draft_notice
    assert doc.signature.presiding_officer == "Mayor"
    assert doc.enacting_clause == "The City Council of the City of Springfield does ordain as follows:"


def test_state_form_override(tmp_path: Path, library: Library) -> None:
    text = "jurisdiction: {name: Alameda, kind: county, state: CA}\npreset: strongest\n"
    _, doc = document_for(tmp_path, library, text)
    assert "Board of Supervisors of the County of Alameda ordains" in doc.enacting_clause
    assert doc.signature.counsel == "County Counsel"


def test_must_style() -> None:
    assert must_style("A covered agency shall not. Shall it?") == "A covered agency must not. Must it?"
    assert must_style("marshall") == "marshall"


def test_similar_findings() -> None:
    assert similar("detainers are requests, not commands",
                   "a detainer request is not a command, detainers are requests")
    assert not similar("street vending feeds families", "detainers are requests")


def test_no_unresolved_jinja_in_output(tmp_path: Path, library: Library) -> None:
    _, doc = document_for(tmp_path, library, CHAPTER)
    text = all_text(doc)
    assert not re.search(r"\{\{|\}\}|\{%|%\}", text)


def _random_findings(count: int, seed: int, vocabulary: int) -> list[str]:
    import random
    import string

    rng = random.Random(seed)
    words = ["".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(vocabulary)]
    common = ["immigration", "federal", "county", "residents", "enforcement", "public", "safety", "detainer"]
    return [" ".join(rng.sample(common, rng.randint(0, 5)) + rng.sample(words, rng.randint(0, 14)))
            for _ in range(count)]


def test_distinct_findings_are_the_pairwise_ones() -> None:
    """distinct() compares only candidates; it must keep exactly what comparing every pair keeps."""
    from drafter.render import distinct

    for seed in range(20):
        texts = _random_findings(250, seed, vocabulary=40 if seed % 2 else 400)
        texts += ["", "the and of", "the and of", texts[3]]
        pairwise: list[str] = []
        for text in texts:
            if not any(similar(text, other) for other in pairwise):
                pairwise.append(text)
        assert distinct(texts) == pairwise, seed


def test_distinct_findings_compare_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twice the findings, about twice the comparisons (pairwise was four times)."""
    from drafter import render

    calls = 0
    real = render.similar

    def counted(a: str, b: str) -> bool:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(render, "similar", counted)
    counts = []
    for size in (2000, 4000):
        calls = 0
        render.distinct(_random_findings(size, 7, vocabulary=50_000))
        counts.append(calls)
    assert counts[1] <= 2.5 * max(counts[0], 1), counts
    assert counts[1] < 4000 * 5, counts


def test_legal_basis_is_law_where_the_draft_is_made(tmp_path: Path, library: Library) -> None:
    """Another state's law is never a draft's legal basis: a Maine county's commentary lists Oregon's
    and Texas's laws under "See also"; a Texas city's lists Texas SB 4 as law it must answer to."""
    def citations(text: str) -> tuple[str, str]:
        _, doc = document_for(tmp_path, library, text)
        notes = [s.note for s in doc.all_sections() if s.note]
        return (" ".join(" ".join(n.authorities) for n in notes), " ".join(" ".join(n.see_also) for n in notes))

    maine = "jurisdiction: {name: Cumberland, kind: county, state: ME}\npreset: strongest\n"
    basis, see_also = citations(maine)
    assert "Oregon Sanctuary Promise Act" in see_also and "Texas SB 4" in see_also
    assert "Oregon Sanctuary Promise Act" not in basis and "Texas SB 4" not in basis
    assert "Printz v. United States" in basis and "El Cenizo v. Texas" in basis  # federal courts: law everywhere
    basis, see_also = citations(maine.replace("Cumberland, kind: county, state: ME", "Austin, kind: city, state: TX"))
    assert "Texas SB 4" in basis and "Texas SB 4" not in see_also
