"""Document model -> Word (.docx), with real Word features.

The writer first lays the document out as a flat list of lines (paragraphs with a style,
runs, list level and list instance), then emits them. Redlines and amendment markup merge
two such lists (``drafter.compare``) before emitting.

- Subdivisions use one style-linked multi-level list whose level formats come from the
  profile, so Word prints exactly the labels drafter computed; each section restarts the
  list through its own ``w:num``.
- Cross-references are internal hyperlinks to bookmarks (literal computed text: Word and
  LibreOffice disagree on REF fields).
- Citations are footnotes (annotated commentary), commentary can be Word comments, the
  footer carries Page X of Y fields, pleading paper numbers its lines, and tracked changes
  are real ``w:ins``/``w:del`` revisions.
- Section, chapter and code-section headings carry outline levels (Word's Navigation Pane,
  PDF bookmarks); the vote lead-in, tally and signature block are kept on one page; the
  document language (``properties["language"]``, default en-US) is set on every style.
- A clerk's own reference .docx restyles the draft as pandoc's ``--reference-doc`` does:
  every style it defines (by style id, or by name) replaces the built-in one, with its
  document defaults and theme fonts; the numbering stays drafter's.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from drafter.docmodel import Document, Note, Run
from drafter.layout import LEVEL_STYLES, Line, citation_runs, layout, markdown_runs, signer_text
from drafter.models import Profile
from drafter.numbering import LEVEL_FORMATS
from drafter.resources import builtin_templates
from drafter.templating import strip_illegal

PAGE_SIZES = {"letter": (8.5, 11.0), "legal": (8.5, 14.0)}
REVISION_AUTHOR = "drafter"
# Outline levels (0 = Word's "Level 1"): the Navigation Pane and the PDF's bookmarks.
OUTLINE_LEVELS = {"OrdSection": 0, "OrdChapter": 1, "OrdCodeSection": 2}
BODY_TEXT_LEVEL = 9  # "Body Text": no outline level
# Footer words around the PAGE and NUMPAGES fields, by language.
PAGE_WORDS = {"en": ("Page ", " of "), "es": ("Página ", " de ")}


@dataclass
class DocxWriter:
    """Writes one Document (or a merged list of lines) to .docx bytes."""

    profile: Profile
    reference: Path
    footnotes: bool = True  # citations in commentary become footnotes
    track_revisions: bool = False  # turn on Word's Track Changes for later edits (redlines)
    revision_date: str = "2000-01-01T00:00:00Z"
    _ids: int = 0
    _lists: dict[str, int] = field(default_factory=dict)
    _notes: list[str] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list)  # plain paragraphs' XML, not yet in the body

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    @property
    def language(self) -> str:
        """The document's language tag (BCP 47): en-US unless the document says otherwise."""
        return self.document.properties.get("language") or "en-US"

    def render(self, document: Document, lines: list[Line] | None = None) -> bytes:
        builtin = builtin_templates() / "reference.docx"
        self.restyled = self.reference.resolve() != builtin.resolve()
        word = open_docx(str(builtin if self.restyled else self.reference))
        if self.restyled:
            restyle(word, self.reference)
        body = word.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.word = word
        self._body = body
        self._sect_pr = body.find(qn("w:sectPr"))  # every paragraph goes in front of it, in order
        self.document = document
        self.revision_date = document.properties.get("date", "2000-01-01") + "T00:00:00Z"
        self._page_setup(word)
        _outline_styles(word)
        _set_language(word, self.language)
        self._abstract_id = self._define_list(word)
        self._start_numbering(word)
        self._header_footer(word, document)
        for line in lines if lines is not None else layout(document):
            self._emit(line)
        self._flush()
        if self._notes:
            self._write_footnotes(word)
        if self.track_revisions:
            settings = word.settings.element
            track = OxmlElement("w:trackRevisions")
            # schema order: ... zoom, removePersonalInformation, ..., trackRevisions, ...
            anchor = next((settings.find(qn(f"w:{tag}")) for tag in (
                "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
                "styleLockTheme", "styleLockQFSet", "defaultTabStop")
                if settings.find(qn(f"w:{tag}")) is not None), None)
            if anchor is not None:
                anchor.addprevious(track)
            else:
                settings.append(track)
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
        section.header_distance = section.footer_distance = Inches(
            0.25 if page.line_numbers else 0.4)
        normal = word.styles["Normal"]
        if not self.restyled:  # a clerk's reference .docx keeps its own fonts and spacing
            normal.font.name = page.font
            normal.font.size = Pt(page.font_size)
            fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), page.font)
        if page.line_numbers:
            self._pleading(word)
        elif not self.restyled:
            normal.paragraph_format.line_spacing = page.line_spacing

    def _pleading(self, word: WordDocument) -> None:
        """Pleading paper: exact double spacing, no paragraph gaps, lines numbered per page."""
        page = self.profile.page
        pitch = Pt(page.font_size * 2)
        for style in word.styles:
            fmt = getattr(style, "paragraph_format", None)
            skip = ("footnote text", "annotation text", "Header", "Footer")
            if fmt is None or style.name in skip:
                continue
            fmt.space_before = Pt(0)
            fmt.space_after = Pt(0)
            fmt.line_spacing = pitch
            # A border's padding would push text off the 28-line grid the numbers are printed on.
            p_pr = style.element.find(qn("w:pPr"))
            border = p_pr.find(qn("w:pBdr")) if p_pr is not None else None
            if border is not None:
                p_pr.remove(border)
        sect_pr = word.sections[0]._sectPr
        numbering = OxmlElement("w:lnNumType")
        numbering.set(qn("w:countBy"), "1")
        numbering.set(qn("w:restart"), "newPage")
        numbering.set(qn("w:distance"), "360")
        # schema order: lnNumType follows pgSz/pgMar/paperSrc/pgBorders
        anchor = sect_pr.find(qn("w:pgMar"))
        anchor.addnext(numbering)

    def _define_list(self, word: WordDocument) -> int:
        """One multi-level list, its levels linked to the Ord Level styles."""
        numbering = word.part.numbering_part.element
        existing = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        abstract_id = max(existing, default=-1) + 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        _sub(abstract, "w:nsid", val="D7AF0001")
        _sub(abstract, "w:multiLevelType", val="multilevel")
        levels = self.profile.levels
        for ilvl in range(9):
            pattern = levels[min(ilvl, len(levels) - 1)]
            fmt, template = LEVEL_FORMATS[pattern]
            lvl = _sub(abstract, "w:lvl", ilvl=str(ilvl))
            _sub(lvl, "w:start", val="1")
            _sub(lvl, "w:numFmt", val=fmt)
            if ilvl < len(LEVEL_STYLES):
                _sub(lvl, "w:pStyle", val=LEVEL_STYLES[ilvl])
            _sub(lvl, "w:lvlText", val=template.format(f"%{ilvl + 1}"))
            _sub(lvl, "w:lvlJc", val="left")
            ppr = _sub(lvl, "w:pPr")
            left = int(720 * (ilvl + 1))
            tabs = _sub(ppr, "w:tabs")
            _sub(tabs, "w:tab", val="num", pos=str(left))
            _sub(ppr, "w:ind", left=str(left), hanging="720")
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

    def _start_numbering(self, word: WordDocument) -> None:
        """Where new w:num elements go and which ids are taken (read once, not per list)."""
        numbering = word.part.numbering_part.element
        self._num_ids = {int(n) for n in numbering.xpath("./w:num/@w:numId")}
        self._next_num = 1
        self._numbering = numbering
        self._num_successor = numbering.find(qn("w:numIdMacAtCleanup"))

    def _list_for(self, key: str) -> int:
        """The list instance of a section: every level starts again at 1.

        The same w:num python-docx's ``add_num`` makes (the lowest unused id, before
        w:numIdMacAtCleanup), with the taken ids kept in a set instead of read from the
        part on every call."""
        found = self._lists.get(key)
        if found is not None:
            return found
        while self._next_num in self._num_ids:
            self._next_num += 1
        num_id = self._next_num
        self._num_ids.add(num_id)
        num = _new("w:num")
        num.set(_W_NUM_ID, str(num_id))
        _sub(num, "w:abstractNumId", val=str(self._abstract_id))
        for ilvl in range(len(LEVEL_STYLES)):
            _sub(_sub(num, "w:lvlOverride", ilvl=str(ilvl)), "w:startOverride", val="1")
        if self._num_successor is not None:
            self._num_successor.addprevious(num)
        else:
            self._numbering.append(num)
        self._lists[key] = num_id
        return num_id

    def _paragraph(self) -> Paragraph:
        """A new empty paragraph at the end of the body (python-docx's ``add_paragraph`` looks
        for w:sectPr among all the body's children each time)."""
        p = self._body.makeelement(_clark("w:p"))  # a CT_P, without parsing a string as OxmlElement does
        if self._sect_pr is not None:
            self._sect_pr.addprevious(p)
        else:
            self._body.append(p)
        return Paragraph(p, self.word._body)

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
        if self.profile.page.line_numbers:
            # Pleading footer: a rule, then the document title (CRC 2.110 style).
            _border_top(footer)
            title = footer.add_run(strip_illegal(_short_title(document.title)) + "\n")
            title.font.size = Pt(8)
        page_word, of_word = PAGE_WORDS.get(self.language.split("-")[0], PAGE_WORDS["en"])
        for piece in (page_word, "PAGE", of_word, "NUMPAGES"):
            if piece.isupper():
                _field(footer, piece, "1")
            else:
                footer.add_run(piece)
        for run in footer.runs:
            run.font.size = Pt(9)

    # ------------------------------------------------------------ content

    def _emit(self, line: Line) -> None:
        if _plain_line(line):
            self._pending.append(self._paragraph_xml(line))
            return
        self._flush()
        if line.kind == "signature":
            self._signature(line)
            return
        paragraph = self._paragraph()
        p = paragraph._p
        if line.style:
            # pPr > pStyle, then numPr: the order python-docx's setters give, made directly
            # (its get_or_add_* search the schema's successors on every call)
            ppr = _sub(p, "w:pPr")
            _sub(ppr, "w:pStyle", val=line.style)
            if line.level is not None:
                num_pr = _sub(ppr, "w:numPr")
                _sub(num_pr, "w:ilvl", val=str(line.level))
                _sub(num_pr, "w:numId", val=str(self._list_for(line.list_key or "")))
        for run in line.runs:
            self._run(p, run)
        if line.level is not None and not line.style:
            num_pr = p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = line.level
            num_pr.get_or_add_numId().val = self._list_for(line.list_key or "")
        if line.continuation is not None:
            fmt = paragraph.paragraph_format
            fmt.left_indent = Inches(0.5 * (line.continuation + 1))
            fmt.first_line_indent = Inches(0)
            _no_numbering(paragraph._p.get_or_add_pPr())
        if line.key == "~chapter_title":  # "Chapter 2.90" above it is the outline entry
            _set_outline(paragraph._p.get_or_add_pPr(), BODY_TEXT_LEVEL)
        if line.kind == "tally":
            # The lead-in, its tally and the signatures stay together: never a stranded
            # "PASSED AND ADOPTED ... by the following vote:" at the foot of a page.
            paragraph.paragraph_format.space_before = Pt(12)
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True
            for tally in self.document.signature.tally:
                vote = self._paragraph()
                vote._p.style = "OrdVote"
                vote.add_run(tally)
                vote.paragraph_format.keep_with_next = True
        if line.bookmark:
            self._bookmark(paragraph, line.bookmark)
        if line.change:
            _mark_paragraph(paragraph, line.change, self._next_id(), self.revision_date)
        if line.note is not None and paragraph.runs:
            self._comment(paragraph, line.note)

    def _run(self, container, run: Run) -> None:  # noqa: ANN001 - the w:p (lxml)
        text = strip_illegal(run.text)
        if run.cite and not self.footnotes:
            text = _plain(self.document.citations.get(run.cite, text))
        if run.link:
            container = _sub(container, "w:hyperlink", anchor=bookmark_name(run.link), history="1")
        if run.change:
            container = _sub(container, f"w:{run.change}", id=str(self._next_id()),
                             author=REVISION_AUTHOR, date=self.revision_date)
        element = _sub(container, "w:r")
        rpr = _sub(element, "w:rPr")
        if run.link:
            _sub(rpr, "w:rStyle", val="Hyperlink")
        if run.bold:
            _sub(rpr, "w:b")
        if run.italic:
            _sub(rpr, "w:i")
        if run.strike:
            _sub(rpr, "w:strike")
        if run.underline:
            _sub(rpr, "w:u", val="single")
        t = _sub(element, "w:delText" if run.change == "del" else "w:t")
        t.text = text
        t.set(_XML_SPACE, "preserve")
        if run.cite and self.footnotes and run.cite in self.document.citations:
            container.append(self._footnote_reference(self.document.citations[run.cite]))

    # Most paragraphs are a style, a list level, runs and perhaps a bookmark. Those are written
    # as XML text and parsed in batches (libxml2 builds elements far faster than one lxml call
    # each); the XML is exactly what _run and _bookmark make, so the document is the same.

    def _paragraph_xml(self, line: Line) -> str:
        head = f'<w:p><w:pPr><w:pStyle w:val="{_attr(line.style)}"/>'
        if line.level is not None:
            head += (f'<w:numPr><w:ilvl w:val="{line.level}"/><w:numId w:val="'
                     f'{self._list_for(line.list_key or "")}"/></w:numPr>')
        runs = "".join([self._run_xml(run) for run in line.runs])  # numbers footnotes in order
        if not line.bookmark:
            return f"{head}</w:pPr>{runs}</w:p>"
        mark = self._next_id()
        return (f'{head}</w:pPr><w:bookmarkStart w:id="{mark}" w:name="{_attr(bookmark_name(line.bookmark))}"/>'
                f'{runs}<w:bookmarkEnd w:id="{mark}"/></w:p>')

    def _run_xml(self, run: Run) -> str:
        text = strip_illegal(run.text)
        if run.cite and not self.footnotes:
            text = _plain(self.document.citations.get(run.cite, text))
        props = "".join(tag for on, tag in ((run.link, '<w:rStyle w:val="Hyperlink"/>'), (run.bold, "<w:b/>"),
                                            (run.italic, "<w:i/>"), (run.strike, "<w:strike/>"),
                                            (run.underline, '<w:u w:val="single"/>')) if on)
        xml = f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{_text(text)}</w:t></w:r>'
        if run.cite and self.footnotes and run.cite in self.document.citations:
            self._notes.append(self.document.citations[run.cite])
            xml += (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                    f'<w:footnoteReference w:id="{len(self._notes)}"/></w:r>')
        if run.link:
            xml = f'<w:hyperlink w:anchor="{_attr(bookmark_name(run.link))}" w:history="1">{xml}</w:hyperlink>'
        return xml

    def _flush(self) -> None:
        if not self._pending:
            return
        batch = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self._pending)}</w:body>")
        self._pending.clear()
        for p in list(batch):
            if self._sect_pr is not None:
                self._sect_pr.addprevious(p)
            else:
                self._body.append(p)

    def _footnote_reference(self, citation: str):  # noqa: ANN202 - lxml element
        self._notes.append(citation)
        r = _new("w:r")
        rpr = _sub(r, "w:rPr")
        _sub(rpr, "w:rStyle", val="FootnoteReference")
        _sub(r, "w:footnoteReference", id=str(len(self._notes)))
        return r

    def _write_footnotes(self, word: WordDocument) -> None:
        """The footnotes part: Word's two separators, then one note per citation."""
        xml = [f"<w:footnotes {nsdecls('w')}>",
               '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
               'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
               'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
               "</w:r></w:p></w:footnote>"]
        for number, citation in enumerate(self._notes, start=1):  # as XML text: one parse for all
            xml.append(f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                       '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                       '<w:r><w:t xml:space="preserve"> </w:t></w:r>')
            for run in markdown_runs(citation + "."):
                xml.append(f'<w:r><w:rPr>{"<w:b/>" if run.bold else ""}{"<w:i/>" if run.italic else ""}</w:rPr>'
                           f'<w:t xml:space="preserve">{_text(strip_illegal(run.text))}</w:t></w:r>')
            xml.append("</w:p></w:footnote>")
        root = parse_xml("".join([*xml, "</w:footnotes>"]))
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, word.part.package)
        word.part.relate_to(part, RT.FOOTNOTES)
        settings = word.settings.element
        pr = OxmlElement("w:footnotePr")
        for note_id in ("-1", "0"):
            _sub(pr, "w:footnote", id=note_id)
        successor = next((settings.find(qn(f"w:{tag}")) for tag in ("endnotePr", "compat", "rsids")
                          if settings.find(qn(f"w:{tag}")) is not None), None)
        if successor is not None:
            successor.addprevious(pr)
        else:
            settings.append(pr)

    def _comment(self, paragraph: Paragraph, note: Note) -> None:
        """The section's commentary as a Word comment anchored to its heading."""
        date = dt.datetime.fromisoformat(self.revision_date.replace("Z", "+00:00"))
        comment = self.word.add_comment(paragraph.runs, text="", author="drafter commentary",
                                        initials="DC")
        comment._comment_elm.set(qn("w:date"), date.strftime("%Y-%m-%dT%H:%M:%SZ"))
        first = True
        blocks = [*note.blocks]
        extra = [citation_runs(lead, items) for _, lead, items in note.citation_lines()]
        for runs in [b.runs if b.kind == "text" else [Run("\u2022 "), *b.runs] for b in blocks] + extra:
            para = comment.paragraphs[0] if first else comment.add_paragraph()
            first = False
            for run in runs:
                text = run.text
                if run.cite:
                    text = _plain(self.document.citations.get(run.cite, text))
                word_run = para.add_run(strip_illegal(text))
                word_run.bold = run.bold or None
                word_run.italic = run.italic or None

    def _bookmark(self, paragraph: Paragraph, key: str) -> None:
        mark = self._next_id()
        start = _new("w:bookmarkStart")
        start.set(qn("w:id"), str(mark))
        start.set(qn("w:name"), bookmark_name(key))
        end = _new("w:bookmarkEnd")
        end.set(qn("w:id"), str(mark))
        ppr = paragraph._p.pPr
        if ppr is not None:
            ppr.addnext(start)
        else:
            paragraph._p.insert(0, start)
        paragraph._p.append(end)

    def _signature(self, line: Line) -> None:
        signature = self.document.signature
        spacer = self._paragraph()
        spacer._p.style = "OrdSignature"
        spacer.paragraph_format.space_before = Pt(24)
        spacer.paragraph_format.keep_with_next = True
        rows = signature.rows()
        table = self.word.add_table(rows=len(rows), cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row in table.rows:  # no row split across pages, each row kept with the next
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
        rule = "_" * 32
        cells = [[signer_text(s, rule) for s in row] + [""] * (2 - len(row)) for row in rows]
        for row, texts in zip(table.rows, cells, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph._p.style = "OrdSignature"
                pieces = text.split("\n")
                for index, piece in enumerate(pieces):
                    run = paragraph.add_run(piece)
                    if index < len(pieces) - 1:
                        run.add_break()
                paragraph.paragraph_format.space_after = Pt(18)
                paragraph.paragraph_format.keep_together = True
                paragraph.paragraph_format.keep_with_next = row is not table.rows[-1]

    def _properties(self, word: WordDocument, document: Document) -> None:
        props = word.core_properties
        props.title = strip_illegal(document.properties.get("title", ""))[:250]
        props.subject = document.properties.get("subject", "")[:255]
        props.keywords = document.properties.get("keywords", "")[:255]
        props.author = "drafter"
        props.last_modified_by = "drafter"
        props.comments = strip_illegal(document.properties.get("trace", document.draft_notice))[:255]
        props.category = "Draft ordinance"
        props.content_status = "Draft"
        props.version = document.properties.get("library_version", "")[:255]
        props.identifier = document.properties.get("answers_sha256", "")[:255]
        props.revision = 1
        props.language = self.language
        stamp = dt.datetime.fromisoformat(document.properties.get("date", "2000-01-01"))
        props.created = props.modified = stamp


def bookmark_name(key: str) -> str:
    """A Word bookmark name for a section key: starts with _Ref, at most 40 characters."""
    return ("_Ref_" + re.sub(r"[^A-Za-z0-9]", "_", key))[:40]


def _short_title(title: str) -> str:
    return title if len(title) <= 110 else title[:107].rsplit(" ", 1)[0] + " ..."


def _plain(markdown: str) -> str:
    return markdown.replace("**", "").replace("*", "")




# ECMA-376 order of the pPr children that follow w:outlineLvl.
_AFTER_OUTLINE = ("divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _set_outline(ppr, level: int) -> None:  # noqa: ANN001 - lxml element
    """Set w:outlineLvl in a pPr, in schema order."""
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    successor = next((c for c in ppr if c.tag in {qn(f"w:{t}") for t in _AFTER_OUTLINE}), None)
    (successor.addprevious if successor is not None else ppr.append)(element)


def _outline_styles(word: WordDocument) -> None:
    """Heading styles without an outline level (an older or a clerk's reference) get one."""
    for style_id, level in OUTLINE_LEVELS.items():
        style = word.styles.element.get_by_id(style_id)
        if style is None:
            continue
        ppr = style.get_or_add_pPr()
        if ppr.find(qn("w:outlineLvl")) is None:
            _set_outline(ppr, level)


def _set_language(word: WordDocument, language: str) -> None:
    """The proofing and reading language of every style, of the defaults and of the settings."""
    styles = word.styles.element
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), language)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = _sub(rpr_default, "w:rPr")
    if rpr.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language)
        # w:lang follows the run properties that come before it in the schema
        successor = next((c for c in rpr if c.tag in {qn(f"w:{t}") for t in (
            "eastAsianLayout", "specVanish", "oMath")}), None)
        (successor.addprevious if successor is not None else rpr.append)(lang)
    settings = word.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), language)


def restyle(word: WordDocument, reference: Path) -> None:
    """Take the styles of a clerk's .docx, as pandoc's --reference-doc does.

    Every style the reference defines replaces the built-in style with the same id (or, when
    Word gave it a local id, the same name) or is added; its document defaults and theme (the
    fonts "+Body" and "+Headings" stand for) replace the built-in ones. List numbering in the
    copied styles is dropped: drafter defines its own lists and links them to the Ord Level
    styles after this.
    """
    from drafter.errors import DrafterError, Problem
    from drafter.resources import display_path

    if not reference.is_file():
        raise DrafterError([Problem(display_path(reference), message="reference .docx not found",
                                    hint="give the path of a Word file (--reference-doc or "
                                         "output.reference_doc, relative to the answers file)")])
    try:
        theirs = open_docx(str(reference))
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise DrafterError([Problem(display_path(reference), message=f"not a Word .docx file ({exc})",
                                    hint="give a .docx saved by Word or LibreOffice")]) from exc
    ours = word.styles.element
    their_styles = theirs.styles.element
    their_defaults = their_styles.find(qn("w:docDefaults"))
    if their_defaults is not None:
        mine = ours.find(qn("w:docDefaults"))
        copy = parse_xml(_xml(their_defaults))
        if mine is not None:
            mine.addprevious(copy)
            ours.remove(mine)
        else:
            ours.insert(0, copy)
    by_name = {}
    for style in ours.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            by_name[(style.get(qn("w:type")), name.get(qn("w:val")).lower())] = style
    for style in their_styles.findall(qn("w:style")):
        copy = parse_xml(_xml(style))
        for num_pr in copy.iter(qn("w:numPr")):
            num_pr.getparent().remove(num_pr)
        name = style.find(qn("w:name"))
        key = (style.get(qn("w:type")), name.get(qn("w:val")).lower() if name is not None else "")
        mine = ours.get_by_id(style.get(qn("w:styleId")))
        if mine is None:
            mine = by_name.get(key)
        if mine is not None:
            copy.set(qn("w:styleId"), mine.get(qn("w:styleId")))
            mine.addprevious(copy)
            ours.remove(mine)
        else:
            ours.append(copy)
    _copy_theme(theirs, word)


def _copy_theme(source: WordDocument, target: WordDocument) -> None:
    def theme(doc: WordDocument):  # noqa: ANN202
        return next((rel.target_part for rel in doc.part.rels.values()
                     if rel.reltype == RT.THEME and not rel.is_external), None)

    theirs, ours = theme(source), theme(target)
    if theirs is not None and ours is not None:
        ours._blob = theirs.blob  # a plain Part: its bytes are written as they are


def _xml(element) -> str:  # noqa: ANN001
    from lxml import etree

    return etree.tostring(element, encoding="unicode")


_W_NUM_ID = qn("w:numId")
_XML_SPACE = qn("xml:space")
_CLARK: dict[str, str] = {}
_W_NSMAP = {"w": nsmap["w"]}


def _clark(tag: str) -> str:
    name = _CLARK.get(tag)
    if name is None:
        name = _CLARK[tag] = qn(tag)
    return name


def _plain_line(line: Line) -> bool:
    """A paragraph _paragraph_xml writes: no comment, tracked change, indent or keep rules."""
    return (line.kind == "para" and bool(line.style) and line.continuation is None and not line.change
            and line.note is None and line.key != "~chapter_title"
            and not any(run.change for run in line.runs))


_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                               "\n": "&#10;", "\t": "&#9;"})


def _text(text: str) -> str:
    return text.translate(_TEXT_ESCAPES)


def _attr(text: str) -> str:
    return text.translate(_ATTR_ESCAPES)


def _new(tag: str):  # noqa: ANN202 - an lxml element
    """A loose element, as python-docx's ``OxmlElement`` makes it (its custom class, the w
    prefix declared), without building a prefixed-tag object for every call."""
    return oxml_parser.makeelement(_clark(tag), nsmap=_W_NSMAP)


def _sub(parent, tag: str, **attrs: str):  # noqa: ANN001, ANN202 - lxml elements
    """A new last child of ``parent``, made in place by lxml (same element and namespace as
    ``_child``, without python-docx's per-element namespace map)."""
    element = etree.SubElement(parent, _clark(tag))
    for key, value in attrs.items():
        element.set(_clark(f"w:{key}"), value)
    return element




def _no_numbering(ppr) -> None:  # noqa: ANN001
    """Switch off the style's list on one paragraph (numId 0 means 'no list')."""
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 0


def _border_top(paragraph: Paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    _sub(borders, "w:top", val="single", sz="6", space="4", color="000000")
    jc = ppr.find(qn("w:jc"))
    (jc.addprevious if jc is not None else ppr.append)(borders)


def _mark_paragraph(paragraph: Paragraph, change: str, revision: int, date: str) -> None:
    """Track the paragraph mark itself, so accepting or rejecting removes it cleanly."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)  # rPr is the last child of pPr we write
    _sub(rpr, f"w:{change}", id=str(revision), author=REVISION_AUTHOR, date=date)


def _field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result."""
    def fld(kind: str) -> None:
        r = paragraph.add_run()._r
        _sub(r, "w:fldChar", fldCharType=kind)

    fld("begin")
    r = paragraph.add_run()._r
    instr = _sub(r, "w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    fld("separate")
    paragraph.add_run(cached)
    fld("end")
