"""``drafter absorb``: a draft edited in Word (tracked changes, a direct edit, a comment, an
edit inside parameter text) goes back into a copy of the library, and rebuilding gives the
edited text."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as open_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from drafter.absorb import read_docx, sections
from drafter.cli import cli
from drafter.library import load_library
from drafter.resources import builtin_clauses
from drafter.writers.docx import bookmark_name

from .conftest import MINIMAL_ANSWERS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ANSWERS = MINIMAL_ANSWERS.lstrip("\n") + "  commentary: none\n"  # the clean council copy
TRACKED_A = "detainers.no-holds"
TRACKED_B = "information.release-info-none"
DIRECT = "detainers.no-transfer"
COMMENTED = "detainers.no-287g"
PARAM = "access.notice-to-person"


def section_paragraphs(word, clause_id: str) -> list:  # noqa: ANN001
    """The w:p elements of one section of a drafter .docx (heading first)."""
    found, inside = [], False
    for p in word.element.body.iterchildren(f"{W}p"):
        names = [b.get(qn("w:name")) for b in p.iter(f"{W}bookmarkStart")]
        if any(n.startswith("_Ref_") for n in names):
            inside = bookmark_name(clause_id) in names
        if inside:
            found.append(p)
    assert found, clause_id
    return found


def paragraph_with(word, clause_id: str, needle: str):  # noqa: ANN001, ANN201
    for p in section_paragraphs(word, clause_id):
        if needle in "".join(t.text or "" for t in p.iter(f"{W}t")):
            return p
    raise AssertionError(f"{needle!r} not in {clause_id}")


def tracked_replace(p, old: str, new: str, ids: list[int]) -> None:  # noqa: ANN001
    """Word's markup for replacing ``old`` by ``new`` with Track Changes on."""
    for run in p.iter(f"{W}r"):
        t = run.find(f"{W}t")
        if t is None or old not in (t.text or ""):
            continue
        before, after = t.text.split(old, 1)
        t.text = before
        elements = []
        for tag, text in (("w:del", old), ("w:ins", new)):
            wrapper = OxmlElement(tag)
            ids[0] += 1
            wrapper.set(qn("w:id"), str(900 + ids[0]))
            wrapper.set(qn("w:author"), "City Attorney")
            wrapper.set(qn("w:date"), "2026-02-01T00:00:00Z")
            piece = copy.deepcopy(run)
            text_el = piece.find(f"{W}t")
            if tag == "w:del":
                text_el.tag = f"{W}delText"
            text_el.text = text
            wrapper.append(piece)
            elements.append(wrapper)
        rest = copy.deepcopy(run)
        rest.find(f"{W}t").text = after
        elements.append(rest)
        anchor = run
        for element in elements:
            anchor.addnext(element)
            anchor = element
        return
    raise AssertionError(f"{old!r} not in one run")


def direct_replace(p, old: str, new: str) -> None:  # noqa: ANN001
    for t in p.iter(f"{W}t"):
        if old in (t.text or ""):
            t.text = t.text.replace(old, new, 1)
            return
    raise AssertionError(old)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A draft built from the answers, then edited as a lawyer would in Word."""
    root = tmp_path_factory.mktemp("absorb")
    answers = root / "springfield.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    library = root / "clauses"
    shutil.copytree(builtin_clauses(), library)
    draft = root / "springfield.docx"
    result = CliRunner().invoke(cli, ["build", str(answers), "-o", str(draft), "--library",
                                      str(library)])
    assert result.exit_code == 0, result.output
    word = open_docx(str(draft))
    ids = [0]
    tracked_replace(paragraph_with(word, TRACKED_A, "shall not detain a person"),
                    "shall not detain a person", "shall not hold a person", ids)
    tracked_replace(paragraph_with(word, TRACKED_B, "shall not give release information"),
                    "give release", "disclose release", ids)
    direct_replace(paragraph_with(word, DIRECT, "transfer a person in its custody"),
                   "transfer a person in its custody", "transfer any person in its custody")
    commented = paragraph_with(word, COMMENTED, "shall not enter into")
    word.add_comment(Paragraph(commented, word._body).runs[0], text="Does this reach renewals?",
                     author="City Attorney")
    direct_replace(paragraph_with(word, PARAM, "twenty-four (24)"), "twenty-four (24)",
                   "forty-eight (48)")
    edited = root / "springfield-reviewed.docx"
    word.save(str(edited))
    return {"root": root, "answers": answers, "library": library, "draft": draft, "edited": edited}


def texts(path: Path, clause_id: str) -> list[str]:
    lib = load_library()
    names = {bookmark_name(c): c for c in lib.clauses}
    return [p.accepted for p in sections(read_docx(path).paragraphs, names)[clause_id]
            if not p.gone_accepted]


def test_dry_run_shows_changes_and_writes_nothing(reviewed: dict[str, Path]) -> None:
    before = (reviewed["library"] / "detainers/no-holds.md").read_text()
    result = CliRunner().invoke(cli, ["absorb", str(reviewed["edited"]), "--library",
                                      str(reviewed["library"]), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["written"] is False
    placed = {(c["clause"], c["kind"], c["old"].strip(), c["new"].strip()) for c in data["changes"]}
    assert (TRACKED_A, "tracked", "detain", "hold") in placed
    assert (TRACKED_B, "tracked", "give", "disclose") in placed
    assert (DIRECT, "direct", "a", "any") in placed
    assert [m["clause"] for m in data["manual"]] == [PARAM]
    assert "parameter" in data["manual"][0]["reason"]
    assert [(c["clause"], c["text"]) for c in data["comments"]] == [
        (COMMENTED, "Does this reach renewals?")]
    assert (reviewed["library"] / "detainers/no-holds.md").read_text() == before


def test_absorb_write_then_rebuild_gives_the_edited_text(reviewed: dict[str, Path]) -> None:
    library, answers = reviewed["library"], reviewed["answers"]
    notice = (library / "access/notice-to-person.md").read_text()
    result = CliRunner().invoke(cli, ["absorb", str(reviewed["edited"]), "--library", str(library),
                                      "--write", "--review", str(reviewed["root"] / "review.md")])
    assert result.exit_code == 0, result.output
    diff = [line for line in result.stdout.splitlines() if line.startswith(("-", "+"))]
    assert any(line.startswith("-") and "shall not detain a person" in line for line in diff)
    assert any(line.startswith("+") and "shall not hold a person" in line for line in diff)
    assert "{{" in (library / "detainers/no-holds.md").read_text()  # expressions intact
    assert (library / "access/notice-to-person.md").read_text() == notice  # parameter text: by hand
    assert "Does this reach renewals?" in (reviewed["root"] / "review.md").read_text()
    rebuilt = reviewed["root"] / "rebuilt.docx"
    build = CliRunner().invoke(cli, ["build", str(answers), "-o", str(rebuilt), "--library",
                                     str(library)])
    assert build.exit_code == 0, build.output
    for clause_id in (TRACKED_A, TRACKED_B, DIRECT, COMMENTED):
        assert texts(rebuilt, clause_id) == texts(reviewed["edited"], clause_id), clause_id
    assert texts(rebuilt, PARAM) != texts(reviewed["edited"], PARAM)
    assert texts(rebuilt, PARAM) == texts(reviewed["draft"], PARAM)


def test_into_writes_an_overlay_and_leaves_the_library(reviewed: dict[str, Path],
                                                        tmp_path: Path) -> None:
    pristine = tmp_path / "lib"
    shutil.copytree(builtin_clauses(), pristine)
    overlay = tmp_path / "overlay"
    result = CliRunner().invoke(cli, ["absorb", str(reviewed["edited"]), "--answers",
                                      str(reviewed["answers"]), "--library", str(pristine),
                                      "--into", str(overlay), "--write"])
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(overlay)) for p in overlay.rglob("*.md"))
    assert written == ["detainers/no-holds.md", "detainers/no-transfer.md",
                       "information/release-info-none.md"]
    assert "shall not hold a person" in (overlay / "detainers/no-holds.md").read_text()
    assert "shall not detain a person" in (pristine / "detainers/no-holds.md").read_text()


def test_answers_found_by_hash_or_a_located_error(reviewed: dict[str, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    found = CliRunner().invoke(cli, ["absorb", str(reviewed["edited"]), "--library",
                                     str(reviewed["library"]), "--json"])
    assert found.exit_code == 0, found.output  # springfield.yaml, next to the draft, by its hash
    lone = tmp_path / "lone.docx"
    shutil.copy(reviewed["edited"], lone)
    (tmp_path / "other.yaml").write_text(ANSWERS.replace("Springfield", "Shelbyville"))
    result = CliRunner().invoke(cli, ["absorb", str(lone)])
    assert result.exit_code == 1
    assert "cannot find the answers file" in result.stderr and "--answers" in result.stderr


# ---------------------------------------------------------------- redlines against what lawyers have


def _marked(path: Path) -> tuple[list[str], list[str]]:
    paragraphs = read_docx(path).paragraphs
    return ([p.accepted for p in paragraphs if not p.gone_accepted],
            [p.original for p in paragraphs if not p.new_accepted or p.original.strip()])


def test_redline_against_an_earlier_docx(reviewed: dict[str, Path], tmp_path: Path) -> None:
    newer = tmp_path / "newer.yaml"
    newer.write_text(ANSWERS.replace("preset: strongest", "preset: baseline"), encoding="utf-8")
    out = tmp_path / "changes.docx"
    result = CliRunner().invoke(cli, ["redline", str(reviewed["draft"]), str(newer), "-o", str(out),
                                      "--library", str(reviewed["library"])])
    assert result.exit_code == 0, result.output
    fresh = tmp_path / "newer.docx"
    CliRunner().invoke(cli, ["build", str(newer), "-o", str(fresh), "--library", str(reviewed["library"])])
    accepted, _original = _marked(out)
    assert [t for t in accepted if t.strip()] == [p.original for p in read_docx(fresh).paragraphs
                                                  if p.original.strip()]
    assert any(p.tracked for p in read_docx(out).paragraphs)


def test_redline_overlay_against_builtin(reviewed: dict[str, Path], tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    source = builtin_clauses() / "information/release-info-none.md"
    (overlay / "information").mkdir(parents=True)
    text = source.read_text().replace("shall not give release information",
                                      "shall not disclose release information", 1)
    (overlay / "information/release-info-none.md").write_text(text)
    out = tmp_path / "overlay.docx"
    result = CliRunner().invoke(cli, ["redline", str(reviewed["answers"]), "--against-builtin",
                                      "--library", str(overlay), "-o", str(out)])
    assert result.exit_code == 0, result.output
    changed = [p for p in read_docx(out).paragraphs if p.tracked]
    assert len(changed) == 1
    assert "disclose release" in changed[0].accepted and "give release" in changed[0].original
    usage = CliRunner().invoke(cli, ["redline", str(reviewed["answers"]), "--against-builtin",
                                     "-o", str(tmp_path / "x.docx")])
    assert usage.exit_code == 1 and "needs --library DIR" in usage.stderr
