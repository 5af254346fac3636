"""``drafter check``: everything about a library that loading alone does not prove.

Loading already validated the schema and the references between entries. Here every
template is compiled and rendered with its defaults, variables are compared with declared
parameters, and every preset is built for sample jurisdictions.
"""

from __future__ import annotations

import re
from typing import Any

from drafter.core import answers_from_mapping
from drafter.errors import DrafterError, Problems
from drafter.library import Clause, Library
from drafter.lint import Rule, Target, known_rule_ids, lint, mask_jinja
from drafter.markdown import MarkdownError, parse_blocks
from drafter.models import finding_text
from drafter.numbering import Labeler
from drafter.render import build_document, format_citation, used_definitions
from drafter.resolve import resolve
from drafter.sources import YamlDoc
from drafter.templating import Markdown, RenderError, render, undeclared_variables

DOCUMENTED = {"jurisdiction", "this_law", "ref", "cite", "range"}
CITE = re.compile(r"""cite\(\s*["']([^"']+)["']\s*\)""")
SAMPLE_JURISDICTIONS = [
    {"name": "Sample", "kind": "city", "state": "CA", "police": "Sample Police Department",
     "code": {"title": "2", "chapter": "2.90", "chapter_title": "Sample Chapter"}},
    {"name": "Sample", "kind": "county", "state": "IL", "sheriff": "Sample County Sheriff",
     "runs_jail": True},
]  # state-level drafts are built for every preset in the test suite


def _sample_context(library: Library, clause: Clause | None) -> dict[str, Any]:
    def ref(target: str) -> Markdown:
        if target not in library.clauses:
            raise LookupError(f"ref('{target}'): no clause has that id")
        return Markdown("Section 1")

    def cite(authority_id: str) -> Markdown:
        if authority_id not in library.authorities:
            raise LookupError(f"cite('{authority_id}'): no authority has that id")
        return format_citation(library.authorities[authority_id])

    ctx: dict[str, Any] = {
        "jurisdiction": {"name": "Sample", "full_name": "City of Sample", "short_name": "City",
                         "kind": "city", "state": "CA", "state_name": "California",
                         "governing_body": "City Council", "police": "Sample Police Department",
                         "sheriff": "", "runs_jail": True, "agencies": ["Sample Police Department"],
                         "withheld": [], "oversight_body": "City Council", "acts_as": "city",
                         "presiding_officer": "Mayor", "executive": "Mayor",
                         "clerk": "City Clerk", "legal_officer": "City Attorney",
                         "instrument": "Ordinance", "jail": "", "probation": ""},
        "this_law": "this chapter", "ref": ref, "cite": cite,
    }
    if clause is not None:
        ctx.update({name: p.default for name, p in clause.meta.params.items()})
    return ctx


def check_library(library: Library, problems: Problems) -> None:
    """Append every template, lint and build problem in ``library`` to ``problems``."""
    rendered: list[str] = []
    for clause in library.clauses.values():
        rendered.append(_check_clause_templates(library, clause, problems))
        _lint_clause(library, clause, problems)
    ctx = _sample_context(library, None)
    for definition in library.definitions.values():
        for source, line, what in ((definition.body, definition.body_line, "definition"),
                                   (definition.commentary, definition.commentary_line,
                                    "commentary")):
            _render_into(problems, source, ctx, definition.display, line, what)
        problems.extend(lint(Target(mask_jinja(definition.body), definition.display,
                                    definition.body_line, {}, definition=True,
                                    codified_words=False, loopholes=False)))
        _check_cited(library, definition.meta.authorities + definition.meta.sources,
                     definition.display, definition.header, problems)
    _check_terms(library, rendered, problems)
    check_facts(library, problems)
    for problem in _build_presets(library):
        problems.items.append(problem)


def _lint_clause(library: Library, clause: Clause, problems: Problems) -> None:
    meta = clause.meta
    known = known_rule_ids() | {rule.id for rule in FACT_RULES}
    for rule_id in meta.lint:
        if rule_id not in known:
            line, col = clause.header.locate(("lint", rule_id))
            problems.add(clause.display, line, col, message=f"unknown lint rule '{rule_id}'",
                         hint="see docs/lint-rules.md for the rule ids")
    problems.extend(lint(Target(mask_jinja(clause.body), clause.display, clause.body_line,
                                dict(meta.lint), frozenset(meta.opens),
                                codified_words=meta.role != "housekeeping")))
    for index, entry in enumerate(meta.findings):
        finding = finding_text(entry)
        line = clause.header.line_of(finding, ("findings", index))
        problems.extend(lint(Target(mask_jinja(finding), clause.display, line, dict(meta.lint),
                                    codified_words=False, loopholes=False)))
    cited = list(meta.authorities) + list(meta.sources) + CITE.findall(clause.commentary)
    _check_cited(library, cited, clause.display, clause.header, problems)


def _check_cited(library: Library, ids: list[str], display: str, header: YamlDoc,
                 problems: Problems) -> None:
    for authority_id in dict.fromkeys(ids):
        authority = library.authorities.get(authority_id)
        if authority is not None and not authority.verified:
            line, col = header.locate(("authorities",))
            problems.add(display, line, col, severity="warning",
                         message=f"cites unverified authority '{authority_id}'",
                         hint="verify it against a source and set verified: true, or cite another")


def _check_terms(library: Library, rendered: list[str], problems: Problems) -> None:
    by_term: dict[str, str] = {}
    for definition in library.definitions.values():
        key = definition.meta.term.lower()
        if key in by_term:
            line, col = definition.header.locate(("term",))
            problems.add(definition.display, line, col, rule="R-22",
                         message=f"term '{definition.meta.term}' is also defined in {by_term[key]}",
                         hint="keep one definition")
        by_term[key] = definition.display
    used = used_definitions(rendered, library, lambda d: d.body)
    for definition in library.definitions.values():
        if definition not in used:
            line, col = definition.header.locate(("term",))
            problems.add(definition.display, line, col, severity="warning", rule="R-21",
                         message=f"term '{definition.meta.term}' is defined but no clause uses it",
                         hint="delete the definition or list its other forms under 'forms'")


def _render_into(problems: Problems, source: str, ctx: dict[str, Any], display: str,
                 line: int, what: str) -> None:
    try:
        render(source, ctx, display=display, first_line=line, what=what)
    except RenderError as exc:
        problems.items.append(exc.problem)


def _check_clause_templates(library: Library, clause: Clause, problems: Problems) -> str:
    """Render every template of a clause with its defaults; return the rendered text."""
    ctx = _sample_context(library, clause)
    text = ""
    pieces = [(clause.body, clause.body_line, "clause text"),
              (clause.commentary, clause.commentary_line, "commentary")]
    for index, entry in enumerate(clause.meta.findings):
        finding = finding_text(entry)
        pieces.append((finding, clause.header.line_of(finding, ("findings", index)), "finding"))
    used: set[str] = set()
    declared = set(clause.meta.params)
    for source, line, what in pieces:
        try:
            out = render(source, ctx, display=clause.display, first_line=line, what=what)
        except RenderError as exc:
            problems.items.append(exc.problem)
            continue
        if what == "clause text":
            text = out
            try:
                parse_blocks(out, Labeler(["(a)", "(1)", "(A)", "(i)", "(I)"]))
            except MarkdownError as exc:
                problems.add(clause.display, line + exc.line, 1, message=str(exc))
        names = undeclared_variables(source)
        used |= names
        for name in sorted(names - declared - DOCUMENTED):
            problems.add(clause.display, line, 1,
                         message=f"{what} uses '{name}', which is neither a parameter nor a "
                                 "documented variable",
                         hint=f"declare '{name}' under 'params' or fix the name")
    if not clause.commentary.strip():
        problems.add(clause.display, clause.body_line, 1, message="clause has no commentary",
                     hint="add a '## Commentary' heading and explain the clause")
    for name in sorted(set(clause.meta.params) - used):
        line, col = clause.header.locate(("params", name))
        problems.add(clause.display, line, col, severity="warning",
                     message=f"parameter '{name}' is declared but never used",
                     hint="use it in the text or remove it")
    if re.search(r"\(\s*[a-z]\s*\)|\(\s*\d+\s*\)", _first_words(clause.body)):
        problems.add(clause.display, clause.body_line, 1, severity="warning",
                     message="clause text seems to type its own labels like (a) or (1)",
                     hint="use a Markdown numbered list; drafter computes the labels")
    return text


def _first_words(body: str) -> str:
    return "\n".join(line.lstrip()[:6] for line in body.splitlines())


def _build_presets(library: Library) -> list:
    from drafter.errors import Problem

    found: list[Problem] = []
    for preset_id in sorted(library.presets):
        for sample in SAMPLE_JURISDICTIONS:
            data = {"jurisdiction": dict(sample), "preset": preset_id}
            source = answers_from_mapping(data, name="(check)")
            label = f"preset '{preset_id}' for a sample {sample['kind']} in {sample['state']}"
            try:
                selection = resolve(library, source, allow_preempted=True)
                build_document(library, selection, commentary="none")  # notes: checked per clause
            except DrafterError as exc:
                shown, doc = library.preset_docs.get(preset_id, ("(preset)", None))
                for problem in exc.problems:
                    where = problem if problem.path != "(check)" else None
                    found.append(Problem(
                        where.path if where else shown, where.line if where else 1,
                        where.col if where else 1,
                        f"{label} does not build: {problem.message}", problem.hint))
    return found


# ---------------------------------------------------------------- facts and council-facing text

FACT_RULES: tuple[Rule, ...] = (
    Rule("F-01", "warning", "commentary sentence with a year or a figure and no citation",
         "add {{ cite(\"id\") }} for its source to the sentence or the one next to it "
         "(add the authority to authorities.yaml, verified: false until read), or drop the "
         "figure", None, "New York City's list grew to about 170 crimes in 2014."),
    Rule("F-02", "warning", "commentary or finding shows the tool's machinery",
         "describe the gap or the section in words, or use {{ ref(\"id\") }}; no loophole, "
         "clause or taxonomy ids and no tool name in council-facing text", None,
         "Closes loophole.coverage-gap; see detainers.no-holds."),
)

_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
_FIGURE = re.compile(r"\$\s?\d|\b\d[\d,]*(?:\.\d+)?\s?(?:%|percent\b)|\b\d[\d,.]*\b")
# Numbers that name a thing rather than state a fact: sections, bills, reporters, forms.
_IDENTIFIER = re.compile(
    r"§+\s*[\w.\-–()]+(?:\s*(?:,|and|or|-|–)\s*[\w.\-–()]*\d[\w.\-–()]*)*"
    r"|\b\d+\s+(?:U\.\s?S\.\s?C\.|C\.\s?F\.\s?R\.|U\.\s?S\.|F\.\s?(?:2d|3d|4th)|F\.\s?Supp\.(?:\s?[23]d)?|"
    r"S\.\s?Ct\.|Fed\.\s?Reg\.|FR|Stat\.|Or\.?\s?App|P\.?\s?3d|Mass\.|N\.E\.\s?3d|I\s?&\s?N)\s*[\d\-–]*"
    r"|\b(?:SB|HB|AB|SF|HF|HJR|S\.|H\.R\.|Int\.?|Intro\.?|Res\.|Ord\.|No\.|Nos\.|EO|E\.O\.|"
    r"Executive Orders?|Local Laws?|Laws?|[Cc]h\.|[Cc]hapters?|[Aa]rt\.|[Aa]rticles?|[Ss]ections?|"
    r"ORS|RCW|ILCS|K\.C\.C\.|P\.A\.|Pub\.\s?L\.|Pub\.\s?Ch\.|Public Chapter|[Oo]rders?|Rules?|"
    r"[Tt]itles?|Ordinances?|Directives?|Code|[Ss]ubsections?|[Pp]aragraphs?|Forms?|Special Order|"
    r"General Order|Policy|File|Bill|Act|INA|IIRIRA|PRWORA|docket|Docket|Case)\s*"
    r"[\d][\w.\-–()/:]*(?:\s*(?:,|and|or|through|to|-|–|/)\s*[\d][\w.\-–()/:]*)*"
    r"|\b\d+\([a-zA-Z0-9]+\)(?:\([a-zA-Z0-9]+\))*|\b[IG]-\d+[A-Z]?\b|\b\d+(?:st|nd|rd|th|d)\s+Cir\.?"
    r"|\b\d+(?:st|nd|rd|th)\b|\b\d+:\d+-\w+-\d+\b|\b\d{1,3}(?:-\d+)+[A-Z]?\b")
_ABBREVIATIONS = ("v", "U.S", "S", "Cir", "Gov", "Code", "Crim", "Proc", "No", "Nos", "art",
                  "ch", "Stat", "Ann", "Supp", "Ct", "e.g", "i.e", "Inc", "Co", "Dept", "Dep't",
                  "St", "Mun", "Admin", "Reg", "Fed", "Int", "Res", "Ord", "Pub", "L", "Ch",
                  "P.A", "Or", "App", "Wash", "Cal", "Fla", "Tex", "Ill", "Mass", "Ga", "N.C",
                  "N.Y", "N.J", "Ariz", "Tenn", "Mo", "Miss", "Ind", "Iowa", "Mr", "Ms", "Dr",
                  "Jan", "Feb", "Mar", "Apr", "Aug", "Sept", "Oct", "Nov", "Dec", "approx",
                  "Inst", "Corp", "Ass'n", "Bd", "Comm'rs", "Cnty", "Sec", "ex", "rel", "al",
                  "seq", "subch", "para", "cf", "Rev", "A", "B", "C", "D", "E", "F", "G", "H")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]*]*\s+(?=[\"'(\[*]*[A-Z0-9{])|\n\s*\n|\n(?=\s*[-*]\s)")
_MACHINERY = re.compile(
    r"\bloophole\.[a-z][a-z0-9-]*"
    r"|(?<![\w\"'#/])(?:detainers|information|access|policing|structure|def|detainer|info)"
    r"\.[a-z0-9]+(?:-[a-z0-9]+)*\b(?!\()"
    r"|\bdrafter\b", re.I)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def split_sentences(source: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of commentary source, Jinja left in place.

    Paragraphs and list items end sentences; a full stop after a common legal
    abbreviation ("U.S.", "Cir.", "v.", "ch.") does not.
    """
    masked = _JINJA.sub(_blank, source)
    cuts = [0]
    for match in _SENTENCE_END.finditer(masked):
        before = masked[max(0, match.start() - 12):match.start()].rstrip("\"')]*")
        word = re.split(r"[\s(]", before)[-1].rstrip(".")
        if masked[match.start() - 1:match.start()] == "." and (
                word in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word or "x")):
            if "\n" not in match.group(0):
                continue
        cuts.append(match.end())
    cuts.append(len(source))
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        text = source[start:end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            pieces.append((start + lead, text.strip()))
    return pieces


def sentence_facts(sentence: str) -> list[str]:
    """The years and figures a sentence states (identifiers such as § 1373 do not count)."""
    prose = _JINJA.sub(_blank, sentence)
    prose = _IDENTIFIER.sub(_blank, prose)
    return [m.group(0).strip() for m in (*_YEAR.finditer(prose), *_FIGURE.finditer(prose))]


def paragraph_index(source: str, offset: int) -> int:
    return len(re.findall(r"\n\s*\n", source[:offset]))


def fact_sentences(source: str, first_line: int) -> list[dict[str, Any]]:
    """Every sentence of a commentary that states a year or a figure, with its line, what it
    states, and the citations in it or in a sentence next to it (same paragraph)."""
    pieces = split_sentences(source)
    found = []
    for index, (offset, sentence) in enumerate(pieces):
        facts = sentence_facts(sentence)
        if not facts:
            continue
        para = paragraph_index(source, offset)
        own = CITE.findall(sentence)
        near: list[str] = []
        for other in (index - 1, index + 1):
            if 0 <= other < len(pieces) and paragraph_index(source, pieces[other][0]) == para:
                near += CITE.findall(pieces[other][1])
        line = first_line + source.count("\n", 0, offset)
        found.append({"line": line, "sentence": re.sub(r"\s+", " ", sentence),
                      "facts": facts, "cites": list(dict.fromkeys(own)),
                      "nearby": [c for c in dict.fromkeys(near) if c not in own]})
    return found


def machinery(source: str) -> list[tuple[int, str]]:
    """(offset, text) of loophole, clause or taxonomy ids and the tool's name in prose."""
    prose = _JINJA.sub(_blank, source)
    return [(m.start(), m.group(0)) for m in _MACHINERY.finditer(prose)]


def check_facts(library: Library, problems: Problems) -> None:
    """F-01 and F-02 over every clause and definition commentary (and findings, for F-02)."""
    entries: list[Any] = [*library.clauses.values(), *library.definitions.values()]
    for entry in entries:
        silenced = dict(getattr(entry.meta, "lint", {}) or {})
        source, first = entry.commentary, entry.commentary_line
        if "F-01" not in silenced:
            for fact in fact_sentences(source, first):
                if not fact["cites"] and not fact["nearby"]:
                    shown = ", ".join(fact["facts"][:3])
                    problems.add(entry.display, fact["line"], 1, severity="warning",
                                 rule="F-01", message=f"sentence states {shown} with no citation",
                                 hint=FACT_RULES[0].hint)
        if "F-02" in silenced:
            continue
        texts = [(source, first)]
        if isinstance(entry, Clause):
            for index, item in enumerate(entry.meta.findings):
                text = finding_text(item)
                texts.append((text, entry.header.line_of(text, ("findings", index))))
        for text, start in texts:
            for offset, shown in machinery(text):
                problems.add(entry.display, start + text.count("\n", 0, offset), 1,
                             severity="warning", rule="F-02",
                             message=f"council-facing text shows '{shown}'",
                             hint=FACT_RULES[1].hint)
