"""The analyzer's findings as a memo an organizer can hand to a council member."""

from __future__ import annotations

import datetime as dt

from drafter.analyze import Analysis
from drafter.docmodel import Document, Para, Run, Section
from drafter.library import Library


def analysis_document(analysis: Analysis, library: Library, source_name: str) -> Document:
    """A memo: what the policy does, what weakens it, and what to ask for."""
    taxonomy = library.taxonomy
    assert taxonomy is not None
    describe = {**taxonomy.provisions, **taxonomy.loopholes}
    sections: list[Section] = []
    if analysis.mandates_cooperation:
        sections.append(Section("an-mandate", "", "", "This text requires cooperation", [
            Para([Run("It commands local officials to help federal immigration enforcement "
                      "(an anti-sanctuary law or agreement). Evidence: ", bold=True)]),
            *[Para([Run(f"“{f.evidence}” ({f.location})")], "bullet")
              for f in analysis.mandate_evidence]]))
    sections.append(Section("an-protections", "", "", "Protections it contains", [
        Para([Run(describe.get(f.id, f.id), bold=True), Run(f" ({f.id}). “{f.evidence}” — {f.location}.")],
             "bullet") for f in analysis.provisions] or [Para([Run("None found.")])]))
    sections.append(Section("an-loopholes", "", "", "Loopholes that weaken it", [
        Para([Run(describe.get(f.id, f.id), bold=True),
              Run(f" ({f.id}). {f.why[:1].upper() + f.why[1:]}. “{f.evidence}” — {f.location}.")],
             "bullet") for f in analysis.loopholes] or [Para([Run("None found.")])]))
    asks = []
    for item in analysis.missing:
        clause = library.clauses.get(item["clause"] or "")
        text = f" Add {clause.meta.title} ({clause.id}): {clause.meta.summary.en}" if clause else ""
        asks.append(Para([Run(describe.get(item["id"] or "", item["id"] or ""), bold=True),
                          Run(f" ({item['id']}).{text}")], "bullet"))
    sections.append(Section("an-missing", "", "", "Protections it lacks, and the clause that adds each",
                            asks or [Para([Run("None: every important protection is present.")])]))
    title = f"What {source_name} does: protections, loopholes and what to ask for"
    today = dt.date.today()
    date = f"{today:%B} {today.day}, {today.year}"
    return Document(
        number_line="", title=title,
        draft_notice=("Prepared with drafter analyze, which reads the text with explainable rules; "
                      "check each finding against the policy itself. Not legal advice."),
        warnings=[], recitals=[], enacting_clause="", sections=sections, signature=None,
        jurisdiction=source_name, date=date, header=f"Policy analysis · {source_name}",
        properties={"title": title, "subject": "Policy analysis", "date": today.isoformat()},
        commentary="none")
