"""Document model -> Markdown: a readable plain-text draft (and pandoc's input in bench/)."""

from __future__ import annotations

import re
from collections.abc import Callable

from drafter.docmodel import Document, Item, Note, Para, Run, Section

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def runs_markdown(runs: list[Run], links: dict[str, str] | None = None,
                  footnote: Callable[[str], str] | None = None) -> str:
    """Runs as Markdown, cross-references as links to the section anchors, citations as
    footnote markers (``footnote`` returns the marker for an authority id)."""
    out = []
    for index, run in enumerate(runs):
        text = _escape(run.text)
        if run.bold and text.strip():
            text = f"**{text}**"
        if run.italic and text.strip():
            text = f"*{text}*"
        if run.link and links is not None and run.link in links:
            text = f"[{text}](#{links[run.link]})"
        last_of_cite = run.cite and (index + 1 == len(runs) or runs[index + 1].cite != run.cite)
        if last_of_cite and footnote is not None:
            text += footnote(run.cite)
        out.append(text)
    return "".join(out)


def anchor(key: str) -> str:
    """The HTML anchor of a section key."""
    return "sec-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


class MarkdownWriter:
    """Writes one Document as Markdown."""

    def render(self, document: Document) -> str:
        self.links = {s.key: anchor(s.key) for s in document.all_sections()}
        self.document = document
        self.notes: list[str] = []
        lines: list[str] = [f"**{_escape(document.number_line)}**", ""] if document.number_line else []
        lines += [f"# {_escape(document.title.upper())}", "",
                  f"> *{_escape(document.draft_notice)}*", ""]
        for warning in [*document.notices, *document.warnings]:
            lines += [f"> {runs_markdown(warning.runs)}", ">"]
        if document.notices or document.warnings:
            lines[-1] = ""
        for recital in document.recitals:
            lines += [_escape(recital), ""]
        if document.enacting_clause:
            lines += [f"**{_escape(document.enacting_clause)}**", ""]
        for section in document.sections:
            lines += self._section(section)
            if section.chapter:
                lines += [f"## Chapter {_escape(section.chapter.number)}: "
                          f"{_escape(section.chapter.title.upper())}", ""]
                for code_section in section.chapter.sections:
                    lines += self._section(code_section)
        if document.signature is not None:
            lines += self._signature(document)
        if self.notes:
            lines += ["---", ""] + [f"[^{n}]: {text}." for n, text in enumerate(self.notes, 1)]
        return "\n".join(lines).rstrip() + "\n"

    def _footnote(self, authority_id: str) -> str:
        self.notes.append(self.document.citations.get(authority_id, authority_id))
        return f"[^{len(self.notes)}]"

    def _section(self, section: Section) -> list[str]:
        lines = [f'<a id="{self.links[section.key]}"></a>', ""]
        blocks = list(section.blocks)
        label = _escape(section.label)
        if section.heading and not section.label:
            lines += [f"## {_escape(section.heading)}", ""]
        elif section.heading:
            lines += [f"**{label} {_escape(section.heading)}.**".replace("** ", "**"), ""]
        elif blocks and isinstance(blocks[0], Para):
            first = blocks.pop(0)
            lines += [f"**{label}** {runs_markdown(first.runs, self.links)}", ""]
        for block in blocks:
            lines += self._block(block)
        if section.note is not None and self.document.commentary in ("annotated", "comments"):
            lines += self._note(section.note)
        return lines

    def _block(self, block: Item | Para, depth: int = 0) -> list[str]:
        if isinstance(block, Para):
            bullet = "- " if block.kind == "bullet" else ""
            return [bullet + runs_markdown(block.runs, self.links, self._footnote), ""]
        indent = "\u00a0" * 4 * block.level
        lines = [f"{indent}{block.label} {runs_markdown(block.runs, self.links)}", ""]
        for para in block.after:
            lines += [f"{indent}{runs_markdown(para.runs, self.links)}", ""]
        for child in block.children:
            lines += self._block(child, depth + 1)
        return lines

    def _note(self, note: Note) -> list[str]:
        lines = ["> **Commentary**", ">"]
        for block in note.blocks:
            prefix = "> - " if block.kind == "bullet" else "> "
            lines += [prefix + runs_markdown(block.runs, footnote=self._footnote), ">"]
        for _, lead, items in note.citation_lines():
            lines += [f"> **{lead.strip()}** " + "; ".join(items) + ".", ">"]
        lines[-1] = ""
        return lines

    def _signature(self, document: Document) -> list[str]:
        signature = document.signature
        lines: list[str] = []
        for vote in signature.votes:
            lines += [_escape(vote), ""]
            lines += [t + "  " for t in signature.tally[:-1]] + signature.tally[-1:] + [""]
        rule = "\\_" * 32
        for row in signature.rows():
            for signer in row:
                if not signer.title:
                    continue
                if signer.lead:
                    lines += [_escape(signer.lead), ""]
                lines += [rule + "  ", _escape(signer.title), ""]
                if signer.dated:
                    lines += ["Date: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_", ""]
        return lines
