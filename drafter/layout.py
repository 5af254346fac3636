"""The document laid out as a flat list of paragraphs, shared by the docx, html and txt
writers and by redlines (which merge two such lists)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from drafter.docmodel import Document, Item, Note, Para, Run, Section, Signer

LEVEL_STYLES = ["OrdLevel1", "OrdLevel2", "OrdLevel3", "OrdLevel4", "OrdLevel5"]


@dataclass
class Line:
    """One paragraph to emit."""

    style: str
    runs: list[Run]
    level: int | None = None  # list level for numbered subdivisions
    list_key: str | None = None  # paragraphs with one key share a restarted list
    bookmark: str | None = None
    note: Note | None = None  # commentary to attach as a Word comment
    kind: Literal["para", "signature", "tally"] = "para"
    continuation: int | None = None  # indent level of an unnumbered continuation paragraph
    change: Literal["ins", "del"] | None = None  # whole paragraph inserted or deleted
    key: str = ""  # identity for comparing drafts: section key + position
    label: str = ""  # the computed label, for formats without Word numbering

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def layout(document: Document) -> list[Line]:
    """The document as a flat list of paragraphs, in reading order."""
    lines: list[Line] = []
    if document.number_line:
        lines.append(Line("OrdNumber", [Run(document.number_line)], key="~number"))
    lines += [Line("OrdTitle", [Run(document.title)], key="~title"),
              Line("OrdNotice", [Run(document.draft_notice)], key="~notice")]
    if document.legend:
        lines.append(Line("OrdNotice", [Run(document.legend)], key="~legend"))
    lines += [Line("OrdNotice", list(n.runs), key=f"~statenote{i}") for i, n in enumerate(document.notices)]
    lines += [Line("OrdWarning", list(w.runs), key=f"~warning{i}") for i, w in enumerate(document.warnings)]
    lines += [Line("OrdRecital", [Run(r)], key=f"~recital{i}") for i, r in enumerate(document.recitals)]
    if document.enacting_clause:
        lines.append(Line("OrdEnacting", [Run(document.enacting_clause)], key="~enacting"))
    for section in document.sections:
        lines += _section_lines(section, document)
        if section.chapter:
            lines.append(Line("OrdChapter", [Run(f"Chapter {section.chapter.number}")],
                              key="~chapter_number"))
            lines.append(Line("OrdChapter", [Run(section.chapter.title.upper())],
                              key="~chapter_title"))
            for code_section in section.chapter.sections:
                lines += _section_lines(code_section, document)
    if document.signature is not None:
        for index, vote in enumerate(document.signature.votes):
            lines.append(Line("OrdBody", [Run(vote)], kind="tally", key=f"~vote{index}"))
        lines.append(Line("OrdSignature", [], kind="signature", key="~signature"))
    return lines


def signer_text(signer: Signer, rule: str) -> str:
    """One signature line as text, lines separated by newlines ("" for an empty cell)."""
    if not signer.title and not signer.lead:
        return ""
    lead = f"{signer.lead}\n\n" if signer.lead else ""
    date = "\nDate: ______________" if signer.dated else ""
    return f"{lead}{rule}\n{signer.title}{date}"


def _section_lines(section: Section, document: Document) -> list[Line]:
    codified = section.codified
    heading_style = "OrdCodeSection" if codified else "OrdSection"
    body_style = "OrdCodeBody" if codified else "OrdBody"
    blocks = list(section.blocks)
    comment = section.note if document.commentary == "comments" else None
    if not section.heading and blocks and isinstance(blocks[0], Para):
        first = blocks.pop(0)
        head = Line(body_style, [Run(section.label + " ", bold=True), *first.runs],
                    bookmark=section.key, note=comment, key=f"{section.key}#0")
    else:
        title = " ".join(p for p in (section.label, section.heading) if p)
        title += "." if section.label and section.heading and not title.endswith((".", "?", ":")) else ""
        head = Line(heading_style, [Run(title)], bookmark=section.key, note=comment,
                    key=f"{section.key}#head")
    lines = [head]
    counter = 0

    def item_lines(item: Item) -> None:
        nonlocal counter
        level = min(item.level, len(LEVEL_STYLES) - 1)
        counter += 1
        lines.append(Line(LEVEL_STYLES[level], item.runs, level=level, list_key=section.key,
                          key=f"{section.key}#{counter}", label=item.label))
        for para in item.after:
            counter += 1
            lines.append(Line(LEVEL_STYLES[level], para.runs, continuation=level,
                              key=f"{section.key}#{counter}"))
        for child in item.children:
            item_lines(child)

    for block in blocks:
        if isinstance(block, Item):
            item_lines(block)
        else:
            counter += 1
            if block.kind == "bullet":
                lines.append(Line("OrdBullet", [Run("\u2022\t"), *block.runs],
                                  key=f"{section.key}#{counter}"))
            else:
                lines.append(Line(body_style, block.runs, key=f"{section.key}#{counter}"))
    if section.note is not None and document.commentary == "annotated":
        lines += _note_lines(section.note, section.key)
    return lines


def _note_lines(note: Note, key: str) -> list[Line]:
    lines = [Line("OrdCommentHead", [Run("Commentary")], key=f"{key}#note")]
    for index, block in enumerate(note.blocks):
        style = "OrdCommentBullet" if block.kind == "bullet" else "OrdComment"
        runs = [Run("\u2022\t"), *block.runs] if block.kind == "bullet" else block.runs
        lines.append(Line(style, runs, key=f"{key}#note{index}"))
    for name, lead, items in note.citation_lines():
        lines.append(Line("OrdComment", citation_runs(lead, items), key=f"{key}#{name}"))
    return lines


def citation_runs(lead: str, items: list[str]) -> list[Run]:
    runs = [Run(lead, bold=True)]
    for index, item in enumerate(items):
        if index:
            runs.append(Run("; "))
        runs.extend(markdown_runs(item))
    runs.append(Run("."))
    return runs


def markdown_runs(text: str) -> list[Run]:
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


