"""The commentary memo: a separate document with a section-by-section analysis and a
table of authorities (commentary mode ``memo``), for the lawyers and staff who advise a
council while the council reads the clean copy."""

from __future__ import annotations

from dataclasses import replace

from drafter.docmodel import Document, Para, Run, Section
from drafter.library import Library
from drafter.render import format_citation
from drafter.resolve import Selection

KIND_TITLES = {"case": "Cases", "statute": "Federal statutes", "regulation": "Regulations",
               "executive-order": "Executive orders", "federal-action": "Federal actions",
               "state-law": "State laws", "local-law": "Local laws",
               "model-policy": "Model policies and reports", "report": "Reports"}


def memo_document(library: Library, selection: Selection, ordinance: Document) -> Document:
    """A document holding the commentary of ``ordinance`` and its table of authorities."""
    sections: list[Section] = []
    cited_in: dict[str, list[str]] = {}
    for section in ordinance.all_sections():
        if section.note is None:
            continue
        heading = f"{section.ref}. {section.heading}" if section.heading else section.ref
        sections.append(Section(f"memo-{section.key}", "", section.ref, heading,
                                list(section.note.blocks)))
        clause = next((c for c in selection.clauses if c.id == section.key), None)
        for run in (r for b in section.note.blocks for r in b.runs if r.cite):
            cited_in.setdefault(run.cite, []).append(section.ref)
        if clause is not None:
            for authority in (*clause.meta.authorities, *clause.meta.sources):
                cited_in.setdefault(authority, []).append(section.ref)
    table: list[Para] = []
    authorities = [library.authorities[a] for a in cited_in if a in library.authorities]
    for kind, title in KIND_TITLES.items():
        entries = sorted((a for a in authorities if a.kind == kind), key=lambda a: a.name.lower())
        if not entries:
            continue
        table.append(Para([Run(title, bold=True)]))
        for authority in entries:
            where = ", ".join(dict.fromkeys(cited_in[authority.id]))
            runs = [Run(r.text, r.bold, r.italic) for r in _citation(authority)]
            table.append(Para([*runs, Run(f" — {where}.")]))
    sections.append(Section("memo-authorities", "", "", "Table of Authorities", table))
    return replace(
        ordinance,
        number_line="COMMENTARY MEMORANDUM",
        title=f"Section-by-section analysis: {ordinance.title}",
        recitals=[], enacting_clause="", sections=sections, signature=None,
        commentary="none",
        header=f"Commentary memorandum · {ordinance.jurisdiction} · DRAFT {ordinance.date}",
    )


def _citation(authority) -> list[Run]:  # noqa: ANN001
    from drafter.layout import markdown_runs

    return markdown_runs(str(format_citation(authority)))
