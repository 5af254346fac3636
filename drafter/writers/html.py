"""Document model -> a standalone HTML page (for sharing a draft by email or the web)."""

from __future__ import annotations

from html import escape

from drafter.docmodel import Document, Run
from drafter.layout import Line, layout, signer_text
from drafter.writers.markdown import anchor

STYLE = """
body { font-family: "Times New Roman", Times, serif; max-width: 46em; margin: 2em auto;
       line-height: 1.45; color: #111; padding: 0 1em; }
.OrdNumber, .OrdChapter { text-align: center; font-weight: bold; }
.OrdTitle { text-align: center; font-weight: bold; text-transform: uppercase; margin: 1em 3em; }
.OrdNotice { font-style: italic; font-size: .9em; border: 1px solid #888; padding: .4em .6em; }
.OrdWarning { color: #9c0006; border: 1px solid #9c0006; padding: .4em .6em; }
.OrdRecital, .OrdBody, .OrdCodeBody { text-indent: 2.5em; text-align: justify; }
.OrdEnacting { font-weight: bold; text-indent: 2.5em; }
.OrdSection, .OrdCodeSection { font-weight: bold; margin-top: 1.2em; }
.item { display: flex; text-align: justify; }
.item .label { flex: 0 0 3em; }
.OrdCommentHead, .OrdComment, .OrdCommentBullet { background: #eef2f7; color: #1f3864;
       font-size: .92em; margin: 0 2.5em; padding: .25em .6em; }
.OrdCommentHead { font-weight: bold; font-style: italic; }
.signature td { padding: 1.5em 2em 0 0; vertical-align: top; }
.footnotes { font-size: .85em; border-top: 1px solid #888; margin-top: 2em; }
"""


class HtmlWriter:
    """Writes one Document as HTML with computed labels and citation footnotes."""

    def render(self, document: Document, lines: list[Line] | None = None) -> str:
        self.document = document
        self.notes: list[str] = []
        body = [self._line(line) for line in (lines if lines is not None else layout(document))]
        notes = ""
        if self.notes:
            items = "".join(f'<li id="fn{n}">{_inline_markdown(text)}.</li>'
                            for n, text in enumerate(self.notes, 1))
            notes = f'<ol class="footnotes">{items}</ol>'
        title = escape(document.properties.get("title", document.title))
        lang = escape(document.properties.get("language") or "en-US")
        return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
                f"<title>{title}</title><style>{STYLE}</style></head><body>\n"
                + "\n".join(body) + notes + "\n</body></html>\n")

    def _line(self, line: Line) -> str:
        if line.kind == "signature":
            rule = "_" * 32
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(signer_text(s, rule)).replace(chr(10), '<br>')}</td>"
                                 for s in row) + "</tr>"
                for row in self.document.signature.rows())
            return f'<table class="signature">{rows}</table>'

        ident = f' id="{anchor(line.bookmark)}"' if line.bookmark else ""
        text = self._runs(line.runs)
        if line.kind == "tally":
            return (f'<p class="OrdBody"{ident}>{text}</p>'
                    + "".join(f"<p>{escape(t)}</p>" for t in self.document.signature.tally))
        if line.label or line.continuation is not None:
            depth = line.level if line.level is not None else line.continuation or 0
            label = escape(line.label)
            return (f'<div class="item" style="margin-left:{3 * depth}em"{ident}>'
                    f'<span class="label">{label}</span><span>{text}</span></div>')
        return f'<p class="{line.style}"{ident}>{text}</p>'

    def _runs(self, runs: list[Run]) -> str:
        out = []
        for index, run in enumerate(runs):
            text = escape(run.text)
            if run.bold:
                text = f"<strong>{text}</strong>"
            if run.italic:
                text = f"<em>{text}</em>"
            if run.underline:
                text = f"<u>{text}</u>"
            if run.strike:
                text = f"<s>{text}</s>"
            if run.change == "ins":
                text = f"<ins>{text}</ins>"
            if run.change == "del":
                text = f"<del>{text}</del>"
            if run.link:
                text = f'<a href="#{anchor(run.link)}">{text}</a>'
            last = run.cite and (index + 1 == len(runs) or runs[index + 1].cite != run.cite)
            if last:
                self.notes.append(self.document.citations.get(run.cite, run.cite))
                n = len(self.notes)
                text += f'<sup><a href="#fn{n}">{n}</a></sup>'
            out.append(text)
        return "".join(out)


def _inline_markdown(text: str) -> str:
    """The tiny Markdown of a formatted citation as HTML."""
    from drafter.layout import markdown_runs

    parts = []
    for run in markdown_runs(text):
        piece = escape(run.text)
        if run.bold:
            piece = f"<strong>{piece}</strong>"
        if run.italic:
            piece = f"<em>{piece}</em>"
        parts.append(piece)
    return "".join(parts)
