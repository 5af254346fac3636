"""One test per deliberate bug that used to survive the suite (docs/architecture.md,
"Mutation testing"; code review 2026-11 M02-M25). Each was checked by writing the bug,
seeing this test fail, and restoring the code."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as open_docx

from drafter import api
from drafter.cli import cli
from drafter.errors import DrafterError, Problems
from drafter.library import Library, load_library
from drafter.markdown import Item, parse_blocks
from drafter.models import Answers
from drafter.numbering import Labeler
from drafter.output import write_atomic
from drafter.render import term_pattern, used_definitions
from drafter.templating import render
from tests.conftest import write_tree

CITY = """\
jurisdiction:
  name: Springfield
  kind: city
  state: IL
output:
  date: 2026-01-15
  commentary: none
"""

EXTRA_CLAUSE = """\
---
id: policing.extra-duties
title: Extra Duties
area: policing
provisions: [policing.cite-release]
strength: strongest
applies_to: [{kinds}]
sources: [nyc-cjra-2016]
summary: {{en: Extra., es: Extra.}}
---
1. A law enforcement agency must keep a record of each citation.
2. A law enforcement agency shall publish the record, as Section 99 requires.

## Commentary

Extra duties for testing.
"""


def test_definitions_used_only_by_other_definitions_are_kept(library: Library) -> None:
    """M02: a term used only inside another definition is carried along."""
    patterns = {d.id: term_pattern(d) for d in library.definitions.values()}
    pairs = [(outer, inner) for outer in library.definitions.values()
             for inner in library.definitions.values()
             if inner.id != outer.id and patterns[inner.id].search(
                 re.sub(r'^\s*"[^"]+"', "", outer.body))]
    assert pairs, "no definition in the library uses another defined term"
    for outer, inner in pairs:
        text = f"The {outer.meta.term} applies."
        if any(p.search(text) for did, p in patterns.items() if did != outer.id):
            continue  # the outer term itself contains another term: not a clean case
        used = {d.id for d in used_definitions([text], library, lambda d: d.body)}
        assert outer.id in used and inner.id in used, (outer.id, inner.id)
        return
    pytest.fail("every pair overlaps")


def test_default_preset_is_strongest(library: Library, tmp_path: Path) -> None:
    """M05: an answers file without 'preset' gets the strongest protections."""
    answers = Answers.model_validate({"jurisdiction": {"name": "X", "kind": "city", "state": "CA"}})
    assert answers.preset == "strongest"
    path = write_tree(tmp_path, {"a.yaml": CITY}) / "a.yaml"
    _lib, selection = api._selection_for(path)
    assert selection.preset == "strongest"


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """M07: a failure mid-write leaves the old file whole and no temporary file behind."""
    target = tmp_path / "draft.docx"
    target.write_bytes(b"old draft")

    def broken_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_disk)
    with pytest.raises(OSError):
        write_atomic(target, b"new draft that never finished", force=True)
    assert target.read_bytes() == b"old draft"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.docx"]


def _overlay(tmp_path: Path, kinds: str = "city, county, city-and-county, town, village, state") -> Path:
    return write_tree(tmp_path / "lib", {"policing/extra-duties.md": EXTRA_CLAUSE.format(kinds=kinds)})


def test_drafter_lint_end_to_end_reports_document_rules(tmp_path: Path) -> None:
    """M11, M16, M25: `drafter lint` runs, and the document-level rules fire (must/shall mix,
    a reference to a section that does not exist) with the answers file as location."""
    lib = _overlay(tmp_path)
    answers = write_tree(tmp_path, {"a.yaml": CITY + "exclude: [structure.severability]\n"}) / "a.yaml"
    result = CliRunner().invoke(cli, ["lint", str(answers), "--library", str(lib), "--json"])
    data = json.loads(result.stdout)
    rules = {f["rule"]: f for f in data["findings"]}
    assert {"R-10", "R-31", "R-34"} <= set(rules), sorted(rules)
    assert rules["R-31"]["message"] == "'Section 99' is not a section of this draft"
    assert rules["R-31"]["severity"] == "error" and result.exit_code == 1
    assert "severability" in rules["R-34"]["message"]
    assert rules["R-10"]["path"].endswith("a.yaml")
    text = CliRunner().invoke(cli, ["lint", str(answers), "--library", str(lib)])
    assert "R-31" in text.stdout and re.search(r"\d+ errors, \d+ warnings", text.stdout)


def test_lint_of_a_clean_draft_has_no_document_errors(tmp_path: Path) -> None:
    answers = write_tree(tmp_path, {"a.yaml": CITY}) / "a.yaml"
    found = api.lint(answers=answers)
    assert not [p for p in found if p.rule in ("R-10", "R-30", "R-31", "R-33", "R-34")]


def test_include_of_a_clause_for_another_kind_is_an_error(tmp_path: Path) -> None:
    """M17: including a clause that does not apply to the jurisdiction's kind is refused."""
    lib = _overlay(tmp_path, kinds="county")
    answers = write_tree(tmp_path, {"a.yaml": CITY + "include: [policing.extra-duties]\n"}) / "a.yaml"
    with pytest.raises(DrafterError) as caught:
        api._selection_for(answers, library=lib)
    messages = [p.message for p in caught.value.problems]
    assert "'policing.extra-duties' does not apply to a city" in messages
    assert caught.value.problems[0].line == CITY.count("\n") + 1


def test_italics_reach_word(tmp_path: Path) -> None:
    """M21: case names in commentary are italic in the .docx (w:i on their runs)."""
    answers = write_tree(tmp_path, {"a.yaml": CITY}) / "a.yaml"
    out = tmp_path / "a.docx"
    api.build(answers=answers, output=out, commentary="annotated")
    italic = [r.text for p in open_docx(str(out)).paragraphs for r in p.runs if r.italic]
    assert any(" v. " in text for text in italic), italic[:5]


def test_html_output_escapes_text(tmp_path: Path) -> None:
    """M22: text that looks like markup is shown literally in HTML."""
    from drafter.docmodel import Run
    from drafter.layout import Line
    from drafter.writers.html import HtmlWriter

    answers = write_tree(tmp_path, {"a.yaml": CITY}) / "a.yaml"
    lib, selection = api._selection_for(answers)
    from drafter.render import build_document

    document = build_document(lib, selection, commentary="none")
    page = HtmlWriter().render(document, [Line("OrdBody", [Run("if a < b && c > d <script>")])])
    assert "if a &lt; b &amp;&amp; c &gt; d &lt;script&gt;" in page
    assert "<script>" not in page


def test_a_value_starting_with_a_number_cannot_inject_a_list_item() -> None:
    """M23: a parameter value "1. ..." stays a sentence, not a numbered item."""
    text = render("Notice:\n\n{{ value }}\n", {"value": "1. Everyone may be detained."},
                  display="t.md")
    blocks = parse_blocks(text, Labeler(["(a)", "(1)", "(A)", "(i)", "(I)"]))
    assert not any(isinstance(b, Item) for b in blocks), blocks
    assert "1" in "".join(r.text for b in blocks for r in getattr(b, "runs", []))


def test_unknown_authority_in_a_definition_is_an_error(tmp_path: Path) -> None:
    """M24: a definition citing an authority id that does not exist is reported, located."""
    lib = write_tree(tmp_path / "lib", {"definitions/extra-term.md": """\
        ---
        id: def.extra-term
        term: Extra term
        authorities: [nobody-v-nothing-2099]
        ---
        "Extra term" means a term for testing.
        """})
    problems = Problems()
    load_library(lib, problems)
    found = [p for p in problems.items if "nobody-v-nothing-2099" in p.message]
    assert [p.message for p in found] == ["unknown authority id 'nobody-v-nothing-2099'"]
    assert found[0].path.endswith("extra-term.md") and found[0].line == 4


def test_lint_of_a_weaker_plain_language_draft(tmp_path: Path) -> None:
    """Document rules over a baseline draft in the 'must' profile: weaker variants named, the
    'may not' / 'shall not' mix, a loophole sentence in a clause, prohibitions kept in 'must'
    wording, and each finding pointed at the clause line it came from."""
    extra = EXTRA_CLAUSE.format(kinds="city, county").replace(
        "2. A law enforcement agency shall publish",
        "2. A law enforcement agency may not detain a person on the basis of an immigration detainer. "
        "This section does not apply if the person has been convicted of a felony.\n"
        "3. A law enforcement agency shall publish")
    lib = write_tree(tmp_path / "lib", {"policing/extra-duties.md": extra})
    answers = write_tree(tmp_path, {"a.yaml": CITY + "preset: baseline\n"}) / "a.yaml"
    assert "R-14" in {p.rule for p in api.lint(answers=answers, library=lib)}
    found = api.lint(answers=answers, library=lib, profile="plain")  # 'shall not' -> 'must not'
    rules = {p.rule for p in found}
    assert "R-14" not in rules
    assert "loophole.conviction-carveout" in rules
    carve = next(p for p in found if p.rule == "loophole.conviction-carveout"
                 and p.path.endswith("extra-duties.md"))
    assert carve.line == EXTRA_CLAUSE.count("\n", 0, EXTRA_CLAUSE.index("1. A law")) + 2
    opened = [p for p in found if p.message.endswith("chosen variant is weaker than the strongest")]
    assert opened and all(p.severity == "warning" for p in opened)
    assert not [p for p in found if p.rule == "R-41" and "turned permissive" in p.message]


def test_lint_without_enforcement_says_so(tmp_path: Path, library: Library) -> None:
    from drafter.score import ENFORCEMENT

    enforcing = {c.id for c in library.clauses.values() if ENFORCEMENT & set(c.meta.provisions)}
    while True:  # and whatever requires them
        more = {c.id for c in library.clauses.values() if set(c.meta.requires) & enforcing} - enforcing
        if not more:
            break
        enforcing |= more
    enforcing = sorted(enforcing)
    answers = write_tree(tmp_path, {"a.yaml": CITY + f"exclude: [{', '.join(enforcing)}]\n"}) / "a.yaml"
    found = api.lint(answers=answers)
    assert [p.rule for p in found if p.rule == "loophole.no-enforcement"] == ["loophole.no-enforcement"]


def test_lint_rules_on_text() -> None:
    from drafter.lint import Target, detect_loopholes, lint

    text = ("A covered agency shall not detain a person on the basis of an immigration detainer. "
            "This section does not apply if the person has been convicted of a felony.")
    found = lint(Target(text, "t.md", 10, {}))
    assert [p.rule for p in found if p.rule.startswith("loophole.")] == ["loophole.conviction-carveout"]
    assert found[0].path == "t.md" and found[0].line == 10
    assert "loophole.conviction-carveout" in detect_loopholes(text)
    silenced = lint(Target(text, "t.md", 10, {}, frozenset({"loophole.conviction-carveout"})))
    assert not [p for p in silenced if p.rule.startswith("loophole.")]
