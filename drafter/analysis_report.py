"""The analyzer's findings in plain words: the terminal report and the memo an organizer can
hand to a council member. Taxonomy ids appear only in ``--json``; here every finding is named by
what it means and by the section where it was found."""

from __future__ import annotations

import datetime as dt
import re

from drafter.analyze import Analysis, Finding
from drafter.docmodel import Document, Para, Run, Section
from drafter.errors import DrafterError, Problem
from drafter.library import Library

MANDATE_MEANING = (
    "This text requires local officials to help federal immigration enforcement. Where it is "
    "state law, a local ordinance cannot override it: a local draft there has to leave out what "
    "this law forbids (for example, refusing detainers or barring status questions) and can keep "
    "only what the law leaves open, such as limits on using local money, data or facilities, "
    "services and forms that ask no one's status, and public reporting. Where it is an agreement "
    "(a 287(g) memorandum), the governing body can end it or decline to renew it, and a draft can "
    "require that. Check the law's penalties on officials before any vote.")
MISSING_CAVEAT = (
    "The analyzer can miss a protection written in words it does not know, and then lists it "
    "here as missing: check the policy for each one before asking for it.")


def _describe(library: Library) -> dict[str, str]:
    taxonomy = library.taxonomy
    assert taxonomy is not None
    return {**taxonomy.provisions, **taxonomy.loopholes}


READER_NOTE = "recognised from its words by the statistical reader, not by a written rule: check it"


def _where(finding: Finding) -> str:
    where = finding.location if finding.location != "whole text" else "the text as a whole"
    if finding.limited_by:
        where += f" (limited by {', '.join(finding.limited_by)})"
    if finding.read_with:
        where += f", read with {finding.read_with}"
    if finding.by_reader:
        where += f" ({READER_NOTE})"
    return where


def state_law_text(library: Library, state: str) -> list[str]:
    """What the state's law says (``drafter states show``), as plain lines."""
    from drafter.statelaw import describe

    code = state.upper()
    rule = library.states.get(code)
    if rule is None:
        raise DrafterError([Problem("--state", message=f"no state rules for '{state}'",
                                    hint="give a two-letter US state code, e.g. TX")])
    lines = []
    for line in describe(library, rule).splitlines():
        line = re.sub(r"\*\*|\*", "", line).rstrip()
        line = re.sub(r"^#+\s*", "", line)
        if line:
            lines.append(line)
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def terminal_lines(analysis: Analysis, library: Library, source_name: str) -> list[tuple[str, str]]:
    """(text, style) lines for the terminal; no taxonomy ids."""
    describe = _describe(library)
    out: list[tuple[str, str]] = [(f"{source_name}: {_count(len(analysis.provisions), 'protection')}, "
                                   f"{_count(len(analysis.loopholes), 'loophole')}", "bold")]
    for note in analysis.notes:
        out.append((f"  (reading: {note})", "dim"))
    if analysis.mandates_cooperation:
        out.append(("", ""))
        out.append(("This text REQUIRES cooperation with immigration enforcement (an anti-sanctuary law "
                    "or agreement):", "bold red"))
        for finding in analysis.mandate_evidence:
            out.append((f"  - {finding.why}: “{finding.evidence}” — {_where(finding)}", ""))
        out.append((f"  What it means for a local draft: {MANDATE_MEANING}", "dim"))
    out += [("", ""), ("Protections it contains", "bold green")]
    for finding in analysis.provisions:
        out.append((f"  + {describe.get(finding.id, finding.why)}", ""))
        out.append((f"      “{finding.evidence}” — {_where(finding)}", "dim"))
    if not analysis.provisions:
        out.append(("  (none found)", ""))
    if not analysis.mandates_cooperation:
        out += [("", ""), ("Loopholes that weaken it", "bold yellow")]
        for finding in analysis.loopholes:
            out.append((f"  ! {describe.get(finding.id, finding.why)}", ""))
            if not finding.by_reader:
                out.append((f"      why: {finding.why}", "dim"))
            out.append((f"      “{finding.evidence}” — {_where(finding)}", "dim"))
        if not analysis.loopholes:
            out.append(("  (none found)", ""))
    out += [("", ""), ("What to ask for (missing protections, and the library clause that adds each)", "bold")]
    if analysis.missing:
        out.append((f"  {MISSING_CAVEAT}", "dim"))
    for item in analysis.missing:
        clause = library.clauses.get(item["clause"] or "")
        adds = f" — add “{clause.meta.title}”" if clause else ""
        out.append((f"  - {describe.get(item['id'] or '', item['id'] or '')}{adds}", ""))
    if analysis.state:
        out += [("", ""), (f"What {analysis.state} state law says", "bold")]
        out += [(f"  {line}", "") for line in state_law_text(library, analysis.state)]
    return out


def analysis_document(analysis: Analysis, library: Library, source_name: str) -> Document:
    """A memo: what the policy does, what weakens it, and what to ask for."""
    describe = _describe(library)
    sections: list[Section] = []
    if analysis.mandates_cooperation:
        sections.append(Section("an-mandate", "", "", "This text requires cooperation", [
            Para([Run("It commands local officials to help federal immigration enforcement "
                      "(an anti-sanctuary law or agreement). Evidence: ", bold=True)]),
            *[Para([Run(f"{f.why}: “{f.evidence}” ({_where(f)})")], "bullet")
              for f in analysis.mandate_evidence],
            Para([Run("What it means for a local draft. ", bold=True), Run(MANDATE_MEANING)])]))
    sections.append(Section("an-protections", "", "", "Protections it contains", [
        Para([Run(describe.get(f.id, f.why), bold=True), Run(f". “{f.evidence}” — {_where(f)}.")],
             "bullet") for f in analysis.provisions] or [Para([Run("None found.")])]))
    if not analysis.mandates_cooperation:
        sections.append(Section("an-loopholes", "", "", "Loopholes that weaken it", [
            Para([Run(describe.get(f.id, f.why), bold=True),
                  Run(f". {'' if f.by_reader else f.why[:1].upper() + f.why[1:] + '. '}“{f.evidence}” — {_where(f)}.")],
                 "bullet") for f in analysis.loopholes] or [Para([Run("None found.")])]))
    asks = []
    for item in analysis.missing:
        clause = library.clauses.get(item["clause"] or "")
        text = f" Add {clause.meta.title}: {clause.meta.summary.en}" if clause else ""
        asks.append(Para([Run(describe.get(item["id"] or "", item["id"] or ""), bold=True),
                          Run(f".{text}")], "bullet"))
    sections.append(Section("an-missing", "", "", "Protections it lacks, and the clause that adds each",
                            [Para([Run(MISSING_CAVEAT, italic=True)]), *asks] if asks
                            else [Para([Run("None: every important protection is present.")])]))
    if analysis.state:
        sections.append(Section("an-state", "", "", f"What {analysis.state} state law says",
                                [Para([Run(line)]) for line in state_law_text(library, analysis.state)]))
    title = f"What {source_name} does: protections, loopholes and what to ask for"
    today = dt.date.today()
    date = f"{today:%B} {today.day}, {today.year}"
    return Document(
        number_line="", title=title,
        draft_notice=("Prepared with drafter analyze, which reads the text with explainable rules and, where "
                      "they find nothing, a statistical reader whose findings are marked; check each finding "
                      "against the policy itself. Not legal advice."),
        warnings=[], recitals=[], enacting_clause="", sections=sections, signature=None,
        jurisdiction=source_name, date=date, header=f"Policy analysis · {source_name}",
        properties={"title": title, "subject": "Policy analysis", "date": today.isoformat()},
        commentary="none")
