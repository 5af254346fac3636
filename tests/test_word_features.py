"""Word features read back from the XML: comments, footnotes, pleading line numbers,
tracked changes, amendment markup, and the other output formats."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from lxml import etree

from drafter import api

from .conftest import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OAKLAND = ROOT / "samples" / "oakland-ca.yaml"


def xml_of(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def build(tmp_path: Path, name: str, **kwargs: object) -> Path:
    out = tmp_path / name
    api.build(answers=kwargs.pop("answers", OAKLAND), output=out, **kwargs)
    return out


def test_comments_are_anchored_to_their_sections(tmp_path: Path) -> None:
    out = build(tmp_path, "c.docx", commentary="comments")
    word = open_docx(str(out))
    comments = list(word.comments)
    body = xml_of(out, "word/document.xml")
    anchored = body.findall(f".//{W}commentRangeStart")
    assert len(comments) == len(anchored) > 30
    for start in anchored:
        paragraph = start.getparent()
        bookmark = paragraph.find(f"{W}bookmarkStart")
        assert bookmark is not None, "a comment must sit on a section heading"
    texts = [c.text for c in comments]
    assert any("What it does." in t for t in texts)
    assert not body.findall(f".//{W}footnoteReference")  # comments carry citations inline


def test_annotated_citations_are_numbered_footnotes(tmp_path: Path) -> None:
    out = build(tmp_path, "a.docx")
    refs = [int(r.get(f"{W}id")) for r in xml_of(out, "word/document.xml").iter(f"{W}footnoteReference")]
    notes = xml_of(out, "word/footnotes.xml").findall(f"{W}footnote")
    ids = [int(n.get(f"{W}id")) for n in notes]
    assert ids[:2] == [-1, 0] and ids[2:] == list(range(1, len(ids) - 1))
    assert refs == list(range(1, len(refs) + 1)) and len(refs) == len(ids) - 2 > 20
    settings = xml_of(out, "word/settings.xml")
    assert settings.find(f"{W}footnotePr") is not None


def test_pleading_numbers_lines(tmp_path: Path) -> None:
    out = build(tmp_path, "p.docx", profile="pleading")
    sect = xml_of(out, "word/document.xml").find(f".//{W}body/{W}sectPr")
    numbering = sect.find(f"{W}lnNumType")
    assert numbering.get(f"{W}countBy") == "1" and numbering.get(f"{W}restart") == "newPage"
    children = [c.tag.replace(W, "") for c in sect]
    assert children.index("lnNumType") == children.index("pgMar") + 1  # schema order
    styles = xml_of(out, "word/styles.xml")
    footnote_style = styles.find(f".//{W}style[@{W}styleId='FootnoteText']")
    assert footnote_style.find(f".//{W}suppressLineNumbers") is not None


def test_codepub_profile_labels(tmp_path: Path) -> None:
    out = build(tmp_path, "cp.md", profile="codepub")
    text = out.read_text()
    assert "**Sec. 2.90.010. Title.**" in text and "\n(A) " in text


def test_plain_profile_uses_must(tmp_path: Path) -> None:
    text = build(tmp_path, "pl.md", profile="plain", commentary="none").read_text()
    assert " must not " in text and " shall " not in text


def test_document_properties_trace_the_sources(tmp_path: Path) -> None:
    props = open_docx(str(build(tmp_path, "t.docx"))).core_properties
    assert props.version.startswith("drafter ") and "clauses " in props.version
    assert re.fullmatch(r"[0-9a-f]{64}", props.identifier)
    # the answers' hash, not a file name: the same answers from a file, a dict or the web form
    # give byte-identical drafts (issue 14)
    assert f"answers sha256 {props.identifier[:16]}" in props.comments


def redline(tmp_path: Path) -> Path:
    base = tmp_path / "base.yaml"
    base.write_text(OAKLAND.read_text().replace("preset: strongest", "preset: baseline"))
    out = tmp_path / "red.docx"
    api.redline(old=base, new=OAKLAND, output=out)
    return out


def view(body: etree._Element, accept: bool) -> list[str]:
    """Paragraph texts with every change accepted (or rejected)."""
    out = []
    for p in body.iter(f"{W}p"):
        mark = p.find(f"{W}pPr/{W}rPr")
        if mark is not None and mark.find(f"{W}{'del' if accept else 'ins'}") is not None:
            continue
        parts = []
        for node in p.iter(f"{W}t", f"{W}delText"):
            inside = node.getparent().getparent()
            if node.tag == f"{W}delText" and accept:
                continue
            if inside.tag == f"{W}ins" and not accept:
                continue
            parts.append(node.text or "")
        out.append(re.sub(r"\s+", " ", "".join(parts)).strip())
    return [t for t in out if t]


def plain_texts(answers: Path, tmp_path: Path, name: str) -> list[str]:
    out = tmp_path / name
    api.build(answers=answers, output=out, commentary="none")
    body = xml_of(out, "word/document.xml")
    return view(body, accept=True)


def test_redline_is_well_formed(tmp_path: Path) -> None:
    body = xml_of(redline(tmp_path), "word/document.xml")
    changes = body.findall(f".//{W}ins") + body.findall(f".//{W}del")
    assert len(changes) > 20
    ids = [c.get(f"{W}id") for c in changes]
    bookmarks = [b.get(f"{W}id") for b in body.iter(f"{W}bookmarkStart")]
    assert len(set(ids)) == len(ids) and not set(ids) & set(bookmarks)
    for change in changes:
        assert change.get(f"{W}author") == "drafter" and change.get(f"{W}date")
    for deleted in body.iter(f"{W}del"):
        assert not deleted.findall(f".//{W}t"), "deleted text must be w:delText"


def test_redline_shows_every_difference_and_nothing_else(tmp_path: Path) -> None:
    body = xml_of(redline(tmp_path), "word/document.xml")
    base = tmp_path / "base.yaml"
    new_text = plain_texts(OAKLAND, tmp_path, "new.docx")
    old_text = plain_texts(base, tmp_path, "old.docx")
    assert view(body, accept=True) == new_text

    def numbers(texts: list[str]) -> list[str]:
        return [re.sub(r"\b\d+(?:[.-]\d+)+\b|\bSECTION \d+\b|\bSection \d+\b", "#", t) for t in texts]

    assert numbers(view(body, accept=False)) == numbers(old_text)


def test_amendment_marks_changes_against_the_current_code(tmp_path: Path) -> None:
    out = tmp_path / "sc.docx"
    api.build(answers=ROOT / "samples" / "santa-cruz-ca.yaml", output=out)
    body = xml_of(out, "word/document.xml")
    text = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert "Additions to the current code are underlined; deletions are struck through" in text
    assert "is amended to read as follows" in text
    struck = "".join(t.text or "" for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}strike") is not None
                     for t in r.iter(f"{W}t"))
    underlined = [r for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}u") is not None]
    assert "unless the person has been convicted of a serious or violent felony" in struck
    assert underlined
    assert not body.findall(f".//{W}ins"), "amendment markup is formatting, not tracked changes"


def test_html_and_text_formats(tmp_path: Path) -> None:
    html = build(tmp_path, "d.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and '<span class="label">(a)</span>' in html
    assert 'class="footnotes"' in html and "href=\"#sec-" in html
    text = build(tmp_path, "d.txt").read_text()
    assert "ORDINANCE NO." in text and "\n(a)   " in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.errors import DrafterError

    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(DrafterError) as info:
        build(tmp_path, "d.pdf")
    assert "LibreOffice is not installed" in str(info.value) and "apt-get install" in str(info.value)
    assert not (tmp_path / "d.pdf").exists()


def test_memo_has_table_of_authorities(tmp_path: Path) -> None:
    out = build(tmp_path, "m.docx", commentary="memo")
    memo = out.with_name("m-memo.docx")
    assert memo.exists()
    text = "\n".join(p.text for p in open_docx(str(memo)).paragraphs)
    assert "Table of Authorities" in text and "Cases" in text and "Printz v. United States" in text
    clean = "\n".join(p.text for p in open_docx(str(out)).paragraphs)
    assert "Commentary" not in clean


def test_a_failing_format_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.errors import DrafterError

    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(DrafterError):
        api.build(answers=OAKLAND, output=tmp_path / "d", formats=["docx", "pdf"])
    assert list(tmp_path.iterdir()) == []
