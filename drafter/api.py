"""What the CLI (and any Python caller) can do: one function per use case.

Keyword-only arguments; no printing; every user error raises ``DrafterError`` with all
the problems found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Problem, Problems
from drafter.library import Clause, load_library
from drafter.resources import display_path

FORMAT_SUFFIX = {"docx": ".docx", "md": ".md", "html": ".html", "txt": ".txt", "pdf": ".pdf"}


@dataclass
class BuildResult:
    """What a build wrote and what it warned about."""

    outputs: list[Path]
    warnings: list[Problem] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)


def build(*, answers: Path, output: Path | None = None, formats: list[str] | None = None,
          commentary: str | None = None, preset: str | None = None,
          profile: str | None = None, library: Path | None = None,
          allow_preempted: bool | None = None, force: bool = False,
          date: dt.date | None = None, as_of: dt.date | None = None,
          below_floor: bool = False) -> BuildResult:
    """Build the draft an answers file describes, in each requested format."""
    from drafter.output import check_writable, write_atomic
    from drafter.render import build_document

    lib, selection = _selection_for(answers, preset=preset, profile=profile, library=library,
                                    allow_preempted=allow_preempted, as_of=as_of,
                                    below_floor=below_floor)
    source = selection.source
    targets = _targets(answers, output, formats, list(source.answers.output.formats))
    for path in targets.values():
        check_writable(path, force=force)
    mode = commentary or source.answers.output.commentary
    if mode == "memo":
        memo_targets = {fmt: path.with_name(path.stem + "-memo" + path.suffix)
                        for fmt, path in targets.items() if fmt in ("docx", "md")}
        for path in memo_targets.values():
            check_writable(path, force=force)
    document = build_document(lib, selection, commentary=mode, date=date)
    lines = _amendment_lines(source, selection, document)
    # Render everything before writing anything: an error leaves no partial set of files.
    payloads: list[tuple[Path, bytes | str]] = []
    for fmt, path in targets.items():
        payloads.append((path, render_format(fmt, document, selection.profile, lib.templates_dir,
                                             footnotes=mode == "annotated", lines=lines)))
    if mode == "memo":
        from drafter.memo import memo_document

        memo = memo_document(lib, selection, document)
        for fmt, path in memo_targets.items():
            payloads.append((path, render_format(fmt, memo, selection.profile, lib.templates_dir,
                                                 footnotes=True)))
    written: list[Path] = []
    for path, data in payloads:
        write_atomic(path, data, force=force)
        written.append(path)
    return BuildResult(written, selection.warnings, [c.id for c in selection.clauses])


AMENDMENT_LEGEND = ("NOTE: Additions to the current code are underlined; deletions are struck "
                    "through. Unchanged text is in plain type.")


def _amendment_lines(source: Any, selection: Any, document: Any) -> list[Any] | None:
    """In amendment mode, the laid-out draft with the chapter marked against the current code."""
    code = source.answers.jurisdiction.code
    if code is None or not code.current:
        return None
    from drafter.compare import merge, parse_current_code
    from drafter.layout import layout
    from drafter.sources import read_text

    problems = Problems()
    current = (source.path.parent / code.current).resolve()
    text = read_text(current, problems, display_path(current))
    if text is None:
        line, col = source.at("jurisdiction", "code", "current")
        raise DrafterError([Problem(source.display, line, col,
                                    f"cannot read the current chapter: {problems.items[0].message}",
                                    "give the path of the current chapter's text, relative to "
                                    "the answers file")])
    document.legend = AMENDMENT_LEGEND
    lines = layout(document)
    codified = {s.key for s in document.all_sections() if s.codified}
    inside = [i for i, line in enumerate(lines) if line.key.split("#")[0] in codified]
    if not inside:
        return lines
    first, last = inside[0], inside[-1] + 1
    marked = merge(parse_current_code(text, selection.profile.levels), lines[first:last], "markup")
    return lines[:first] + marked + lines[last:]


def render_format(fmt: str, document: Any, profile: Any, templates: Path, *,
                  footnotes: bool, lines: list[Any] | None = None,
                  track_revisions: bool = False) -> bytes | str:
    """One document in one output format (``lines``: a marked-up layout to write instead)."""
    if fmt in ("docx", "pdf"):
        from drafter.writers.docx import DocxWriter

        docx = DocxWriter(profile, templates / "reference.docx", footnotes=footnotes,
                          track_revisions=track_revisions).render(document, lines)
        if fmt == "docx":
            return docx
        from drafter.writers.pdf import docx_to_pdf

        return docx_to_pdf(docx)
    if fmt == "html":
        from drafter.writers.html import HtmlWriter

        return HtmlWriter().render(document, lines)
    if fmt == "txt":
        from drafter.writers.text import TextWriter

        return TextWriter().render(document)
    from drafter.writers.markdown import MarkdownWriter

    return MarkdownWriter().render(document)


def redline(*, old: Path, new: Path, output: Path, library: Path | None = None,
            library_old: Path | None = None, commentary: str = "none",
            force: bool = False) -> BuildResult:
    """NEW's draft as .docx with Word tracked changes against OLD's draft.

    OLD and NEW are answers files; with ``library_old`` they may be the same file built
    against two library versions.
    """
    from drafter.compare import merge
    from drafter.layout import layout
    from drafter.output import check_writable, write_atomic
    from drafter.render import build_document
    from drafter.resolve import load_answers, resolve

    if output.suffix.lower() != ".docx":
        raise DrafterError([Problem(display_path(output), message="a redline is a .docx file",
                                    hint="give -o a name ending in .docx")])
    check_writable(output, force=force)
    problems = Problems()
    sources = [load_answers(old, problems), load_answers(new, problems)]
    problems.raise_errors()
    old_lib = load_library(library_old if library_old is not None else library, problems)
    new_lib = load_library(library, problems)
    problems.raise_errors()
    documents, selections = [], []
    for lib, source in zip((old_lib, new_lib), sources, strict=True):
        selection = resolve(lib, source)
        selections.append(selection)
        documents.append(build_document(lib, selection, commentary=commentary))
    merged = merge(layout(documents[0]), layout(documents[1]), "tracked")
    data = render_format("docx", documents[1], selections[1].profile, new_lib.templates_dir,
                         footnotes=False, lines=merged, track_revisions=True)
    write_atomic(output, data, force=force)
    warnings = selections[0].warnings + selections[1].warnings
    return BuildResult([output], warnings, [c.id for c in selections[1].clauses])


def _targets(answers: Path, output: Path | None, explicit: list[str] | None,
             configured: list[str]) -> dict[str, Path]:
    """Output path per format.

    ``-o draft.docx`` writes that one file; with several ``--format`` options it is the
    stem for all of them. Without ``-o`` the answers file's formats go next to it.
    """
    by_suffix = {v: k for k, v in FORMAT_SUFFIX.items()}
    if explicit is None and output is not None and output.suffix.lower() in by_suffix:
        explicit = [by_suffix[output.suffix.lower()]]
    formats = explicit or configured
    for fmt in formats:
        if fmt not in FORMAT_SUFFIX:
            raise DrafterError([Problem("--format", message=f"unknown format '{fmt}'",
                                        hint="use docx or md")])
    if output is None:
        return {fmt: answers.with_suffix(FORMAT_SUFFIX[fmt]) for fmt in formats}
    suffix = output.suffix.lower()
    if suffix in by_suffix and len(formats) == 1:
        return {by_suffix[suffix]: output}
    if suffix in by_suffix:
        stem = output.with_suffix("")
        return {fmt: stem.with_suffix(FORMAT_SUFFIX[fmt]) for fmt in formats}
    return {fmt: output.with_name(output.name + FORMAT_SUFFIX[fmt]) for fmt in formats}


def clause_record(clause: Clause, *, full: bool = False) -> dict[str, Any]:
    """The JSON form of a clause (``clauses list --json`` / ``clauses show --json``)."""
    meta = clause.meta
    record: dict[str, Any] = {
        "id": meta.id, "title": meta.title, "area": meta.area, "role": meta.role,
        "provisions": list(meta.provisions), "opens": list(meta.opens),
        "strength": meta.strength, "variant_of": meta.variant_of, "default": meta.default,
        "applies_to": list(meta.applies_to), "authorities": list(meta.authorities),
        "sources": list(meta.sources), "summary": {"en": meta.summary.en, "es": meta.summary.es},
        "status": meta.status, "path": clause.display,
        "params": {name: {"type": p.type, "default": p.default, "prompt": p.prompt}
                   for name, p in meta.params.items()},
        "requires": list(meta.requires), "conflicts": list(meta.conflicts),
        "commentary_words": len(clause.commentary.split()),
    }
    if full:
        record["text"] = clause.body.strip()
        record["commentary"] = clause.commentary.strip()
        record["findings"] = [f if isinstance(f, str) else f.model_dump() for f in meta.findings]
    return record


def list_clauses(*, library: Path | None = None, area: str | None = None
                 ) -> list[dict[str, Any]]:
    """Every clause in the library, in draft order."""
    from drafter.resolve import clause_order

    lib = load_library(library)
    clauses = sorted(lib.clauses.values(), key=clause_order)
    return [clause_record(c) for c in clauses if area is None or c.meta.area == area]


def list_states(*, library: Path | None = None) -> list[dict[str, str]]:
    """Every state rule, one row each (``drafter states``)."""
    from drafter.statelaw import overview

    return overview(load_library(library))


def show_state(state: str, *, library: Path | None = None) -> str:
    """One state rule as Markdown (``drafter states show XX``); accepts a code or a name."""
    from drafter.models import US_STATES
    from drafter.statelaw import describe

    lib = load_library(library)
    wanted = state.strip()
    code = wanted.upper() if wanted.upper() in US_STATES else next(
        (c for c, name in US_STATES.items() if name.lower() == wanted.lower()), "")
    if code not in lib.states:
        import difflib

        near = difflib.get_close_matches(wanted.title(), list(US_STATES.values()), n=1)
        hint = f"did you mean {near[0]}?" if near else "use a two-letter code, e.g. TX, or a name"
        raise DrafterError([Problem(state, message="no state rule for this state", hint=hint)])
    return describe(lib, lib.states[code])


def show_clause(clause_id: str, *, library: Path | None = None) -> dict[str, Any]:
    """One clause with its text and commentary."""
    lib = load_library(library)
    if clause_id not in lib.clauses:
        near = [c for c in sorted(lib.clauses) if clause_id.split(".")[-1] in c]
        hint = "did you mean " + ", ".join(near[:3]) + "?" if near else \
            "run 'drafter clauses list' to see the ids"
        raise DrafterError([Problem(clause_id, message="no clause has this id", hint=hint)])
    return clause_record(lib.clauses[clause_id], full=True)


def _selection_for(answers: Path, *, preset: str | None = None, profile: str | None = None,
                   library: Path | None = None, allow_preempted: bool | None = None,
                   as_of: dt.date | None = None, below_floor: bool = False) -> tuple[Any, Any]:
    """Load an answers file and its library, and resolve the draft's clauses."""
    from drafter.resolve import load_answers, resolve

    problems = Problems()
    source = load_answers(answers, problems)
    problems.raise_errors()
    assert source is not None
    lib_path = library
    if lib_path is None and source.answers.library:
        lib_path = (answers.parent / source.answers.library).resolve()
    lib = load_library(lib_path, problems)
    problems.raise_errors()
    return lib, resolve(lib, source, preset=preset, profile=profile,
                        allow_preempted=allow_preempted, as_of=as_of, below_floor=below_floor)


def score(*, answers: Path, preset: str | None = None, library: Path | None = None,
          allow_preempted: bool | None = None, as_of: dt.date | None = None,
          below_floor: bool = False) -> dict[str, Any]:
    """The protection scorecard of the draft an answers file describes."""
    from drafter.score import scorecard

    lib, selection = _selection_for(answers, preset=preset, library=library,
                                    allow_preempted=allow_preempted, as_of=as_of,
                                    below_floor=below_floor)
    return scorecard(lib, selection)


def factsheet(*, answers: Path, lang: str = "en", output: Path | None = None,
              formats: list[str] | None = None, library: Path | None = None,
              force: bool = False, allow_preempted: bool | None = None,
              as_of: dt.date | None = None, below_floor: bool = False) -> BuildResult:
    """A one-page plain-language fact sheet (English or Spanish) for the draft."""
    from drafter.factsheet import factsheet_document
    from drafter.output import check_writable, write_atomic
    from drafter.render import build_document

    if lang not in ("en", "es"):
        raise DrafterError([Problem("--lang", message=f"unknown language '{lang}'",
                                    hint="use en or es")])
    lib, selection = _selection_for(answers, library=library, allow_preempted=allow_preempted,
                                    as_of=as_of, below_floor=below_floor)
    stem = answers.with_name(f"{answers.stem}-factsheet-{lang}")
    targets = _targets(stem, output, formats, ["docx", "md"])
    for path in targets.values():
        check_writable(path, force=force)
    document = factsheet_document(lib, selection, build_document(lib, selection, commentary="none"),
                                  lang)
    profile = lib.profiles.get("factsheet", selection.profile)
    for fmt, path in targets.items():
        write_atomic(path, render_format(fmt, document, profile, lib.templates_dir,
                                         footnotes=False), force=force)
    return BuildResult(list(targets.values()), selection.warnings, [c.id for c in selection.clauses])


def analyze(*, policy: Path, output: Path | None = None, library: Path | None = None,
            force: bool = False) -> tuple[Any, list[Path]]:
    """Protections, loopholes and gaps in an existing policy; with ``output``, a memo too."""
    from drafter.analyze import analyze_file

    lib = load_library(library)
    analysis = analyze_file(policy, lib)
    written: list[Path] = []
    if output is not None:
        from drafter.analysis_report import analysis_document
        from drafter.output import check_writable, write_atomic

        fmt = output.suffix.lower().lstrip(".")
        if fmt not in FORMAT_SUFFIX:
            raise DrafterError([Problem(display_path(output), message=f"unknown report format '.{fmt}'",
                                        hint="use .md, .docx, .html, .txt or .pdf")])
        check_writable(output, force=force)
        document = analysis_document(analysis, lib, policy.name)
        profile = lib.profiles.get("factsheet") or next(iter(lib.profiles.values()))
        write_atomic(output, render_format(fmt, document, profile, lib.templates_dir,
                                           footnotes=False), force=force)
        written.append(output)
    return analysis, written


def lint(*, answers: Path, preset: str | None = None, profile: str | None = None,
         library: Path | None = None, allow_preempted: bool | None = None,
         as_of: dt.date | None = None, below_floor: bool = False) -> list[Problem]:
    """Drafting-style lint of the draft an answers file describes (nothing is written)."""
    from drafter.lint import lint_document
    from drafter.render import build_document

    lib, selection = _selection_for(answers, preset=preset, profile=profile, library=library,
                                    allow_preempted=allow_preempted, as_of=as_of,
                                    below_floor=below_floor)
    document = build_document(lib, selection, commentary="none")
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(set(lint_document(document, selection, lib)),
                  key=lambda p: (order[p.severity], p.path, p.line, p.rule))


@dataclass
class CheckResult:
    """The problems ``check`` found, and what it looked at."""

    problems: list[Problem]
    counts: dict[str, int]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def check(*, library: Path | None = None) -> CheckResult:
    """Validate a library: schema, references, templates (rendered with defaults)."""
    from drafter.checks import check_library

    problems = Problems()
    lib = load_library(library, problems)
    if not problems.errors:
        check_library(lib, problems)
    counts = {"clauses": len(lib.clauses), "definitions": len(lib.definitions),
              "authorities": len(lib.authorities), "presets": len(lib.presets),
              "states": len(lib.states)}
    return CheckResult(sorted(set(problems.items)), counts)


__all__ = ["BuildResult", "CheckResult", "build", "check", "display_path", "list_clauses",
           "show_clause"]
