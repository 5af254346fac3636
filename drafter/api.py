"""What the CLI (and any Python caller) can do: one function per use case.

Keyword-only arguments; no printing; every user error raises ``DrafterError`` with all
the problems found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
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
          below_floor: bool = False, reference_doc: Path | None = None) -> BuildResult:
    """Build the draft an answers file describes, in each requested format, and write it.

    A file adapter over ``drafter.core.build``: the draft is built in memory, every format
    rendered, and only then is anything written (an error leaves no partial set of files).
    """
    from drafter import core
    from drafter.output import check_writable, write_all

    source = core.read_answers(answers)
    targets = _targets(answers, output, formats, list(source.answers.output.formats))
    for path in targets.values():
        check_writable(path, force=force)
    mode = commentary or source.answers.output.commentary
    memo_targets = {fmt: path.with_name(path.stem + "-memo" + path.suffix)
                    for fmt, path in targets.items() if fmt in ("docx", "md")} if mode == "memo" else {}
    for path in memo_targets.values():
        check_writable(path, force=force)
    _check_library_named(source, library)
    options = core.BuildOptions(preset=preset, profile=profile, commentary=commentary, date=date,
                                as_of=as_of, allow_preempted=allow_preempted,
                                below_floor=below_floor, reference_doc=reference_doc)
    draft = core.build(source, library=library, options=options)
    with _unwritable_text(source.display):
        payloads = [(path, draft.render(fmt)) for fmt, path in targets.items()]
        payloads += [(path, draft.memo(fmt)) for fmt, path in memo_targets.items()]
    # every format to a temporary file, then all renamed: never a mix of old and new
    write_all(payloads, force=force)
    return BuildResult([path for path, _ in payloads], draft.warnings, draft.clauses)


def _check_library_named(source: Any, library: Path | None) -> None:
    """A ``library:`` folder the answers name must exist: say so at its line in the answers."""
    named = source.answers.library
    if library is not None or not named or source.path is None:
        return
    folder = source.path.parent / named
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "library folder not found"
        raise DrafterError([Problem.at(source.where("library"), f"library: {named!r} {what}",
                                       "name a folder laid out like clauses/, relative to "
                                       "the answers file")])


@contextmanager
def _unwritable_text(display: str) -> Iterator[None]:
    """A character no file can hold (a lone surrogate a clause template produced) is a
    problem, not a traceback from the writer."""
    try:
        yield
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start] if isinstance(exc.object, str) else "?"
        raise DrafterError([Problem(display, message=f"the draft contains U+{ord(char):04X}, a "
                                    "character Word and text files cannot hold",
                                    hint="remove it from the answers or the clause it came from")]
                           ) from None


AMENDMENT_LEGEND = "NOTE: Additions to the current code are underlined; deletions are struck " \
    "through. Unchanged text is in plain type."  # kept for callers; drafter.core has it


def render_format(fmt: str, document: Any, profile: Any, templates: Path, *,
                  footnotes: bool, lines: list[Any] | None = None,
                  track_revisions: bool = False, reference_doc: Path | None = None) -> bytes:
    """One document in one output format (``lines``: a marked-up layout to write instead)."""
    from drafter.core import render_document

    return render_document(fmt, document, profile, templates, footnotes=footnotes, lines=lines,
                           track_revisions=track_revisions, reference=reference_doc)


def redline(*, old: Path, new: Path, output: Path, library: Path | None = None,
            library_old: Path | None = None, commentary: str = "none",
            force: bool = False) -> BuildResult:
    """NEW's draft as .docx with Word tracked changes against OLD's draft.

    OLD and NEW are answers files; with ``library_old`` they may be the same file built
    against two library versions.
    """
    from drafter import core
    from drafter.compare import merge
    from drafter.layout import layout
    from drafter.output import check_writable, write_atomic

    if output.suffix.lower() != ".docx":
        raise DrafterError([Problem(display_path(output), message="a redline is a .docx file",
                                    hint="give -o a name ending in .docx")])
    check_writable(output, force=force)
    problems = Problems()
    sources = []
    for path in (old, new):
        try:
            sources.append(core.read_answers(path))
        except DrafterError as exc:
            problems.extend(exc.problems)
    problems.raise_errors()
    libraries = [core.get_library(library_old if library_old is not None else library),
                 core.get_library(library)]
    drafts = [core.build(source, library=lib, options={"commentary": commentary})
              for lib, source in zip(libraries, sources, strict=True)]
    # the drafts as such, not marked against a current code chapter
    documents = [d.document if d.lines is None else d._build(commentary) for d in drafts]
    merged = merge(layout(documents[0]), layout(documents[1]), "tracked")
    data = core.render_document("docx", documents[1], drafts[1].selection.profile,
                                libraries[1].templates_dir, footnotes=False, lines=merged,
                                track_revisions=True)
    write_atomic(output, data, force=force)
    return BuildResult([output], drafts[0].warnings + drafts[1].warnings, drafts[1].clauses)


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
    suffix_format = by_suffix.get(output.suffix.lower()) if output is not None else None
    if suffix_format is not None and suffix_format not in formats:
        # -o out.docx -f md: never write Word under a name that says Markdown, or the reverse
        assert output is not None
        wanted = ", ".join(formats)
        fix = (f"-o {output.with_suffix(FORMAT_SUFFIX[formats[0]]).name}" if len(formats) == 1
               else f"-o {output.with_suffix('').name} (a stem: one file per format)")
        raise DrafterError([Problem(display_path(output), message=f"the name ends in "
                                    f"{output.suffix} but the format asked for is {wanted}",
                                    hint=f"make them agree, e.g. {fix}")])
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


def _draft_for(answers: Path, *, preset: str | None = None, profile: str | None = None,
               library: Path | None = None, allow_preempted: bool | None = None,
               as_of: dt.date | None = None, below_floor: bool = False,
               commentary: str | None = None) -> Any:
    """The draft an answers file describes, built in memory (``drafter.core.Draft``)."""
    from drafter import core

    options = core.BuildOptions(preset=preset, profile=profile, commentary=commentary,
                                allow_preempted=allow_preempted, as_of=as_of,
                                below_floor=below_floor)
    return core.build(core.read_answers(answers), library=library, options=options)


def _selection_for(answers: Path, *, preset: str | None = None, profile: str | None = None,
                   library: Path | None = None, allow_preempted: bool | None = None,
                   as_of: dt.date | None = None, below_floor: bool = False) -> tuple[Any, Any]:
    """Load an answers file and its library, and resolve the draft's clauses (no rendering)."""
    from drafter import core
    from drafter.resolve import resolve

    source = core.read_answers(answers)
    lib = core._library_for(source, library, source.base_dir)
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
    from drafter.output import check_writable, write_atomic

    if lang not in ("en", "es"):
        raise DrafterError([Problem("--lang", message=f"unknown language '{lang}'",
                                    hint="use en or es")])
    stem = answers.with_name(f"{answers.stem}-factsheet-{lang}")
    targets = _targets(stem, output, formats, ["docx", "md"])
    for path in targets.values():
        check_writable(path, force=force)
    draft = _draft_for(answers, library=library, allow_preempted=allow_preempted, as_of=as_of,
                       below_floor=below_floor, commentary="none")
    payloads = [(path, draft.factsheet(lang, fmt)) for fmt, path in targets.items()]
    for path, data in payloads:
        write_atomic(path, data, force=force)
    return BuildResult(list(targets.values()), draft.warnings, draft.clauses)


def analyze(*, policy: Path, output: Path | None = None, library: Path | None = None,
            force: bool = False, state: str | None = None) -> tuple[Any, list[Path]]:
    """Protections, loopholes and gaps in an existing policy; with ``output``, a memo too;
    with ``state``, what that state's law says."""
    from drafter.analyze import analyze_file

    lib = load_library(library)
    if state is not None:
        from drafter.analysis_report import state_law_text

        state_law_text(lib, state)  # an unknown state fails before any reading
    analysis = analyze_file(policy, lib)
    analysis.state = state.upper() if state else None
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
    draft = _draft_for(answers, preset=preset, profile=profile, library=library,
                       allow_preempted=allow_preempted, as_of=as_of, below_floor=below_floor,
                       commentary="none")
    return draft.lint()


def check(*, library: Path | None = None, jobs: int = 1, cache: bool = True) -> CheckResult:  # noqa: F821
    """Validate a library in one pass: files not loaded, schema, references, templates, lint
    and every preset built for a city, a county and a state (see ``drafter.checks``);
    ``jobs`` processes share the work of a large library; ``cache=False`` checks everything
    again rather than reuse an earlier run's results for unchanged clauses and builds."""
    from drafter.checks import run_check

    return run_check(library, jobs, cache)


def __getattr__(name: str) -> Any:
    # CheckResult is drafter.checks.CheckReport, imported only when asked for (checks is heavy)
    if name == "CheckResult":
        from drafter.checks import CheckReport

        return CheckReport
    raise AttributeError(name)


__all__ = ["BuildResult", "CheckResult", "build", "check", "display_path", "list_clauses",  # noqa: F822
           "show_clause"]
