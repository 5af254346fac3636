"""Document model -> Word (.docx), with real Word features.

Subdivisions use one style-linked multi-level list whose level formats come from the
profile, so Word prints exactly the labels drafter computed; each section restarts the
list through its own ``w:num``. Cross-references are internal hyperlinks to bookmarks
(literal computed text: Word and LibreOffice disagree on REF fields). The footer carries
Page X of Y fields; the header the draft marker and date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph

from drafter.docmodel import Document, Item, Note, Para, Run, Section
from drafter.models import Profile
from drafter.numbering import LEVEL_FORMATS
from drafter.templating import strip_illegal

LEVEL_STYLES = ["OrdLevel1", "OrdLevel2", "OrdLevel3", "OrdLevel4", "OrdLevel5"]
PAGE_SIZES = {"letter": (8.5, 11.0), "legal": (8.5, 14.0)}


class DocxWriter:
    """Writes one Document to .docx bytes."""

    def __init__(self, profile: Profile, reference: Path) -> None:
        self.profile = profile
        self.reference = reference
        self._ids = 0

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def render(self, document: Document) -> bytes:
        word = open_docx(str(self.reference))
        body = word.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.word = word
        self._page_setup(word)
        self._abstract_id = self._define_list(word)
        self._header_footer(word, document)
        self._front(document)
        for section in document.sections:
            self._section(section)
            if section.chapter:
                self._para(f"Chapter {section.chapter.number}", "OrdChapter")
                self._para(section.chapter.title.upper(), "OrdChapter")
                for code_section in section.chapter.sections:
                    self._section(code_section)
        self._signature(document)
        self._properties(word, document)
        out = io.BytesIO()
        word.save(out)
        return out.getvalue()

    # ------------------------------------------------------------ setup

    def _page_setup(self, word: WordDocument) -> None:
        page = self.profile.page
        width, height = PAGE_SIZES[page.size]
        section = word.sections[0]
        section.page_width, section.page_height = Inches(width), Inches(height)
        section.top_margin, section.bottom_margin = Inches(page.top), Inches(page.bottom)
        section.left_margin, section.right_margin = Inches(page.left), Inches(page.right)
        section.header_distance = section.footer_distance = Inches(0.5)
        normal = word.styles["Normal"]
        normal.font.name = page.font
        normal.font.size = Pt(page.font_size)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), page.font)
        normal.paragraph_format.line_spacing = page.line_spacing

    def _define_list(self, word: WordDocument) -> int:
        """One multi-level list, its levels linked to the Ord Level styles."""
        numbering = word.part.numbering_part.element
        existing = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        abstract_id = max(existing, default=-1) + 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        _child(abstract, "w:nsid", val="D7AF0001")
        _child(abstract, "w:multiLevelType", val="multilevel")
        levels = self.profile.levels
        for ilvl in range(9):
            pattern = levels[min(ilvl, len(levels) - 1)]
            fmt, template = LEVEL_FORMATS[pattern]
            lvl = _child(abstract, "w:lvl", ilvl=str(ilvl))
            _child(lvl, "w:start", val="1")
            _child(lvl, "w:numFmt", val=fmt)
            if ilvl < len(LEVEL_STYLES):
                _child(lvl, "w:pStyle", val=LEVEL_STYLES[ilvl])
            _child(lvl, "w:lvlText", val=template.format(f"%{ilvl + 1}"))
            _child(lvl, "w:lvlJc", val="left")
            ppr = _child(lvl, "w:pPr")
            left = int(720 * (ilvl + 1))
            tabs = _child(ppr, "w:tabs")
            _child(tabs, "w:tab", val="num", pos=str(left))
            _child(ppr, "w:ind", left=str(left), hanging="720")
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        base = numbering.add_num(abstract_id)
        for ilvl, style_id in enumerate(LEVEL_STYLES):
            style = word.styles.element.get_by_id(style_id)
            num_pr = style.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = ilvl
            num_pr.get_or_add_numId().val = base.numId
        return abstract_id

    def _restarted_list(self) -> int:
        """A new list instance, every level starting again at 1 (one per section)."""
        numbering = self.word.part.numbering_part.element
        num = numbering.add_num(self._abstract_id)
        for ilvl in range(len(LEVEL_STYLES)):
            num.add_lvlOverride(ilvl).add_startOverride(1)
        return num.numId

    def _header_footer(self, word: WordDocument, document: Document) -> None:
        section = word.sections[0]
        header = section.header.paragraphs[0]
        header.text = ""
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run(strip_illegal(document.header))
        run.font.size = Pt(9)
        footer = section.footer.paragraphs[0]
        footer.text = ""
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for piece in ("Page ", "PAGE", " of ", "NUMPAGES"):
            if piece.isupper():
                _field(footer, piece, "1")
            else:
                footer.add_run(piece)
        for run in footer.runs:
            run.font.size = Pt(9)

    # ------------------------------------------------------------ content

    def _para(self, text: str | list[Run], style: str, *, bookmark: str | None = None
              ) -> Paragraph:
        paragraph = self.word.add_paragraph()
        paragraph._p.style = style
        runs = [Run(text)] if isinstance(text, str) else text
        for run in runs:
            self._run(paragraph, run)
        if bookmark:
            self._bookmark(paragraph, bookmark)
        return paragraph

    def _run(self, paragraph: Paragraph, run: Run) -> None:
        text = strip_illegal(run.text)
        if run.link:
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), bookmark_name(run.link))
            link.set(qn("w:history"), "1")
            r = OxmlElement("w:r")
            rpr = _child(r, "w:rPr")
            _child(rpr, "w:rStyle", val="Hyperlink")
            if run.bold:
                _child(rpr, "w:b")
            if run.italic:
                _child(rpr, "w:i")
            t = _child(r, "w:t")
            t.text = text
            t.set(qn("xml:space"), "preserve")
            link.append(r)
            paragraph._p.append(link)
            return
        word_run = paragraph.add_run(text)
        if run.bold:
            word_run.bold = True
        if run.italic:
            word_run.italic = True

    def _bookmark(self, paragraph: Paragraph, key: str) -> None:
        mark = self._next_id()
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(mark))
        start.set(qn("w:name"), bookmark_name(key))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(mark))
        ppr = paragraph._p.pPr
        if ppr is not None:
            ppr.addnext(start)
        else:
            paragraph._p.insert(0, start)
        paragraph._p.append(end)

    def _front(self, document: Document) -> None:
        self._para(document.number_line, "OrdNumber")
        self._para(document.title, "OrdTitle")
        self._para(document.draft_notice, "OrdNotice")
        for warning in document.warnings:
            self._para(warning, "OrdWarning")
        for recital in document.recitals:
            self._para(recital, "OrdRecital")
        self._para(document.enacting_clause, "OrdEnacting")

    def _section(self, section: Section) -> None:
        style = "OrdCodeSection" if section.codified else "OrdSection"
        heading = section.label + (f" {section.heading}." if section.heading else "")
        body_style = "OrdCodeBody" if section.codified else "OrdBody"
        blocks = list(section.blocks)
        # A section without a heading runs its first paragraph on the label's line.
        if not section.heading and blocks and isinstance(blocks[0], Para):
            first = blocks.pop(0)
            self._para([Run(section.label + " ", bold=True), *first.runs], body_style,
                       bookmark=section.key)
        else:
            self._para(heading, style, bookmark=section.key)
        num_id = self._restarted_list() if any(isinstance(b, Item) for b in blocks) else 0
        for block in blocks:
            if isinstance(block, Item):
                self._item(block, num_id)
            else:
                self._para(block.runs, body_style)
        if section.note is not None:
            self._note(section.note)

    def _item(self, item: Item, num_id: int) -> None:
        level = min(item.level, len(LEVEL_STYLES) - 1)
        paragraph = self._para(item.runs, LEVEL_STYLES[level])
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id
        for para in item.after:
            continuation = self._para(para.runs, LEVEL_STYLES[level])
            continuation.paragraph_format.left_indent = Inches(0.5 * (level + 1))
            continuation.paragraph_format.first_line_indent = Inches(0)
            ppr = continuation._p.get_or_add_pPr()
            _no_numbering(ppr)
        for child in item.children:
            self._item(child, num_id)

    def _note(self, note: Note) -> None:
        self._para("Commentary", "OrdCommentHead")
        for block in note.blocks:
            style = "OrdCommentBullet" if block.kind == "bullet" else "OrdComment"
            runs = [Run("\u2022\t"), *block.runs] if block.kind == "bullet" else block.runs
            self._para(runs, style)
        if note.authorities:
            self._para(_citations("Legal basis: ", note.authorities), "OrdComment")
        if note.sources:
            self._para(_citations("Modeled on: ", note.sources), "OrdComment")

    def _signature(self, document: Document) -> None:
        signature = document.signature
        for vote in signature.votes:
            self._para(vote, "OrdBody").paragraph_format.space_before = Pt(12)
            for tally in ("AYES:", "NOES:", "ABSTAIN:", "ABSENT:"):
                self._para(tally, "OrdVote")
        self._para("", "OrdSignature").paragraph_format.space_before = Pt(24)
        table = self.word.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        line = "_" * 32
        cells = [
            ("", f"{line}\n{signature.presiding_officer}"),
            (f"ATTEST:\n\n{line}\n{signature.clerk}",
             f"APPROVED AS TO FORM:\n\n{line}\n{signature.counsel}"),
        ]
        for row, (left, right) in zip(table.rows, cells, strict=True):
            for cell, text in zip(row.cells, (left, right), strict=True):
                paragraph = cell.paragraphs[0]
                paragraph._p.style = "OrdSignature"
                for index, piece in enumerate(text.split("\n")):
                    run = paragraph.add_run(piece)
                    if index < len(text.split("\n")) - 1:
                        run.add_break()
                paragraph.paragraph_format.space_after = Pt(18)

    def _properties(self, word: WordDocument, document: Document) -> None:
        props = word.core_properties
        props.title = strip_illegal(document.properties.get("title", ""))[:250]
        props.subject = document.properties.get("subject", "")[:255]
        props.keywords = document.properties.get("keywords", "")[:255]
        props.author = "drafter"
        props.last_modified_by = "drafter"
        props.comments = strip_illegal(document.draft_notice)
        props.category = "Draft ordinance"
        props.revision = 1
        stamp = dt.datetime.fromisoformat(document.properties.get("date", "2000-01-01"))
        props.created = props.modified = stamp


def bookmark_name(key: str) -> str:
    """A Word bookmark name for a section key: starts with _Ref, at most 40 characters."""
    return ("_Ref_" + re.sub(r"[^A-Za-z0-9]", "_", key))[:40]


def _citations(lead: str, items: list[str]) -> list[Run]:
    runs = [Run(lead, bold=True)]
    for index, item in enumerate(items):
        if index:
            runs.append(Run("; "))
        runs.extend(_markdown_runs(item))
    runs.append(Run("."))
    return runs


def _markdown_runs(text: str) -> list[Run]:
    """The tiny Markdown of a formatted citation (*case name*, **flag**) as runs."""
    runs: list[Run] = []
    for piece in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if piece.startswith("**"):
            runs.append(Run(piece[2:-2], bold=True))
        elif piece.startswith("*"):
            runs.append(Run(piece[1:-1], italic=True))
        elif piece:
            runs.append(Run(piece))
    return runs


def _child(parent, tag: str, **attrs: str):  # noqa: ANN001, ANN202 - lxml elements
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)
    return element


def _no_numbering(ppr) -> None:  # noqa: ANN001
    """Switch off the style's list on one paragraph (numId 0 means 'no list')."""
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 0


def _field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result."""
    def fld(kind: str) -> None:
        r = paragraph.add_run()._r
        _child(r, "w:fldChar", fldCharType=kind)

    fld("begin")
    r = paragraph.add_run()._r
    instr = _child(r, "w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    fld("separate")
    paragraph.add_run(cached)
    fld("end")

