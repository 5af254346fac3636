"""Document model -> plain text, wrapped at 80 columns, labels and all (for email and
accessibility tools)."""

from __future__ import annotations

import textwrap

from drafter.docmodel import Document
from drafter.layout import Line, layout, signer_text

WIDTH = 80


class TextWriter:
    """Writes one Document as plain text."""

    def render(self, document: Document) -> str:
        self.document = document
        out: list[str] = []
        for line in layout(document):
            out.extend(self._line(line))
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def _line(self, line: Line) -> list[str]:
        text = "".join(run.text for run in line.runs)
        if line.kind == "signature":
            rule = "_" * 32
            out: list[str] = []
            for row in self.document.signature.rows():
                cells = [signer_text(s, rule).split("\n") for s in row]
                depth = max(len(c) for c in cells)
                cells = [[""] * (depth - len(c)) + c for c in cells]
                out += [f"{a:40}{b}".rstrip() for a, b in
                        zip(*(cells if len(cells) == 2 else [cells[0], [""] * depth]), strict=True)]
                out.append("")
            return out[:-1]
        if line.kind == "tally":
            return [*_wrap(text), *self.document.signature.tally]
        if line.style in ("OrdNumber", "OrdChapter"):
            return [text.center(WIDTH)]
        if line.style == "OrdTitle":
            return [row.center(WIDTH) for row in textwrap.wrap(text.upper(), WIDTH - 10)]
        if line.style.startswith("OrdComment"):
            return _wrap(text, "    | ", "    | ")
        if line.label:
            indent = " " * (6 * (line.level or 0))
            return _wrap(text, f"{indent}{line.label:<6}", indent + " " * 6)
        if line.continuation is not None:
            indent = " " * (6 * (line.continuation + 1))
            return _wrap(text, indent, indent)
        return _wrap(text)


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest) or [first]
