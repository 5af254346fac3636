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
from drafter.models import Answers
from drafter.render import build_document, format_citation
from drafter.resolve import AnswersFile, resolve
from drafter.sources import YamlDoc
from drafter.templating import Markdown, RenderError, render, undeclared_variables

DOCUMENTED = {"jurisdiction", "this_law", "ref", "cite", "range"}
SAMPLE_JURISDICTIONS = [
    {"name": "Sample", "kind": "city", "state": "CA", "police": "Sample Police Department",
     "code": {"title": "2", "chapter": "2.90", "chapter_title": "Sample Chapter"}},
    {"name": "Sample", "kind": "county", "state": "IL", "sheriff": "Sample County Sheriff",
     "runs_jail": True},
    {"name": "Sample", "kind": "state", "state": "OR"},
]


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
                         "sheriff": "", "runs_jail": True, "agencies": ["Sample Police Department"]},
        "this_law": "this chapter", "ref": ref, "cite": cite,
    }
    if clause is not None:
        ctx.update({name: p.default for name, p in clause.meta.params.items()})
    return ctx


def check_library(library: Library, problems: Problems) -> None:
    """Append every template and build problem in ``library`` to ``problems``."""
    for clause in library.clauses.values():
        _check_clause_templates(library, clause, problems)
    for definition in library.definitions.values():
        ctx = _sample_context(library, None)
        for source, line, what in ((definition.body, definition.body_line, "definition"),
                                   (definition.commentary, definition.commentary_line,
                                    "commentary")):
            _render_into(problems, source, ctx, definition.display, line, what)
    for problem in _build_presets(library):
        problems.items.append(problem)


def _render_into(problems: Problems, source: str, ctx: dict[str, Any], display: str,
                 line: int, what: str) -> None:
    try:
        render(source, ctx, display=display, first_line=line, what=what)
    except RenderError as exc:
        problems.items.append(exc.problem)


def _check_clause_templates(library: Library, clause: Clause, problems: Problems) -> None:
    ctx = _sample_context(library, clause)
    pieces = [(clause.body, clause.body_line, "clause text"),
              (clause.commentary, clause.commentary_line, "commentary")]
    for index, finding in enumerate(clause.meta.findings):
        line, _ = clause.header.locate(("findings", index))
        pieces.append((finding, line, "finding"))
    used: set[str] = set()
    for source, line, what in pieces:
        before = len(problems.items)
        _render_into(problems, source, ctx, clause.display, line, what)
        if len(problems.items) == before:
            used |= undeclared_variables(source)
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
                build_document(library, selection)
            except DrafterError as exc:
                shown, doc = library.preset_docs.get(preset_id, ("(preset)", None))
                for problem in exc.problems:
                    where = problem if problem.path != "(check)" else None
                    found.append(Problem(
                        where.path if where else shown, where.line if where else 1,
                        where.col if where else 1,
                        f"{label} does not build: {problem.message}", problem.hint))
    return found
