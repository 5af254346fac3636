"""What a city clerk checks in a built draft: binding language in every profile, amendment
markup where the text stood, Word structure (keep-together, outline levels, language),
tagged PDF, file modes, a clerk's own reference.docx and user-library profiles."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from drafter import render
from drafter.errors import Problems
from drafter.library import load_library
from drafter.lint import binding_language, lint_document, prohibitions
from drafter.render import build_document, must_style
from drafter.resolve import load_answers, resolve

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def lib():
    return load_library()


def _answers(name: str):
    problems = Problems()
    source = load_answers(SAMPLES / name, problems)
    problems.raise_errors()
    return source


def _binding(lib, source, preset: str | None, profile: str) -> list[str]:  # noqa: ANN001
    selection = resolve(lib, source, preset=preset, profile=profile)
    document = build_document(lib, selection, commentary="none")
    return [p.message for p in lint_document(document, selection, lib) if p.rule == "R-41"]


# ------------------------------------------------------------------ 1. binding language

@pytest.mark.parametrize("text", [
    "No covered official shall stop, detain, or question a person.",
    "1. No covered agency, and no covered official, shall share information; and no officer shall ask.",
    "   1. no personnel, equipment, funds, or information of the City shall be used for it;",
    "Except as provided in subsection (b), no covered agency shall hold a person.",
    "Nothing in this chapter shall be construed to require a violation of federal law.",
    "A covered official shall not ask; nor shall any covered agency keep records.",
    "No employee, contractor, or agent of a federal immigration authority\nshall act as interpreter.",
])
def test_must_style_keeps_prohibitions(text: str) -> None:
    plain = must_style(text)
    assert "shall" not in plain.lower()
    assert not binding_language(plain), plain
    assert prohibitions(plain) == prohibitions(text) > 0, plain


@pytest.mark.parametrize("text", [
    "If no written translation exists, or the person cannot read, the agency shall provide one.",
    "If the person is no longer in custody, the covered agency shall mail the notice.",
    "No later than thirty (30) days after adoption, the City Manager shall report.",
    "If the person has no attorney, the covered agency shall wait.",
])
def test_must_style_keeps_duties(text: str) -> None:
    plain = must_style(text)
    assert " must " in plain and " may " not in plain, plain


@pytest.mark.parametrize(("text", "found"), [
    ("No covered official must stop a person.", "'No ... must'"),
    ("The agency shall may notify the person.", "doubled modal 'shall may'"),
    ("The agency must may notify the person.", "doubled modal 'must may'"),
    ("A person must not enter; nor must an agency ask.", "a negative with 'must'"),
])
def test_binding_rule_catches(text: str, found: str) -> None:
    assert any(found in message for _, message in binding_language(text))


def test_binding_rule_passes_good_wording() -> None:
    for text in ("No covered official may stop a person.", "A covered official must not stop a person.",
                 "No later than five days after the request, the agency must answer.",
                 "If no interpreter is available, the agency must postpone the interview."):
        assert not binding_language(text), text


def test_lint_catches_the_old_must_style(lib, monkeypatch) -> None:  # noqa: ANN001
    """The rule catches both what the old rewrite did: 'No ... must', and the lost prohibition."""
    monkeypatch.setattr(render, "must_style", lambda text: re.sub(r"\bshall\b", "must", text))
    messages = _binding(lib, _answers("oakland-ca.yaml"), None, "plain")
    assert any("'No ... must'" in m for m in messages)
    assert any("turned permissive" in m for m in messages)


def _presets_and_profiles() -> list[tuple[str, str]]:
    library = load_library()
    return [(preset, profile) for preset in sorted(library.presets) for profile in sorted(library.profiles)]


@pytest.mark.parametrize(("preset", "profile"), _presets_and_profiles())
def test_every_preset_and_profile_binds(lib, preset: str, profile: str) -> None:  # noqa: ANN001
    assert _binding(lib, _answers("oakland-ca.yaml"), preset, profile) == []


@pytest.mark.parametrize("sample", ["cook-county-il.yaml", "new-mexico.yaml", "jefferson-parish-la.yaml"])
def test_plain_profile_binds_for_counties_parishes_and_states(lib, sample: str) -> None:  # noqa: ANN001
    assert _binding(lib, _answers(sample), None, "plain") == []


# ------------------------------------------------------------------ 3. files honour the umask

@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_output_files_honour_the_umask(tmp_path: Path, umask: int) -> None:
    from drafter.output import write_atomic

    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "a.docx", b"x", force=False)
        write_atomic(tmp_path / "a.docx", "y", force=True)
    finally:
        os.umask(old)
    assert (tmp_path / "a.docx").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (tmp_path / "a.docx").read_text() == "y"


# ------------------------------------------------------------------ 2. amendment markup in place

def _amended(lib, sample: str):  # noqa: ANN001
    """The chapter of an amendment sample marked against its current code (as a build does)."""
    from drafter.compare import merge, parse_current_code
    from drafter.layout import layout

    source = _answers(sample)
    selection = resolve(lib, source)
    document = build_document(lib, selection, commentary="none")
    lines = layout(document)
    codified = {s.key for s in document.all_sections() if s.codified}
    chapter = [line for line in lines if line.key.split("#")[0] in codified]
    current = (SAMPLES / source.answers.jurisdiction.code.current).read_text()
    return merge(parse_current_code(current, selection.profile.levels), chapter, "markup")


def _struck(line) -> bool:  # noqa: ANN001
    return bool(line.runs) and all(run.strike for run in line.runs if run.text.strip())


def _section_of(lines, index: int) -> str:  # noqa: ANN001
    heads = [line.text for line in lines[:index + 1] if line.style == "OrdCodeSection"]
    return heads[-1] if heads else ""


def test_amendment_deletions_stand_where_they_stood(lib) -> None:  # noqa: ANN001
    lines = _amended(lib, "santa-cruz-ca.yaml")
    texts = [line.text for line in lines]
    assert not _struck(lines[-1]), "a deletion after the last section (the old behaviour)"
    # The old definition is marked inside Definitions, as a change to the same term.
    [definition] = [i for i, t in enumerate(texts) if t.startswith('"Immigration detainer" means')]
    assert _section_of(lines, definition).startswith("9.85.020 Definitions")
    assert any(run.strike for run in lines[definition].runs) and any(r.underline for r in lines[definition].runs)
    # The old detainer section's text is struck inside the section that replaces it.
    held = next(i for i, t in enumerate(texts) if "The City police department shall not hold" in t)
    assert _struck(lines[held]) and "Immigration Detainers" in _section_of(lines, held)
    savings = next(i for i, t in enumerate(texts) if "any City officer from sending information" in t)
    assert _struck(lines[savings]) and "Federal Laws on Immigration Status" in _section_of(lines, savings)
    assert "Savings Clause" in _section_of(lines, savings)  # the old heading, struck, in the new one


def test_amendment_section_numbers_never_repeat(lib) -> None:  # noqa: ANN001
    lines = _amended(lib, "santa-cruz-ca.yaml")
    numbers = [m.group(0) for line in lines if line.style == "OrdCodeSection"
               for m in re.finditer(r"\b9\.85\.\d{3}\b", line.text)]
    assert len(numbers) == len(set(numbers)) > 40, [n for n in numbers if numbers.count(n) > 1]


def test_a_section_nothing_replaces_is_struck_after_its_predecessor() -> None:
    from drafter.compare import merge, parse_current_code
    from drafter.docmodel import Run
    from drafter.layout import Line

    current = ("1.10.010 Title.\n\nThis chapter is the Welcoming Chapter.\n\n"
               "1.10.020 Registration of Vendors.\n\n(a) Each vendor shall register with the police.\n\n"
               "1.10.030 Savings.\n\n(a) Nothing in this chapter prohibits sharing status information.\n")
    new = [Line("OrdCodeSection", [Run("1.10.010 Title.")], key="t#head"),
           Line("OrdCodeBody", [Run("This chapter is the Welcoming Chapter.")], key="t#1"),
           Line("OrdCodeSection", [Run("1.10.020 Detainers.")], key="d#head"),
           Line("OrdLevel1", [Run("A covered agency shall not hold a person on a detainer.")], level=0, key="d#1"),
           Line("OrdCodeSection", [Run("1.10.030 Status Information.")], key="s#head"),
           Line("OrdLevel1", [Run("Nothing in this chapter prohibits sharing status information.")],
                level=0, key="s#1")]
    out = merge(parse_current_code(current, ["(a)", "(1)"]), new, "markup")
    texts = [line.text for line in out]
    gone = texts.index("[Former 1.10.020] Registration of Vendors.")
    assert _struck(out[gone]) and _struck(out[gone + 1])
    assert texts[gone - 1] == "This chapter is the Welcoming Chapter."  # after its predecessor
    assert texts[gone + 2] == "1.10.020 Detainers."
    assert texts[-1] == "Nothing in this chapter prohibits sharing status information." and not _struck(out[-1])


# ------------------------------------------------------------------ 4. user-library profiles

def test_user_library_profiles_overlay_the_builtin_ones(tmp_path: Path) -> None:
    profiles = tmp_path / "templates" / "profiles"
    profiles.mkdir(parents=True)
    plain = (ROOT / "templates" / "profiles" / "plain.yaml").read_text()
    (profiles / "plain.yaml").write_text(plain.replace("font: Times New Roman", "font: Arial"))
    (profiles / "house.yaml").write_text(plain.replace("id: plain", "id: house")
                                         .replace("title: Plain language", "title: House style"))
    library = load_library(tmp_path)
    builtin = load_library()
    assert library.profiles["plain"].page.font == "Arial" != builtin.profiles["plain"].page.font
    assert library.profiles["house"].modal == "must" and "house" not in builtin.profiles
    assert set(builtin.profiles) < set(library.profiles)
    selection = resolve(library, _answers("oakland-ca.yaml"), profile="house")
    assert selection.profile.title == "House style"


# ------------------------------------------------------------------ 3. Word a clerk can live with

def _docx(lib, sample: str, *, profile: str | None = None, reference: Path | None = None,  # noqa: ANN001
          factsheet: str | None = None) -> bytes:
    from drafter.writers.docx import DocxWriter

    selection = resolve(lib, _answers(sample), profile=profile)
    document = build_document(lib, selection, commentary="none")
    page = selection.profile
    if factsheet:
        from drafter.factsheet import factsheet_document

        document = factsheet_document(lib, selection, document, factsheet)
        page = lib.profiles["factsheet"]
    return DocxWriter(page, reference or lib.templates_dir / "reference.docx",
                      footnotes=False).render(document)


def _part(data: bytes, name: str):  # noqa: ANN202
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def _paragraphs(data: bytes) -> list:
    return list(_part(data, "word/document.xml").iter(f"{W}p"))


def _ptext(p) -> str:  # noqa: ANN001
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def _has(p, tag: str) -> bool:  # noqa: ANN001
    ppr = p.find(f"{W}pPr")
    return ppr is not None and ppr.find(f"{W}{tag}") is not None


def test_headings_have_outline_levels(lib) -> None:  # noqa: ANN001
    data = _docx(lib, "oakland-ca.yaml")
    styles = _part(data, "word/styles.xml")
    levels = {s.get(f"{W}styleId"): s.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val")
              for s in styles.iter(f"{W}style") if s.find(f"{W}pPr/{W}outlineLvl") is not None}
    assert levels == {"OrdSection": "0", "OrdChapter": "1", "OrdCodeSection": "2"}
    [title] = [p for p in _paragraphs(data) if _ptext(p) == "SANCTUARY CITY PROTECTIONS"]
    assert title.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "9"  # "Chapter 2.90" is the entry


@pytest.mark.parametrize("sample", ["cook-county-il.yaml", "new-mexico.yaml", "oakland-ca.yaml"])
def test_vote_and_signatures_are_kept_together(lib, sample: str) -> None:  # noqa: ANN001
    data = _docx(lib, sample)
    paragraphs = _paragraphs(data)
    body = _part(data, "word/document.xml").find(f"{W}body")
    leads = [i for i, p in enumerate(paragraphs) if "by the following vote" in _ptext(p)]
    assert leads
    first = leads[0]
    table = body.find(f"{W}tbl")
    in_table = set(table.iter(f"{W}p"))
    chain = [p for p in paragraphs[first:] if p not in in_table]
    # every paragraph from the first lead-in down to the signature table is kept with the next
    assert all(_has(p, "keepNext") for p in chain[:-1] if p.getparent() is body), \
        [_ptext(p) for p in chain if not _has(p, "keepNext")]
    assert all(_has(paragraphs[i], "keepLines") for i in leads)
    rows = table.findall(f"{W}tr")
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    for row in rows[:-1]:
        assert all(_has(p, "keepNext") for p in row.iter(f"{W}p"))


@pytest.mark.parametrize(("lang", "tag", "words"), [("es", "es-US", ("Página ", " de ")),
                                                   ("en", "en-US", ("Page ", " of "))])
def test_document_language_and_footer_follow_the_output_language(lib, lang, tag, words) -> None:  # noqa: ANN001
    data = _docx(lib, "oakland-ca.yaml", factsheet=lang)
    styles = _part(data, "word/styles.xml")
    langs = {e.get(f"{W}val") for e in styles.iter(f"{W}lang")}
    assert langs == {tag}
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val") == tag
    footer = "".join(t.text or "" for t in _part(data, "word/footer1.xml").iter(f"{W}t"))
    assert footer.startswith(words[0]) and words[1] in footer
    assert _part(data, "docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}language").text == tag


def test_ordinances_are_us_english(lib) -> None:  # noqa: ANN001
    styles = _part(_docx(lib, "new-mexico.yaml"), "word/styles.xml")
    assert {e.get(f"{W}val") for e in styles.iter(f"{W}lang")} == {"en-US"}


def test_pdf_export_options() -> None:
    from drafter.writers.pdf import convert_to_argument

    argument = convert_to_argument()
    assert argument.startswith("pdf:writer_pdf_Export:{")
    for option in ("UseTaggedPDF", "ExportBookmarks", "DisplayPDFDocumentTitle"):
        assert f'"{option}":{{"type":"boolean","value":"true"}}' in argument


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                                   reason="LibreOffice is not installed")


def _pdf_outline(pdf: bytes) -> list[str]:
    titles = []
    for raw in re.findall(rb"/Title\s*<([0-9A-Fa-f]+)>", pdf):
        data = bytes.fromhex(raw.decode())
        titles.append(data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1"))
    return titles


def _pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")


@needs_soffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdf_is_tagged_with_bookmarks_and_a_whole_signature_page(lib, tmp_path: Path) -> None:  # noqa: ANN001
    from drafter.writers.pdf import docx_to_pdf

    pdf = docx_to_pdf(_docx(lib, "cook-county-il.yaml"))
    assert b"/StructTreeRoot" in pdf and b"/Marked true" in pdf  # a tagged PDF
    assert b"/Lang(en-US)" in pdf
    outline = _pdf_outline(pdf)
    assert "SECTION 1. Definitions." in outline and len(outline) > 20
    pages = _pdf_pages(pdf, tmp_path)
    lead = next(i for i, page in enumerate(pages) if "by the following vote" in page)
    assert "ATTEST" in pages[lead] and "AYES" in pages[lead]


@needs_soffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_spanish_fact_sheet_pdf_is_spanish(lib, tmp_path: Path) -> None:  # noqa: ANN001
    from drafter.writers.pdf import docx_to_pdf

    pdf = docx_to_pdf(_docx(lib, "oakland-ca.yaml", factsheet="es"))
    assert b"/Lang(es-US)" in pdf
    assert "Página 1 de 1" in _pdf_pages(pdf, tmp_path)[0]


# ------------------------------------------------------------------ 4. a clerk's reference.docx

def _clerk_reference(path: Path, *, derived: bool = True) -> Path:
    """A clerk's house style: from drafter's own reference (as pandoc users start), or from
    Word's blank document with only a few styles of the same names."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    doc = Document(str(ROOT / "templates" / "reference.docx")) if derived else Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "DejaVu Sans", Pt(10.5)
    for name in ("Ord Code Section", "Ord Section", "Ord Chapter"):
        style = doc.styles[name] if derived else doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.font.name, style.font.size = "DejaVu Serif", Pt(15)
        style.font.color.rgb = RGBColor(0x80, 0x00, 0x00)
    doc.save(str(path))
    return path


def _style(data: bytes, style_id: str):  # noqa: ANN202
    return next(s for s in _part(data, "word/styles.xml").iter(f"{W}style") if s.get(f"{W}styleId") == style_id)


@pytest.mark.parametrize("derived", [True, False], ids=["from-drafter-reference", "from-blank-word"])
def test_reference_doc_restyles_and_keeps_numbering(lib, tmp_path: Path, derived: bool) -> None:  # noqa: ANN001
    reference = _clerk_reference(tmp_path / "house.docx", derived=derived)
    data = _docx(lib, "oakland-ca.yaml", reference=reference)
    builtin = _docx(lib, "oakland-ca.yaml")
    fonts = {sid: _style(data, sid).find(f"{W}rPr/{W}rFonts").get(f"{W}ascii")
             for sid in ("Normal", "OrdCodeSection", "OrdChapter")}
    assert fonts == {"Normal": "DejaVu Sans", "OrdCodeSection": "DejaVu Serif", "OrdChapter": "DejaVu Serif"}
    assert _style(data, "OrdCodeSection").find(f"{W}rPr/{W}sz").get(f"{W}val") == "30"
    assert _style(builtin, "Normal").find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "Times New Roman"
    # numbering still works: the level styles are linked to drafter's list, items use them
    num_id = _style(data, "OrdLevel1").find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    numbering = _part(data, "word/numbering.xml")
    assert any(n.get(f"{W}numId") == num_id for n in numbering.iter(f"{W}num"))
    numbered = [p for p in _paragraphs(data) if p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(numbered) == len([p for p in _paragraphs(builtin) if p.find(f"{W}pPr/{W}numPr") is not None]) > 100
    assert _style(data, "OrdCodeSection").find(f"{W}pPr/{W}outlineLvl") is not None


@needs_soffice
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_reference_doc_changes_the_printed_look(lib, tmp_path: Path) -> None:  # noqa: ANN001
    from drafter.writers.pdf import docx_to_pdf

    pdf = docx_to_pdf(_docx(lib, "santa-cruz-ca.yaml", reference=_clerk_reference(tmp_path / "h.docx")))
    (tmp_path / "out.pdf").write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "out.pdf")], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts and "DejaVuSerif" in fonts and "Times" not in fonts
    pages = _pdf_pages(pdf, tmp_path)
    text = "\n".join(pages)
    assert re.search(r"^\s*\(a\)\s+\S", text, re.M) and re.search(r"^\s*\(1\)\s+\S", text, re.M)


def test_reference_doc_from_the_command_line_and_the_answers_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from drafter.cli import cli

    reference = _clerk_reference(tmp_path / "house.docx")
    answers = tmp_path / "oakland.yaml"
    answers.write_text((SAMPLES / "oakland-ca.yaml").read_text().replace(
        "output:\n", "output:\n  reference_doc: house.docx\n", 1))
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(answers), "-o", str(tmp_path / "a.docx"), "-q"])
    assert result.exit_code == 0, result.output
    assert _style((tmp_path / "a.docx").read_bytes(), "Normal").find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") \
        == "DejaVu Sans"
    result = runner.invoke(cli, ["build", str(SAMPLES / "oakland-ca.yaml"), "-o", str(tmp_path / "b.docx"),
                                 "--reference-doc", str(reference), "-q"])
    assert result.exit_code == 0, result.output
    assert _style((tmp_path / "b.docx").read_bytes(), "OrdCodeSection").find(f"{W}rPr/{W}rFonts") \
        .get(f"{W}ascii") == "DejaVu Serif"
    result = runner.invoke(cli, ["build", str(SAMPLES / "oakland-ca.yaml"), "-o", str(tmp_path / "c.docx"),
                                 "--reference-doc", str(tmp_path / "missing.docx")])
    assert result.exit_code == 1 and "reference .docx not found" in result.output
    assert not (tmp_path / "c.docx").exists()
