"""``drafter new``: questions an organizer can answer, and a commented answers file a person
can read and edit. Prompts are click's, so the wizard works in a plain terminal and under
click's test runner."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import click

from drafter.library import Library
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


def defaults(library: Library, name: str, kind: str, state: str) -> Plan:
    """A complete plan from the three facts every draft needs.

    The name is normalized as the answers loader does ("Sangamon County" -> Sangamon);
    the governing body is left to the jurisdiction form (templates/jurisdictions) unless
    the form says it varies by charter, so the answers file never contradicts it.
    """
    fixed = normalize_jurisdiction({"name": name, "kind": kind, "state": state})
    name, kind, state = fixed["name"], fixed["kind"], str(fixed["state"]).upper()
    agency = LAW_ENFORCEMENT_DEFAULT[kind].format(name=name)
    sheriff_kind = kind in SHERIFF_KINDS
    return Plan(name=name, kind=kind, state=state, governing_body="",
                police=agency if not sheriff_kind else "",
                sheriff=agency if sheriff_kind else "", runs_jail=sheriff_kind)


def state_form(library: Library, kind: str, state: str) -> Any:
    """The jurisdiction form for this kind in this state."""
    return library.forms[kind].for_state(state)


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


def interview(library: Library, plan_name: str | None = None) -> Plan:
    """Ask the questions; return the answers."""
    echo = click.echo
    name = plan_name or click.prompt("Name of the city, county or state (without 'City of')")
    kind = click.prompt("Kind of jurisdiction", type=click.Choice(KINDS, case_sensitive=False),
                        default="city").lower()
    state = click.prompt("State (two letters, e.g. CA)", value_proc=_state)
    for line in state_summary(library, state):
        echo(line)
    try:
        plan = defaults(library, name, kind, state)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    form = state_form(library, plan.kind, state)
    if not form.exists:
        raise click.UsageError(f"{US_STATES[state]} has no {plan.kind} governments. {form.note}")
    if form.varies or not form.verified:
        # only what drafter cannot infer: the body's name differs by charter here
        body = click.prompt("Governing body", default=form.governing_body)
        plan.governing_body = "" if body == form.governing_body else body
    else:
        echo(f"Governing body: {form.governing_body} ({form.source})")
    if plan.kind != "state":
        plan.police = click.prompt("Police department (blank if none)",
                                   default=plan.police, show_default=True) or ""
        plan.sheriff = click.prompt("Sheriff's office (blank if none)",
                                    default=plan.sheriff, show_default=True) or ""
        plan.runs_jail = click.confirm("Does it run a jail?", default=plan.runs_jail)
        if click.confirm("Add the ordinance to the municipal or county code as a new chapter?",
                         default=False):
            plan.code = {
                "title": click.prompt("Code title number (e.g. 2)"),
                "chapter": click.prompt("New chapter number (e.g. 2.90)"),
                "chapter_title": click.prompt("Chapter title",
                                              default="Sanctuary and Community Safety"),
            }
    echo("")
    order = ["strongest", "strong", "baseline", "jail-county", "preemption-safe"]
    presets = sorted(library.presets.values(),
                     key=lambda p: (order.index(p.id) if p.id in order else len(order), p.id))
    for index, preset in enumerate(presets, start=1):
        echo(f"  {index}. {preset.id}: {preset.title}")
    choice = click.prompt("Which set of protections? (1 is the strongest)",
                          type=click.IntRange(1, len(presets)), default=1)
    plan.preset = presets[choice - 1].id
    if click.confirm("Choose among the alternatives for particular provisions? "
                     "(the strongest is already chosen)", default=False):
        for group, members in sorted(library.variant_groups().items()):
            applicable = [c for c in members if kind in c.meta.applies_to]
            if len(applicable) < 2:
                continue
            echo(f"\n{applicable[0].meta.title}:")
            for index, clause in enumerate(applicable, start=1):
                opens = f" (opens {', '.join(clause.meta.opens)})" if clause.meta.opens else ""
                echo(f"  {index}. [{clause.meta.strength}] {clause.meta.summary.en}{opens}")
            pick = click.prompt(f"Choose for '{group}'", type=click.IntRange(1, len(applicable)),
                                default=1)
            if pick != 1:
                plan.include.append(applicable[pick - 1].id)
    plan.commentary = click.prompt("Commentary in the draft", default="annotated",
                                   type=click.Choice(["annotated", "comments", "memo", "none"]))
    return plan


def _state(value: str) -> str:
    by_name = {v.lower(): k for k, v in US_STATES.items()}
    code = by_name.get(value.strip().lower(), value.strip().upper())
    if code not in US_STATES:
        raise click.BadParameter("use the two-letter code of a US state, e.g. CA or TX")
    return code


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
    lines += ["exclude: []  # clause ids to leave out (drafter clauses list shows them)",
              "params: {}  # per-clause values, e.g.  structure.effective-date: {effective_days: 30}",
              "output:",
              f"  commentary: {plan.commentary}  # annotated | comments | memo | none",
              "  formats: [docx, md]  # docx, md, html, txt, pdf",
              "  profile: standard  # standard | pleading | codepub | plain"]
    return "\n".join(lines) + "\n"


def _form_body(library: Library, plan: Plan) -> str:
    form = state_form(library, plan.kind, plan.state)
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
    slug = re.sub(r"[^a-z0-9]+", "-", f"{plan.name} {plan.state}".lower()).strip("-")
    return f"{slug or 'draft'}.yaml"
