"""Loading a clause library from disk into validated models, with every problem located.

A library is the built-in ``clauses/`` folder, optionally overlaid by a user library with
the same layout: an entry with the same id replaces the built-in one, a new id adds one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import Problem, Problems
from drafter.models import (
    AREAS,
    Authority,
    AuthorityFile,
    ClauseMeta,
    DefinitionMeta,
    JurisdictionForm,
    Preset,
    Profile,
    StateRule,
    Targets,
)
from drafter.resources import builtin_clauses, builtin_templates, display_path
from drafter.sources import YamlDoc, library_file, library_files, load_front_matter, load_yaml_file, validate
from drafter.statistical_reader import MODEL_FILE as READER_MODEL

PROVISION_AREA = {"detainer": "detainers", "info": "information", "access": "access",
                  "policing": "policing", "structure": "structure"}  # taxonomy prefix -> folder
COMMENTARY = re.compile(r"^##[ \t]+Commentary[ \t]*$", re.M)


@dataclass(frozen=True)
class TextEntry:
    """A Markdown library file: front matter, text and commentary, with where each starts."""

    meta: ClauseMeta | DefinitionMeta
    body: str
    commentary: str
    path: Path
    display: str
    header: YamlDoc
    body_line: int
    commentary_line: int

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Clause(TextEntry):
    """A clause file."""

    meta: ClauseMeta


@dataclass(frozen=True)
class Definition(TextEntry):
    """A defined term."""

    meta: DefinitionMeta


@dataclass(frozen=True)
class Taxonomy:
    """Stable ids of protections (by area) and loophole patterns."""

    provisions: dict[str, str]
    provision_area: dict[str, str]
    area_titles: dict[str, str]
    loopholes: dict[str, str]


@dataclass
class Library:
    """Everything a draft is assembled from."""

    roots: list[Path]
    clauses: dict[str, Clause] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    authorities: dict[str, Authority] = field(default_factory=dict)
    presets: dict[str, Preset] = field(default_factory=dict)
    preset_docs: dict[str, tuple[str, YamlDoc]] = field(default_factory=dict)
    states: dict[str, StateRule] = field(default_factory=dict)
    state_docs: dict[str, tuple[str, YamlDoc]] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    forms: dict[str, JurisdictionForm] = field(default_factory=dict)
    taxonomy: Taxonomy | None = None
    templates_dir: Path = field(default_factory=builtin_templates)

    def clause_adding(self, provision: str) -> str | None:
        """The clause that adds a provision: its own area's strongest default first."""
        area = PROVISION_AREA.get(provision.split(".")[0])
        carriers = [c for c in self.clauses.values() if provision in c.meta.provisions]
        carriers.sort(key=lambda c: (c.meta.area != area, c.meta.strength != "strongest",
                                     bool(c.meta.variant_of) and not c.meta.default,
                                     len(c.meta.provisions), c.id))
        return carriers[0].id if carriers else None

    def variant_groups(self) -> dict[str, list[Clause]]:
        """Variant group id -> its clauses, strongest first."""
        rank = {"strongest": 0, "strong": 1, "baseline": 2}
        groups: dict[str, list[Clause]] = {}
        for clause in self.clauses.values():
            if clause.meta.variant_of:
                groups.setdefault(clause.meta.variant_of, []).append(clause)
        for members in groups.values():
            members.sort(key=lambda c: (rank[c.meta.strength], c.id))
        return groups


def load_library(extra: Path | None = None, problems: Problems | None = None, *,
                 base: Path | None = None) -> Library:
    """Load the built-in library, overlaid by ``extra`` if given, and cross-check it.

    ``base`` replaces the built-in library with another whole one (a checkout's ``clauses/``,
    with its taxonomy; its sibling ``templates/`` too, when there is one), so a lawyer
    editing a clone checks what they edit rather than the copy installed with drafter.
    Problems are appended to ``problems`` (or raised, if no collector is passed).
    """
    collector = problems if problems is not None else Problems()
    roots = [base or builtin_clauses()]
    if extra is not None:
        if not extra.is_dir():
            collector.add(display_path(extra), message="library folder not found",
                          hint="--library takes a folder laid out like clauses/")
        else:
            roots.append(extra)
    library = Library(roots=roots)
    _load_taxonomy(library, collector)
    for root in roots:
        _load_root(library, root, collector)
    templates = base.parent / "templates" if base is not None else None
    _load_templates(library, templates if templates and templates.is_dir() else builtin_templates(), collector)
    cross_check(library, collector)
    if problems is None:
        collector.raise_errors()
    return library


def _split_commentary(body: str, body_line: int) -> tuple[str, str, int]:
    match = COMMENTARY.search(body)
    if not match:
        return body, "", 0
    rest = body[match.end():]
    commentary = rest.lstrip("\n")
    commentary_line = body_line + body.count("\n", 0, match.end()) + len(rest) - len(commentary)
    return body[: match.start()], commentary, commentary_line


def _load_taxonomy(library: Library, problems: Problems) -> None:
    path = library.roots[0] / "taxonomy.yaml"
    doc = load_yaml_file(path, problems, display_path(path))
    if doc is None:
        return
    provisions: dict[str, str] = {}
    provision_area: dict[str, str] = {}
    titles: dict[str, str] = {}
    for area, body in doc.data["areas"].items():
        titles[area] = body["title"]
        for pid, text in body["provisions"].items():
            provisions[pid] = text
            provision_area[pid] = area
    library.taxonomy = Taxonomy(provisions, provision_area, titles, dict(doc.data["loopholes"]))


def _markdown_files(root: Path, folder: str, problems: Problems) -> Iterable[Path]:
    return library_files(root, folder, "*.md", problems)


def _load_root(library: Library, root: Path, problems: Problems) -> None:
    seen: dict[str, str] = {}
    for area in AREAS:
        for path in _markdown_files(root, area, problems):
            clause = _load_clause(path, problems)
            if clause is None:
                continue
            expected = f"{area}.{path.stem}"
            if clause.id != expected:
                line, col = clause.header.locate(("id",))
                problems.add(clause.display, line, col,
                             message=f"id '{clause.id}' does not match the file's location",
                             hint=f"a clause in {area}/{path.name} has id '{expected}'")
            if clause.id in seen:
                line, col = clause.header.locate(("id",))
                problems.add(clause.display, line, col,
                             message=f"duplicate id '{clause.id}', also used by {seen[clause.id]}",
                             hint="every clause needs its own id")
                continue
            seen[clause.id] = clause.display
            library.clauses[clause.id] = clause
    for path in _markdown_files(root, "definitions", problems):
        definition = _load_definition(path, problems)
        if definition is None:
            continue
        if definition.id != f"def.{path.stem}":
            line, col = definition.header.locate(("id",))
            problems.add(definition.display, line, col,
                         message=f"id '{definition.id}' does not match the file's location",
                         hint=f"a definition in definitions/{path.name} has id 'def.{path.stem}'")
        if definition.id in seen:
            line, col = definition.header.locate(("id",))
            problems.add(definition.display, line, col,
                         message=f"duplicate id '{definition.id}', also used by {seen[definition.id]}")
            continue
        seen[definition.id] = definition.display
        library.definitions[definition.id] = definition
    # An overlay may redefine an authority the built-in library has (same id replaces); within
    # one library each id is defined once, in authorities.yaml or in one state rule.
    defined_here: set[str] = set()
    authorities = library_file(root, "authorities.yaml", problems)
    if authorities is not None:
        defined_here |= _load_authorities(library, authorities, problems)
    for path in library_files(root, "presets", "*.yaml", problems):
        display = display_path(path)
        doc = load_yaml_file(path, problems, display)
        preset = validate(Preset, doc, problems, display) if doc else None
        if preset is not None:
            library.presets[preset.id] = preset
            library.preset_docs[preset.id] = (display, doc)
    for path in library_files(root, "states", "*.yaml", problems):
        display = display_path(path)
        doc = load_yaml_file(path, problems, display)
        rule = validate(StateRule, doc, problems, display) if doc else None
        if rule is not None:
            if rule.state != path.stem.upper():
                line, col = doc.locate(("state",))
                problems.add(display, line, col,
                             message=f"state '{rule.state}' does not match the file name",
                             hint=f"name the file {rule.state}.yaml")
            library.states[rule.state] = rule
            library.state_docs[rule.state] = (display, doc)
            for index, authority in enumerate(rule.authorities):
                if authority.id in defined_here:
                    line, col = doc.locate(("authorities", index, "id"))
                    problems.add(display, line, col, message=f"duplicate authority id '{authority.id}'",
                                 hint="an authority is defined once, in authorities.yaml or one state file")
                defined_here.add(authority.id)
                library.authorities[authority.id] = authority


def _load_entry(path: Path, problems: Problems, model: type, kind: type) -> TextEntry | None:
    """A Markdown library file: validated front matter, text and commentary."""
    display = display_path(path)
    doc = load_front_matter(path, problems, display)
    if doc is None:
        return None
    meta = validate(model, doc.header, problems, display)
    if meta is None:
        return None
    body, commentary, commentary_line = _split_commentary(doc.body, doc.body_line)
    return kind(meta, body, commentary, path, display, doc.header, doc.body_line, commentary_line)


def _load_clause(path: Path, problems: Problems) -> Clause | None:
    clause = _load_entry(path, problems, ClauseMeta, Clause)
    if clause is not None and not clause.body.strip():
        problems.add(clause.display, clause.body_line, 1, message="the clause has no text",
                     hint="write the clause text after the front matter")
    return clause  # type: ignore[return-value]


def _load_definition(path: Path, problems: Problems) -> Definition | None:
    definition = _load_entry(path, problems, DefinitionMeta, Definition)
    if definition is None:
        return None
    term = definition.meta.term
    opening = re.match(r'\s*"([^"]+)"\s+(means|includes)\b', definition.body)
    if not opening or opening.group(1) != term:
        problems.add(definition.display, definition.body_line, 1,
                     message=f"a definition must begin '\"{term}\" means' (or 'includes')",
                     hint="start the text with the quoted term exactly as in 'term:'")
    return definition  # type: ignore[return-value]


def _load_authorities(library: Library, path: Path, problems: Problems) -> set[str]:
    """Load an authorities file; return the ids it defines."""
    display = display_path(path)
    doc = load_yaml_file(path, problems, display)
    parsed = validate(AuthorityFile, doc, problems, display) if doc else None
    if parsed is None:
        return set()
    seen: set[str] = set()
    for index, authority in enumerate(parsed.authorities):
        if authority.id in seen:
            line, _ = doc.locate(("authorities", index))
            problems.add(display, line, 1, message=f"duplicate authority id '{authority.id}'")
        seen.add(authority.id)
        library.authorities[authority.id] = authority
    return seen


def _load_templates(library: Library, folder: Path, problems: Problems) -> None:
    """The built-in profiles and jurisdiction forms. A user library's ``templates/profiles/``
    overlays the profiles: a profile with the same id replaces the built-in one, a new id adds
    one (docs/clause-format.md)."""
    library.templates_dir = folder
    profile_dirs = [(folder, "profiles"), *((root, "templates/profiles") for root in library.roots[1:])]
    for path in [p for root, sub in profile_dirs for p in library_files(root, sub, "*.yaml", problems)]:
        display = display_path(path)
        doc = load_yaml_file(path, problems, display)
        profile = validate(Profile, doc, problems, display) if doc else None
        if profile is not None:
            library.profiles[profile.id] = profile
    for path in library_files(folder, "jurisdictions", "*.yaml", problems):
        display = display_path(path)
        doc = load_yaml_file(path, problems, display)
        form = validate(JurisdictionForm, doc, problems, display) if doc else None
        if form is not None:
            library.forms[form.kind] = form


def cross_check(library: Library, problems: Problems) -> None:
    """Check every reference between library entries: ids, taxonomy, authorities, groups."""
    taxonomy = library.taxonomy
    for clause in library.clauses.values():
        meta, doc, shown = clause.meta, clause.header, clause.display

        def report(field_name: str, index: int, message: str, hint: str,
                   doc: YamlDoc = doc, shown: str = shown) -> None:
            line, col = doc.locate((field_name, index))
            problems.add(shown, line, col, message=message, hint=hint)

        if taxonomy is not None:
            for i, pid in enumerate(meta.provisions):
                if pid not in taxonomy.provisions:
                    report("provisions", i, f"unknown provision id '{pid}'",
                           "use an id from taxonomy.yaml, e.g. detainer.no-hold")
            for i, lid in enumerate(meta.opens):
                if lid not in taxonomy.loopholes:
                    report("opens", i, f"unknown loophole id '{lid}'",
                           "use a loophole id from taxonomy.yaml, e.g. loophole.conviction-carveout")
        for key in ("authorities", "sources"):
            for i, aid in enumerate(getattr(meta, key)):
                if aid not in library.authorities:
                    report(key, i, f"unknown authority id '{aid}'",
                           "add it to authorities.yaml (verified: false until checked) or fix the id")
        for key in ("requires", "conflicts"):
            for i, cid in enumerate(getattr(meta, key)):
                if cid not in library.clauses:
                    report(key, i, f"unknown clause id '{cid}'", "check the id against the library")
                elif cid == meta.id:
                    report(key, i, f"a clause cannot name itself in '{key}'", f"remove '{cid}'")
    for definition in library.definitions.values():
        for key in ("authorities", "sources"):
            for i, aid in enumerate(getattr(definition.meta, key)):
                if aid not in library.authorities:
                    line, col = definition.header.locate((key, i))
                    problems.add(definition.display, line, col,
                                 message=f"unknown authority id '{aid}'",
                                 hint="add it to authorities.yaml or fix the id")
    _check_groups(library, problems)
    _check_requires_cycles(library, problems)
    for pid, preset in library.presets.items():
        shown, doc = library.preset_docs[pid]
        for key in ("include", "exclude"):
            for i, cid in enumerate(getattr(preset, key)):
                if cid not in library.clauses:
                    line, col = doc.locate((key, i))
                    problems.add(shown, line, col, message=f"unknown clause id '{cid}'",
                                 hint="check the id against the library")
    for code, rule in library.states.items():
        _check_state_rule(library, rule, *library.state_docs[code], problems)


def _check_state_rule(library: Library, rule: StateRule, shown: str, doc: YamlDoc,
                      problems: Problems) -> None:
    """Every id a state rule names exists: authorities, provisions, clauses, passages."""
    taxonomy = library.taxonomy

    def report(loc: tuple, message: str, hint: str) -> None:
        line, col = doc.locate(loc)
        problems.add(shown, line, col, message=message, hint=hint)

    def provision(loc: tuple, pid: str) -> None:
        if taxonomy is not None and pid not in taxonomy.provisions:
            report(loc, f"unknown provision id '{pid}'", "use an id from taxonomy.yaml")

    def targets(loc: tuple, item: Targets) -> None:
        for i, pid in enumerate(item.provisions):
            provision((*loc, "provisions", i), pid)
        for i, cid in enumerate(item.clauses):
            if cid not in library.clauses:
                report((*loc, "clauses", i), f"unknown clause id '{cid}'",
                       "run 'drafter clauses list' to see the ids")
        for i, ref in enumerate(item.passages):
            cid, _, name = ref.partition("#")
            clause = library.clauses.get(cid)
            if clause is None or name not in clause.meta.passages:
                known = ", ".join(f"{cid}#{n}" for n in clause.meta.passages) if clause else ""
                report((*loc, "passages", i), f"unknown passage '{ref}'",
                       f"passages of {cid}: {known}" if known else
                       "name a passage as <clause id>#<name> from the clause's 'passages:'")

    for i, law in enumerate(rule.laws):
        if law.authority not in library.authorities:
            report(("laws", i, "authority"), f"unknown authority id '{law.authority}'",
                   "add it under the rule's 'authorities:' or to authorities.yaml")
    for i, ban in enumerate(rule.bans):
        targets(("bans", i), ban)
    for i, mandate in enumerate(rule.mandates):
        targets(("mandates", i, "contradicts"), mandate.contradicts)
    for i, floor in enumerate(rule.floors):
        for j, pid in enumerate(floor.covers):
            provision(("floors", i, "covers", j), pid)
        for j, cid in enumerate(floor.below):
            if cid not in library.clauses:
                report(("floors", i, "below", j), f"unknown clause id '{cid}'",
                       "run 'drafter clauses list' to see the ids")
    for i, pid in enumerate(rule.warn):
        provision(("warn", i), pid)


def _check_groups(library: Library, problems: Problems) -> None:
    for group, members in library.variant_groups().items():
        defaults = [c for c in members if c.meta.default]
        if len(defaults) != 1:
            first = members[0]
            line, col = first.header.locate(("variant_of",))
            names = ", ".join(c.id for c in (defaults or members))
            problems.add(first.display, line, col,
                         message=f"variant group '{group}' has {len(defaults)} defaults ({names})",
                         hint="mark exactly one clause of the group, the strongest, 'default: true'")
        elif defaults[0].meta.strength != "strongest":
            line, col = defaults[0].header.locate(("default",))
            problems.add(defaults[0].display, line, col,
                         message=f"the default of variant group '{group}' is not 'strongest'",
                         hint="the strongest protective option is always the default")


def _check_requires_cycles(library: Library, problems: Problems) -> None:
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(cid: str, trail: list[str]) -> None:
        state[cid] = 1
        for nxt in library.clauses[cid].meta.requires:
            if nxt not in library.clauses:
                continue
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt] if nxt in trail else [cid, nxt]
                clause = library.clauses[cid]
                line, col = clause.header.locate(("requires",))
                problems.add(clause.display, line, col,
                             message=f"'requires' forms a cycle: {' -> '.join(cycle)}",
                             hint="remove one of the requirements")
            elif state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[cid] = 2

    for cid in sorted(library.clauses):
        if cid not in state:
            visit(cid, [cid])


# ---------------------------------------------------------------- files a library will not load

LIBRARY_FOLDERS = {**{area: ".md" for area in AREAS}, "definitions": ".md", "presets": ".yaml",
                   "states": ".yaml", "analyzer": ".yaml"}  # analyzer/: the analyzer's rule files
LIBRARY_ROOT_FILES = {"authorities.yaml", "taxonomy.yaml"}
_IGNORED = re.compile(r"^(?:\..*|__pycache__|README.*|LICENSE.*|NOTICE.*|CHANGELOG.*|.*~|.*\.bak)$",
                      re.I)


def unloaded_files(root: Path, *, builtin: bool = False) -> list[Problem]:
    """Every file under a library root that loading skips, each with why and what to do.

    Loading reads only ``<area>/*.md``, ``definitions/*.md``, ``presets/*.yaml``,
    ``states/*.yaml``, ``authorities.yaml`` (and the built-in ``taxonomy.yaml``); anything
    else would be silently ignored, so ``drafter check`` reports it: a misspelled folder, a
    wrong extension, a clause at the root of the library, a nested folder.
    """
    import difflib

    found: list[Problem] = []
    if not root.is_dir():
        return found

    def near(name: str, names: Iterable[str]) -> str:
        match = difflib.get_close_matches(name.lower(), list(names), n=1, cutoff=0.6)
        return match[0] if match else ""

    def report(path: Path, message: str, hint: str, severity: str = "error", line: int = 0) -> None:
        found.append(Problem(display_path(path), line, 1 if line else 0, message, hint,
                             severity))  # type: ignore[arg-type]

    for entry in sorted(root.iterdir()):
        name = entry.name
        if _IGNORED.match(name):
            continue
        if entry.is_dir():
            expected = LIBRARY_FOLDERS.get(name)
            if expected is None and name == "templates" and not builtin:
                for inner in sorted(entry.iterdir()):
                    if inner.name == "profiles" and inner.is_dir():
                        _unloaded_in_folder(inner, ".yaml", report)
                    elif not _IGNORED.match(inner.name):
                        report(inner, f"'templates/{inner.name}' is not read from a library "
                                      "overlay", "only templates/profiles/*.yaml overlays the "
                                      "built-in templates", "warning")
                continue
            if expected is None:
                if name in ("profiles", "templates", "jurisdictions"):
                    report(entry, f"folder '{name}/' is not read from a clause library",
                           "an overlay's profiles go in templates/profiles/; jurisdiction forms "
                           "come from the built-in templates/", "warning")
                    continue
                guess = near(name, LIBRARY_FOLDERS)
                count = sum(1 for p in entry.rglob("*") if p.is_file())
                report(entry, f"folder '{name}/' is not a library folder: its {count} file(s) are "
                              "not loaded",
                       (f"did you mean '{guess}/'? rename the folder" if guess else
                        "use one of: " + ", ".join(f"{f}/" for f in LIBRARY_FOLDERS)))
                continue
            _unloaded_in_folder(entry, expected, report)
        elif name in LIBRARY_ROOT_FILES:
            if name == "taxonomy.yaml" and not builtin:
                report(entry, "taxonomy.yaml in an overlay is not read",
                       "the taxonomy comes from the built-in library; remove this copy", "warning")
        elif name.endswith((".md", ".markdown")):
            clause_id = _front_matter_id(entry)
            if clause_id:
                area = clause_id.split(".", 1)[0]
                folder = "definitions" if area == "def" else area
                report(entry, f"'{clause_id}' is at the root of the library and is not loaded",
                       f"move it to {folder}/{clause_id.split('.', 1)[-1]}.md", line=2)
        elif name.endswith((".yaml", ".yml")):
            guess = near(name, LIBRARY_ROOT_FILES)
            report(entry, f"'{name}' at the root of the library is not loaded",
                   f"did you mean '{guess}'?" if guess else
                   "presets go in presets/, state rules in states/, authorities in authorities.yaml")
        else:
            report(entry, f"'{name}' is not a library file and is not loaded",
                   "remove it, or move it out of the library folder", "warning")
    return found


def _unloaded_in_folder(folder: Path, suffix: str, report) -> None:  # noqa: ANN001
    for entry in sorted(folder.rglob("*")):
        rel = entry.relative_to(folder)
        if any(_IGNORED.match(part) for part in rel.parts) or entry.is_dir():
            continue
        if len(rel.parts) > 1:
            report(entry, f"'{folder.name}/{rel}' is in a sub-folder and is not loaded",
                   f"move it to {folder.name}/{entry.name}")
        elif entry.suffix != suffix and not (folder.name == "analyzer" and entry.name == READER_MODEL):
            stem = entry.name.split(".")[0]  # (the statistical reader's model, drafter/statistical_reader.py)
            report(entry, f"'{entry.name}' is not loaded: only {suffix} files are read in "
                          f"{folder.name}/", f"rename it to {stem}{suffix}")


def _front_matter_id(path: Path) -> str:
    """The ``id:`` of a Markdown file's front matter, or "" (read cheaply, no validation)."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return ""
    match = re.match(r"---[ \t]*\n(.*?)\n---", head, re.S)
    found = re.search(r"^id:[ \t]*['\"]?([\w.-]+)", match.group(1), re.M) if match else None
    return found.group(1) if found else ""


def load_analyzer_rules(library: Library, problems: Problems):  # noqa: ANN201 - drafter.analyzer_rules.AnalyzerRules
    """The analyzer's rules (``analyzer/*.yaml``) of the built-in library and any overlay,
    merged as drafter/analyzer_rules.py describes; problems are appended to ``problems``."""
    from drafter.analyzer_rules import load_rules

    return load_rules(library.roots, problems)
