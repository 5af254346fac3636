"""``drafter analyze``: read an existing policy and report its protections, its loopholes,
whether it mandates cooperation, and what is missing.

Deterministic rules you can read, kept as data in ``clauses/analyzer/*.yaml`` (a user library
can add phrasings there; drafter/analyzer_rules.py loads them):

1. drafter/legal_reader.py reads the file (any format), cleans it and cuts it into units: a
   sentence, or a list item joined to every lead-in it completes, each with its citation
   ("§ 2-173-020(a)(1)(C)"), its provisos and the cross-references that limit it.
2. Each unit is classified by its modality: binding prohibition ("shall not", "may not",
   "No ... shall", "only if"), binding duty, permission ("may"), exhortation ("should",
   "encourages", "urges") or savings clause ("nothing in ... prohibits", "does not apply").
   A ban on *limiting* cooperation ("may not bar an officer from ...") counts as a savings
   clause, not a protection.
3. Each taxonomy id has rules: concept patterns that must all appear in one unit, with the
   right modality and no disqualifying words. Definitions, recitals (WHEREAS, findings) and
   the title block before the enacting clause never count as rules, and a defined term that
   empties a protection (a "judicial warrant" that includes an immigration officer's warrant)
   disables the rules that rest on it.
4. Loopholes are read sentence by sentence with the patterns in loopholes.yaml (the same ones
   ``drafter lint`` uses), and by named detectors for what a whole text lacks or is: a
   resolution or order that can be withdrawn at will, holds refused with release dates left
   unprotected, one department bound, no remedy, complaint route or report anywhere.
5. A law or agreement that requires cooperation (mandates.yaml) is flagged with its evidence;
   its protective-sounding words are not reported as protections, nor its gaps as loopholes.
6. ``structure.no-reversal`` is reported for an express bar on waiver or reversal, and for a
   codified ordinance or statute that binds with mandatory words; never for a resolution, an
   executive, general or administrative order, a memo or an agency's own policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from drafter.analyzer_rules import AnalyzerRules, LoopholePattern, Mandate, Rule, builtin_rules, rules_for
from drafter.legal_reader import (
    DEFINES,
    DEFINITION,
    DEFINITIONS_LEAD,
    DEFINITIONS_TITLE,
    DELETED,
    PROVISO,
    WHEREAS,
    Unit,
    _plain,
    _title_block,
    form_header,
    read_defined_terms,
    read_document,
    units,
)
from drafter.statistical_reader import MANDATE, TOKEN, Reader, passages
from drafter.statistical_reader import load as load_reader

PROTECTIVE_AREAS = ("detainer.", "info.", "access.")
SUBSTANTIVE_AREAS = ("detainer.", "info.", "access.", "policing.")
ENFORCING = ("structure.private-right-of-action", "structure.independent-complaints",
             "structure.reporting")
# What the statistical reader may not add when the rules found the other: a remedy or report is
# enforcement; a codified law in mandatory words is not easily reversed, and the reverse.
CONTRADICTED = {"loophole.no-enforcement": set(ENFORCING), "loophole.non-binding": {"structure.no-reversal"},
                "structure.no-reversal": {"loophole.non-binding"}}
# What an instrument is as a whole (its form, its want of a remedy), not what one passage says.
WHOLE_TEXT = ("loophole.non-binding", "loophole.no-enforcement", "structure.no-reversal")
# What the statistical reader may add to a text that mandates cooperation: its form, not protections or gaps.
MANDATE_READABLE = ("structure.findings", "structure.definitions", "structure.effective-date")
# Provisions that work by themselves: conduct that is no longer a crime, or that a law says is met
# with a citation, needs no one to enforce the change, and a savings clause protects no one, so none
# calls for a remedy (loophole.no-enforcement). An order telling officers to do so still does.
DECRIMINALIZING = ("policing.street-vending", "policing.civil-infractions", "policing.record-relief")
SELF_EXECUTING = DECRIMINALIZING + ("policing.cite-release", "info.narrow-1373-savings")
LEGISLATION = re.compile(r"\b(?:ORDINANCE|ACT|BILL|LAW|CODE|STATUTES?)\b")
INSTRUMENT_DEFINES = re.compile(r"\b(?:this|the) (?:policy|ordinance|order|resolution|section|chapter|directive"
                                r"|agreement|act|code) defines (?:an? |the )?(?:[\w'-]+ ){1,6}?as "
                                r"(?:an?y?|the|every|all)\b", re.I)
# A police department's own limits, kept in words that bind, beside the duty it owes immigration
# authorities ("we will not detain anyone merely to verify status ... we will hold felons for ICE").
OWN_LIMITS = ("detainer.no-civil-arrest", "info.no-status-inquiry", "policing.fair-impartial")
# Words without which no text states when it takes effect.
EFFECT_WORDS = re.compile(r"\beffect(?:ive)?\b|\boperative\b|\bin force\b|\bcommenc\w*|\bbeginning\b|\bstarting\b",
                          re.I)
# Ids only a whole reading decides (no single sentence shows them).
INFERRED = ("structure.definitions", "structure.no-reversal")
IMPORTANT = ("detainer.no-hold", "detainer.no-civil-arrest", "detainer.no-transfer", "detainer.no-287g",
             "detainer.no-detention-contract", "detainer.no-joint-operations",
             "detainer.no-reimbursement-condition", "info.no-status-inquiry", "info.no-release-info",
             "info.no-personal-data", "info.database-access", "info.gang-database",
             "info.services-not-conditioned", "info.narrow-1373-savings",
             "access.facilities-judicial-warrant", "access.detainee-interviews",
             "access.sensitive-locations", "access.courthouses", "access.notice-to-person",
             "policing.fair-impartial", "policing.cite-release", "policing.right-to-decline",
             "policing.equal-diversion", "structure.implementation", "structure.reporting",
             "structure.private-right-of-action", "structure.independent-complaints",
             "structure.no-reversal")
# A codified law: a code's own citation near the top, or code-style section numbers.
CODE_CITE = re.compile(r"\b(?:RCW|ORS|ILCS|A\.?R\.?S\.?|C\.?R\.?S\.?|O\.?C\.?G\.?A\.?|N\.?C\.? ?G\.?S\.?|G\.S\."
                       r"|[A-Z]{1,3}MC"
                       r"|(?:Gov(?:ernment)?|Penal|Admin(?:istrative)?|Municipal|County|Welf(?:are)?|Civ(?:il)?"
                       r"|Health and Safety|Education) Code|Revised (?:Statutes|Code)|Code of (?:Ordinances|Criminal"
                       r" Procedure)|Statutes? \d|Stat\. ?§|Code §|Code,? (?:Section|sec\.|art\.)|Compiled Statutes)\b"
                       r"|§+ ?\d")
MODEL_POLICY = re.compile(r"\bmodel (?:\w+ ){0,3}polic(?:y|ies)\b", re.I)
MODEL_ADOPTED = re.compile(r"\b(?:shall|must)\s+(?:\w+\s+){0,3}(?:adopt|implement|comply with)\s+(?:the\s+)?"
                           r"(?:\w+ ){0,3}model\b", re.I)
# Codified law: a code or statute named with its section number in the opening lines ("Oregon Statutes
# 181A.826", "Maryland Code, Criminal Procedure 5-104"), or an ordinance or act that writes itself into a
# code ("K.C.C. 2.15.010 ... amended to read as follows", "A new section ... of the Seattle Municipal Code
# is added", "This chapter shall be known as ...").
CODE_NAMED = re.compile(r"\b(?:Code|Statutes?|Laws|Ordinances|Charter)\b[^\n]{0,60}?(?:§+ ?)?\b\d+[A-Za-z]?[.\-]\d+",
                        re.I)
INTO_CODE = re.compile(r"(?i:\b(?:amend|add|adopt|creat|insert|enact)\w*\b[^.\n]{0,120}\b(?:Code|Ordinances)\b)"
                       r"|\b(?:[A-Z]\.?){2,4} ?\d+[A-Za-z]?\.\d+[.\d]*\b[^.\n]{0,80}\b(?:is|are) (?:each |hereby )*"
                       r"amended"
                       r"|\b(?:this|the) chapter shall be known\b")
# A glossary entry in a definitions section: a term in title case and its meaning ("Section 287(g) Agreement:
# Partnership between ...", "Convicted. A state of ...", "Eligible for Release from Custody.").
GLOSSARY_ENTRY = re.compile(r"^\W{0,3}[A-Z][\w()'\-]*(?:[ \-](?:[A-Z0-9][\w()'\-]*|of|or|and|for|from|to|the|in))"
                            r"{0,7}\s?(?::\s+\S|\.$|\s+-\s+\S)")
# A purpose heading or field ("PURPOSE:", "1. PURPOSE", "Purpose: To require ...").
PURPOSE_LINE = re.compile(r"^\W*(?:[\dIVX]{1,4}[.)]?\s+)?purpose\b", re.I)
SHOULD_NOT = re.compile(r"\bshould (?:not|never)\b", re.I)
WISHES = re.compile(r"\b(?:believes?|encourag\w*|urg\w*|calls? (?:on|upon)|requests?|hopes?|recommends?)\b", re.I)
NAMED_INSTRUMENT = re.compile(r"\b(?:RESOLUTION|ORDINANCE|Resolution|Ordinance|BILL|AN ACT|An Act)\b")
# A department's order or a lawyer's memo, whose header lists the laws it refers to.
CITING_FORM = re.compile(r"\b(?:MEMORANDUM|PROCEDURAL INSTRUCTION|GENERAL ORDER|SPECIAL ORDER|DIRECTIVE"
                         r"|POLICE DEPARTMENT|SHERIFF'?S? (?:OFFICE|DEPARTMENT)|REFERENCES?)\b")
# A law refers to itself ("section 2 of this act"); a library's notice that cites the statute it follows
# ("in accordance with ... (75 ILCS 70/1)") is not itself codified.
SELF_CITED = re.compile(r"\bthis (?:act|chapter|title|article|code)\b", re.I)
UNCODIFIED = re.compile(r"\b(?:ORDINANCE NO|AN ORDINANCE|BE IT ORDAINED|RESOLUTION|RESOLVED|EXECUTIVE ORDER"
                        r"|GENERAL ORDER|SPECIAL ORDER|COMMAND ORDER|MEMORANDUM|DIRECTIVE|POLICY)\b", re.I)


# ------------------------------------------------------------------ findings

@dataclass
class Finding:
    """One protection or loophole, with the words that show it and where they are."""

    id: str
    evidence: str
    location: str
    why: str = ""
    limited_by: list[str] = field(default_factory=list)  # provisos elsewhere that limit this finding
    by_reader: bool = False  # found by the statistical reader, not by a written rule
    read_with: str = ""  # the definition that completed it: "the definition of “X” (§ 2(a))"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "evidence": self.evidence, "location": self.location}
        if self.limited_by:
            out["limited_by"] = self.limited_by
        if self.by_reader:
            out["found_by"] = "statistical reader"
            out["why"] = self.why
        if self.read_with:
            out["read_with"] = self.read_with
        return out


@dataclass
class Analysis:
    """What a policy does."""

    provisions: list[Finding] = field(default_factory=list)
    loopholes: list[Finding] = field(default_factory=list)
    mandates_cooperation: bool = False
    mandate_evidence: list[Finding] = field(default_factory=list)
    missing: list[dict[str, str | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what reading the file had to do
    state: str | None = None  # --state XX: the state whose law the report adds

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"provisions": [f.as_dict() for f in self.provisions],
                               "loopholes": [f.as_dict() for f in self.loopholes],
                               "mandates_cooperation": self.mandates_cooperation,
                               "missing": self.missing}
        if self.mandates_cooperation:
            out["mandate_evidence"] = [f.as_dict() for f in self.mandate_evidence]
        return out


# ------------------------------------------------------------------ modality and rules

def _modality(text: str, rules: AnalyzerRules) -> frozenset[str]:
    return _modality_cached(text, id(rules), rules)


@lru_cache(maxsize=16384)
def _modality_cached(text: str, _key: int, rules: AnalyzerRules) -> frozenset[str]:
    """What kind of rule a unit states: prohibit, duty, permissive, savings, hortatory."""
    p = rules.patterns
    found = set()
    if p["savings"].search(text):
        found.add("savings")
    if p["negated_limit"].search(text):
        found.add("savings")  # a ban on limiting cooperation protects no one
    if p["prohibit"].search(text):
        found.add("prohibit")
    if p["duty"].search(text):
        found.add("duty")
    if p["permissive"].search(text):
        found.add("permissive")
    if p["hortatory"].search(text):
        found.add("hortatory")
        if not re.search(r"\b(?:shall|must)\b|\bmay not\b|\bwill not\b|\bno longer\b", text, re.I):
            found -= {"prohibit", "duty"}  # "encourages the police to refrain" binds no one
    return frozenset(found)


def _met(rule: Rule, text: str) -> bool:
    return all(concept.search(text) for concept in rule.concepts)


def _fits(rule: Rule, unit: Unit, modality: frozenset[str], document: dict[int, bool],
          meaning: bool = False) -> bool:
    text = unit.plain or unit.text
    # The meaning of a defined term the unit uses may complete it, where the unit's words are plain
    # and unconditioned: "shall not enter into X unless the Council first approves" is a procedure
    # for X, whatever X's definition lists.
    if not _met(rule, text) and not (meaning and unit.meant and not PROVISO.search(text)
                                     and _met(rule, unit.meant)):
        return False
    if rule.unless is not None and rule.unless.search(text):
        return False
    if rule.said is not None and any(not _negated(text, m.start()) for m in rule.said.finditer(text)):
        return False
    if rule.document is not None and not document.get(id(rule), False):
        return False
    if rule.context is not None and not (rule.context.search(unit.paragraph) or rule.context.search(unit.title)):
        return False
    if rule.not_context is not None and (rule.not_context.search(unit.paragraph)
                                         or rule.not_context.search(unit.title)):
        return False
    if rule.modality == "any":
        return True
    if "savings" in modality:
        return False
    if rule.modality == "binding":
        return bool(modality & {"prohibit", "duty"})
    if rule.modality == "prohibit" and "hortatory" in modality and SHOULD_NOT.search(text) \
            and not WISHES.search(text):
        # "officers should not ask ...": a rule stated, if only hortatorily (non-binding); not a council's
        # wish that they should not ("believes that officers should not ...")
        return True
    return rule.modality in modality


def _example_unit(sentence: str) -> Unit:
    return Unit(sentence, "example", 1, own=sentence, paragraph=sentence, plain=_plain(sentence))


def example_fits(rule: Rule, sentence: str, rules: AnalyzerRules) -> bool:
    """Whether ``rule`` fires on ``sentence`` read alone (``drafter check`` runs each example)."""
    unit = _example_unit(sentence)
    document = {id(rule): bool(rule.document.search(sentence))} if rule.document is not None else {}
    return _fits(rule, unit, _modality(unit.plain, rules), document)


# A refusal followed by its exception in one sentence ("shall decline ... except ... when the County will
# honor"): a duty after it is the exception, not a command.
REFUSAL_EXCEPTED = re.compile(r"\b(?:decline|refuse|shall not|will not|may not)\b[^.;]*"
                              r"\b(?:except|unless|other than)\b", re.I)


def mandate_fits(mandate: Mandate, sentence: str, rules: AnalyzerRules) -> bool:
    return _mandate_in(mandate, _plain(sentence), rules)


def _mandate_in(mandate: Mandate, plain: str, rules: AnalyzerRules) -> bool:
    """Whether ``mandate`` commands here: found, not negated, and not inside a quotation that
    the text attributes to another law ("It states, in relevant part, that ...")."""
    quoted = rules.pattern("reported_quote")
    return any(_commands(plain, m.start()) and not quoted.search(plain[:m.start()])
               for m in mandate.pattern.finditer(plain))


def _commands(text: str, start: int) -> bool:
    """Whether the duty found at ``start`` is commanded: not negated ("No officer shall ..."), and not
    the exception to a refusal ("shall decline detainers, except ... when the County will honor them")."""
    return not _negated(text, start) and not REFUSAL_EXCEPTED.search(text[:start])


def loophole_example_fits(pattern: LoopholePattern, sentence: str, rules: AnalyzerRules) -> bool:
    plain = _plain(sentence)
    return pattern.fits(plain, _modality(plain, rules), sentence, None)


def loophole_sentence_fits(pattern: LoopholePattern, sentence: str, document: str) -> bool:
    """Whether a loophole pattern shows in one sentence of a clause (``drafter lint``)."""
    rules = builtin_rules()
    plain = _sentence_plain(sentence)
    return pattern.fits(plain, _modality(plain, rules), document, None)


@lru_cache(maxsize=4096)
def _sentence_plain(sentence: str) -> str:
    """A lint sentence as the patterns read it (lint tries every pattern on each sentence)."""
    return _plain(re.sub(r"\s+", " ", sentence))


def __getattr__(name: str):  # noqa: ANN202 - the rule table is library data, read when first asked for
    if name == "PROVISIONS":
        return builtin_rules().provisions
    raise AttributeError(name)


def _clip(text: str, limit: int = 220) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hollow_terms(text: str) -> set[str]:
    """Defined terms whose definition empties them of protective meaning."""
    hollow = set()
    for match in re.finditer(r'["\u201c]([^"\u201d]+)["\u201d]\s+(?:means|includes)([^"\u201c]*?)(?=\n\s*\n|\n\W{0,6}'
                             r'["\u201c]|\n\s*\(|$)', text, re.S | re.I):
        term, body = match.group(1).lower(), match.group(2).lower()
        if "judicial warrant" in term and re.search(r"immigration (?:officer|official|judge|laws)|i-20[05]|"
                                                    r"administrative|287\.5", body) \
                and not re.search(r"(?:not|does not include|other than|excluding)[^.]{0,40}"
                                  r"(?:immigration|administrative)", body):
            hollow.add("judicial warrant")
    return hollow


def _is_recital_text(unit: Unit) -> bool:
    return unit.recital or bool(WHEREAS.match(unit.text))


def _rules(library: Any | None) -> AnalyzerRules:
    if library is None or not getattr(library, "roots", None):
        return builtin_rules()
    return rules_for(list(library.roots))


def analyze_text(text: str, library: Any | None = None, rules: AnalyzerRules | None = None) -> Analysis:
    """Analyze a policy's text; ``library`` (optional) names the clauses for what is missing and
    adds a user library's analyzer rules."""
    rules = rules or _rules(library)
    reader = _reader(library)
    result = Analysis()
    text = DELETED.sub(" ", text)
    parts = units(text)
    read_defined_terms(parts, rules.pattern("carried_term"))
    hollow = hollow_terms(text)
    definitions = [u for u in parts if u.definition and (DEFINES.search(u.own) or DEFINITION.match(u.own)
                                                          or DEFINITIONS_TITLE.search(u.title[:80])
                                                          or DEFINITIONS_LEAD.search(u.text[:160])
                                                          or GLOSSARY_ENTRY.match(u.own))]
    operative = _operative(parts)
    document = {id(rule): bool(rule.document.search(text)) for items in rules.provisions.values()
                for rule in items if rule.document is not None}  # once per text, not once per unit
    seen: dict[str, Finding] = {}
    form = form_header(text)
    binding: set[str] = set()  # ids found in a unit that binds (prohibition or duty)
    # A duty to publish model policies binds no one to the policies unless someone must adopt them.
    adopted = any((found := MODEL_ADOPTED.search(u.plain)) and not _negated(u.plain, found.start())
                  for u in parts if not u.definition and MODEL_POLICY.search(u.plain))
    for unit in parts:
        if unit.definition or unit.lead or not unit.text.strip():
            continue
        modality = _modality(unit.plain, rules)
        recital = _is_recital_text(unit)
        binds = bool(modality & {"prohibit", "duty"}) and (adopted or not MODEL_POLICY.search(unit.plain))
        for pid, items in rules.provisions.items():
            if pid in seen and (pid in binding or not binds):
                continue  # found already; a later unit that binds still makes it binding
            if (recital or unit.preamble) and pid not in ("structure.findings", "structure.effective-date"):
                continue
            if form and pid == "structure.findings" and PURPOSE_LINE.match(unit.own or unit.text):
                continue  # an agency policy's "Purpose:" field or heading describes the document
            if unit.heading and pid not in ("structure.severability", "structure.effective-date",
                                            "structure.findings"):
                continue
            for rule in items:
                # A defined term's meaning counts for what a protection covers (which agreements,
                # warrants, records), not for a structure's words ("document" in "Form I-247 document").
                if _fits(rule, unit, modality, document, meaning=pid.startswith(PROTECTIVE_AREAS)):
                    if hollow and re.search(r"judicial warrant", unit.plain, re.I) and pid in (
                            "detainer.no-hold", "detainer.no-transfer", "access.facilities-judicial-warrant"):
                        continue
                    seen[pid] = Finding(pid, _clip(unit.text), unit.location, rule.why, list(unit.limited_by),
                                        read_with="" if _met(rule, unit.plain or unit.text) else unit.meant_from)
                    if binds:
                        binding.add(pid)
                    break
    defs_heading = re.search(r"^[ \t]*(?:Sec\.|Section|SECTION|SEC\.)?[ \t\w.\-§]{0,80}?\bDefinitions?\b", text,
                             re.M | re.I)
    terms = sum(max(1, len(DEFINES.findall(u.own))) for u in definitions)
    # one term defined inline ("For the purposes of this section, the term 'city employee' shall mean")
    # in its own words, not borrowed ("'warrant of arrest' has the meaning given that term in ORS 131.005")
    inline = any(re.match(r"\W*(?:as used in|for (?:the )?purposes? of) (?:this|these)\b[^.]*\b(?:means|shall mean"
                          r"|(?:is|shall be) defined as|[\"\u201d] includes)\b", u.own, re.I) for u in definitions)
    # or in a sentence saying what the instrument defines ("The policy defines a voluntary ICE detainer
    # request as any request ...")
    said = next((u for u in parts if not u.heading and INSTRUMENT_DEFINES.search(u.own)), None)
    if said is not None and not definitions:
        definitions = [said]
    if terms >= 2 or (defs_heading and not _only_definition_leads(definitions)) or inline or said is not None:
        first = definitions[0]
        seen["structure.definitions"] = Finding("structure.definitions", _clip(first.own),
                                                first.location, "a definitions section")
    order = list(rules.provisions)
    result.loopholes = _loopholes(operative, parts, text, seen, hollow, rules, binding)
    for unit in operative:
        if _is_recital_text(unit):
            continue
        why = _mandate_commanded(unit.plain, binding, rules)
        if why:
            result.mandate_evidence.append(Finding("mandate", _clip(unit.text), unit.location, why))
    # A resolution's or ordinance's own title says what it does ("A RESOLUTION authorizing and directing the
    # City Manager to enter into an agreement with ICE"), as its resolving clause would.
    if not result.mandate_evidence:
        _title_mandate(text, binding, rules, result)
    # Headings and an agreement's purpose stand in for operative words cut off from the text given;
    # a text that binds itself to protections is not read as a mandate from a heading that names one
    # (a draft's notes on state law: "Texas SB 8, 287(g) agreements required of sheriffs").
    protects = any(pid.startswith(PROTECTIVE_AREAS) for pid in binding)
    if not result.mandate_evidence and not protects:
        _headline_mandate(parts, rules, result)
    if not result.mandate_evidence and not protects:
        _agreement_mandate(text, rules, result)
    if (not result.mandate_evidence and not protects and not _refuses_cooperation(parts, rules)
            and not rules.pattern("advisory").search(text)):
        _reader_mandate(reader, text, parts, result)
    result.mandates_cooperation = bool(result.mandate_evidence)
    if result.mandates_cooperation:
        # A law that commands cooperation is not a protective policy with loopholes; protective
        # words in it (a list of what may not be limited, a citation rule for the verified) are traps.
        result.loopholes = []
        # Its penalties, complaints and reports police the mandate, and its duties to adopt rules or
        # train carry it out; they enforce and implement no protection.
        # an agency's policy, not a statute or bill that forbids limits
        own = _withdrawable(text, rules) and not _enacted(text)
        seen = {pid: f for pid, f in seen.items() if (not pid.startswith(SUBSTANTIVE_AREAS) or (
                    own and pid in OWN_LIMITS and pid in binding))
                and pid not in ("structure.no-reversal", "structure.implementation") and pid not in ENFORCING}
    elif "structure.no-reversal" not in seen:
        reason = _binding_law(parts, text, seen, binding, rules)
        if reason:
            seen["structure.no-reversal"] = reason
    _read_statistically(reader, text, parts, seen, result, rules)
    result.provisions = sorted(seen.values(), key=lambda f: order.index(f.id) if f.id in order else 99)
    result.missing = _missing({f.id for f in result.provisions}, library)
    return result


def _only_definition_leads(definitions: list[Unit]) -> bool:
    """Whether the definitions are only lead-ins whose terms were cut off ("As used in this chapter, the
    following terms have the following meanings."): such a text defines nothing."""
    return all(DEFINITIONS_LEAD.search(u.own) and not DEFINES.search(u.own) for u in definitions)


def _reader(library: Any | None) -> Reader | None:
    """The statistical reader of the built-in library (a user library may not replace it: it is trained
    on the labelled texts, not written)."""
    from drafter.resources import builtin_clauses

    return load_reader(builtin_clauses() / "analyzer")


def _read_statistically(reader: Reader | None, text: str, parts: list[Unit], seen: dict[str, Finding],
                        result: Analysis, rules: AnalyzerRules) -> None:
    """Add what the statistical reader finds and the rules did not, citing the passage that weighs most.
    Nothing is added to a text that mandates cooperation, nor what contradicts a rule's finding. A text
    longer than those the reader learned from is read a passage at a time, and then only for the
    substantive protections: its form, gaps and structure are whole-text matters left to the rules."""
    if reader is None:
        return
    if len(TOKEN.findall(text)) < reader.min_words:
        return  # a few lines carry too few words to weigh; the rules read them
    whole = len(text) <= reader.passage_chars
    if result.mandates_cooperation and not whole:
        return  # a long text is read only for protections, and a mandate gets none from the reader
    stretches = [(1, text.count("\n") + 2, text)] if whole else passages(text, reader.passage_chars)
    best_stretch: dict[str, tuple[float, int, int]] = {}
    for first, end, passage in stretches:
        for pid, probability in reader.found(passage).items():
            if (whole or pid.startswith(SUBSTANTIVE_AREAS)) and probability > best_stretch.get(pid, (0.0,))[0]:
                best_stretch[pid] = (probability, first, end)
    loopholes = {f.id for f in result.loopholes}
    cited = {f.location for f in seen.values() if f.id.startswith(SUBSTANTIVE_AREAS)}
    # A loophole is a gap in a protection, and the reader cannot tell a text that protects from one
    # that opposes protection in the same words ("a resolution opposing sanctuary policies"): it adds
    # none to a text whose title opposes or bans protection.
    title = _long_title(text)
    opposes = bool(rules.pattern("opposes_protection").search(title))
    withdrawable = _withdrawable(text, rules)
    enacted_law = _enacted(text) and not withdrawable
    # Protections first: whether a loophole can be a gap depends on whether anything protects.
    for pid, (probability, first, end) in sorted(best_stretch.items(), key=lambda item: (
            not item[0].startswith(SUBSTANTIVE_AREAS), item[0])):
        is_loophole = pid.startswith("loophole.")
        if result.mandates_cooperation and pid not in MANDATE_READABLE:
            continue
        if pid in (loopholes if is_loophole else seen):
            continue
        if is_loophole and opposes:
            continue
        if is_loophole and enacted_law and not any(p.startswith(SUBSTANTIVE_AREAS) for p in seen):
            # An ordinance or bill whose operative part is not in the text (its title, findings or
            # definitions only) protects no one yet, so it has no gaps (docs/analyzer-labels.md);
            # replaying the clean runs, the reader was wrong all five times it said otherwise.
            continue
        if pid in CONTRADICTED and CONTRADICTED[pid] & (set(seen) | loopholes):
            continue  # the rules found what rules this out
        if pid == "loophole.non-binding" and enacted_law:
            continue  # an ordinance or act binds
        if pid == "loophole.no-enforcement" and _enforced_in_words(_operative(parts), rules):
            continue  # a complaint route or public enforcer the rules read is enforcement
        if pid == "structure.no-reversal" and withdrawable:
            continue  # as _binding_law: never an instrument easily withdrawn
        if pid == "structure.effective-date" and not EFFECT_WORDS.search(text):
            continue  # a date issued or adopted is no effective date (docs/analyzer-labels.md)
        candidates = [u for u in parts if u.text.strip() and not u.lead and first <= u.line < end]
        if pid.startswith(SUBSTANTIVE_AREAS):
            # A protection is operative text that binds (not a definition, heading, recital or
            # permission), and a passage the rules read as one protection is not evidence of another:
            # the reader must point at binding words the rules left unread.
            candidates = [u for u in candidates if not (u.definition or u.heading or u.preamble or _is_recital_text(u))
                          and u.location not in cited and reader.weight_of(pid, u.plain) > 0
                          and _modality(u.plain, rules) & {"prohibit", "duty"}]
            if not candidates:
                continue
        if pid in WHOLE_TEXT or not candidates:  # a property of the instrument, shown by its opening words
            best = Unit(title or text[:220], "whole text", 1)
        else:
            best = max(candidates, key=lambda u: reader.weight_of(pid, u.plain or u.text))
        finding = Finding(pid, _clip(best.text), best.location, _read_because(reader, pid, probability, best),
                          by_reader=True)
        if is_loophole:
            result.loopholes.append(finding)
            loopholes.add(pid)
        else:
            seen[pid] = finding


def _operative(parts: list[Unit]) -> list[Unit]:
    """The units that can state a rule: not definitions, headings, lead-ins or the preamble."""
    return [u for u in parts if not (u.definition or u.heading or u.lead or u.preamble)]


def _enacted(text: str) -> bool:
    """Whether the opening enacts law ("the council ordains", "be it enacted")."""
    return bool(ENACTED.search(text[:3000]))


def _enforced_in_words(operative: list[Unit], rules: AnalyzerRules) -> bool:
    """Whether operative words give a complaint route, discipline or a public enforcer."""
    p = rules.patterns
    return any(p["public_enforcement"].search(u.plain) or p["complaints"].search(u.plain) for u in operative)


def _refuses_cooperation(parts: list[Unit], rules: AnalyzerRules) -> bool:
    """Whether the text refuses cooperation in so many words ("prohibits a sheriff from entering into a
    287(g) agreement"): the reader weighs words, not negation, and would read it as the mandate it refuses."""
    refuses = rules.pattern("refuses_cooperation")
    return any(refuses.search(u.plain or u.text) for u in parts)


def _reader_mandate(reader: Reader | None, text: str, parts: list[Unit], result: Analysis) -> None:
    """Where no mandate pattern matched, the statistical reader may still know a law or agreement that
    requires cooperation by its words as a whole (a 287(g) program page, a jail's agreement with the
    Marshals): replaying the eighteen clean runs, it would have flagged 36 more of their 152 such texts
    and 6 more that are not (docs/analyzer-accuracy.md). Its evidence is the passage whose words weigh most."""
    if reader is None or len(TOKEN.findall(text)) < reader.min_words:
        return
    probability = reader.mandate_found(text)
    if probability is None:
        return
    # a sentence says more than a title or heading with the same words
    units = ([u for u in parts if not u.heading and len(TOKEN.findall(u.text)) >= 8
              and reader.weight_of(MANDATE, u.plain or u.text) > 0]
             or [u for u in parts if u.text.strip()] or [Unit(text[:220], "whole text", 1)])
    best = max(units, key=lambda u: reader.weight_of(MANDATE, u.plain or u.text))
    result.mandate_evidence.append(Finding("mandate", _clip(best.text), best.location,
                                           _read_because(reader, MANDATE, probability, best), by_reader=True))


def _read_because(reader: Reader, pid: str, probability: float, best: Unit) -> str:
    """Why the reader reports ``pid`` (an id, or MANDATE): its probability and the words that weigh most."""
    words = ", ".join(f"'{w}'" for w in reader.telling_words(pid, best.plain or best.text))
    what = " as a text that requires cooperation" if pid == MANDATE else ""
    return (f"read by the statistical reader{what} (probability {probability:.2f}, trained on {reader.trained_on} "
            f"labelled texts){'; the words that weigh most here: ' + words if words else ''}")


def _title_mandate(text: str, binding: set[str], rules: AnalyzerRules, result: Analysis) -> None:
    """A resolution's or ordinance's long title read as one sentence: a scan may break it a word or a
    line at a time ("APPROVING THE / MEMORANDUM OF / AGREEMENT WITH ... ICE"), which no one line says."""
    if any(pid.startswith(PROTECTIVE_AREAS) for pid in binding):
        return  # a text that binds itself to protections is not read as a mandate from its opening
    title = re.split(r"\bWHEREAS\b", _long_title(text), maxsplit=1)[0]
    if not NAMED_INSTRUMENT.search(title):  # "A RESOLUTION" may be glued to its number ("1212-09A RESOLUTION")
        return
    why = _mandate_commanded(_plain(title), binding, rules)
    if why:
        # cite the clause of a long title that commands it ("...; TO REQUIRE EACH ... AGENCY TO ENTER INTO ...")
        clause = next((c.strip() for c in title.split(";") if _mandate_commanded(_plain(c), binding, rules)), title)
        result.mandate_evidence.append(Finding("mandate", _clip(clause), "title", why))


def _mandate_commanded(plain: str, binding: set[str], rules: AnalyzerRules) -> str | None:
    """Why the words command cooperation (the first mandate pattern found and not negated), if they do."""
    for mandate in rules.mandates:
        if any(pid in binding for pid in mandate.unless_found):
            continue
        if _mandate_in(mandate, plain, rules):
            return mandate.why
    return None


def _headline_mandate(parts: list[Unit], rules: AnalyzerRules, result: Analysis) -> None:
    """A statute whose heading names a ban on sanctuary policies ("Prohibition on immigration
    sanctuary policies by local governmental entities") mandates cooperation even when its
    operative words fall outside the text given."""
    heading = rules.pattern("mandate_heading")
    first_section = next((i for i, u in enumerate(parts) if u.section), len(parts))
    for index, unit in enumerate(parts[:60]):
        found = heading.search(unit.text)
        if not found or _is_recital_text(unit) or _negated(unit.text, found.start()):
            continue
        # A catchline above the section ("Duty of officers to cooperate ...") or a title line says it
        # in its first words; a note that mentions such a law in passing does not count.
        leading = found.start() <= 30 and len(unit.text.split()) <= 30 and not re.search(
            r"\b(?:shall|must|may|will)\b", unit.text)
        catchline = index < first_section and leading
        # A bill's long title ("AN ACT relating to ...; prohibiting sanctuary policies; ...") says what it does.
        # So does an item of a bill's analysis or digest before its enacting clause ("I. Requires ...").
        long_title = unit.preamble and (LONG_TITLE_OPENING.search(unit.text[:60]) or (
            found.start() == 0 and re.match(r"(?:requires|prohibits|bans|mandates|directs)\b", unit.text, re.I))
            or BILL_SUBJECT.match(unit.own or unit.text))
        headline = unit.heading or unit.line <= 3 or catchline or long_title or (leading and (
            (unit.preamble and not unit.recital) or unit.text.upper() == unit.text))
        if headline:
            why = ("the bill's title or analysis says it bans sanctuary policies, requires an immigration "
                   "enforcement agreement or imposes a duty to cooperate") if long_title and not unit.heading else (
                "a heading names a ban on sanctuary policies or a required immigration enforcement agreement "
                "or duty to cooperate")
            # A long title runs on: show the clause that says it, not the bill's first words.
            start = 0 if found.start() < 150 else max(unit.text.rfind(";", 0, found.start()) + 1,
                                                      unit.text.rfind("AN ACT", 0, found.start()), 0)
            result.mandate_evidence.append(Finding("mandate", _clip(unit.text[start:].strip()), unit.location, why))
            return


# A bill's long title opens "AN ACT relating to ..." or, after "A bill", "TO AMEND THE ... CODE ...".
LONG_TITLE_OPENING = re.compile(r"\bAN ACT\b|^\W*(?:A BILL\s+)?TO (?:AMEND|ENACT|ADD|CREATE|PROVIDE|REQUIRE)\b", re.I)
# A bill's analysis speaks of the bill: "This bill prohibits ...", "The bill also requires ...".
BILL_SUBJECT = re.compile(r"\W*(?:(?:the|this) (?:bill|act|measure)\b|under (?:the|this) bill\b)", re.I)


def _agreement_mandate(text: str, rules: AnalyzerRules, result: Analysis) -> None:
    """A 287(g)-style agreement: a text that names itself a memorandum of agreement (or understanding)
    and delegates an immigration officer's functions under 8 U.S.C. 1357(g) to local officers. Its
    purpose and authority sections say what it is even when the duties themselves are cut off."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    opening = "\n".join(lines[:3])
    if sum(len(line.split()) for line in lines[:20]) <= 2 * min(20, len(lines)):
        opening = " ".join(lines[:30])  # a scan read a word or two a line: its title runs over many lines
    flat = re.sub(r"\s+", " ", text)
    # An agreement to hold people for ICE (detention beds) is cooperation in itself. A resolution approving
    # it may come first: the agreement's title then stands alone on a later line.
    detention_title = rules.pattern("detention_agreement_title")
    if rules.pattern("detention_agreement_party").search(flat[:2000]) \
            and (detention_title.search(opening) or _ocr_titled(opening, rules)
                 or any(len(line.split()) <= 6 and detention_title.search(line.strip()) for line in lines[3:40])):
        result.mandate_evidence.append(Finding("mandate", _clip(flat[:200]), "whole text",
                                               "an agreement to detain people for immigration authorities"))
        return
    # A section of a state law that bans sanctuary policies, named in the opening lines.
    head = "\n".join(text.strip().splitlines()[:4])
    cited = rules.pattern("anti_sanctuary_citation").search(head)
    # ... not one a department's order or a lawyer's memo lists among its references
    if cited and rules.pattern("anti_sanctuary_context").search(head) \
            and not CITING_FORM.search(head[:cited.start()]):
        result.mandate_evidence.append(Finding("mandate", _clip(flat[:200]), "whole text",
                                               "a section of a state law that bans sanctuary policies or "
                                               "requires cooperation (" + cited.group(0) + ")"))
        return
    # An approval stamp or a filing line may come before the agreement's own title; an addendum or a
    # page that names no statute still delegates immigration functions in so many words.
    # A scan may break the title a word a line ("MEMORANDUM / OF / AGREEMENT").
    title_pattern = rules.pattern("agreement_title")
    titled = title_pattern.search("\n".join(lines[:6])) or title_pattern.search(" ".join(lines[:12]))
    under_287g = rules.pattern("agreement_statute").search(flat) or rules.pattern("agreement_delegates").search(flat)
    found = rules.pattern("agreement_delegation").search(flat)
    if titled and under_287g and found:
        start = max(0, flat.rfind(".", 0, found.start()) + 1)
        result.mandate_evidence.append(Finding("mandate", _clip(flat[start:found.end() + 80]), "whole text",
                                               "an agreement with immigration authorities under 287(g) "
                                               "(8 U.S.C. 1357(g))"))


OCR_MISREAD = str.maketrans("l1|0", "iiio")


def _ocr_letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower().translate(OCR_MISREAD))


def _ocr_titled(opening: str, rules: AnalyzerRules) -> bool:
    """A detention agreement's title read through a scan's OCR damage: letters only, common misreadings
    undone, and nearly matched (vocabulary.yaml, detention_agreement_title_ocr). No word that ends or
    bans an agreement may stand in the opening."""
    from difflib import SequenceMatcher

    if rules.pattern("agreement_ended").search(opening):
        return False
    letters = _ocr_letters(opening)[:2000]
    for phrase in rules.pattern("detention_agreement_title_ocr").pattern.split("|"):
        key = _ocr_letters(phrase)
        if key in letters:
            return True
        for start in range(max(1, len(letters) - len(key) + 1)):
            matcher = SequenceMatcher(None, key, letters[start:start + len(key)])
            if matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85:  # the cheap bound first
                return True
    return False


def _binding_law(parts: list[Unit], text: str, found: dict[str, Finding], binding: set[str],
                 rules: AnalyzerRules) -> Finding | None:
    """structure.no-reversal met by codified law (a statute, a code section, an ordinance written into a
    code) whose protections bind with mandatory words; never by a resolution, an order, a memo, an
    agency's own policy or an agreement."""
    if _withdrawable(text, rules):
        return None
    header = _title_block(text)
    first_lines = "\n".join(line for line in text.strip().splitlines()[:4])
    protective = [pid for pid in binding if pid.startswith(SUBSTANTIVE_AREAS)
                  and pid != "info.narrow-1373-savings"]
    if not protective:
        return None
    numbered = [u for u in parts if u.section and not u.preamble and (
        re.search(r"\d[.\-]\d", u.section) or re.match(r"\d{3,}", u.section))]
    codified = bool(numbered) or bool(CODE_CITE.search(first_lines) or CODE_NAMED.search(first_lines)) or (
        bool(CODE_CITE.search(text)) and bool(SELF_CITED.search(text)) and not UNCODIFIED.search(header)) \
        or bool(INTO_CODE.search(text[:5000])) \
        or bool(re.search(r"^\W*(?:chapter|title|article)\s+\d+[A-Z]?[.\-]\d+", first_lines, re.I | re.M)) \
        or bool(re.search(r"^\W*\d+[A-Z]?(?:[.\-]\d+[A-Z]?){2,3}\s*:\s*[A-Z]", first_lines, re.M))
    if not codified:
        return None
    evidence = found[protective[0]]
    return Finding("structure.no-reversal", evidence.evidence, evidence.location,
                   "a codified law whose protections bind with mandatory words (only a new law can undo them)")


def _withdrawable(text: str, rules: AnalyzerRules) -> bool:
    """Whether the text names itself an instrument its author can withdraw (a resolution, an order, a
    memo, an agency's own policy or directive) rather than law."""
    header = _title_block(text)
    if instrument_named(text, rules) or rules.pattern("internal_issuer").search(header):
        return True
    name = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(name) < 120 and POLICY_NAME.search(name) and not CHAPTER_OPENING.search(name):
        return True  # named a policy in its first line ("Federal Immigration Authority Contact Policy"), though
        # its first paragraph cites the statutes it applies
    first_lines = "\n".join(line for line in text.strip().splitlines()[:4])
    chapter = CODE_CITE.search(first_lines) or CODE_NAMED.search(first_lines) or re.search(
        r"^\s*(?:chapter|title|article)\s+\d", header, re.I | re.M)
    # an agency's own policy; a code chapter may still call a section "County policy"
    return not chapter and bool(re.search(r"\b(?:policy|procedure|directive|manual|general order|command order"
                                          r"|special order|memorandum|guidelines?)\b", header, re.I)
                                or BOARD_POLICY.search(text[:800]))


POLICY_NAME = re.compile(r"\b(?:policy|procedures?|directive|guidelines)\s*$", re.I)
# A school board's, college's or district's own numbered policy ("File: District Policy 1215"), which
# its board may amend at any meeting.
BOARD_POLICY = re.compile(r"\b(?:district|board|college|university|school) (?:policy|procedure|regulation)"
                          r"\s+(?:no\.?\s*)?[A-Z]{0,4}-?\d", re.I)


# A code chapter or an ordinance named in a text's opening lines; the words that enact law.
CHAPTER_OPENING = re.compile(r"\bordinance\b|\bchapter\s+\d|\bcode\b", re.I)
ENACTED = re.compile(r"\bordain|\bordinance\b|\bbe it enacted\b|\benacts?\b|\blocal law\b(?!\s+enforcement)", re.I)


# An agenda item summary names the resolution it asks the council to adopt: "SUBJECT Resolution 2017-091 ...".
AGENDA_RESOLUTION = re.compile(r"\b(?:SUBJECT|Subject|RE|Re|ITEM|Item)\s*:?\s+(?:A |a )?Resolution\s+"
                               r"(?:No\.?\s*)?\d[\w-]*")


def instrument_named(text: str, rules: AnalyzerRules) -> str | None:
    """The words that name the text as an instrument its author can withdraw at will: a resolution,
    an executive, general or special order, a memo, a department manual section or policy statement,
    or (when no law is named) a sheriff's or police department's own policy."""
    p = rules.patterns
    header = _title_block(text)
    opening = "\n".join([line for line in text.strip().splitlines() if line.strip()][:3])
    administrative = p["administrative"].search(opening)
    if administrative and administrative.group(0).lower() == "policy statement" and CHAPTER_OPENING.search(opening):
        administrative = None  # a code chapter's "Purpose and policy statement" section
    found = (p["instrument"].search(header) or administrative or p["revocable"].search(text)
             or re.search(p["instrument"].pattern, text[:400]))  # in capitals near the top: "... GENERAL ORDER"
    if not found:
        found = AGENDA_RESOLUTION.search(text[:800])  # an agenda item summary whose subject is a resolution
    if not found and re.search(r"^\W*WHEREAS\b", text[:4000], re.I | re.M) and not ENACTED.search(text):
        found = re.search(r"WHEREAS", text, re.I)  # recitals that resolve or order, and enact nothing
    if not found and not LEGISLATION.search(header):
        found = p["internal_issuer"].search(header)  # a chief's or sheriff's own policy
    return found.group(0) if found else None


NOT_DESCRIBING = re.compile(r"\b(?:is|are|was|were) not (?:an? )?(?:U\.\s?S\.\s|United States )?"
                            r"(?:citizens?|legal residents?|lawfully present|lawful permanent residents?)\b", re.I)


def _negated(text: str, start: int) -> bool:
    """Whether the words before ``start`` negate the duty that follows ("No officer shall ...")."""
    before = text[max(0, start - 90):start]
    # ", but shall verify ... with the federal government": "but" opens a clause the negation does not reach
    clause = re.split(r"[;:]|\.\s|,\s*but\b", before)[-1]
    # "a person who is not a citizen ... shall be reported" describes the person; it negates no duty
    clause = NOT_DESCRIBING.sub("", clause)
    return bool(re.search(r"\b(?:no|not|nothing|neither|nor)\b(?!\s+(?:later|less|more|fewer|earlier))", clause,
                          re.I))


def _subject(unit: Unit) -> str:
    """The words before the first modal verb, after any opening condition."""
    match = re.search(r"\b(?:shall|may|must|will)\b", unit.plain)
    head = unit.plain[: match.start()] if match else ""
    return re.split(r",\s*", head.strip())[-1].lower().strip()


def _single_agency(subject: str, rules: AnalyzerRules) -> bool:
    """A subject naming one department or office, not a class of agencies or the whole government."""
    if re.search(rf"\b(?:no|any|all|every|each|an?|agencies|officials|officers|employees|members|staff)\b"
                 rf"|\b(?:{rules.vocabulary['jurisdiction']})\b|\bor\b", subject):
        return False
    return bool(re.match(r"^the (?:[\w'-]+ ){0,4}(?:department|division|bureau)(?: of [\w ]+)?$", subject))


def _loopholes(operative: list[Unit], parts: list[Unit], text: str, found: dict[str, Finding],
               hollow: set[str], rules: AnalyzerRules, binding: set[str]) -> list[Finding]:
    out: dict[str, Finding] = {}

    def add(lid: str, unit: Unit | None, why: str, evidence: str | None = None) -> None:
        if lid not in out:
            out[lid] = Finding(lid, _clip(evidence or (unit.text if unit else "")),
                               unit.location if unit else "whole text", why)

    p = rules.patterns
    holds = "detainer.no-hold" in found
    document_hits = {id(pattern): pattern.document is None or bool(pattern.document.search(text))
                     for items in rules.loopholes.values() for pattern in items}
    hortatory_immigration = False
    for unit in operative:
        if _is_recital_text(unit) or not unit.text.strip():
            continue
        modality = _modality(unit.plain, rules)
        for lid, items in rules.loopholes.items():
            for pattern in items:
                if document_hits[id(pattern)] and pattern.fits(unit.plain, modality, None, found):
                    add(lid, unit, pattern.why)
                    if lid == "loophole.non-binding" and ("hortatory" in pattern.modality
                                                           or pattern.document is not None):
                        hortatory_immigration = True  # protections in words that bind no one
                    break
    # Coverage narrowed by a definition ("County services" means ... other than the Sheriff; "Law enforcement
    # agent" does not include an employee of a correctional facility), in a text that protects someone.
    substantive_found = any(f.startswith(PROTECTIVE_AREAS) for f in found)
    for unit in parts:
        if unit.definition and p["definition_gap"].search(unit.plain) and (substantive_found or holds):
            add("loophole.coverage-gap", unit, "a definition leaves an agency out")
    # Exceptions listed after a colon in text whose list labels were not read as items ("... unless one of
    # the following exceptions applies: 1. The person ... 2. The person has been convicted ..."): the items
    # that follow the lead-in carry its exception.
    carve_scope = bool(re.search(rules.vocabulary["agents"] + "|" + rules.vocabulary["detainer"], text, re.I)) \
        or "policing.cite-release" in found
    conviction = re.compile(rules.vocabulary["conviction"], re.I)
    for index, unit in enumerate(operative):
        if not carve_scope or "loophole.conviction-carveout" in out:
            break
        if LEAD_END.search(unit.text) and EXCEPTION_LEAD.search(unit.plain):
            for item in operative[index + 1:index + 9]:
                if LEAD_END.search(item.text):
                    break
                if conviction.search(item.plain):
                    add("loophole.conviction-carveout", item, "an exception for people with convictions or charges")
                    break
    decriminalizes = "policing.street-vending" in found or "policing.civil-infractions" in found
    if decriminalizes:
        for unit in operative:
            if p["still_crime"].search(unit.plain) and not _is_recital_text(unit) and not re.search(
                    r"\bnot (?:a |an )?(?:misdemeanor|crime)", unit.plain, re.I):
                add("loophole.coverage-gap", unit, "related conduct is still a crime")
                break
    substantive = [f for f in found if f.startswith(SUBSTANTIVE_AREAS)]
    instrument = instrument_named(text, rules)
    # A resolution or order whose commitments sit only in its recitals ("WHEREAS, the City will not
    # use city funds to enforce federal immigration law") promises without binding anyone.
    # So does one whose title declares protective intent ("affirming the City as a welcoming city that
    # serves its residents regardless of immigration status") and binds no one to anything.
    # And one whose title only calls on others to protect.
    title = _long_title(text)
    recited = bool(instrument) and (any((_is_recital_text(u) or u.preamble) and p["recital_commitment"].search(u.plain)
                                        for u in parts)
                                    or bool(p["protective_intent"].search(title))
                                    or bool(p["recital_commitment"].search(title))
                                    or bool(p["protective_call"].search(title)
                                            and not p["opposes_protection"].search(title)))
    # And one whose only duty is to log or report what immigration authorities ask (a transparency order).
    reporting = found.get("structure.reporting")
    logged = reporting is not None and bool(re.search(r"\bimmigration\b", reporting.evidence, re.I))
    if instrument and (substantive or hortatory_immigration or recited or logged):
        add("loophole.non-binding", None, "an instrument easily withdrawn (resolution, order or memo)",
            instrument)
    # Protections only in words that permit ("an officer may issue a citation in lieu of arrest") bind no one.
    # A law that makes conduct civil binds by itself, whatever verb its citation clause uses.
    permitted = [f for f in substantive if f not in binding and f not in DECRIMINALIZING
                 and "permissive" in _modality(found[f].evidence, rules)]
    if permitted and len(permitted) == len(substantive):
        add("loophole.non-binding", None, "its protections are only permitted ('may'), never required",
            found[permitted[0]].evidence)
    # Silence on release information is no notification gap (docs/analyzer-labels.md): reading it as one
    # was wrong 18 times in 22 on the tuning texts. Words that let or make the jail tell immigration
    # authorities are (loopholes.yaml), and so is a savings clause that keeps "any information" open.
    if holds and "info.no-release-info" not in found and "loophole.broad-savings-clause" in out:
        add("loophole.notification-gap", None,
            "holds are refused but a savings clause keeps any information, release dates included, open",
            out["loophole.broad-savings-clause"].evidence)
    # A single department bound, others (police, probation) left out.
    if holds and not instrument:
        evidence = [u for u in operative if not u.definition and not _is_recital_text(u)
                    and "prohibit" in _modality(u.plain, rules)
                    and re.search(f"{rules.vocabulary['detainer']}|{p['release_notice'].pattern}|immigration"
                                  r"|citizenship|release", u.plain, re.I)]
        subjects = [_subject(u) for u in evidence]
        defined_broadly = {m.group(1).lower() for m in re.finditer(
            r'["\u201c]([^"\u201d]+)["\u201d]\s+(?:means|includes)\s+(?:any|every|each|all)\b', text, re.I)}
        if subjects and all(_single_agency(s, rules) and not any(s.endswith(term) for term in defined_broadly)
                            for s in subjects):
            add("loophole.coverage-gap", evidence[0], "only one department is bound")
    enforced = any(e in found for e in ENFORCING) or _enforced_in_words(operative, rules)
    # Conduct made no longer a crime by law needs no one to enforce it; an order telling officers to
    # treat it so is only as good as the order.
    protective = [f for f in substantive if f not in SELF_EXECUTING or instrument]
    if (protective or hortatory_immigration or recited) and not enforced:
        add("loophole.no-enforcement", None, "no private right of action, independent complaints "
            "or public reporting", "(no enforcement provision found)")
    return sorted(out.values(), key=lambda f: f.id)


LEAD_END = re.compile(r":\s*(?:\(?\d{1,2}[.)]|\(?[A-Za-z][.)])?\s*$")  # a lead-in, its first label glued on
EXCEPTION_LEAD = re.compile(r"\b(?:unless|except)\b[^.]{0,60}\bfollowing\b", re.I)


def _long_title(text: str) -> str:
    """The opening of an instrument up to its first recital or operative words: its name and long title."""
    opening = text[:1500]
    end = re.search(r"^\W*(?:WHEREAS|NOW,? THEREFORE|BE IT|SECTION|Section|Sec\.|§)\b", opening, re.M)
    return " ".join((opening[:end.start()] if end else opening).split())


def _missing(present: set[str], library: Any | None) -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = []
    for pid in IMPORTANT:
        if pid in present:
            continue
        out.append({"id": pid, "clause": library.clause_adding(pid) if library is not None else None})
    return out


def read_policy(path: Path) -> str:
    """The clean text of a policy file in any supported format (drafter/legal_reader.py)."""
    return read_document(path).text


def analyze_file(path: Path, library: Any | None = None) -> Analysis:
    """Read and analyze a policy file."""
    source = read_document(path)
    result = analyze_text(source.text, library)
    result.notes = list(source.notes)
    return result


def explain(ids: Iterable[str]) -> dict[str, str]:
    """The one-line reason each provision id is recognized (for reports and docs)."""
    rules = builtin_rules()
    return {pid: rules.provisions[pid][0].why for pid in ids if pid in rules.provisions}


def detect_loopholes(text: str, rules: AnalyzerRules | None = None) -> dict[str, str]:
    """Loophole id -> the first sentence of ``text`` that shows it, by the sentence patterns alone."""
    from drafter.lint import _prose_sentences

    rules = rules or builtin_rules()
    found: dict[str, str] = {}
    for lid, items in rules.loopholes.items():
        for _, sentence in _prose_sentences(text):
            plain = _plain(sentence)
            if any(pattern.fits(plain, _modality(plain, rules), text, None) for pattern in items):
                found[lid] = _clip(sentence, 200)
                break
    return found
