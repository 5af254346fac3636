"""The analyzer's rules as data: ``clauses/analyzer/*.yaml`` in the built-in library, extended by
the same folder in a user library (``--library``).

- ``vocabulary.yaml``: ``vocabulary`` (terms such as ``agents``, ``detainer``) and ``patterns``
  (named patterns the engine uses: modality words and the document-level detectors). A rule or
  pattern writes ``{name}`` for a term. In a user library a term that already exists gains the
  user's regex as one more alternative; a new name adds a term.
- ``detainers.yaml`` ... ``structure.yaml`` (any other file name works too): ``rules``, taxonomy
  id -> list of rules. A user library's rules for an id are tried after the built-in ones.
- ``mandates.yaml``: ``mandates``, the patterns that mark a law or agreement requiring cooperation.
- ``loopholes.yaml``: ``loopholes``, loophole id -> sentence patterns. ``drafter analyze`` and
  ``drafter lint``/``check`` both read these.

Every rule, mandate and loophole pattern carries ``examples: {match: [...], no_match: [...]}``;
``check_examples`` (run by ``drafter check``) fails when one does not behave as it says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.errors import Problems

TERM = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid")

    match: list[str] = Field(default_factory=list)
    no_match: list[str] = Field(default_factory=list)


class RuleModel(BaseModel):
    """One way a provision shows in a unit of text."""

    model_config = ConfigDict(extra="forbid")

    why: str
    concepts: list[str] = Field(min_length=1)
    modality: Literal["binding", "prohibit", "duty", "any"] = "binding"
    unless: str | None = None
    said: str | None = None  # fails when said affirmatively ("shall enter into"), not under "No ... shall"
    context: str | None = None  # must match the unit's paragraph or section title
    not_context: str | None = None
    document: str | None = None  # must match somewhere in the whole text
    examples: Examples = Field(default_factory=Examples)


class MandateModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    why: str
    pattern: str
    # provisions that, found binding in the same text, make this pattern a limit rather than a mandate
    # ("we will notify ICE of possible violations, but we will not hold anyone past release")
    unless_found: list[str] = Field(default_factory=list)
    examples: Examples = Field(default_factory=Examples)


class LoopholeModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    why: str
    needs: list[str] = Field(min_length=1)
    unless: str | None = None
    modality: list[str] = Field(default_factory=list)
    modality_not: list[str] = Field(default_factory=list)
    document: str | None = None
    requires: list[str] = Field(default_factory=list)
    examples: Examples = Field(default_factory=Examples)


class AnalyzerFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vocabulary: dict[str, str] = Field(default_factory=dict)
    patterns: dict[str, str] = Field(default_factory=dict)
    rules: dict[str, list[RuleModel]] = Field(default_factory=dict)
    mandates: list[MandateModel] = Field(default_factory=list)
    loopholes: dict[str, list[LoopholeModel]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """A compiled rule: every concept matches one unit, with the right modality."""

    id: str
    concepts: tuple[re.Pattern[str], ...]
    modality: str
    why: str
    unless: re.Pattern[str] | None = None
    said: re.Pattern[str] | None = None
    context: re.Pattern[str] | None = None
    not_context: re.Pattern[str] | None = None
    document: re.Pattern[str] | None = None
    examples: Examples = field(default_factory=Examples)
    source: str = ""  # file that defines it


@dataclass(frozen=True)
class Mandate:
    pattern: re.Pattern[str]
    why: str
    examples: Examples = field(default_factory=Examples)
    source: str = ""
    unless_found: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoopholePattern:
    """How a loophole shows in one sentence (see clauses/analyzer/loopholes.yaml)."""

    id: str
    needs: tuple[re.Pattern[str], ...]
    why: str
    unless: re.Pattern[str] | None = None
    modality: frozenset[str] = frozenset()
    modality_not: frozenset[str] = frozenset()
    document: re.Pattern[str] | None = None
    requires: tuple[str, ...] = ()
    examples: Examples = field(default_factory=Examples)
    source: str = ""

    @property
    def what(self) -> str:
        return self.why

    def fits(self, sentence: str, modality: frozenset[str], document: str | None = None,
             found: Any = None) -> bool:
        """Whether the pattern shows in ``sentence``; ``document``/``found`` None means "not known: met"."""
        if not all(need.search(sentence) for need in self.needs):
            return False
        if self.unless is not None and self.unless.search(sentence):
            return False
        if self.modality and not self.modality & modality:
            return False
        if self.modality_not & modality:
            return False
        if document is not None and self.document is not None and not self.document.search(document):
            return False
        return found is None or all(pid in found for pid in self.requires)


@dataclass(eq=False)
class AnalyzerRules:
    """Everything the analyzer reads, compiled."""

    vocabulary: dict[str, str]
    patterns: dict[str, re.Pattern[str]]
    provisions: dict[str, list[Rule]]
    mandates: list[Mandate]
    loopholes: dict[str, list[LoopholePattern]]
    files: list[str] = field(default_factory=list)

    def pattern(self, name: str) -> re.Pattern[str]:
        return self.patterns[name]


class RuleError(ValueError):
    pass


def expand(regex: str, vocabulary: dict[str, str], seen: tuple[str, ...] = ()) -> str:
    """``{name}`` replaced by the vocabulary term (terms may use other terms); unknown names fail."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in vocabulary:
            raise RuleError(f"unknown vocabulary term {{{name}}}")
        if name in seen:
            raise RuleError(f"vocabulary term {{{name}}} refers to itself")
        return "(?:" + expand(vocabulary[name], vocabulary, (*seen, name)) + ")"

    return TERM.sub(one, regex)


def _compile(regex: str | None, vocabulary: dict[str, str], flags: int = re.I) -> re.Pattern[str] | None:
    if regex is None:
        return None
    try:
        return re.compile(expand(regex, vocabulary), flags)
    except re.error as exc:
        raise RuleError(f"not a valid regular expression: {exc}") from exc


def rule_files(roots: list[Path], problems: Problems) -> list[tuple[Path, Path]]:
    """(root, file) for every analyzer rule file, built-in library first."""
    from drafter.sources import library_files

    out = []
    for root in roots:
        out += [(root, path) for path in library_files(root, "analyzer", "*.yaml", problems)]
    return out


def load_rules(roots: list[Path], problems: Problems) -> AnalyzerRules:
    """Load, merge and compile the rule files of the built-in library and any overlay."""
    from drafter.resources import display_path
    from drafter.sources import load_yaml_file, validate

    parsed: list[tuple[str, AnalyzerFile, Any]] = []
    for _, path in rule_files(roots, problems):
        shown = display_path(path)
        doc = load_yaml_file(path, problems, shown)
        if doc is None:
            continue
        model = validate(AnalyzerFile, doc, problems, shown)
        if model is not None:
            parsed.append((shown, model, doc))
    builtin_count = len([1 for root, _ in rule_files(roots[:1], Problems())])
    vocabulary: dict[str, str] = {}
    raw_patterns: dict[str, str] = {}
    for index, (_, model, _) in enumerate(parsed):
        for name, regex in model.vocabulary.items():
            if name in vocabulary and index >= builtin_count:
                vocabulary[name] = f"{vocabulary[name]}|{regex}"  # a user library adds alternatives
            else:
                vocabulary[name] = regex
        raw_patterns.update(model.patterns)
    every = {**vocabulary, **raw_patterns}
    rules = AnalyzerRules(vocabulary, {}, {}, [], {}, [shown for shown, _, _ in parsed])

    def report(shown: str, doc: Any, where: tuple, exc: Exception) -> None:
        line = doc.line_of(where) if hasattr(doc, "line_of") else 0
        problems.add(shown, line or 0, 0, message=f"analyzer rule {'.'.join(str(w) for w in where)}: {exc}",
                     hint="fix the regular expression or the {name} it uses (docs/analyzer.md)")

    for name, regex in raw_patterns.items():
        try:
            rules.patterns[name] = _compile(regex, every)
        except RuleError as exc:
            shown, _, doc = next(p for p in parsed if name in p[1].patterns)
            report(shown, doc, ("patterns", name), exc)
    for shown, model, doc in parsed:
        for pid, items in model.rules.items():
            for number, item in enumerate(items):
                try:
                    rules.provisions.setdefault(pid, []).append(Rule(
                        pid, tuple(_compile(c, every) for c in item.concepts), item.modality, item.why,
                        _compile(item.unless, every), _compile(item.said, every), _compile(item.context, every),
                        _compile(item.not_context, every), _compile(item.document, every), item.examples, shown))
                except RuleError as exc:
                    report(shown, doc, ("rules", pid, number), exc)
        for number, item in enumerate(model.mandates):
            try:
                rules.mandates.append(Mandate(_compile(item.pattern, every), item.why, item.examples, shown,
                                              tuple(item.unless_found)))
            except RuleError as exc:
                report(shown, doc, ("mandates", number), exc)
        for lid, items in model.loopholes.items():
            for number, item in enumerate(items):
                try:
                    rules.loopholes.setdefault(lid, []).append(LoopholePattern(
                        lid, tuple(_compile(n, every) for n in item.needs), item.why, _compile(item.unless, every),
                        frozenset(item.modality), frozenset(item.modality_not), _compile(item.document, every),
                        tuple(item.requires), item.examples, shown))
                except RuleError as exc:
                    report(shown, doc, ("loopholes", lid, number), exc)
    return rules


@lru_cache(maxsize=8)
def _cached(roots: tuple[Path, ...]) -> AnalyzerRules:
    problems = Problems()
    rules = load_rules(list(roots), problems)
    problems.raise_errors()
    return rules


def builtin_rules() -> AnalyzerRules:
    """The built-in library's analyzer rules (cached)."""
    from drafter.resources import builtin_clauses

    return _cached((builtin_clauses(),))


def rules_for(roots: list[Path]) -> AnalyzerRules:
    return _cached(tuple(roots))


def check_examples(rules: AnalyzerRules, taxonomy_ids: set[str] | None, problems: Problems) -> int:
    """Run every example; report each that does not behave as labelled. Returns how many ran."""
    from drafter.analyze import example_fits, mandate_fits

    ran = 0

    def fail(source: str, what: str, sentence: str, expected: bool) -> None:
        verb = "should match but does not" if expected else "should not match but does"
        problems.add(source, message=f"{what}: example {verb}: '{sentence[:90]}'",
                     hint="fix the rule's patterns or the example (docs/analyzer.md, 'Adding a phrasing')")

    for pid, items in rules.provisions.items():
        if taxonomy_ids is not None and pid not in taxonomy_ids:
            problems.add(items[0].source, message=f"analyzer rule for unknown taxonomy id '{pid}'",
                         hint="use an id from taxonomy.yaml")
        for rule in items:
            if not rule.examples.match:
                problems.add(rule.source, message=f"{pid} ('{rule.why}'): a rule needs at least one match example",
                             hint="add examples: {match: [...], no_match: [...]}")
            for sentence in rule.examples.match:
                ran += 1
                if not example_fits(rule, sentence, rules):
                    fail(rule.source, f"{pid} ('{rule.why}')", sentence, True)
            for sentence in rule.examples.no_match:
                ran += 1
                if example_fits(rule, sentence, rules):
                    fail(rule.source, f"{pid} ('{rule.why}')", sentence, False)
    for mandate in rules.mandates:
        for sentence, expected in [(s, True) for s in mandate.examples.match] + \
                                  [(s, False) for s in mandate.examples.no_match]:
            ran += 1
            if mandate_fits(mandate, sentence, rules) != expected:
                fail(mandate.source, f"mandate ('{mandate.why}')", sentence, expected)
    from drafter.analyze import loophole_example_fits

    for lid, items in rules.loopholes.items():
        if taxonomy_ids is not None and lid not in taxonomy_ids:
            problems.add(items[0].source, message=f"loophole pattern for unknown taxonomy id '{lid}'",
                         hint="use an id from taxonomy.yaml")
        for pattern in items:
            for sentence, expected in [(s, True) for s in pattern.examples.match] + \
                                      [(s, False) for s in pattern.examples.no_match]:
                ran += 1
                if loophole_example_fits(pattern, sentence, rules) != expected:
                    fail(pattern.source, f"{lid} ('{pattern.why}')", sentence, expected)
    return ran
