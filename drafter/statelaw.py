"""What one state's law means for one draft on one date.

A state rule (``clauses/states/XX.yaml``) lists bans, mandates and floors, each tied to a
law with an effective date. This module picks the ones in force on the draft's date that
bind this kind of jurisdiction, and turns them into what resolution acts on: the clause
ids, provision ids and passages to withhold, the clauses that would fall below a floor,
and the plain-language reasons a draft prints. Laws that take effect later are listed so
the user is warned now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from drafter.library import Library
from drafter.models import StateFloor, StateLaw, StateMandate, StateRule, Targets


@dataclass(frozen=True)
class Reason:
    """Why state law changed a draft: the law (an authority id) and the words that say so."""

    law: str
    text: str
    verb: str = "forbids"  # forbids (a ban) | requires (a mandate) | secures (a floor)

    def __str__(self) -> str:
        return self.text


@dataclass
class Pending:
    """A ban, mandate or floor that is not yet in force on the draft's date."""

    kind: str  # "ban" | "mandate" | "floor"
    law: str  # authority id
    effective: dt.date
    what: str


@dataclass
class StateOutcome:
    """The state law that governs one draft."""

    rule: StateRule
    as_of: dt.date
    laws: list[StateLaw]  # in force (or at least enacted and effective) on as_of
    withheld: dict[str, Reason] = field(default_factory=dict)  # target -> why (bans and mandates)
    mandates: list[StateMandate] = field(default_factory=list)  # binding this jurisdiction
    floors: list[StateFloor] = field(default_factory=list)  # binding this jurisdiction
    below: dict[str, StateFloor] = field(default_factory=dict)  # clause id -> the floor it breaks
    covered: dict[str, str] = field(default_factory=dict)  # provision id -> law name
    pending: list[Pending] = field(default_factory=list)
    risky: dict[str, str] = field(default_factory=dict)  # target -> why: kept, but flagged
    ignored: bool = False  # --allow-preempted: bans and mandates reported, not applied

    @property
    def restricts(self) -> bool:
        """Whether the draft must carry the boxed state-law notice."""
        return bool(self.withheld or self.mandates or self.ignored or self.below or self.pending
                    or self.rule.stance in ("restrictive", "mixed"))


def blocks(library: Library, state: StateOutcome, cid: str) -> Reason | None:
    """Why state law keeps clause ``cid`` out of a draft (named, or its main provision), or None."""
    if cid in state.withheld:
        return state.withheld[cid]
    provisions = library.clauses[cid].meta.provisions
    if provisions and provisions[0] in state.withheld:
        return state.withheld[provisions[0]]
    return None


def available(library: Library, state: StateOutcome | None, cid: str) -> bool:
    """Whether a clause may be offered at all here: not banned, not ruled out, not below a floor."""
    return state is None or (blocks(library, state, cid) is None and cid not in state.below)


def law_name(library: Library, authority_id: str) -> str:
    """'Texas SB 4 (2017) (Tex. Gov't Code ch. 752)': an authority's name and citation."""
    authority = library.authorities.get(authority_id)
    if authority is None:
        return authority_id
    return f"{authority.name} ({authority.citation})"


def _effective(item_date: dt.date | None, law: StateLaw) -> dt.date:
    return item_date or law.effective


def _targets(item: Targets) -> list[str]:
    return [*item.provisions, *item.clauses, *item.passages]


def outcome(library: Library, rule: StateRule, *, kinds: set[str], runs_jail: bool, as_of: dt.date,
            allow_preempted: bool = False) -> StateOutcome:
    """Apply ``rule`` on ``as_of`` to a jurisdiction of one of ``kinds`` (its kind, and the kind
    it acts as: a parish is a county)."""
    laws = {law.authority: law for law in rule.laws}
    # A repealed law binds no one; an enjoined one is still reported but not applied.
    live = {a: law for a, law in laws.items() if law.status not in ("repealed", "enjoined")}
    result = StateOutcome(rule, as_of, [law for law in rule.laws if law.effective <= as_of],
                          ignored=allow_preempted)

    def in_force(kind_: str, item_law: str, item_date: dt.date | None, what: str) -> bool:
        law = live.get(item_law)
        if law is None:
            return False
        when = _effective(item_date, law)
        if when > as_of:
            result.pending.append(Pending(kind_, item_law, when, what))
            return False
        return True

    for pid in rule.warn:
        names = [library.authorities[law.authority].name for law in rule.laws
                 if law.authority in library.authorities][:2]
        result.risky[pid] = f"{rule.name} law ({'; '.join(names)}) may reach it" if names else \
            f"{rule.name} law may reach it"
    for ban in rule.bans:
        law = laws.get(ban.law)
        if law is not None and law.status == "enjoined":
            for target in _targets(ban):
                result.risky.setdefault(target, f"{law_name(library, ban.law)} would forbid this, but "
                                                f"it is enjoined: {law.status_note}".rstrip(": "))
            continue
        if not in_force("ban", ban.law, ban.effective, ban.note):
            continue
        if not allow_preempted:
            for target in _targets(ban):
                result.withheld.setdefault(target, Reason(ban.law, f"{law_name(library, ban.law)}: {ban.note}"))
    for mandate in rule.mandates:
        if not kinds & set(mandate.applies_to) or (mandate.jail_only and not runs_jail):
            continue
        if not in_force("mandate", mandate.law, mandate.effective, mandate.duty):
            continue
        result.mandates.append(mandate)
        if not allow_preempted:
            why = Reason(mandate.law, f"{law_name(library, mandate.law)} requires: {mandate.duty}", "requires")
            for target in _targets(mandate.contradicts):
                result.withheld.setdefault(target, why)
    for floor in rule.floors:
        if not kinds & set(floor.applies_to):
            continue
        if not in_force("floor", floor.law, floor.effective, floor.note):
            continue
        result.floors.append(floor)
        for cid in floor.below:
            result.below.setdefault(cid, floor)
        for pid in floor.covers:
            result.covered.setdefault(pid, law_name(library, floor.law))
    return result


# ---------------------------------------------------------------- describing a rule

def _date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _targets_text(library: Library, item: Targets) -> str:
    names = []
    taxonomy = library.taxonomy
    for pid in item.provisions:
        names.append(taxonomy.provisions[pid].split(";")[0] if taxonomy and pid in taxonomy.provisions
                     else pid)
    for cid in item.clauses:
        clause = library.clauses.get(cid)
        names.append(f"the section \u201c{clause.meta.title}\u201d" if clause else cid)
    for ref in item.passages:
        cid, _, name = ref.partition("#")
        clause = library.clauses.get(cid)
        passage = clause.meta.passages.get(name) if clause else None
        names.append(passage.about.split(" (")[0] if passage else ref)
    return "; ".join(names)


def overview(library: Library) -> list[dict[str, str]]:
    """One row per state: code, name, stance, counts, the date checked."""
    rows = []
    for code in sorted(library.states):
        rule = library.states[code]
        rows.append({"state": code, "name": rule.name, "stance": rule.stance,
                     "laws": str(len(rule.laws)), "bans": str(len(rule.bans)),
                     "mandates": str(len(rule.mandates)), "floors": str(len(rule.floors)),
                     "as_of": rule.as_of.isoformat(), "summary": rule.summary})
    return rows


def describe(library: Library, rule: StateRule) -> str:
    """A rule in Markdown: summary, laws with penalties and status, bans, mandates, floors,
    what stays open, and the sources (``drafter states show`` and docs/state-law.md)."""
    out = [f"## {rule.name} ({rule.state})", "",
           f"*{rule.stance.capitalize()}; sources checked {_date(rule.as_of)}.* {rule.summary}", ""]
    if rule.laws:
        out += ["**Laws**", ""]
        for law in rule.laws:
            line = f"- {law_name(library, law.authority)}, effective {_date(law.effective)}" + (
                " (date not confirmed)" if not law.effective_confirmed else "")
            if law.status != "in-force":
                line += f" ({law.status.replace('-', ' ')}{': ' + law.status_note if law.status_note else ''})"
            out.append(line + f". {law.summary}")
            for penalty in law.penalties:
                status = "" if penalty.status == "in-force" else \
                    f" ({penalty.status.replace('-', ' ')}{': ' + penalty.status_note if penalty.status_note else ''})"
                out.append(f"  - Penalty ({penalty.who}): {penalty.what}{status}")
        out.append("")
    sections = [("Bans: local law may not", [(b.law, b.effective, f"{_targets_text(library, b)}. {b.note}")
                                            for b in rule.bans]),
                ("Mandates: the state requires", [
                    (m.law, m.effective,
                     f"{m.duty} (binds: {', '.join(m.applies_to)}{', where it runs a jail' if m.jail_only else ''})"
                     + (f" A draft there may not contain: {_targets_text(library, m.contradicts)}."
                        if _targets(m.contradicts) else ""))
                    for m in rule.mandates]),
                ("Floors: state law already requires", [
                    (f.law, f.effective,
                     f"{f.note}" + (f" Already secured: {_targets_text(library, Targets(provisions=f.covers))}."
                                    if f.covers else "")
                     + (" Below it: " + ", ".join(f.below) + "." if f.below else ""))
                    for f in rule.floors])]
    laws = {law.authority: law for law in rule.laws}
    for title, items in sections:
        if not items:
            continue
        out += [f"**{title}**", ""]
        for law, when, text in items:
            start = when or (laws[law].effective if law in laws else None)
            since = f", from {_date(start)}" if start else ""
            out.append(f"- {text} ({law_name(library, law)}{since})")
        out.append("")
    if rule.warn:
        out += ["**Legally risky there (kept, flagged):** " + _targets_text(library, Targets(provisions=rule.warn)),
                ""]
    if rule.open:
        out += ["**Still open to a locality**", ""] + [f"- {item}" for item in rule.open] + [""]
    out += [f"**For counsel.** {rule.note}", ""]
    sources = []
    for law in rule.laws:
        authority = library.authorities.get(law.authority)
        if authority is not None:
            mark = "verified" if authority.verified else "NOT VERIFIED"
            sources.append(f"- {authority.name}, {authority.citation} ({mark}; checked against: "
                           f"{authority.verified_source or 'nothing recorded'})")
    if sources:
        out += ["**Sources**", ""] + sources + [""]
    return "\n".join(out)
