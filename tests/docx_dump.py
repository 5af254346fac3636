"""A normalized text dump of a .docx: style, list level and text per paragraph.

Golden tests compare dumps, not bytes: a .docx is a zip whose bytes vary with no visible change.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as open_docx
from docx.oxml.ns import qn


def dump(path: Path) -> str:
    word = open_docx(str(path))
    lines = []
    for p in word.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        ilvl = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        name = style.get(qn("w:val")) if style is not None else "-"
        level = ilvl.get(qn("w:val")) if ilvl is not None else "-"
        lines.append(f"{name}|{level}|{text}")
    for section in word.sections:
        lines.append("HEADER|" + " ".join(p.text for p in section.header.paragraphs))
        lines.append("FOOTER|" + " ".join(p.text for p in section.footer.paragraphs))
    return "\n".join(lines)
