"""The document model: a small tree independent of any output format.

Render builds it; writers walk it. Every section keeps the clause id it came from, and
every label is computed (never typed by a person).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None  # target section key of an internal cross-reference
    cite: str | None = None  # authority id: writers may add the full citation as a footnote
    underline: bool = False
    strike: bool = False
    change: Literal["ins", "del"] | None = None  # a tracked change in a redline


@dataclass
class Para:
    """A paragraph of running text."""

    runs: list[Run]
    kind: Literal["text", "bullet"] = "text"
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Item:
    """A numbered subdivision: subsection (a), paragraph (1), subparagraph (A), ..."""

    level: int
    label: str
    runs: list[Run]
    children: list[Item] = field(default_factory=list)
    after: list[Para] = field(default_factory=list)  # continuation paragraphs of the item

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


Block = Para | Item


@dataclass
class Note:
    """Commentary attached to a section, with the authorities it rests on."""

    blocks: list[Para]
    authorities: list[str] = field(default_factory=list)  # formatted citations: federal and this state's law
    sources: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)  # other states' and places' laws, models and guidance

    def citation_lines(self) -> list[tuple[str, str, list[str]]]:
        """The lines under the commentary, each its key (as earlier drafts named it: a redline matches
        lines by key), its lead and its citations; empty ones left out."""
        lines = [("basis", "Legal basis: ", self.authorities), ("see-also", "See also: ", self.see_also),
                 ("sources", "Modeled on: ", self.sources)]
        return [line for line in lines if line[2]]


@dataclass
class Section:
    """A numbered section of the ordinance or of a code chapter."""

    key: str  # clause id, or a synthetic key such as "_chapter"
    label: str  # as printed: "SECTION 3." or "2.90.030"
    ref: str  # as cited: "Section 3" or "Section 2.90.030"
    heading: str
    blocks: list[Block] = field(default_factory=list)
    note: Note | None = None
    chapter: Chapter | None = None  # the code chapter a codifying section adds
    codified: bool = False


@dataclass
class Chapter:
    """A new code chapter, set out in full inside a codifying section."""

    number: str
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Signer:
    """One signature line: a lead ("ATTEST:"), the signer's title, and a date line."""

    lead: str
    title: str
    dated: bool = False


@dataclass
class Signature:
    """Vote tally and signature lines, always left blank for the clerk.

    ``signers`` are rows of one or two lines; without them the classic block is built
    from ``presiding_officer``, ``clerk`` and ``counsel``. A line with an empty title is an
    empty cell.
    """

    votes: list[str]
    presiding_officer: str
    clerk: str
    counsel: str
    signers: list[list[Signer]] = field(default_factory=list)  # rows of one or two lines
    tally: list[str] = field(default_factory=lambda: ["AYES:", "NOES:", "ABSTAIN:", "ABSENT:"])

    def rows(self) -> list[list[Signer]]:
        """The signature lines, row by row, as every writer lays them out."""
        if self.signers:
            return self.signers
        last = [Signer("ATTEST:", self.clerk)]
        if self.counsel:
            last.append(Signer("APPROVED AS TO FORM:", self.counsel))
        return [[Signer("", ""), Signer("", self.presiding_officer)], last]


@dataclass
class Document:
    """One draft ordinance."""

    number_line: str
    title: str
    draft_notice: str
    warnings: list[Para]  # the boxed notices under the title (state law), in order
    recitals: list[str]
    enacting_clause: str
    sections: list[Section]
    signature: Signature | None
    jurisdiction: str
    date: str
    header: str
    properties: dict[str, str] = field(default_factory=dict)
    citations: dict[str, str] = field(default_factory=dict)  # authority id -> full citation (Markdown)
    # plain notes under the title: state law checked; names unchecked; offices to confirm
    notices: list[Para] = field(default_factory=list)
    commentary: str = "annotated"  # annotated | comments | none (how notes are shown)
    legend: str = ""  # amendment markup legend, when the draft shows changes

    def all_sections(self) -> list[Section]:
        """Ordinance sections and the code sections inside them, in reading order."""
        out: list[Section] = []
        for section in self.sections:
            out.append(section)
            if section.chapter:
                out.extend(section.chapter.sections)
        return out
