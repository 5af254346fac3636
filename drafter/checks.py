"""``drafter check``: everything about a library that loading alone does not prove.

Loading already validated the schema and the references between entries. Here every
template is compiled and rendered with its defaults, variables are compared with declared
parameters, and every preset is built for sample jurisdictions.
"""

from __future__ import annotations

import re
from typing import Any

from drafter.errors import DrafterError, Problems
from drafter.library import Clause, Library
from drafter.lint import Target, known_rule_ids, lint, mask_jinja
from drafter.markdown import MarkdownError, parse_blocks
from drafter.models import Answers
from drafter.numbering import Labeler
from drafter.render import build_document, format_citation, used_definitions
from drafter.resolve import AnswersFile, resolve
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
                         "withheld": []},
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
    for problem in _build_presets(library):
        problems.items.append(problem)


def _lint_clause(library: Library, clause: Clause, problems: Problems) -> None:
    meta = clause.meta
    known = known_rule_ids()
    for rule_id in meta.lint:
        if rule_id not in known:
            line, col = clause.header.locate(("lint", rule_id))
            problems.add(clause.display, line, col, message=f"unknown lint rule '{rule_id}'",
                         hint="see docs/lint-rules.md for the rule ids")
    problems.extend(lint(Target(mask_jinja(clause.body), clause.display, clause.body_line,
                                dict(meta.lint), frozenset(meta.opens),
                                codified_words=meta.role != "housekeeping")))
    for index, finding in enumerate(meta.findings):
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
    for index, finding in enumerate(clause.meta.findings):
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
            answers = Answers.model_validate(data)
            source = AnswersFile(answers, YamlDoc(library.roots[0], data), "(check)",
                                 library.roots[0])
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
