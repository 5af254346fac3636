"""``drafter new``: questions an organizer can answer, and a commented answers file a person
can read and edit. Prompts are click's, so the wizard works in a plain terminal and under
click's test runner."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click

from drafter.library import Library
from drafter.lookup import find_state, plain_name
from drafter.models import KINDS, US_STATES, normalize_jurisdiction

LAW_ENFORCEMENT_DEFAULT = {"city": "{name} Police Department", "town": "{name} Police Department",
                           "village": "{name} Police Department",
                           "borough": "{name} Police Department",
                           "township": "{name} Police Department",
                           "city-and-county": "{name} Police Department",
                           "county": "{name} County Sheriff's Office",
                           "parish": "{name} Parish Sheriff's Office", "state": ""}
SHERIFF_KINDS = ("county", "parish")


@dataclass
class Plan:
    """Everything the wizard asks, with defaults for ``--no-input``."""

    name: str
    kind: str
    state: str
    governing_body: str = ""
    police: str = ""
    sheriff: str = ""
    runs_jail: bool = False
    code: dict[str, str] | None = None
    preset: str = "strongest"
    include: list[str] = field(default_factory=list)
    commentary: str = "annotated"
    # clause id -> parameter -> the name of an office the clause names (``names_office``)
    params: dict[str, dict[str, str]] = field(default_factory=dict)


def defaults(library: Library, name: str, kind: str, state: str) -> Plan:
    """A complete plan from the three facts every draft needs.

    The name is normalized as the answers loader does ("Sangamon County" -> Sangamon);
    the governing body is left to the jurisdiction form (templates/jurisdictions) unless
    the form says it varies by charter, so the answers file never contradicts it.
    """
    name, said = plain_name(name)
    if said and said != kind.lower():
        raise ValueError(f"name {name!r} says {said} but kind is {kind}")
    fixed = normalize_jurisdiction({"name": name, "kind": kind, "state": state})
    name, kind, state = fixed["name"], fixed["kind"], str(fixed["state"]).upper()
    agency = LAW_ENFORCEMENT_DEFAULT[kind].format(name=name)
    sheriff_kind = kind in SHERIFF_KINDS
    return Plan(name=name, kind=kind, state=state, governing_body="",
                police=agency if not sheriff_kind else "",
                sheriff=agency if sheriff_kind else "", runs_jail=sheriff_kind)


def plan_from_flags(library: Library, name: str, kind: str, state: str,
                    preset: str | None = None) -> Plan:
    """A plan from ``drafter new --no-input`` flags, or DrafterError naming the flag."""
    from drafter.errors import DrafterError, Problem

    match = find_state(state)
    if not match.code:
        near = ", ".join(f"{US_STATES[c]} ({c})" for c in match.suggestions)
        raise DrafterError([Problem("--state", message=f"'{state}' is not a US state",
                                    hint=f"did you mean {near}?" if near else
                                    "use its name or two letters, e.g. Illinois or IL")])
    try:
        plan = defaults(library, name, kind.lower(), match.code)
    except ValueError as exc:
        raise DrafterError([Problem("--name", message=str(exc))]) from exc
    if preset:
        if preset not in library.presets:
            raise DrafterError([Problem("--preset", message=f"unknown preset '{preset}'",
                                        hint="choose one of: " + ", ".join(sorted(library.presets)))])
        plan.preset = preset
    else:
        plan.preset = default_preset(library, match.code)
    return plan


def state_form(library: Library, kind: str, state: str, name: str | None = None) -> Any:
    """The jurisdiction form for this kind in this state (and this place, where the state names it)."""
    return library.forms[kind].for_state(state, name)


def state_summary(library: Library, state: str) -> list[str]:
    """What the state's law allows, in a few lines (shown as soon as the state is known)."""
    rule = library.states.get(state)
    if rule is None:
        return [f"{US_STATES[state]}: drafter has no rule for this state's law yet; check with a "
                "local lawyer what it allows."]
    lines = [f"{rule.name} (law checked {rule.as_of.isoformat()}): {rule.summary}"]
    lines += [f"  state law requires: {m.duty}" for m in rule.mandates]
    lines += [f"  still open: {item}" for item in rule.open[:4]]
    lines.append(f"  details: drafter states show {rule.state}")
    return lines


def default_preset(library: Library, state: str) -> str:
    """The preset to offer first: the strongest, or what stays open where state law preempts."""
    rule = library.states.get(state)
    if rule is not None and rule.stance == "restrictive" and "preemption-safe" in library.presets:
        return "preemption-safe"
    return "strongest"


PRESET_ORDER = ["strongest", "strong", "baseline", "jail-county", "preemption-safe"]
YES, NO = {"y", "yes", "yeah", "yep", "sure", "ok", "si", "sí"}, {"n", "no", "nope", "nah"}


def ordered_presets(library: Library) -> list[Any]:
    """The presets, strongest first."""
    return sorted(library.presets.values(),
                  key=lambda p: (PRESET_ORDER.index(p.id) if p.id in PRESET_ORDER
                                 else len(PRESET_ORDER), p.id))


def interview(library: Library, plan_name: str | None = None, *,
              progress: dict[str, Any] | None = None,
              on_place: Callable[[Plan], None] | None = None) -> Plan:
    """Ask the questions; return the answers.

    ``progress`` collects each answer as it is given (the CLI saves it if the interview is
    stopped) and, when resuming, holds the answers already given: those questions are not
    asked again. ``on_place`` is called as soon as the name and state are known (the CLI
    checks there whether the answers file would overwrite another).
    """
    echo = click.echo
    given = progress if progress is not None else {}

    def ask(key: str, question: Callable[[], Any], shown: str = "") -> Any:
        if key in given:
            echo(f"{shown or key}: {_shown(given[key])}  (saved answer)")
            return given[key]
        given[key] = question()
        return given[key]

    if plan_name and "name" not in given:
        given["name"] = plan_name
    name = ask("name", lambda: _required("Name of the city, county or state (without 'City of')"),
               "Name")
    kind = ask("kind", lambda: click.prompt(
        "Kind of jurisdiction", type=click.Choice(KINDS, case_sensitive=False),
        default="city").lower(), "Kind")
    state = ask("state", _ask_state, "State")
    for line in state_summary(library, state):
        echo(textwrap.fill(line, width=min(100, shutil.get_terminal_size((80, 20)).columns),
                           subsequent_indent="    "))
    try:
        plan = defaults(library, name, kind, state)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    given.update(name=plan.name, kind=plan.kind)  # as normalized ("Springfield, Illinois")
    if on_place is not None:
        on_place(plan)
    form = state_form(library, plan.kind, state, plan.name)
    if not form.exists:
        raise click.UsageError(f"{US_STATES[state]} has no {plan.kind} governments. {form.note}")
    if form.varies or not form.verified:
        # only what drafter cannot infer: the body's name differs by charter here
        body = ask("governing_body", lambda: click.prompt("Governing body",
                                                          default=form.governing_body),
                   "Governing body")
        plan.governing_body = "" if body == form.governing_body else body
    else:
        echo(f"Governing body: {form.governing_body} ({form.source})")
    if plan.kind != "state":
        police, sheriff = plan.police, plan.sheriff
        plan.police = ask("police", lambda: click.prompt("Police department (blank if none)",
                                                         default=police, show_default=True),
                          "Police department") or ""
        plan.sheriff = ask("sheriff", lambda: click.prompt("Sheriff's office (blank if none)",
                                                           default=sheriff, show_default=True),
                           "Sheriff's office") or ""
        runs_jail = plan.runs_jail
        plan.runs_jail = ask("runs_jail", lambda: yes_no("Does it run a jail?", runs_jail),
                             "Runs a jail")
        plan.code = ask("code", _ask_code, "Code chapter")
    echo("")
    presets = ordered_presets(library)
    first = default_preset(library, state)

    def pick_preset() -> str:
        for index, preset in enumerate(presets, start=1):
            echo(f"  {index}. {preset.id}: {preset.title}")
        start = next(i for i, p in enumerate(presets, start=1) if p.id == first)
        choice = click.prompt("Which set of protections? (1 is the strongest)",
                              type=click.IntRange(1, len(presets)), default=start)
        return presets[choice - 1].id

    plan.preset = ask("preset", pick_preset, "Set of protections")
    plan.include = list(ask("include", lambda: _ask_variants(library, kind, plan.state, plan.runs_jail),
                            "Alternatives"))
    for clause, name, param in offices_to_name(library, plan):
        office = ask(f"{OFFICE_KEY}{clause.id}.{name}", lambda p=param: click.prompt(
            f"{p.prompt}\n  (Enter keeps the suggestion; the draft then asks you to confirm it)",
            default=p.default).strip(), f"{clause.meta.title}: {param.names_office}")
        if office and office != param.default:
            plan.params.setdefault(clause.id, {})[name] = office[:200]
    echo("\nCommentary: annotated = explanations after each section (for the coalition); "
         "comments = as Word comments;\nmemo = a clean draft plus a separate memo; "
         "none = a clean copy for the council.")
    plan.commentary = ask("commentary", lambda: click.prompt(
        "Commentary in the draft", default="annotated",
        type=click.Choice(["annotated", "comments", "memo", "none"], case_sensitive=False)).lower(),
        "Commentary")
    return plan


OFFICE_KEY = "office:"  # progress key of an office a clause names: office:<clause id>.<parameter>


def offices_to_name(library: Library, plan: Plan) -> list[tuple[Any, str, Any]]:
    """The offices the plan's draft would name only because the library suggests them
    (an inspector general): the interview asks for the real name."""
    from drafter.core import parse_answers
    from drafter.errors import DrafterError
    from drafter.resolve import resolve

    try:
        return resolve(library, parse_answers(answers_yaml(plan, library))).offices_by_default()
    except DrafterError:  # the build reports it, with its file and line
        return []


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(value) or "none"
    return str(value) if value not in (None, "") else "(none)"


def _required(question: str) -> str:
    while True:
        value = click.prompt(question, default="", show_default=False).strip()
        if value:
            return value
        click.echo("Please type a name (it cannot be blank).")


def yes_no(question: str, default: bool) -> bool:
    """A yes/no question that understands "yeah" and "nope", and says what it wants."""
    def parse(text: str) -> bool:
        word = text.strip().lower()
        if word in YES:
            return True
        if word in NO:
            return False
        raise click.BadParameter("answer y (yes) or n (no)")

    return click.prompt(question, default="y" if default else "n", value_proc=parse,
                        show_default=True)


def _ask_state() -> str:
    while True:
        match = find_state(click.prompt("State (its name or two letters, e.g. Illinois or IL)"))
        if match.code:
            return match.code
        if match.suggestions:
            code = match.suggestions[0]
            if yes_no(f"Did you mean {US_STATES[code]} ({code})?", True):
                return code
            continue
        click.echo(f"'{match.text}' is not a US state: type its name or its two-letter code, "
                   "e.g. Illinois or IL.")


def _ask_code() -> dict[str, str] | None:
    if not yes_no("Add the ordinance to the municipal or county code as a new chapter?", False):
        return None
    fixed = normalize_jurisdiction({"code": {
        "title": _required("Code title number (e.g. 2)"),
        "chapter": _required("New chapter number (e.g. 2.90)")}})["code"]
    return {"title": fixed["title"], "chapter": fixed["chapter"],
            "chapter_title": click.prompt("Chapter title", default="Sanctuary and Community Safety")}


def _ask_variants(library: Library, kind: str, state: str, runs_jail: bool) -> list[str]:
    """Offer each variant group's alternatives that this state's law allows (never one below
    a protective state law or one it bans)."""
    from drafter import statelaw
    from drafter.resolve import kinds_like

    rule = library.states.get(state)
    law = statelaw.outcome(library, rule, kinds=kinds_like(library, kind, state), runs_jail=runs_jail,
                           as_of=dt.date.today()) if rule is not None else None
    chosen: list[str] = []
    if not yes_no("Choose among the alternatives for particular provisions? "
                  "(the strongest is already chosen)", False):
        return chosen
    taxonomy = library.taxonomy
    for _group, members in sorted(library.variant_groups().items()):
        applicable = [c for c in members if kind in c.meta.applies_to
                      and statelaw.available(library, law, c.id)]
        if len(applicable) < 2:
            continue
        click.echo(f"\n{applicable[0].meta.title}:")
        for index, clause in enumerate(applicable, start=1):
            gives_up = [taxonomy.loopholes.get(o, o) if taxonomy else o for o in clause.meta.opens]
            opens = f" Gives up: {'; '.join(gives_up)}." if gives_up else ""
            click.echo(f"  {index}. [{clause.meta.strength}] {clause.meta.summary.en}{opens}")
        strengths = [c.meta.strength for c in applicable]

        def parse(text: str, strengths: list[str] = strengths) -> int:
            word = text.strip().lower()
            if word in strengths:
                return strengths.index(word) + 1
            if word.isdigit() and 1 <= int(word) <= len(strengths):
                return int(word)
            raise click.BadParameter(f"type a number from 1 to {len(strengths)}")

        pick = click.prompt("Your choice", default="1", value_proc=parse)
        if pick != 1:
            chosen.append(applicable[pick - 1].id)
    return chosen


# ---------------------------------------------------------------- saving and resuming

INCOMPLETE = "# drafter new: INCOMPLETE"
_ANSWERED = re.compile(r"^# answered: (.*)$", re.M)


def partial_yaml(progress: dict[str, Any]) -> str:
    """What an interrupted interview had: an answers file marked incomplete, for --resume."""
    from io import StringIO

    from ruamel.yaml import YAML

    jurisdiction = {k: progress[k] for k in ("name", "kind", "state", "governing_body", "police",
                                              "sheriff", "runs_jail") if progress.get(k) not in (None, "")}
    if progress.get("code"):
        jurisdiction["code"] = dict(progress["code"])
    data: dict[str, Any] = {"jurisdiction": jurisdiction}
    if "preset" in progress:
        data["preset"] = progress["preset"]
    if progress.get("include"):
        data["include"] = list(progress["include"])
    if "commentary" in progress:
        data["output"] = {"commentary": progress["commentary"]}
    for key, value in progress.items():
        if key.startswith(OFFICE_KEY) and value:
            cid, _, name = key[len(OFFICE_KEY):].rpartition(".")
            data.setdefault("params", {}).setdefault(cid, {})[name] = value
    out = StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(data, out)
    return (f"{INCOMPLETE} (the wizard was stopped before the end).\n"
            "# Continue where you left off with:  drafter new --resume THIS-FILE\n"
            f"# answered: {' '.join(progress)}\n" + out.getvalue())


def read_partial(text: str, data: Any) -> dict[str, Any] | None:
    """The answers an incomplete file holds (``data``: its parsed YAML), or None if the file
    is not one the wizard saved incomplete."""
    if not text.startswith(INCOMPLETE):
        return None
    match = _ANSWERED.search(text)
    answered = match.group(1).split() if match else []
    data = data if isinstance(data, dict) else {}
    j = dict(data.get("jurisdiction") or {})
    values = {**j, "preset": data.get("preset"), "include": list(data.get("include") or []),
              "commentary": (data.get("output") or {}).get("commentary"),
              "code": dict(j["code"]) if j.get("code") else None}
    for cid, given in (data.get("params") or {}).items():
        values.update({f"{OFFICE_KEY}{cid}.{name}": value for name, value in (given or {}).items()})
    # an answer left blank (no sheriff) is not written to the YAML, but it was given: not asked again
    return {key: values.get(key, "") for key in answered}


def _q(value: Any) -> str:
    """A YAML scalar (JSON strings are valid YAML and safe for any text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value in (None, ""):
        return "null"
    return json.dumps(value, ensure_ascii=False)


def answers_yaml(plan: Plan, library: Library, analysis: Any | None = None,
                 policy_name: str = "") -> str:
    """The answers file, with a comment on every line a person may want to change."""
    presets = " | ".join(sorted(library.presets))
    lines = [
        "# drafter answers file: who the draft is for and what it contains.",
        "# Edit any value, then run:  drafter build THIS-FILE",
        "# Every field is explained in docs/answers-file.md.",
        *_policy_comments(analysis, policy_name),
        "jurisdiction:",
        f"  name: {_q(plan.name)}  # without 'City of' / 'County of'",
        f"  kind: {plan.kind}  # {' | '.join(KINDS)}",
        f"  state: {plan.state}  # {US_STATES[plan.state]}",
        *([f"  governing_body: {_q(plan.governing_body)}"] if plan.governing_body else
          [f"  # governing_body: {_q(_form_body(library, plan))}  # from templates/jurisdictions;"
           " uncomment to override"]),
        f"  police: {_q(plan.police)}  # the police department, if any",
        f"  sheriff: {_q(plan.sheriff)}  # the sheriff's office, if any",
        f"  runs_jail: {_q(plan.runs_jail)}  # whether it operates a jail",
    ]
    if plan.code:
        lines += ["  code:  # the draft adds a new chapter to the code",
                  f"    title: {_q(plan.code['title'])}",
                  f"    chapter: {_q(plan.code['chapter'])}",
                  f"    chapter_title: {_q(plan.code['chapter_title'])}"]
    lines += [f"preset: {plan.preset}  # {presets}"]
    if plan.include:
        lines += ["include:  # alternatives chosen instead of the strongest (see their commentary)"]
        lines += [f"  - {cid}" for cid in plan.include]
    else:
        lines += ["include: []  # clause ids to add; a weaker variant replaces the strongest"]
    lines += ["exclude: []  # clause ids to leave out (drafter clauses list shows them)"]
    if plan.params:
        lines += ["params:  # per-clause values (drafter clauses show ID lists each clause's)"]
        for cid, values in plan.params.items():
            lines += [f"  {cid}:", *(f"    {name}: {_q(value)}" for name, value in values.items())]
    else:
        lines += ["params: {}  # per-clause values, e.g.  structure.effective-date: {effective_days: 30}"]
    lines += ["output:",
              f"  commentary: {plan.commentary}  # annotated | comments | memo | none",
              "  formats: [docx, md]  # docx, md, html, txt, pdf",
              "  profile: standard  # standard | pleading | codepub | plain"]
    return "\n".join(lines) + "\n"


def _form_body(library: Library, plan: Plan) -> str:
    form = state_form(library, plan.kind, plan.state, plan.name)
    return form.governing_body


def _policy_comments(analysis: Any | None, policy_name: str) -> list[str]:
    """What the existing policy does, for the person editing the new answers file."""
    if analysis is None:
        return []
    lines = ["#", f"# Started from the existing policy {policy_name} (drafter analyze):"]
    kept = [f.id for f in analysis.provisions]
    if kept:
        lines.append("#   it already has: " + ", ".join(kept))
    if analysis.loopholes:
        lines.append("#   this draft closes its loopholes: "
                     + ", ".join(f.id for f in analysis.loopholes))
    added = [str(m["id"]) for m in analysis.missing]
    if added:
        lines.append("#   and adds what it lacks: " + ", ".join(added))
    if analysis.mandates_cooperation:
        lines.append("#   NOTE: that text REQUIRES cooperation with immigration enforcement;")
        lines.append("#   check the state's law before going further.")
    return [*lines, "#"]


def default_filename(plan: Plan) -> str:
    """e.g. 'springfield-il.yaml'."""
    import unicodedata

    text = unicodedata.normalize("NFKD", f"{plan.name} {plan.state}").encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", text.decode().lower()).strip("-")
    return f"{slug or 'draft'}.yaml"
