"""``drafter check``: everything about a library that loading alone does not prove.

Loading already validated the schema and the references between entries. Here every
template is compiled and rendered with its defaults, variables are compared with declared
parameters, and every preset is built for sample jurisdictions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.core import answers_from_mapping
from drafter.errors import DrafterError, Problem, Problems
from drafter.library import Clause, Definition, Library
from drafter.lint import Rule, Target, known_rule_ids, lint, mask_jinja
from drafter.markdown import MarkdownError, parse_blocks
from drafter.models import finding_text
from drafter.numbering import Labeler
from drafter.render import build_document, format_citation, term_pattern
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
    {"name": "New Mexico", "kind": "state", "state": "NM"},
]  # a city, a county and a state-level draft for every preset


_GROUPS: list[Any] = []  # [library, its clauses dict, count, groups]: the last library's groups


def _variant_groups(library: Library) -> dict[str, list[Clause]]:
    """``library.variant_groups()``, computed once per library rather than once per clause."""
    if not (_GROUPS and _GROUPS[0] is library and _GROUPS[1] is library.clauses
            and _GROUPS[2] == len(library.clauses)):
        _GROUPS[:] = [library, library.clauses, len(library.clauses), library.variant_groups()]
    return _GROUPS[3]


def _sample_context(library: Library, clause: Clause | None,
                    refs: dict[str, bool] | None = None) -> dict[str, Any]:
    """The context clause checks render with; ``refs`` records each ``ref()`` target and
    whether it exists (what a cached result depends on beyond the clause: check_cache)."""
    groups = _variant_groups(library)

    def ref(target: str) -> Markdown:
        exists = target in library.clauses or target in groups
        if refs is not None:
            refs[str(target)] = exists
        if not exists:
            raise LookupError(f"ref('{target}'): no clause or variant group has that id")
        return Markdown("Section 1")

    def cite(authority_id: str) -> Markdown:
        if authority_id not in library.authorities:
            raise LookupError(f"cite('{authority_id}'): no authority has that id")
        return format_citation(library.authorities[authority_id])

    ctx: dict[str, Any] = {
        "jurisdiction": {"name": "Sample", "full_name": "City of Sample", "the_full_name": "the City of Sample",
                         "short_name": "City",
                         "kind": "city", "state": "CA", "state_name": "California",
                         "governing_body": "City Council", "police": "Sample Police Department",
                         "sheriff": "", "runs_jail": True, "agencies": ["Sample Police Department"],
                         "withheld": [], "oversight_body": "City Council", "acts_as": "city",
                         "presiding_officer": "Mayor", "executive": "Mayor",
                         "clerk": "City Clerk", "legal_officer": "City Attorney",
                         "instrument": "Ordinance", "enactment": "ordinance", "jail": "", "probation": ""},
        "this_law": "this chapter", "ref": ref, "cite": cite,
    }
    if clause is not None:
        ctx.update({name: p.default for name, p in clause.meta.params.items()})
    return ctx


def check_library(library: Library, problems: Problems, jobs: int = 1, cache: bool = True) -> None:
    """Append every template, lint and build problem in ``library`` to ``problems``
    (``jobs``: processes for the clause checks and the preset builds of a large library;
    ``cache``: reuse the results of an earlier run for what has not changed, check_cache)."""
    from drafter import check_cache

    fingerprints = {cid: check_cache.entry_fingerprint(c) for cid, c in library.clauses.items()} \
        if cache else None
    used = _clause_checks(library, problems, jobs, fingerprints)
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
    _check_terms(library, used, problems)
    for definition in library.definitions.values():
        check_entry_facts(definition, problems)
    check_analyzer_rules(library, problems)
    known = {(p.path, p.line, p.message) for p in problems.items}
    digest = check_cache.library_digest(library, fingerprints) if fingerprints is not None else None
    problems.extend(_build_presets(library, known, jobs, digest))


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
                                codified_words=meta.role != "housekeeping", source=clause.body)))
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


def _check_terms(library: Library, direct: set[str], problems: Problems) -> None:
    """R-22 and R-21; ``direct``: the definitions whose term some clause's rendered text uses
    (those the used definitions use count too, as in render.used_definitions)."""
    by_term: dict[str, str] = {}
    for definition in library.definitions.values():
        key = definition.meta.term.lower()
        if key in by_term:
            line, col = definition.header.locate(("term",))
            problems.add(definition.display, line, col, rule="R-22",
                         message=f"term '{definition.meta.term}' is also defined in {by_term[key]}",
                         hint="keep one definition")
        by_term[key] = definition.display
    used = _with_definitions_they_use(library, direct)
    for definition in library.definitions.values():
        if definition.id not in used:
            line, col = definition.header.locate(("term",))
            problems.add(definition.display, line, col, severity="warning", rule="R-21",
                         message=f"term '{definition.meta.term}' is defined but no clause uses it",
                         hint="delete the definition or list its other forms under 'forms'")


def _term_patterns(library: Library) -> dict[str, re.Pattern[str]]:
    return {d.id: term_pattern(d) for d in library.definitions.values()}


def _with_definitions_they_use(library: Library, direct: set[str]) -> set[str]:
    """``direct`` and every definition a used definition's text uses, by term (the closure
    render.used_definitions computes, from each clause's own matches)."""
    patterns = _term_patterns(library)
    used = {did for did in direct if did in library.definitions}
    pending = list(used)
    while pending:
        body = re.sub(r'^\s*"[^"]+"', "", library.definitions[pending.pop()].body)
        for did, pattern in patterns.items():
            if did not in used and pattern.search(body):
                used.add(did)
                pending.append(did)
    return used


def _render_into(problems: Problems, source: str, ctx: dict[str, Any], display: str,
                 line: int, what: str) -> None:
    try:
        render(source, ctx, display=display, first_line=line, what=what)
    except RenderError as exc:
        problems.items.append(exc.problem)


def _check_clause_templates(library: Library, clause: Clause, problems: Problems,
                            refs: dict[str, bool] | None = None) -> str:
    """Render every template of a clause with its defaults; return the rendered text."""
    ctx = _sample_context(library, clause, refs)
    text = ""
    pieces = [(clause.body, clause.body_line, "clause text"),
              (clause.commentary, clause.commentary_line, "commentary")]
    for index, entry in enumerate(clause.meta.findings):
        finding = finding_text(entry)
        pieces.append((finding, clause.header.line_of(finding, ("findings", index)), "finding"))
    used: set[str] = set()
    unreadable = False  # a template that does not parse: its variables are unknown
    declared = set(clause.meta.params)
    for source, line, what in pieces:
        readable, out = _render_recovering(source, ctx, clause.display, line, what, problems)
        try:  # the names a template reads (lines with syntax errors set aside)
            used |= undeclared_variables(readable)
        except Exception:  # noqa: BLE001 - the syntax error is reported already
            unreadable = True
        if out is None:
            continue
        if what == "clause text":
            text = out
            try:
                parse_blocks(out, Labeler(["(a)", "(1)", "(A)", "(i)", "(I)"]))
            except MarkdownError as exc:
                problems.add(clause.display, line + exc.line, 1, message=str(exc))
        names = undeclared_variables(source)
        for name in sorted(names - declared - DOCUMENTED):
            problems.add(clause.display, line, 1,
                         message=f"{what} uses '{name}', which is neither a parameter nor a "
                                 "documented variable",
                         hint=f"declare '{name}' under 'params' or fix the name")
    if not clause.commentary.strip():
        problems.add(clause.display, clause.body_line, 1, message="clause has no commentary",
                     hint="add a '## Commentary' heading and explain the clause")
    for name in sorted(set(clause.meta.params) - used) if not unreadable else ():
        line, col = clause.header.locate(("params", name))
        problems.add(clause.display, line, col, severity="warning",
                     message=f"parameter '{name}' is declared but never used",
                     hint="use it in the text or remove it")
    if re.search(r"\(\s*[a-z]\s*\)|\(\s*\d+\s*\)", _first_words(clause.body)):
        problems.add(clause.display, clause.body_line, 1, severity="warning",
                     message="clause text seems to type its own labels like (a) or (1)",
                     hint="use a Markdown numbered list; drafter computes the labels")
    return text


_TAG = re.compile(r"\{\{.*?\}\}|\{#.*?#\}")


def _render_recovering(source: str, ctx: dict[str, Any], display: str, first_line: int,
                       what: str, problems: Problems) -> tuple[str, str | None]:
    """Render, reporting each error; after an error the offending line's {{ }} tags (then the
    whole line) are set aside and the rest is rendered again, so one mistake does not hide
    the ones after it. Returns the source with only its syntax-error lines set aside (what
    the parameter check reads) and the output (None if it never rendered)."""
    tried: set[tuple[int, int]] = set()
    rows, readable = source.split("\n"), source.split("\n")
    out: str | None = None
    for _attempt in range(8):
        try:
            out = render("\n".join(rows), ctx, display=display, first_line=first_line, what=what)
            break
        except RenderError as exc:
            problems.items.append(exc.problem)
            index = exc.problem.line - first_line
            if not 0 <= index < len(rows) or (index, 1) in tried:
                break
            stage = 1 if (index, 0) in tried else 0
            tried.add((index, stage))
            rows[index] = _TAG.sub("", rows[index]) if stage == 0 else ""
            if "syntax error" in exc.problem.message:
                readable[index] = rows[index]
    return "\n".join(readable), (out if not tried else None)


def _first_words(body: str) -> str:
    return "\n".join(line.lstrip()[:6] for line in body.splitlines())


def _build_presets(library: Library, known: set[tuple[str, int, str]] | None = None,
                   jobs: int = 1, digest: str | None = None) -> list[Problem]:
    """Every preset built for each sample jurisdiction; a problem found in several builds is
    reported once, naming the builds it breaks, and not at all if the clause checks already
    reported it (``known``: path, line, message). ``digest``: the whole library's
    (check_cache.library_digest), under which the builds' findings are kept for the next run."""
    from drafter import check_cache

    pairs = [(preset_id, sample) for preset_id in sorted(library.presets)
             for sample in range(len(SAMPLE_JURISDICTIONS))]
    entry_key = check_cache.key(check_cache.PRESETS_KIND, digest, json.dumps(pairs)) if digest else None
    events = _stored_events(check_cache.get(check_cache.PRESETS_KIND, entry_key)) if entry_key else None
    if events is None or (not known and any(event[1] is None for event in events)):
        by_sample = [[i for i, pair in enumerate(pairs) if pair[1] == sample]
                     for sample in range(len(SAMPLE_JURISDICTIONS))]  # one sample's builds share renders
        events = [event for chunk in _fan_out(_preset_events, (library, known, pairs), by_sample, jobs)
                  for event in chunk]
        if entry_key:
            check_cache.put(check_cache.PRESETS_KIND, entry_key,
                            [[i, list(k) if k else None, b, p, n] for i, k, b, p, n in events])
    seen: dict[tuple[str, int, int, str, str], list[str]] = {}
    for _index, key, build, path, line in sorted(events, key=lambda event: event[0]):
        if key is None or (path, line, key[3]) in (known or set()):
            continue  # a build stopped by a dangling id already reported; a problem already reported
        seen.setdefault(key, []).append(build)
    found = []
    for (path, line, col, message, hint), builds in seen.items():
        shown = ", ".join(builds[:4]) + (f" and {len(builds) - 4} more" if len(builds) > 4 else "")
        found.append(Problem(path, line, col, f"preset {shown} does not build: {message}", hint))
    return found


_Event = tuple[int, "tuple[str, int, int, str, str] | None", str, str, int]


def _stored_events(data: Any) -> list[_Event] | None:
    """Build events as check_cache kept them, or None if they are not of that shape."""
    if not isinstance(data, list):
        return None
    events: list[_Event] = []
    for row in data:
        if not (isinstance(row, list) and len(row) == 5 and type(row[0]) is int
                and isinstance(row[2], str) and isinstance(row[3], str) and type(row[4]) is int):
            return None
        key = row[1]
        if key is not None and not (isinstance(key, list) and len(key) == 5
                                    and [type(v) for v in key] == [str, int, int, str, str]):
            return None
        events.append((row[0], tuple(key) if key is not None else None, row[2], row[3], row[4]))
    return events


def _preset_events(work: tuple[Library, Any, list[tuple[str, int]]], indexes: list[int]
                   ) -> list[_Event]:
    """(build number, problem key, build name, the problem's own path and line) for the builds
    ``indexes`` of ``pairs``, whatever the clause checks found (the caller sets aside what
    they reported); a build stopped by an exception is one event with no key (raised when
    the clause checks found nothing to explain it). The builds of one sample place share
    every render they can (templating.shared_renders)."""
    from drafter.templating import shared_renders

    library, known, pairs = work
    events: list[_Event] = []
    with shared_renders():
        for index in indexes:
            preset_id, sample_index = pairs[index]
            sample = SAMPLE_JURISDICTIONS[sample_index]
            data = {"jurisdiction": dict(sample), "preset": preset_id}
            source = answers_from_mapping(data, name="(check)")
            where = "a state-level draft" if sample["kind"] == "state" else \
                f"a {sample['kind']} in {sample['state']}"
            build = f"'{preset_id}' for {where}"
            try:
                selection = resolve(library, source, allow_preempted=True)
                build_document(library, selection, commentary="none")  # notes: checked per clause
            except (KeyError, LookupError, AttributeError, TypeError, ValueError):
                if known:  # a dangling id already reported stops the build; nothing new to say
                    events.append((index, None, build, "", 0))
                    continue
                raise
            except DrafterError as exc:
                shown, _doc = library.preset_docs.get(preset_id, ("(preset)", None))
                for problem in exc.problems:
                    located = problem.path != "(check)"
                    key = (problem.path if located else shown, problem.line if located else 1,
                           problem.col if located else 1, problem.message, problem.hint)
                    events.append((index, key, build, problem.path, problem.line))
    return events


def _clause_checks(library: Library, problems: Problems, jobs: int,
                   fingerprints: dict[str, str] | None) -> set[str]:
    """Templates, lint and facts of every clause (in ``jobs`` processes for a large library),
    in library order; returns the definitions whose terms the clauses' rendered text uses.
    With ``fingerprints`` (clause id -> check_cache.entry_fingerprint), a clause whose
    result an earlier run stored under the same inputs is not checked again."""
    from drafter import check_cache

    results: dict[str, tuple[list[Problem], list[str]]] = {}
    keys: dict[str, str] = {}
    if fingerprints is not None:
        inputs = check_cache.clause_inputs(library)
        groups = _variant_groups(library)
        for cid in library.clauses:
            keys[cid] = check_cache.key(check_cache.CLAUSE_KIND, inputs, fingerprints[cid])
            stored = _stored_clause(check_cache.get(check_cache.CLAUSE_KIND, keys[cid]), library, groups)
            if stored is not None:
                results[cid] = stored
    ids = [cid for cid in library.clauses if cid not in results]
    size = max(1, -(-len(ids) // max(1, jobs * 4)))  # a few chunks per process, in order
    chunks = [ids[start:start + size] for start in range(0, len(ids), size)] \
        if jobs > 1 and len(ids) >= _PARALLEL_FROM else [ids]
    for chunk in _fan_out(_clause_chunk, library, chunks, jobs):
        for cid, found, refs, used in chunk:
            results[cid] = (found, used)
            if cid in keys:
                check_cache.put(check_cache.CLAUSE_KIND, keys[cid],
                                {"problems": check_cache.dump_problems(found), "refs": refs,
                                 "definitions": used})
    direct: set[str] = set()
    for cid in library.clauses:
        found, used = results[cid]
        problems.items.extend(found)
        direct.update(used)
    return direct


def _stored_clause(data: Any, library: Library, groups: dict[str, Any]
                   ) -> tuple[list[Problem], list[str]] | None:
    """A clause's stored result, if it is of the right shape and every ref() target it
    named still exists (or still does not)."""
    from drafter import check_cache

    if not (isinstance(data, dict) and set(data) == {"problems", "refs", "definitions"}
            and isinstance(data["refs"], dict) and isinstance(data["definitions"], list)
            and all(isinstance(d, str) for d in data["definitions"])):
        return None
    for target, existed in data["refs"].items():
        if (target in library.clauses or target in groups) is not existed:
            return None
    try:
        return check_cache.load_problems(data["problems"]), data["definitions"]
    except ValueError:
        return None


def _clause_chunk(library: Library, ids: list[str]
                  ) -> list[tuple[str, list[Problem], dict[str, bool], list[str]]]:
    """(id, problems, ref() targets and whether each exists, definitions its text uses) of
    each clause of ``ids``."""
    patterns = _term_patterns(library)
    out = []
    for clause_id in ids:
        clause = library.clauses[clause_id]
        found = Problems()
        refs: dict[str, bool] = {}
        text = _check_clause_templates(library, clause, found, refs)
        _lint_clause(library, clause, found)
        check_entry_facts(clause, found)
        out.append((clause_id, found.items, refs,
                    [did for did, pattern in patterns.items() if pattern.search(text)]))
    return out


_PARALLEL_FROM = 200  # clauses: below this, starting processes costs more than it saves
_FORKED: Any = None  # what the forked workers read (set just before the pool starts)


def _fan_out(func: Any, shared: Any, chunks: list[Any], jobs: int) -> list[Any]:
    """``[func(shared, chunk) for chunk in chunks]``, in ``jobs`` forked processes when asked
    (the library is inherited, not sent); in this process where fork is unavailable."""
    import multiprocessing

    if jobs <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(shared, chunk) for chunk in chunks]
    from concurrent.futures import ProcessPoolExecutor

    global _FORKED
    _FORKED = (func, shared)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_forked, chunks))
    finally:
        _FORKED = None


def _forked(chunk: Any) -> Any:
    func, shared = _FORKED
    return func(shared, chunk)


# ---------------------------------------------------------------- one pass, every problem once


@dataclass
class CheckReport:
    """What ``drafter check`` found, and which library it checked."""

    problems: list[Problem]
    counts: dict[str, int]
    checked: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def find_library(start: Path) -> Path | None:
    """The library a lawyer is editing: walking up from ``start``, the first folder that has a
    ``clauses/`` folder (a checkout), or that is itself laid out like a library."""
    from drafter.library import LIBRARY_FOLDERS

    for folder in (start, *start.parents):
        if (folder / "clauses").is_dir():
            return folder / "clauses"
        if any((folder / name).is_dir() for name in LIBRARY_FOLDERS if name != "states") and (
                folder.name == "clauses" or not (folder / "pyproject.toml").exists()):
            return folder
    return None


def run_check(library: Path | None = None, jobs: int = 1, cache: bool = True) -> CheckReport:
    """Check a library (the built-in one, or ``library`` overlaid on it) in one pass.

    Every stage runs whatever the others found: files the loader skips, schema, references,
    templates, lint and preset builds. A file whose front matter fails validation is still
    checked for its references and templates (with its valid fields). Each problem is
    reported once, located, in plain words, with a "did you mean" where a near name exists.
    With ``cache`` (the default), what an earlier run found for clauses and preset builds whose
    inputs have not changed is reused (drafter/check_cache.py): the report is the same.
    """
    from drafter.library import load_library, unloaded_files
    from drafter.resources import builtin_clauses, display_path

    builtin = builtin_clauses()
    overlay = library
    base = None
    if overlay is not None and overlay.is_dir() and overlay.resolve() == builtin.resolve():
        overlay = None  # the built-in library itself (a checkout's clauses/)
    elif overlay is not None and (overlay / "taxonomy.yaml").is_file():
        # a whole library (a clone's clauses/, perhaps of a newer drafter than the one
        # installed): check it in place of the installed one, not overlaid on it
        base, overlay = overlay, None
    problems = Problems()
    lib = load_library(overlay, problems, base=base)
    for root in lib.roots:
        problems.extend(unloaded_files(root, builtin=root in (builtin, base)))
    schema_failed = _lenient_entries(lib, problems)
    try:
        check_library(lib, problems, jobs, cache)
    except DrafterError as exc:
        problems.extend(exc.problems)
    _check_lenient(lib, schema_failed, problems)
    params = {c.display: set(c.meta.params) for c in [*lib.clauses.values(), *schema_failed]}
    polished = polish(problems.items, lib, params)
    counts = {"clauses": len(lib.clauses), "definitions": len(lib.definitions),
              "authorities": len(lib.authorities), "presets": len(lib.presets),
              "states": len(lib.states)}
    if base is not None:
        checked = f"the library at {display_path(base)}"
    elif overlay is None:
        checked = f"the built-in library at {display_path(builtin)}"
    else:
        checked = f"{display_path(overlay)} (overlaid on the built-in library at {display_path(builtin)})"
    return CheckReport(polished, counts, checked)


def _lenient_entries(library: Library, problems: Problems) -> list[Clause]:
    """Clauses whose front matter failed validation, rebuilt from their valid fields only
    (for the reference and template checks; they are never built into a draft)."""
    from pydantic import TypeAdapter, ValidationError

    from drafter.library import _split_commentary
    from drafter.models import AREAS, ClauseMeta
    from drafter.resources import display_path
    from drafter.sources import library_files, load_front_matter

    listed = {c.path for c in library.clauses.values()}  # as library_files gave them to the loader
    loaded: set[Path] | None = None
    found = []
    for root in library.roots:
        for area in AREAS:
            if all(path in listed for path in (root / area).glob("*.md")):
                continue  # every file the loader could list loaded (library_files lists a subset)
            for path in library_files(root, area, "*.md", Problems()):
                if path in listed:
                    continue
                if loaded is None:
                    loaded = {c.path.resolve() for c in library.clauses.values()}
                if path.resolve() in loaded:
                    continue
                doc = load_front_matter(path, Problems(), display_path(path))
                if doc is None or not isinstance(doc.header.data, dict):
                    continue
                data = dict(doc.header.data)
                fields: dict[str, Any] = {}
                for name, info in ClauseMeta.model_fields.items():
                    if name in data:
                        try:
                            fields[name] = TypeAdapter(info.annotation).validate_python(
                                _plain(data[name]))
                            continue
                        except (ValidationError, TypeError, ValueError):
                            pass
                    if not info.is_required():
                        fields[name] = info.get_default(call_default_factory=True)
                fields.setdefault("id", f"{area}.{path.stem}")
                fields.setdefault("area", area)
                fields.setdefault("title", path.stem)
                fields.setdefault("strength", "strongest")
                meta = ClauseMeta.model_construct(**fields)
                body, commentary, line = _split_commentary(doc.body, doc.body_line)
                found.append(Clause(meta, body, commentary, path, display_path(path), doc.header,
                                    doc.body_line, line))
    return found


def _plain(value: Any) -> Any:
    """ruamel's round-trip containers as plain Python (for a strict TypeAdapter)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _check_lenient(library: Library, clauses: list[Clause], problems: Problems) -> None:
    """References, templates and lint of clauses that failed validation."""
    from copy import copy

    from drafter.library import cross_check

    if not clauses:
        return
    shown = {c.display for c in clauses}
    wider = copy(library)
    wider.clauses = {**library.clauses, **{c.id: c for c in clauses}}
    found = Problems()
    cross_check(wider, found)
    for clause in clauses:
        try:
            _check_clause_templates(wider, clause, found)
            _lint_clause(wider, clause, found)
        except Exception:  # noqa: BLE001 - a half-valid clause must not hide the other problems
            continue
    problems.extend(p for p in found.items if p.path in shown
                    and "has 0 defaults" not in p.message and "is not 'strongest'" not in p.message)


# ---------------------------------------------------------------- plain words, did you mean


def _field_names() -> set[str]:
    from pydantic import BaseModel

    from drafter import models

    names: set[str] = set()
    for value in vars(models).values():
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
            names |= set(value.model_fields)
    return names


def _close(name: str, candidates: Any, cutoff: float = 0.7) -> str:
    import difflib

    match = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=cutoff)
    return match[0] if match and match[0] != name else ""


_QUOTED = re.compile(r"'([^']+)'")
_TEMPLATE_WORDS = [
    (re.compile(r"syntax error: expected token 'end of print statement', got '([^']+)'"),
     r"syntax error: a {{ }} tag holds two words side by side ('\1' follows a name with no "
     r"operator between them)",
     r"a parameter or variable name has no spaces: write it with underscores "
     r"(e.g. {{ covered_agency }}), or put plain words outside the {{ }}"),
    (re.compile(r"syntax error: unexpected end of template.*(?:looking for|expected) .*'(end\w+)'"),
     r"syntax error: a block is not closed (the text ends before {% \1 %})",
     r"add {% \1 %} where the block should end"),
    (re.compile(r"syntax error: unexpected end of template.*"),
     r"syntax error: a {{ or {% tag is not closed before the text ends",
     r"close every {{ with }} and every {% with %}"),
    (re.compile(r"syntax error: unexpected '\}'"),
     r"syntax error: a stray '}' (a tag closes that was never opened, or '}}' is typed twice)",
     r"every {{ needs one matching }} and every {% one matching %}"),
    (re.compile(r"syntax error: unexpected char '([^']+)'.*"),
     r"syntax error: the character '\1' cannot be used inside a {{ }} or {% %} tag",
     r"put plain text outside the tags"),
    (re.compile(r"syntax error: Encountered unknown tag '([^']+)'.*"),
     r"syntax error: {% \1 %} is not a tag clause files can use",
     r"use {% if %}…{% endif %} or {% for %}…{% endfor %}; plain text goes outside the tags"),
    (re.compile(r"syntax error: expected token '([^']+)', got '([^']+)'"),
     r"syntax error: '\2' is not expected here (a '\1' should come next)",
     r"check the {{ }} and {% %} tags on this line"),
    (re.compile(r"uses an undefined variable: '([^']+)' is undefined"),
     r"uses '\1', which is neither a parameter nor a documented variable",
     r"declare it under 'params' or fix the name"),
]


def polish(items: list[Problem], library: Library,
           params: dict[str, set[str]] | None = None) -> list[Problem]:
    """Each problem once, in plain words, with a column and a "did you mean" where we can."""
    from dataclasses import replace

    groups = library.variant_groups()
    clause_ids = set(library.clauses) | set(library.definitions)
    taxonomy = library.taxonomy
    out: dict[tuple, Problem] = {}
    texts: dict[str, list[str]] = {}
    for problem in items:
        message, hint = problem.message, problem.hint
        for pattern, plain, plain_hint in _TEMPLATE_WORDS:
            match = pattern.search(message)
            if match:
                message = message[:match.start()] + match.expand(plain) + message[match.end():]
                hint = match.expand(plain_hint)
                break
        message = message.replace("(a ref() or cite() names an id that does not exist)", "")
        if "that clause is not in this draft" in message:
            hint = ("the clause exists, but this draft leaves it out (another variant or preset); "
                    "ref(\"<variant group>\") names whichever variant the draft chose, or refer "
                    "to the section by its subject in words")
        guess = _did_you_mean(message, problem, library, clause_ids, groups, taxonomy,
                              (params or {}).get(problem.path, set()))
        if guess:
            hint = f"did you mean '{guess}'?" + (f" {hint}" if hint else "")
        if message.startswith("YAML syntax error: found unexpected end of stream"):
            problem, message, hint = _open_quote(problem, message, hint)
        col = problem.col
        line = problem.line
        if line and not col:
            col = _column(problem.path, line, message, texts)
        fixed = replace(problem, message=message.strip(), hint=hint, col=col, line=line)
        key = (fixed.path, fixed.line, fixed.message)
        out.setdefault(key, fixed)
    return sorted(out.values(), key=lambda p: (p.path, p.line, p.col, p.message))


def _did_you_mean(message: str, problem: Problem, library: Library, clause_ids: set[str],
                  groups: dict, taxonomy: Any, params: set[str]) -> str:
    quoted = _QUOTED.findall(message)
    if not quoted:
        return ""
    name = quoted[0]
    if message.startswith("unknown field "):
        return _close(name.rsplit(".", 1)[-1], _field_names(), 0.75)
    if "unknown provision id" in message and taxonomy is not None:
        return _close(name, taxonomy.provisions)
    if "unknown loophole id" in message and taxonomy is not None:
        return _close(name, taxonomy.loopholes)
    if "unknown clause id" in message:
        return _close(name, clause_ids)
    if "unknown authority id" in message:
        return _close(name, library.authorities)
    if "unknown lint rule" in message:
        return _close(name, known_rule_ids() | {r.id for r in FACT_RULES}, 0.5)
    ref = re.search(r"(ref|cite)\('([^']+)'\): no (?:clause|authority)", message)
    if ref:
        pool = library.authorities if ref.group(1) == "cite" else (clause_ids | set(groups))
        return _close(ref.group(2), pool)
    if "neither a parameter nor a documented variable" in message:
        return _close(name, params | DOCUMENTED)
    return ""


def _file_lines(path: str, cache: dict[str, list[str]]) -> list[str]:
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            cache[path] = []
    return cache[path]


def _column(path: str, line: int, message: str, cache: dict[str, list[str]]) -> int:
    """Where on the line the problem is: the quoted name, else the first template tag."""
    lines = _file_lines(path, cache)
    if not 0 < line <= len(lines):
        return 0
    text = lines[line - 1]
    for name in _QUOTED.findall(message):
        index = text.find(name)
        if index >= 0:
            return index + 1
    for tag in ("{{", "{%"):
        index = text.find(tag)
        if index >= 0:
            return index + 1
    return 1


def _open_quote(problem: Problem, message: str, hint: str) -> tuple[Problem, str, str]:
    """ruamel reports an unclosed quote at the end of the file; find where it opened."""
    from dataclasses import replace

    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    lines = _file_lines(problem.path, {})
    text = "\n".join(lines)
    offset = 0
    if problem.path.endswith(".md"):
        match = re.match(r"---[ \t]*\n(.*?)^---", text + "\n", re.S | re.M)
        if not match:
            return problem, message, hint
        text, offset = match.group(1), 1
    try:
        YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.context_mark
        if mark is not None and "quoted" in (exc.context or ""):
            quote = text.splitlines()[mark.line][mark.column:mark.column + 1] if \
                mark.line < len(text.splitlines()) else '"'
            moved = replace(problem, line=mark.line + 1 + offset, col=mark.column + 1)
            return (moved, f"YAML syntax error: the quoted value that starts here ({quote}) is never "
                           "closed", f"add the closing {quote} at the end of the value")
    except Exception:  # noqa: BLE001 - keep the original report
        pass
    return problem, message, hint


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
                word in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word or "x")) \
                and "\n" not in match.group(0):
            continue
        cuts.append(match.end())
    cuts.append(len(source))
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
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
    from bisect import bisect_right

    pieces = split_sentences(source)
    # paragraph_index for every sentence from one scan: a sentence starts at a non-space
    # character, so every paragraph break before it also ends before it
    breaks = [match.end() for match in re.finditer(r"\n\s*\n", source)]
    found = []
    for index, (offset, sentence) in enumerate(pieces):
        facts = sentence_facts(sentence)
        if not facts:
            continue
        para = bisect_right(breaks, offset)
        own = CITE.findall(sentence)
        near: list[str] = []
        for other in (index - 1, index + 1):
            if 0 <= other < len(pieces) and bisect_right(breaks, pieces[other][0]) == para:
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
    for entry in [*library.clauses.values(), *library.definitions.values()]:
        check_entry_facts(entry, problems)


def check_entry_facts(entry: Clause | Definition, problems: Problems) -> None:
    """F-01 and F-02 over one clause's or definition's commentary (and findings, for F-02)."""
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
        return
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


def check_analyzer_rules(library: Library, problems: Problems) -> None:
    """Compile every analyzer rule, mandate and loophole pattern (built-in and overlay) and run
    each one's ``match`` and ``no_match`` examples."""
    from drafter.analyzer_rules import check_examples
    from drafter.library import load_analyzer_rules

    rules = load_analyzer_rules(library, problems)
    taxonomy = library.taxonomy
    ids = set(taxonomy.provisions) | set(taxonomy.loopholes) if taxonomy is not None else None
    check_examples(rules, ids, problems)
    check_reader_model(ids, problems)


def check_reader_model(ids: set[str] | None, problems: Problems) -> None:
    """The built-in statistical reader's model loads and names only taxonomy ids."""
    import json

    from drafter.resources import builtin_clauses, display_path
    from drafter.statistical_reader import MODEL_FILE, ModelError, parse

    path = builtin_clauses() / "analyzer" / MODEL_FILE
    if not path.is_file():
        return  # the analyzer then reads by its rules alone
    hint = "retrain it: python scripts/train_reader.py (docs/analyzer.md, 'The statistical reader')"
    try:
        reader = parse(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ModelError) as exc:
        problems.add(display_path(path), message=f"the statistical reader's model cannot be used: {exc}", hint=hint)
        return
    for pid in sorted(set(reader.models) - (ids if ids is not None else set(reader.models))):
        problems.add(display_path(path), message=f"the statistical reader's model names unknown taxonomy id '{pid}'",
                     hint=hint)
