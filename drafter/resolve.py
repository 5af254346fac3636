"""From an answers file to the exact clauses of one draft.

Order of decisions: preset (or the state's fallback preset), then the answers' include and
exclude, then what applies to this kind of jurisdiction, then state withholdings, then
``requires`` and ``conflicts``, then parameter values. Every problem names the answers
file line that caused it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import Problem, Problems
from drafter.library import Clause, Library
from drafter.models import Answers, FormOverride, JurisdictionForm, Profile, StateRule
from drafter.resources import display_path
from drafter.sources import YamlDoc, load_yaml_file, validate


@dataclass
class AnswersFile:
    """A validated answers file and where it came from."""

    answers: Answers
    doc: YamlDoc
    display: str
    path: Path
    digest: str = ""  # sha256 of what the answers came from (file bytes, or a batch row)

    def at(self, *loc: int | str) -> tuple[int, int]:
        return self.doc.locate(loc)


def load_answers(path: Path, problems: Problems) -> AnswersFile | None:
    """Read and validate an answers file."""
    display = display_path(path)
    doc = load_yaml_file(path, problems, display)
    if doc is None:
        return None
    answers = validate(Answers, doc, problems, display)
    if answers is None:
        return None
    digest = hashlib.sha256((doc.text or "").encode("utf-8")).hexdigest()
    return AnswersFile(answers, doc, display, path, digest)


@dataclass
class Selection:
    """The resolved content of one draft."""

    source: AnswersFile
    preset: str
    clauses: list[Clause]
    params: dict[str, dict[str, Any]]
    profile: Profile
    form: JurisdictionForm
    layout: str
    state_rule: StateRule | None
    warnings: list[Problem] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)  # clause ids state law removed
    barred: list[str] = field(default_factory=list)  # provision ids state law forbids here


AREA_RANK = {"detainers": 0, "information": 1, "access": 2, "policing": 3, "structure": 4}
ROLE_RANK = {"findings": 0, "definitions": 1, "operative": 2, "housekeeping": 3}


CLOSING_ORDER = 900  # clauses ordered 900 or more close the operative text (savings clauses)


def clause_order(clause: Clause) -> tuple[int, bool, int, int, str]:
    """Where a clause sits in a draft: role, then area, then its ``order``, then id."""
    meta = clause.meta
    return (ROLE_RANK[meta.role], meta.order >= CLOSING_ORDER, AREA_RANK[meta.area],
            meta.order, meta.id)


def resolve(library: Library, source: AnswersFile, *, preset: str | None = None,
            profile: str | None = None, allow_preempted: bool | None = None) -> Selection:
    """Choose the clauses and parameter values for one draft, or raise every problem."""
    problems = Problems()
    answers = source.answers
    shown = source.display
    jurisdiction = answers.jurisdiction
    warnings: list[Problem] = []
    allow = answers.allow_preempted if allow_preempted is None else allow_preempted

    preset_id = preset or answers.preset
    if preset_id not in library.presets:
        line, col = source.at("preset")
        problems.add(shown, line, col, message=f"unknown preset '{preset_id}'",
                     hint="choose one of: " + ", ".join(sorted(library.presets)))
        problems.raise_errors()

    rule = library.states.get(jurisdiction.state)
    if rule is not None:
        laws = "; ".join(_law_name(library, law.authority) for law in rule.laws)
        line, col = source.at("jurisdiction", "state")
        if allow:
            warnings.append(Problem(shown, line, col,
                                    f"{rule.name} law preempts or punishes sanctuary policies "
                                    f"({laws}); --allow-preempted keeps protections it forbids",
                                    "have a lawyer licensed in the state review the draft first",
                                    "warning"))
        else:
            fallback = "preemption-safe"
            warnings.append(Problem(shown, line, col,
                                    f"{rule.name} law preempts or punishes sanctuary policies "
                                    f"({laws}); the draft uses the '{fallback}' set instead of "
                                    f"'{preset_id}'",
                                    "pass --allow-preempted to keep the withheld protections",
                                    "warning"))
            if fallback in library.presets:
                preset_id = fallback

    chosen = _preset_clauses(library, preset_id)
    explicit: set[str] = set()
    for index, cid in enumerate(answers.exclude):
        if cid not in library.clauses:
            line, col = source.at("exclude", index)
            problems.add(shown, line, col, message=f"unknown clause id '{cid}'",
                         hint="run 'drafter clauses list' to see the ids")
        elif chosen.get(_group_key(library, cid)) == cid:
            del chosen[_group_key(library, cid)]
    for index, cid in enumerate(answers.include):
        if cid not in library.clauses:
            line, col = source.at("include", index)
            problems.add(shown, line, col, message=f"unknown clause id '{cid}'",
                         hint="run 'drafter clauses list' to see the ids")
            continue
        key = _group_key(library, cid)
        if key in explicit and chosen.get(key) != cid:
            line, col = source.at("include", index)
            problems.add(shown, line, col,
                         message=f"'{cid}' and '{chosen[key]}' are alternatives in variant group "
                                 f"'{library.clauses[cid].meta.variant_of}'",
                         hint="include only one of them")
            continue
        explicit.add(key)
        chosen[key] = cid
        clause = library.clauses[cid]
        if jurisdiction.kind not in clause.meta.applies_to:
            line, col = source.at("include", index)
            problems.add(shown, line, col,
                         message=f"'{cid}' does not apply to a {jurisdiction.kind}",
                         hint="it applies to: " + ", ".join(clause.meta.applies_to))
    problems.raise_errors()

    selected = {cid for cid in chosen.values()}
    for cid in sorted(selected):
        if jurisdiction.kind not in library.clauses[cid].meta.applies_to:
            selected.discard(cid)
            warnings.append(Problem(shown, *source.at("jurisdiction", "kind"),
                                    f"left out '{cid}': it does not apply to a {jurisdiction.kind}",
                                    severity="warning"))

    withheld: list[str] = []
    barred: set[str] = set(rule.withhold) if rule is not None and not allow else set()
    for cid in sorted(selected):
        # A clause goes when its main protection is barred; a barred secondary one is left
        # out of its text by the template (jurisdiction.withheld).
        provisions = library.clauses[cid].meta.provisions
        if provisions and provisions[0] in barred:
            selected.discard(cid)
            withheld.append(cid)
    if withheld:
        warnings.append(Problem(shown, *source.at("jurisdiction", "state"),
                                f"withheld under {rule.name} law: " + ", ".join(withheld),
                                severity="warning"))
    if rule is not None:
        risky = sorted(cid for cid in selected
                       if set(rule.warn).intersection(library.clauses[cid].meta.provisions))
        if risky:
            warnings.append(Problem(shown, *source.at("jurisdiction", "state"),
                                    f"legally risky under {rule.name} law: " + ", ".join(risky),
                                    "see the draft's state-law note", "warning"))

    excluded = set(answers.exclude)
    pending = sorted(selected)
    while pending:
        cid = pending.pop()
        for need in library.clauses[cid].meta.requires:
            if need in selected:
                continue
            if need in excluded or need in withheld:
                line, col = source.at("exclude", answers.exclude.index(need)) \
                    if need in excluded else source.at("jurisdiction", "state")
                problems.add(shown, line, col,
                             message=f"'{cid}' requires '{need}', which this draft leaves out",
                             hint=f"stop excluding '{need}' or also exclude '{cid}'")
                continue
            selected.add(need)
            pending.append(need)
    for cid in sorted(selected):
        for other in library.clauses[cid].meta.conflicts:
            if other in selected and cid < other:
                loc = ("include", answers.include.index(cid)) if cid in answers.include else (
                    ("include", answers.include.index(other)) if other in answers.include
                    else ("preset",))
                line, col = source.at(*loc)
                problems.add(shown, line, col,
                             message=f"'{cid}' conflicts with '{other}'",
                             hint="exclude one of them")
    groups: dict[str, str] = {}
    for cid in sorted(selected):
        group = library.clauses[cid].meta.variant_of
        if group and group in groups:
            problems.add(shown, *source.at("include"),
                         message=f"two clauses of variant group '{group}': {groups[group]}, {cid}",
                         hint="keep one of them")
        elif group:
            groups[group] = cid

    params = _resolve_params(library, source, selected, problems)

    profile_id = profile or answers.output.profile
    if profile_id not in library.profiles:
        line, col = source.at("output", "profile")
        problems.add(shown, line, col, message=f"unknown profile '{profile_id}'",
                     hint="choose one of: " + ", ".join(sorted(library.profiles)))
    form = library.forms.get(jurisdiction.kind)
    if form is None:
        problems.add(shown, *source.at("jurisdiction", "kind"),
                     message=f"no jurisdiction form for '{jurisdiction.kind}' in templates/")
    layout = answers.output.layout or ("chapter" if jurisdiction.code else "standalone")
    if layout == "chapter" and jurisdiction.code is None:
        line, col = source.at("output", "layout")
        problems.add(shown, line, col,
                     message="layout 'chapter' needs jurisdiction.code (title, chapter, chapter_title)",
                     hint="add the code chapter, or use layout: standalone")
    problems.raise_errors()
    assert form is not None
    clauses = sorted((library.clauses[cid] for cid in selected), key=clause_order)
    return Selection(source, preset_id, clauses, params, library.profiles[profile_id],
                     apply_state_form(form, jurisdiction.state), layout, rule, warnings,
                     withheld, sorted(barred))


def apply_state_form(form: JurisdictionForm, state: str) -> JurisdictionForm:
    """The form with the state's own wording (e.g. a California county's enacting clause)."""
    override: FormOverride | None = form.by_state.get(state)
    if override is None:
        return form
    changes = {k: v for k, v in override.model_dump().items() if v is not None}
    return form.model_copy(update=changes)


def _law_name(library: Library, authority_id: str) -> str:
    authority = library.authorities.get(authority_id)
    return f"{authority.name}, {authority.citation}" if authority else authority_id


def _group_key(library: Library, cid: str) -> str:
    return library.clauses[cid].meta.variant_of or cid


def _preset_clauses(library: Library, preset_id: str) -> dict[str, str]:
    """Group key (variant group, or the clause id) -> clause id, as the preset selects."""
    preset = library.presets[preset_id]
    chosen: dict[str, str] = {}
    if preset.select == "defaults":
        for cid, clause in library.clauses.items():
            if not clause.meta.variant_of or clause.meta.default:
                chosen[_group_key(library, cid)] = cid
    for cid in preset.exclude:
        chosen.pop(_group_key(library, cid), None)
    for cid in preset.include:
        chosen[_group_key(library, cid)] = cid
    return chosen


def _resolve_params(library: Library, source: AnswersFile, selected: set[str],
                    problems: Problems) -> dict[str, dict[str, Any]]:
    shown = source.display
    values = {cid: {name: p.default for name, p in library.clauses[cid].meta.params.items()}
              for cid in selected}
    for cid, given in source.answers.params.items():
        if cid not in library.clauses:
            line, col = source.at("params", cid)
            problems.add(shown, line, col, message=f"params for unknown clause '{cid}'",
                         hint="run 'drafter clauses list' to see the ids")
            continue
        if cid not in selected:
            line, col = source.at("params", cid)
            problems.add(shown, line, col,
                         message=f"params for '{cid}', which is not in this draft",
                         hint=f"include '{cid}' or remove these params")
            continue
        declared = library.clauses[cid].meta.params
        for name, value in given.items():
            line, col = source.at("params", cid, name)
            if name not in declared:
                known = ", ".join(sorted(declared)) or "none"
                problems.add(shown, line, col, message=f"'{cid}' has no parameter '{name}'",
                             hint=f"its parameters are: {known}")
                continue
            why = declared[name].check(_plain(value))
            if why:
                problems.add(shown, line, col, message=f"params.{cid}.{name}: {why}",
                             hint=declared[name].prompt)
                continue
            values[cid][name] = _plain(value)
    return values


def _plain(value: Any) -> Any:
    """ruamel's round-trip scalars and containers as plain Python values."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
