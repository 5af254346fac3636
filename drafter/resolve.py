"""From an answers file to the exact clauses of one draft.

Order of decisions: preset (or the state's fallback preset), then the answers' include and
exclude, then what applies to this kind of jurisdiction, then state withholdings, then
``requires`` and ``conflicts``, then parameter values. Every problem names the answers
file line that caused it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter import statelaw
from drafter.errors import Location, Problem, Problems
from drafter.library import Clause, Library
from drafter.models import US_STATES, Answers, JurisdictionForm, Param, Profile, form_text
from drafter.resources import display_path
from drafter.sources import YamlDoc, load_yaml_file, validate
from drafter.statelaw import Reason, StateOutcome
from drafter.templating import strip_illegal


@dataclass
class AnswersFile:
    """Validated answers and where they came from: a YAML file or text (with lines and
    columns), or a mapping such as a web form or a program's dict (``doc`` is None: problems
    name the field instead). ``drafter.core`` makes these; nothing fakes a YAML document."""

    answers: Answers
    doc: YamlDoc | None = None
    display: str = "answers"
    path: Path | None = None  # the file, when the answers came from one
    digest: str = ""  # sha256 of the answers as validated (see answers_digest)

    def __post_init__(self) -> None:
        if not self.digest:
            self.digest = answers_digest(self.answers)

    @property
    def base_dir(self) -> Path | None:
        """The folder relative paths in the answers (library, code.current) start from."""
        return self.path.parent if self.path is not None else None

    def at(self, *loc: int | str) -> tuple[int, int]:
        """1-based (line, col) of a field in the YAML, or (0, 0) without one."""
        return self.doc.locate(loc) if self.doc is not None else (0, 0)

    def where(self, *loc: int | str) -> Location:
        """The location of a field: its line and column when known, and its dotted path."""
        line, col = self.at(*loc)
        return Location(self.display, line, col, field_path(loc))


def field_path(loc: tuple[int | str, ...]) -> str:
    """("include", 2) -> "include[2]"; ("jurisdiction", "state") -> "jurisdiction.state"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def answers_digest(answers: Answers) -> str:
    """SHA-256 of the answers as validated, key order and comments aside: the same answers give
    the same digest whether they came from a file, a form or a program."""
    import json

    data = answers.model_dump(mode="json")
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
                          .encode("utf-8")).hexdigest()


def load_answers(path: Path, problems: Problems) -> AnswersFile | None:
    """Read and validate an answers file."""
    display = display_path(path)
    doc = load_yaml_file(path, problems, display)
    if doc is None:
        return None
    answers = validate(Answers, doc, problems, display)
    if answers is None:
        return None
    return AnswersFile(answers, doc, display, path)


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
    warnings: list[Problem] = field(default_factory=list)
    state: StateOutcome | None = None  # the state law applied, on the draft's date
    withheld_why: dict[str, Reason] = field(default_factory=dict)  # clause id -> why state law removed it
    changes: dict[str, list[str]] = field(default_factory=dict)  # clause id -> what changed, why
    below_floor: dict[str, str] = field(default_factory=dict)  # clause id -> floor (kept on request)

    @property
    def withheld(self) -> list[str]:
        """Clause ids state law removed from this draft."""
        return sorted(self.withheld_why)

    def title(self, clause: Clause) -> str:
        """The section's title as this draft prints it: without a withheld passage it names."""
        barred = self.state.withheld if self.state is not None else {}
        for name, passage in clause.meta.passages.items():
            if passage.title and f"{clause.id}#{name}" in barred:
                return passage.title
        return clause.meta.title

    def offices_by_default(self) -> list[tuple[Clause, str, Param]]:
        """The offices this draft names only because the library suggests them (``names_office``)."""
        return offices_by_default(self.clauses, self.source.answers)

    @property
    def barred(self) -> list[str]:
        """Provisions, clauses and passages state law withholds here (``jurisdiction.withheld``)."""
        return sorted(self.state.withheld) if self.state is not None else []


AREA_RANK = {"detainers": 0, "information": 1, "access": 2, "policing": 3, "structure": 4}
ROLE_RANK = {"findings": 0, "definitions": 1, "operative": 2, "housekeeping": 3}


CLOSING_ORDER = 900  # clauses ordered 900 or more close the operative text (savings clauses)


def clause_order(clause: Clause) -> tuple[int, bool, int, int, str]:
    """Where a clause sits in a draft: role, then area, then its ``order``, then id."""
    meta = clause.meta
    return (ROLE_RANK[meta.role], meta.order >= CLOSING_ORDER, AREA_RANK[meta.area],
            meta.order, meta.id)


def resolve(library: Library, source: AnswersFile, *, preset: str | None = None,
            profile: str | None = None, allow_preempted: bool | None = None,
            as_of: dt.date | None = None, below_floor: bool = False) -> Selection:
    """Choose the clauses and parameter values for one draft, or raise every problem."""
    problems = Problems()
    answers = source.answers
    jurisdiction = answers.jurisdiction
    warnings: list[Problem] = []
    allow = answers.allow_preempted if allow_preempted is None else allow_preempted
    below_floor_ok = below_floor or answers.below_floor
    as_of = as_of or answers.output.as_of

    preset_id = preset or answers.preset
    if preset_id not in library.presets:
        problems.add(source.where("preset"), message=f"unknown preset '{preset_id}'",
                     hint="choose one of: " + ", ".join(sorted(library.presets)))
        problems.raise_errors()

    rule = library.states.get(jurisdiction.state)
    state = statelaw.outcome(library, rule, kinds=kinds_like(library, jurisdiction.kind, jurisdiction.state),
                             runs_jail=jurisdiction.runs_jail,
                             as_of=as_of or dt.date.today(), allow_preempted=allow) \
        if rule is not None else None
    if state is not None:
        _state_warnings(library, state, source, warnings)

    chosen = _preset_clauses(library, preset_id)
    like = kinds_like(library, jurisdiction.kind, jurisdiction.state)
    explicit: set[str] = set()
    for index, cid in enumerate(answers.exclude):
        if cid not in library.clauses:
            problems.add(source.where("exclude", index), message=f"unknown clause id '{cid}'",
                         hint="run 'drafter clauses list' to see the ids")
        elif chosen.get(_group_key(library, cid)) == cid:
            del chosen[_group_key(library, cid)]
    for index, cid in enumerate(answers.include):
        if cid not in library.clauses:
            problems.add(source.where("include", index), message=f"unknown clause id '{cid}'",
                         hint="run 'drafter clauses list' to see the ids")
            continue
        key = _group_key(library, cid)
        if key in explicit and chosen.get(key) != cid:
            problems.add(source.where("include", index),
                         message=f"'{cid}' and '{chosen[key]}' are alternatives in variant group "
                                 f"'{library.clauses[cid].meta.variant_of}'",
                         hint="include only one of them")
            continue
        explicit.add(key)
        chosen[key] = cid
        clause = library.clauses[cid]
        if not applies(clause.meta.applies_to, like):
            problems.add(source.where("include", index),
                         message=f"'{cid}' does not apply to a {jurisdiction.kind}",
                         hint="it applies to: " + ", ".join(clause.meta.applies_to))
    problems.raise_errors()

    selected = {cid for cid in chosen.values()}
    for cid in sorted(selected):
        if not applies(library.clauses[cid].meta.applies_to, like):
            selected.discard(cid)
            warnings.append(Problem.at(source.where("jurisdiction", "kind"),
                                    f"left out '{cid}': it does not apply to a {jurisdiction.kind}",
                                    severity="warning"))

    withheld: dict[str, Reason] = {}  # clause id -> why state law removed it
    changes: dict[str, list[str]] = {}  # clause id -> what state law changed in it, and why
    below_floor: dict[str, str] = {}  # clause id -> the floor it goes below (--below-floor)
    if state is not None:
        _apply_state(library, state, source, selected, set(answers.include), below_floor_ok,
                     withheld, changes, below_floor, warnings, problems)
    problems.raise_errors()

    excluded = set(answers.exclude)
    pending = sorted(selected)
    while pending:
        cid = pending.pop()
        if cid not in selected:
            continue
        for need in library.clauses[cid].meta.requires:
            if need in selected:
                continue
            why = withheld.get(need) or (statelaw.blocks(library, state, need) if state else None)
            if why and need not in excluded:
                # What state law removes takes with it every clause that cannot stand alone.
                selected.discard(cid)
                withheld[cid] = Reason(why.law, f"it depends on \u201c{library.clauses[need].meta.title}"
                                                f"\u201d, which state law leaves out ({why})", "depends")
                pending = [p for p in pending if p != cid] + [
                    c for c in sorted(selected) if cid in library.clauses[c].meta.requires]
                break
            if need in excluded:
                problems.add(source.where("exclude", answers.exclude.index(need)),
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
                problems.add(source.where(*loc),
                             message=f"'{cid}' conflicts with '{other}'",
                             hint="exclude one of them")
    groups: dict[str, str] = {}
    for cid in sorted(selected):
        group = library.clauses[cid].meta.variant_of
        if group and group in groups:
            problems.add(source.where("include"),
                         message=f"two clauses of variant group '{group}': {groups[group]}, {cid}",
                         hint="keep one of them")
        elif group:
            groups[group] = cid

    params = _resolve_params(library, source, selected, problems)
    clauses = sorted((library.clauses[cid] for cid in selected), key=clause_order)
    if jurisdiction.kind in SMALL_KINDS:
        # A city or county is told in the draft's notice only (as for unchecked names): on the
        # console every default build would warn. The field, not a line: "params" may be absent,
        # and finding its line would parse the YAML again on a warm build.
        for clause, name, param in offices_by_default(clauses, answers):
            warnings.append(Problem.at(
                Location(source.display, 0, 0, "params"),
                f"'{clause.meta.title}' names the {param.default} as {param.names_office} only because "
                f"the clause library suggests it; a {jurisdiction.kind} may have no such office",
                f"name yours in the answers file, params: {{{clause.id}: {{{name}: ...}}}}, or create "
                "one before the draft is introduced", "warning"))

    profile_id = profile or answers.output.profile
    if profile_id not in library.profiles:
        problems.add(source.where("output", "profile"), message=f"unknown profile '{profile_id}'",
                     hint="choose one of: " + ", ".join(sorted(library.profiles)))
    form = jurisdiction_form(library, source, problems, warnings)
    layout = answers.output.layout or ("chapter" if jurisdiction.code else "standalone")
    if layout == "chapter" and jurisdiction.code is None:
        problems.add(source.where("output", "layout"),
                     message="layout 'chapter' needs jurisdiction.code (title, chapter, chapter_title)",
                     hint="add the code chapter, or use layout: standalone")
    problems.raise_errors()
    assert form is not None
    return Selection(source, preset_id, clauses, params, library.profiles[profile_id],
                     form, layout, warnings, state, dict(withheld), changes, below_floor)


# Answers-file fields that override the same item of the jurisdiction form.
ANSWER_OVERRIDES = {"governing_body": "governing_body", "presiding_officer": "presiding_officer",
                    "executive": "executive", "clerk": "clerk", "legal_officer": "legal_officer",
                    "enacting_clause": "enacting_clause", "instrument": "instrument",
                    "governing_body_es": "body_es",
                    "governing_body_es_gender": "body_es_gender"}


# Form fields whose placeholders ("{governing_body}") are filled when a draft names them.
FILLED_FIELDS = {"governing_body", "presiding_officer", "executive", "clerk", "legal_officer",
                 "enacting_clause"}
# Answers that name every body and officer an unverified form would otherwise guess.
NAMED_BY_ANSWERS = {"governing_body", "clerk", "legal_officer"}


def unchecked_names(form: JurisdictionForm, name: str, state: str) -> str:
    """The body and officers a draft names, as one list for a notice or a warning."""
    names = [form.governing_body, form.presiding_officer, form.clerk, form.legal_officer]
    return "; ".join(strip_illegal(form_text(n, form, name, state)) for n in names if n)


# Kinds of small government, which seldom have an inspector general or an oversight commission:
# an office the library only suggests is a console warning for these, not only a notice.
SMALL_KINDS = ("town", "village", "township", "borough")

STRENGTH_RANK = {"strongest": 0, "strong": 1, "baseline": 2}


def _state_warnings(library: Library, state: StateOutcome, source: AnswersFile,
                    warnings: list[Problem]) -> None:
    """Console warnings: the state's stance, --allow-preempted, laws not yet in force."""
    rule = state.rule
    preempted = state.ignored and (rule.bans or rule.mandates)
    if not preempted and not state.pending:
        return  # nothing to say: the answers need not be parsed again to find the line
    where = source.where("jurisdiction", "state")
    if preempted:
        warnings.append(Problem.at(where,
                                f"--allow-preempted: this draft keeps what {rule.name} law forbids or "
                                "contradicts; it carries a boxed warning",
                                "have a lawyer licensed in the state review the draft first", "warning"))
    for item in state.pending:
        warnings.append(Problem.at(where,
                                f"{statelaw.law_name(library, item.law)} takes effect on "
                                f"{item.effective:%B} {item.effective.day}, {item.effective.year}; "
                                f"this draft applies the law of {state.as_of.isoformat()}",
                                f"build with --as-of {item.effective.isoformat()} to see the draft "
                                "under it", "warning"))


def _apply_state(library: Library, state: StateOutcome, source: AnswersFile, selected: set[str],
                 included: set[str], below_floor_ok: bool, withheld: dict[str, Reason],
                 changes: dict[str, list[str]], below_floor: dict[str, str],
                 warnings: list[Problem], problems: Problems) -> None:
    """Withhold or swap what state law bans or a mandate rules out; keep every floor."""
    answers = source.answers
    rule = state.rule
    barred = state.withheld

    def allowed(cid: str) -> bool:
        return statelaw.available(library, state, cid)

    def alternatives(cid: str) -> list[str]:
        """The other variants of a clause's group, strongest first."""
        group = library.clauses[cid].meta.variant_of
        if not group:
            return []
        members = [c for c in library.clauses.values() if c.meta.variant_of == group and c.id != cid
                   and answers.jurisdiction.kind in c.meta.applies_to]
        return [c.id for c in sorted(members, key=lambda c: (STRENGTH_RANK[c.meta.strength], c.id))]

    for cid in sorted(selected):
        floor = state.below.get(cid)
        if floor is None:
            continue
        law = statelaw.law_name(library, floor.law)
        if cid in included:
            if below_floor_ok:
                below_floor[cid] = f"{law}: {floor.note}"
                warnings.append(Problem.at(source.where("include", answers.include.index(cid)),
                                        f"'{cid}' goes below {law}; kept because of --below-floor",
                                        "the draft carries a boxed warning", "warning"))
            else:
                problems.add(source.where("include", answers.include.index(cid)),
                             message=f"'{cid}' goes below {rule.name} law: {law}. {floor.note}",
                             hint="include a stronger variant, or pass --below-floor to build it with a "
                                  "boxed warning")
            continue
        better = next((a for a in alternatives(cid) if allowed(a)), None)
        selected.discard(cid)
        if better is None:
            withheld[cid] = Reason(floor.law, f"{law}: {floor.note}", "secures")
            continue
        selected.add(better)
        changes.setdefault(better, []).append(
            f"Uses this stronger alternative instead of the weaker one the preset chose, because {law} "
            f"already requires more. {floor.note}")
        warnings.append(Problem.at(source.where("jurisdiction", "state"),
                                f"'{cid}' goes below {law}; the draft uses '{better}' instead",
                                severity="warning"))

    for cid in sorted(selected):
        why = statelaw.blocks(library, state, cid)
        if why is None:
            continue
        selected.discard(cid)
        other = next((a for a in alternatives(cid) if allowed(a)), None)
        if other is not None and other not in selected:
            selected.add(other)
            changes.setdefault(other, []).append(f"Used instead of a variant state law rules out. {why}")
        else:
            withheld[cid] = why
    if withheld:
        warnings.append(Problem.at(source.where("jurisdiction", "state"),
                                f"withheld under {rule.name} law: " + ", ".join(sorted(withheld)),
                                "see the draft's state-law notice", "warning"))
    for cid in sorted(selected):
        clause = library.clauses[cid]
        for name, passage in clause.meta.passages.items():
            why = barred.get(f"{cid}#{name}")
            if why:
                about = passage.about.split(" (")[0]
                changes.setdefault(cid, []).append(f"Leaves out {about[0].lower()}{about[1:]}. {why}")
        for pid in clause.meta.provisions[1:]:
            if pid in barred:
                topic = library.taxonomy.provisions[pid].split(";")[0] if library.taxonomy else pid
                changes.setdefault(cid, []).append(
                    f"Leaves out what this section would say on \u201c{topic}\u201d. {barred[pid]}")
    risky = sorted(cid for cid in selected
                   if set(state.risky).intersection(library.clauses[cid].meta.provisions)
                   or cid in state.risky)
    if risky:
        warnings.append(Problem.at(source.where("jurisdiction", "state"),
                                f"legally risky under {rule.name} law: " + ", ".join(risky),
                                "see the draft's state-law notice", "warning"))


def kinds_like(library: Library, kind: str, state: str) -> set[str]:
    """The kind, and the kind whose clauses it takes (a parish acts as a county)."""
    form = library.forms.get(kind)
    like = form.for_state(state).acts_as if form is not None else None
    return {kind, like} if like else {kind}


def applies(applies_to: list[str], like: set[str]) -> bool:
    """Whether a clause (or state duty) written for ``applies_to`` reaches these kinds."""
    return bool(like.intersection(applies_to))


def apply_state_form(form: JurisdictionForm, state: str) -> JurisdictionForm:
    """The form with the state's own wording (e.g. a California county's Board of Supervisors)."""
    return form.for_state(state)


def jurisdiction_form(library: Library, source: AnswersFile, problems: Problems,
                      warnings: list[Problem]) -> JurisdictionForm | None:
    """The one form a draft uses for every body, officer and wording: the kind's defaults,
    then the state's entry, then the answers file's overrides."""
    j = source.answers.jurisdiction
    base = library.forms.get(j.kind)
    if base is None:
        problems.add(source.where("jurisdiction", "kind"),
                     message=f"no jurisdiction form for '{j.kind}' in templates/jurisdictions/")
        return None
    form = base.for_state(j.state, j.name)
    if not form.exists:
        have = sorted(k for k, f in library.forms.items() if f.for_state(j.state).exists)
        problems.add(source.where("jurisdiction", "kind"),
                     message=f"{US_STATES[j.state]} has no {j.kind} governments"
                             + (f" ({form.note})" if form.note else ""),
                     hint="kinds there: " + ", ".join(have))
        return None
    changes: dict[str, Any] = {}
    for field_name, form_field in ANSWER_OVERRIDES.items():
        value = getattr(j, field_name)
        if value is None:
            continue
        value = strip_illegal(value).strip()
        if form_field in ("executive", "legal_officer") and value.lower() in ("none", "no"):
            value = ""
        if not value and form_field not in ("executive", "legal_officer"):
            continue
        official = getattr(form, form_field)
        if (form_field == "governing_body" and form.verified and not form.varies
                and value.lower() != official.lower()):
            warnings.append(Problem.at(
                source.where("jurisdiction", field_name),
                f"the answers file calls the governing body '{value}'; a {j.kind} in "
                f"{US_STATES[j.state]} is governed by the {official}"
                + (f" ({form.source})" if form.source else ""),
                "the draft uses the answers file's name everywhere; remove governing_body "
                "to use the usual one", "warning"))
        if form_field in FILLED_FIELDS:
            # an answers file's names are literal text: a brace in one is not a placeholder
            changes[form_field] = value.replace("{", "{{").replace("}", "}}")
        else:
            changes[form_field] = value
    if "governing_body" in changes:
        changes["voters_enact"] = False  # a body the answers name (a charter's council) is not the voters assembled
        if "body_es" not in changes:
            # the Spanish default named another body; the fact sheet then keeps the English name
            changes["body_es"] = strip_illegal(j.governing_body or "").strip()
    if not form.verified and changes.keys() >= NAMED_BY_ANSWERS:
        # the user named the body and officers themselves: nothing left unchecked to flag
        changes.update(verified=True, source="the answers file")
    used = form.model_copy(update=changes)  # the form the draft uses
    if not used.verified and j.kind != "city":
        # Counties, towns, townships and villages name their bodies and officers in many ways;
        # a city's usual form (council, mayor, clerk, attorney) seldom misleads, so a city is
        # flagged in the draft's notice only, not on the console as well.
        warnings.append(Problem.at(
            source.where("jurisdiction", "kind"),
            f"the names of the body and officers follow the usual form for a {j.kind}, which drafter "
            f"has not checked against {US_STATES[j.state]} law: {unchecked_names(used, j.name, j.state)}",
            "confirm them, then name them in the answers file: governing_body, clerk, legal_officer, "
            "and presiding_officer where it differs (docs/jurisdiction-forms.md)", "warning"))
    return used


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
    # An unknown id in a preset is reported by the library check; it selects nothing here.
    for cid in (c for c in preset.exclude if c in library.clauses):
        chosen.pop(_group_key(library, cid), None)
    for cid in (c for c in preset.include if c in library.clauses):
        chosen[_group_key(library, cid)] = cid
    return chosen


def _resolve_params(library: Library, source: AnswersFile, selected: set[str],
                    problems: Problems) -> dict[str, dict[str, Any]]:
    values = {cid: {name: p.default for name, p in library.clauses[cid].meta.params.items()}
              for cid in selected}
    for cid, given in source.answers.params.items():
        if cid not in library.clauses:
            problems.add(source.where("params", cid), message=f"params for unknown clause '{cid}'",
                         hint="run 'drafter clauses list' to see the ids")
            continue
        if cid not in selected:
            problems.add(source.where("params", cid),
                         message=f"params for '{cid}', which is not in this draft",
                         hint=f"include '{cid}' or remove these params")
            continue
        declared = library.clauses[cid].meta.params
        for name, value in given.items():
            where = source.where("params", cid, name)
            if name not in declared:
                known = ", ".join(sorted(declared)) or "none"
                problems.add(where, message=f"'{cid}' has no parameter '{name}'",
                             hint=f"its parameters are: {known}")
                continue
            why = declared[name].check(_plain(value))
            if why:
                problems.add(where, message=f"params.{cid}.{name}: {why}",
                             hint=declared[name].prompt)
                continue
            values[cid][name] = _plain(value)
    return values


def offices_by_default(clauses: Iterable[Clause], answers: Answers) -> list[tuple[Clause, str, Param]]:
    """The parameters of these clauses that name an office (``names_office``) and that the answers
    left at the library's suggestion: the draft says these need confirming."""
    return [(clause, name, param) for clause in clauses for name, param in clause.meta.params.items()
            if param.names_office and name not in answers.params.get(clause.id, {})]


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
