"""Drafting-style lint: the checkable rules of research/conventions.md §8, and the
loophole patterns of taxonomy.yaml, applied to clause text and to built drafts.

Each finding has a rule id, a severity, a location and a suggestion. A clause may silence
a rule with a reason in its front matter (``lint: {R-04: "why"}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from drafter.errors import Problem, Severity


@dataclass(frozen=True)
class Rule:
    """One drafting rule: a pattern, what is wrong, and how to fix it."""

    id: str
    severity: Severity
    title: str
    hint: str
    pattern: re.Pattern[str] | None = None
    example: str = ""


def _p(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.I)


COUPLETS = ("null and void", "any and all", "each and every", "full force and effect",
            "unless and until", "sole and exclusive", "power and authority",
            "authorize and direct", "authorized and directed", "from and after",
            "full and complete", "alter and change", "final and conclusive", "order and direct",
            "over and above", "type and kind", "means and includes", "made and entered into")
ARCHAIC = ("herein", "hereinafter", "hereinabove", "heretofore", "herewith", "hereunder",
           "thereof", "therein", "thereafter", "therewith", "thereunder", "whereof", "wherein",
           "whereat", "whatsoever", "aforesaid", "aforementioned", "above-mentioned",
           "henceforth")
WORDY = {"in the event that": "if", "in the event of": "if", "prior to": "before",
         "subsequent to": "after", "pursuant to": "under", "in order to": "to",
         "commence": "begin", "forthwith": "immediately", "in lieu of": "instead of",
         "is authorized to": "may", "has the power to": "may"}

RULES: tuple[Rule, ...] = (
    Rule("R-01", "warning", "'and/or'", "write 'A or B, or both', or choose one",
         _p(r"\band/or\b"), "notify the person and/or the attorney"),
    Rule("R-02", "warning", "'said' used as a pointer", "use 'the' or 'that'",
         _p(r"\b(?:the said|said (?:person|agency|official|section|ordinance|chapter|"
            r"document|request|warrant|information|property|contract|agreement|"
            r"individual|department|officer|notice))\b"), "the said agency"),
    Rule("R-03", "warning", "'the same' used as a pronoun", "use 'it' or repeat the noun",
         _p(r"\b(?:of|pay|use|provide|enforce|receive|keep) the same\s*[.,;]"),
         "the fee and the cost of the same."),
    Rule("R-04", "warning", "'such' used as a pointer", "use 'the', 'a' or 'that'",
         _p(r"\bsuch (?!as\b|a\b|an\b|that\b)(?:person|persons|agency|agencies|official|"
            r"officials|request|requests|information|document|documents|warrant|detainer|"
            r"individual|individuals|contract|agreement|case|time|records?|data)\b"),
         "such person shall"),
    Rule("R-05", "warning", "'to wit' or 'witnesseth'", "delete it or write 'namely'",
         _p(r"\b(?:to wit|witnesseth)\b"), "the following, to wit:"),
    Rule("R-06", "warning", "archaic word", "use a plain word or a specific cross-reference",
         _p(r"\b(?:" + "|".join(ARCHAIC) + r")\b"), "the rules set forth herein"),
    Rule("R-06a", "info", "'hereby'", "delete 'hereby'", _p(r"\bhereby\b"),
         "is hereby amended"),
    Rule("R-07", "warning", "proviso", "use 'if', 'but', 'except that', or a separate subsection",
         _p(r"\bprovided(?:,)? (?:that|however|further)\b"), "provided, however, that"),
    Rule("R-08", "warning", "redundant couplet", "keep one of the words",
         _p(r"\b(?:" + "|".join(re.escape(c) for c in COUPLETS) + r")\b"), "null and void"),
    Rule("R-09", "info", "wordy phrase", "use the plain word",
         _p(r"\b(?:" + "|".join(re.escape(w) for w in WORDY) + r")\b"), "prior to release"),
    Rule("R-11", "warning", "'should' or 'will' used as a command", "use 'shall' (a duty) or "
         "'may' (discretion)", _p(r"\b(?:should|will)\s+(?:not\s+)?(?:be\s+)?(?:required|"
                                   r"notify|provide|ensure|adopt|release|detain|comply|"
                                   r"decline|maintain|keep|report|give|send|share|honor|"
                                   r"cooperate|assist|respond|refer|inform|train)\b"),
         "the agency should notify"),
    Rule("R-13", "info", "'No person shall'", "write 'No person may' (or 'A person shall not')",
         _p(r"\bno (?:person|covered official|covered agency|agency|official) shall\b"),
         "No person shall enter"),
    Rule("R-15", "info", "'deem'", "use only for a deliberate legal fiction",
         _p(r"\b(?:shall be deemed|deemed|deem)\b"), "shall be deemed a violation"),
    Rule("R-16", "info", "'It shall be unlawful'", "write 'It is unlawful'",
         _p(r"\bit shall be unlawful\b"), "It shall be unlawful to"),
    Rule("R-18", "warning", "gendered pronoun", "repeat the noun, use the plural, or restructure",
         _p(r"\b(?:he or she|his or her|him or her|s/he|his/her|he/she|himself|herself)\b|"
            r"\b(?:he|him|his|she|hers)\b"), "the officer shall show his badge"),
    Rule("R-19", "warning", "slash between alternatives", "write 'A or B' or 'A and B'",
         _p(r"\b(?!and/or)[a-z]{2,}/[a-z]{2,}\b"), "owner/operator"),
    Rule("R-23", "warning", "duty inside a definition", "move the duty to a substantive section",
         _p(r"\b(?:shall|must)\b"), '"Agency" means ... and shall report'),
    Rule("R-26", "info", "long sentence", "split it; the default limit is 60 words", None,
         "a sentence of more than 60 words"),
    Rule("R-32", "warning", "'this ordinance' typed in clause text",
         "write {{ this_law }}, which becomes 'this chapter' inside a code chapter",
         _p(r"\bthis (?:ordinance|chapter)\b"), "this ordinance does not"),
    Rule("R-36", "error", "unresolved placeholder", "resolve it or turn it into a parameter",
         _p(r"_{3,}|\[(?:insert|optional|name|city|county)[^\]]*\]|\bXX+\b|\bYYYY\b|"
            # [D] keeps this pattern from reading as an unfinished-work marker
            r"\b(?:City/County|county/city|Council/Board)\b|\bTO[D]O\b|\bTBD\b"),
         "[insert name of city]"),
    # read in the clause's Jinja source, where the two bodies still have different names
    Rule("R-43", "warning", "report sent to the governing body",
         "send reports, audits, certifications and findings to {{ jurisdiction.oversight_body }}: "
         "a state's Attorney General, not its Legislature; a town's select board, not its town meeting",
         _p(r"\b(?:report|certif|submit|send|present)\w*\b[^.\n]{0,200}?\bto the "
            r"\{\{\s*jurisdiction\.governing_body\s*\}\}"),
         "shall report each year to the {{ jurisdiction.governing_body }}"),
)
DOCUMENT_RULES: tuple[Rule, ...] = (
    Rule("R-10", "warning", "'must' and 'shall' both used for duties",
         "follow the profile's style throughout"),
    Rule("R-14", "info", "'shall not' and 'may not' both used for prohibitions", "use one form"),
    Rule("R-21", "warning", "defined term never used", "delete the definition or use the term"),
    Rule("R-22", "error", "term defined twice", "keep one definition"),
    Rule("R-30", "error", "numbering gap or duplicate", "renumber"),
    Rule("R-31", "error", "cross-reference to a missing section", "fix the reference"),
    Rule("R-33", "error", "enacting clause missing", "use a jurisdiction form with one"),
    Rule("R-34", "warning", "severability or effective date missing", "include "
         "structure.severability and structure.effective-date"),
    Rule("R-41", "error", "binding language lost: 'No ... must', a doubled modal ('shall may', "
         "'must may'), or a prohibition that the profile's modal style turned permissive",
         "write 'X must not' or 'No X may' (a prohibition); one modal per verb"),
)
SENTENCE_LIMIT = 60



def loophole_patterns() -> list:
    """The loophole patterns (clauses/analyzer/loopholes.yaml): one set, read by ``drafter analyze``
    and by lint. Lint sees one clause at a time, so a pattern's ``requires`` (what else the whole
    policy must contain) is treated as met."""
    from drafter.analyzer_rules import builtin_rules

    return [pattern for items in builtin_rules().loopholes.values() for pattern in items]


def __getattr__(name: str):  # noqa: ANN202 - LOOPHOLES is read lazily (the rules are library data)
    if name == "LOOPHOLES":
        return tuple(loophole_patterns())
    raise AttributeError(name)


def mask_jinja(source: str) -> str:
    """Blank out Jinja tags (keeping length and newlines) so rules see only prose."""
    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", blank, source, flags=re.S)


def sentences(text: str) -> Iterable[tuple[int, str]]:
    """(offset, sentence) pairs; list items and paragraphs end sentences too."""
    for match in re.finditer(r"[^.;:\n]+(?:[.;:](?=\s|$)|$|\n)", text):
        yield match.start(), match.group(0)


@dataclass
class Target:
    """A piece of text to lint and how to report on it."""

    text: str
    display: str
    first_line: int
    silenced: dict[str, str]
    opens: frozenset[str] = frozenset()
    definition: bool = False
    codified_words: bool = True  # whether R-32 applies (raw clause source only)
    source: str = ""  # the unmasked Jinja source, for rules that read variable names
    loopholes: bool = True  # definitions and findings describe; they do not permit
    where: str = ""  # a label such as "Section 2.90.030" for built drafts


def lint(target: Target) -> list[Problem]:
    """Apply every text rule and loophole pattern to one target."""
    found: list[Problem] = []
    text = target.text

    def add(rule_id: str, severity: Severity, offset: int, message: str, hint: str) -> None:
        if rule_id in target.silenced:
            return
        line = target.first_line + text.count("\n", 0, offset)
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        prefix = f"{target.where}: " if target.where else ""
        found.append(Problem(target.display, line, col, prefix + message, hint, severity,
                             rule_id))

    for rule in RULES:
        if rule.pattern is None:
            continue
        if rule.id == "R-43":
            for match in rule.pattern.finditer(target.source):
                add(rule.id, rule.severity, match.start(), rule.title, rule.hint)
            continue
        if rule.id == "R-23" and not target.definition:
            continue
        if rule.id == "R-32" and not target.codified_words:
            continue
        for match in rule.pattern.finditer(text):
            add(rule.id, rule.severity, match.start(), f"{rule.title}: '{match.group(0).strip()}'",
                rule.hint)
    for offset, sentence in sentences(text):
        words = len(sentence.split())
        if words > SENTENCE_LIMIT:
            add("R-26", "info", offset + len(sentence) - len(sentence.lstrip()),
                f"long sentence ({words} words)", f"split it; the limit is {SENTENCE_LIMIT} words")
    if target.loopholes:
        flagged: set[str] = set()
        # each sentence as the patterns read it, once for all patterns (what
        # analyze.loophole_sentence_fits computes for one pattern and one sentence)
        views = [(offset, sentence, *_pattern_view(shall_view(sentence)))
                 for offset, sentence in _prose_sentences(text)]
        for pattern in loophole_patterns():
            if pattern.id in target.opens or pattern.id in flagged:
                continue
            if pattern.document is not None and not pattern.document.search(text):
                continue  # what the whole text must show (the same for every sentence)
            for offset, sentence, plain, modality in views:
                # the pattern's cheap set tests first: fits() is a conjunction, so the order
                # of its tests never changes the answer
                if (pattern.modality and not pattern.modality & modality) or pattern.modality_not & modality:
                    continue
                if pattern.fits(plain, modality, text, None):
                    add(pattern.id, "warning", offset,
                        f"text shows {pattern.id} ({pattern.why}): '{_clip(sentence)}'",
                        "if this is intended, declare it in 'opens'; otherwise strengthen the text")
                    flagged.add(pattern.id)
                    break
    return found


def _pattern_view(sentence: str) -> tuple[str, frozenset[str]]:
    """A sentence as the loophole patterns read it, and its modality: the inputs of
    ``analyze.loophole_sentence_fits`` other than the pattern."""
    from drafter.analyze import _modality, _sentence_plain
    from drafter.analyzer_rules import builtin_rules

    plain = _sentence_plain(sentence)
    return plain, _modality(plain, builtin_rules())


def _prose_sentences(text: str) -> Iterable[tuple[int, str]]:
    """Sentences ending in a period (lists inside a sentence stay with it)."""
    # List markers ("1.") are not sentence ends: blank them, keeping offsets.
    text = re.sub(r"(?m)^(\s*)(\d+)\.(?=\s)", lambda m: m.group(1) + " " * (len(m.group(2)) + 1), text)
    for match in re.finditer(r"[^.]+(?:\.(?=\s|$)|$)", text):
        stripped = match.group(0).lstrip()
        if stripped:
            yield match.start() + len(match.group(0)) - len(stripped), stripped


def detect_loopholes(text: str) -> dict[str, str]:
    """Loophole id -> the first sentence of ``text`` that shows it (the analyzer's patterns)."""
    from drafter.analyze import detect_loopholes as detect

    return detect(text)


def _clip(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def known_rule_ids() -> set[str]:
    """Every id a clause may name under ``lint:``."""
    return ({r.id for r in RULES} | {r.id for r in DOCUMENT_RULES}
            | {pattern.id for pattern in loophole_patterns()})


def lint_document(document, selection, library) -> list[Problem]:  # noqa: ANN001 - avoids import cycle
    """Lint a built draft: every section's text, then the document-level rules."""
    found: list[Problem] = []
    clauses = {c.id: c for c in selection.clauses}
    operative_text: list[str] = []
    for section in document.all_sections():
        clause = clauses.get(section.key)
        for where, text in _section_texts(section):
            operative_text.append(text)
            if clause is None:
                continue
            target = Target(text, clause.display, clause.body_line, dict(clause.meta.lint),
                            frozenset(clause.meta.opens), codified_words=False, where=where,
                            loopholes=clause.meta.role != "findings")
            for problem in lint(target):
                found.append(_relocate(problem, clause))
    shown = selection.source.display
    corpus = "\n".join(operative_text)

    def doc_problem(rule_id: str, message: str) -> None:
        rule = next(r for r in DOCUMENT_RULES if r.id == rule_id)
        found.append(Problem(shown, 1, 1, message, rule.hint, rule.severity, rule_id))

    # "must be" states a condition (NRS 0.025), not a duty; only duty uses count.
    if re.search(r"\bmust (?!be\b)", corpus) and re.search(r"\bshall\b", corpus):
        doc_problem("R-10", "the draft uses both 'must' and 'shall' for duties")
    if re.search(r"\bshall not\b", corpus) and re.search(r"\bmay not\b", corpus):
        doc_problem("R-14", "the draft uses both 'shall not' and 'may not' for prohibitions")
    labels = [s.label for s in document.all_sections()]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        doc_problem("R-30", "section numbers used twice: " + ", ".join(duplicates))
    numbers = {re.sub(r"^SECTION |\.$", "", s.label, flags=re.I) for s in document.all_sections()}
    for match in re.finditer(r"(?<!Code )\bSection (\d+(?:[.-]\d+)*)(?!\s+of\b)", corpus):
        if match.group(1) not in numbers:
            doc_problem("R-31", f"'Section {match.group(1)}' is not a section of this draft")
    if not document.enacting_clause.strip():
        doc_problem("R-33", "the draft has no enacting clause")
    present = {c.meta.provisions[0] for c in selection.clauses if c.meta.provisions}
    missing = [p for p in ("structure.severability", "structure.effective-date") if p not in present]
    if missing:
        doc_problem("R-34", "the draft has no " + " and no ".join(m.split(".")[1] for m in missing)
                    + " section")
    from drafter.score import ENFORCEMENT

    carried = {p for c in selection.clauses for p in c.meta.provisions}
    if not ENFORCEMENT & carried and any(c.meta.area != "structure" for c in selection.clauses):
        found.append(Problem(shown, 1, 1, "text shows loophole.no-enforcement: the draft has no "
                             "private right of action, independent complaints or public reporting",
                             "include structure.private-right-of-action, "
                             "structure.independent-complaints or structure.reporting", "warning",
                             "loophole.no-enforcement"))
    found += _binding_problems(document, selection, library, clauses)
    for clause in selection.clauses:
        for loophole in clause.meta.opens:
            found.append(Problem(clause.display, clause.body_line, 1,
                                 f"{clause.id} opens {loophole}: chosen variant is weaker than the "
                                 "strongest", "see its commentary for what it gives up", "warning",
                                 loophole))
    return found


# ---------------------------------------------------------------- binding language
# Kept apart from the loophole patterns above: these check that the modal style of a profile
# (drafter.render.must_style) never turns a prohibition into a non-duty or a permission.

_START = r"(?:^|(?<=[.;:!?,])\s+)(?:(?:and|or|but)\s+)?"
_NEGATIVE = (r"\b(?:[Nn]o|[Nn]othing|[Nn]one|[Nn]either)\b"
             r"(?!\s+(?:longer|later|more|less|fewer|sooner|earlier|greater)\b)")
_SUBJECT_GAP = r"(?:(?!\b(?:shall|must|may|will|if|unless|when|whenever)\b)[^.;:])*?"
_NO_MUST = re.compile(_START + _NEGATIVE + _SUBJECT_GAP + r"\bmust\b")
_INVERTED_MUST = re.compile(r"\b(?:[Nn]or|[Ii]n no (?:event|case)|[Uu]nder no circumstances?)\s+must\b")
_DOUBLED = re.compile(r"\b(shall|must|may|will)\s+(shall|must|may)\b", re.I)
_PROHIBITION = re.compile(
    r"\b(?:shall|must|may|can)\s+not\b|\bcannot\b|\b(?:is|are) (?:prohibited|unlawful)\b"
    r"|\b(?:[Nn]or|[Ii]n no (?:event|case)|[Uu]nder no circumstances?)\s+(?:shall|may)\b"
    r"|" + _START + _NEGATIVE + _SUBJECT_GAP + r"\b(?:shall|may)\b")


def binding_language(text: str) -> list[tuple[int, str]]:
    """(offset, message) for each place where ``text`` loses binding force by its wording."""
    found = []
    for pattern, what in ((_NO_MUST, "'No ... must' requires nothing, so it forbids nothing"),
                          (_INVERTED_MUST, "a negative with 'must' requires nothing")):
        for match in pattern.finditer(text):
            start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
            found.append((start, f"{what}: '{_clip(text[start:match.end()])}'"))
    for match in _DOUBLED.finditer(text):
        found.append((match.start(), f"doubled modal '{match.group(0)}'"))
    return found


_NEGATIVE_MAY = re.compile("(" + _START + _NEGATIVE + _SUBJECT_GAP + r")\bmay\b")


def shall_view(text: str) -> str:
    """Prohibitions of the "must" style written as "shall" ones ("must not" -> "shall not",
    "No X may" -> "No X shall"), so that patterns written for "shall" text read both styles."""
    return _NEGATIVE_MAY.sub(r"\1shall", re.sub(r"\bmust not\b", "shall not", text))


def prohibitions(text: str) -> int:
    """How many prohibitions ``text`` states ("shall not", "must not", "No X may", "nor shall" ...)."""
    return len(_PROHIBITION.findall(text))


def _binding_problems(document, selection, library, clauses) -> list[Problem]:  # noqa: ANN001
    """R-41 over a built draft: wording that binds nobody, and prohibitions the profile lost."""
    rule = next(r for r in DOCUMENT_RULES if r.id == "R-41")
    found: list[Problem] = []

    def report(section, where: str, message: str) -> None:  # noqa: ANN001
        clause = clauses.get(section.key)
        path, line = (clause.display, clause.body_line) if clause else (selection.source.display, 1)
        problem = Problem(path, line, 0, f"{where}: {message}", rule.hint, rule.severity, rule.id)
        found.append(_relocate(problem, clause) if clause else problem)

    for section in document.all_sections():
        for where, text in _section_texts(section):
            for _, message in binding_language(text):
                report(section, where, message)
    if selection.profile.modal == "shall":
        return found
    # The same draft in the "shall" style: every prohibition there must still be one here.
    import dataclasses

    from drafter.render import build_document

    shall_profile = selection.profile.model_copy(update={"modal": "shall"})
    reference = build_document(library, dataclasses.replace(selection, profile=shall_profile),
                               commentary="none")
    originals = {s.key: list(_section_texts(s)) for s in reference.all_sections()}
    for section in document.all_sections():
        pairs = zip(originals.get(section.key, []), _section_texts(section), strict=False)
        for (_, before), (where, after) in pairs:
            if prohibitions(after) < prohibitions(before):
                report(section, where, "a prohibition in the 'shall' text is not one in this "
                       f"profile's text (turned permissive): '{_clip(after)}'")
    return found


def _section_texts(section) -> Iterable[tuple[str, str]]:  # noqa: ANN001
    """(location, text) for each paragraph and numbered item of a section."""
    for block in section.blocks:
        stack = [(block, section.ref)]
        while stack:
            node, parent = stack.pop()
            label = getattr(node, "label", "")
            where = parent + label
            yield where, node.text
            for child in reversed(getattr(node, "children", [])):
                stack.append((child, where))


def _relocate(problem: Problem, clause) -> Problem:  # noqa: ANN001
    """Point a problem found in rendered text at the line of the clause file it came from."""
    quoted = re.search(r"'([^']{4,})'", problem.message)
    line = clause.body_line
    if quoted:
        snippet = quoted.group(1).rstrip("…")[:40].lower()
        index = clause.body.lower().find(snippet)
        if index >= 0:
            line = clause.body_line + clause.body.count("\n", 0, index)
    return Problem(problem.path, line, 0, problem.message, problem.hint, problem.severity,
                   problem.rule)
