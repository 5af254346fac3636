"""Property-based fuzzing of answers files and clause parameter values (issue 16).

Whatever a person or a program hands drafter as answers, through the Python API, the only
exception that may come out is ``DrafterError`` (with located problems): never a
``RecursionError``, ``UnicodeEncodeError``, ``TypeError``, ``ValueError`` or a pydantic
error. Three routes, as in the review's fuzzing: mappings (a program's dict, JSON, a web
form), YAML text (an upload), and YAML text mutated character by character. Most cases stop
at validation and resolution (milliseconds); a few are built and rendered to Markdown.

``scripts/fuzz_answers.py`` runs the same generators for 10,000 cases and prints counts.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import drafter
from drafter import core
from drafter.errors import DrafterError
from drafter.kinds import KINDS
from drafter.models import US_STATES

LIB = core.get_library()
CLAUSE_IDS = sorted(LIB.clauses)
PARAMS = {cid: dict(c.meta.params) for cid, c in sorted(LIB.clauses.items()) if c.meta.params}

# Characters and snippets that broke something once, or could: controls, surrogates,
# non-characters, line separators, template and Markdown syntax, scripts without Latin letters.
NASTY = ["\ud800", "\udfff", "\udc80", "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f",
         "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\u200b", "\u0301",
         "{{", "}}", "{%", "%}", "{#", "#", "*", "_", "`", "[", "]", "(", ")", "\\", "'", '"',
         ":", "- ", "\n", "\t", "\r", "\r\n", "東京", "大阪", "é", "ǅ", "𝕏", "🏛", "ß", "İ",
         "<", ">", "&", "|", "---", "null", "~", "!foo", "&a", "*a", "1. ", "(a)", "§", " "]

nasty_text = st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=5).map("".join)
long_text = st.builds(lambda s, n: (s or "x") * n, nasty_text, st.integers(1, 400))
any_text = st.one_of(nasty_text, nasty_text, nasty_text, long_text, st.sampled_from(NASTY))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30),
                    st.floats(allow_nan=True, allow_infinity=True), any_text, st.dates())
keys = st.one_of(any_text, st.sampled_from(["name", "kind", "state", "police", "x", ""]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=3), max_leaves=5)


def _or(strategy: st.SearchStrategy[Any], percent: int = 4) -> st.SearchStrategy[Any]:
    """The plausible value, or ``percent`` % of the time anything at all (so that most cases
    get past validation to resolution, and every field is still hit with junk often)."""
    junk = st.one_of(scalars, values)
    return st.integers(0, 99).flatmap(lambda roll: junk if roll >= 100 - percent else strategy)


PLAIN_NAMES = ["Oakland", "City of Oakland", "Sangamon County", "東京", "São Paulo", "Kansas City",
               "Springfield, Illinois", "Town of X", "O'Brien", "Winston-Salem"]
name_text = _or(st.sampled_from(PLAIN_NAMES), 20)


def _param_value(param: Any) -> st.SearchStrategy[Any]:
    if param.type == "integer":
        low, high = param.min if param.min is not None else -100, param.max if param.max is not None else 10**6
        return st.one_of(st.integers(low, high), st.integers(-(10**40), 10**40))
    if param.type == "boolean":
        return st.booleans()
    if param.type == "choice":
        return st.one_of(st.sampled_from(param.choices or ["x"]), any_text)
    if param.type == "list":
        return st.lists(any_text, max_size=4)
    return any_text


params = st.dictionaries(
    st.one_of(st.sampled_from(sorted(PARAMS)), st.sampled_from(CLAUSE_IDS), any_text),
    st.one_of(st.sampled_from(sorted(PARAMS)).flatmap(
        lambda cid: st.dictionaries(st.sampled_from(sorted(PARAMS[cid])),
                                    st.one_of(*[_param_value(p) for p in PARAMS[cid].values()]),
                                    max_size=3)),
        st.dictionaries(keys, values, max_size=2), values),
    max_size=3)

code = st.fixed_dictionaries({"title": _or(st.sampled_from(["9", "Title 2", "2"])),
                              "chapter": _or(st.sampled_from(["9-8", "Chapter 45", "12"])),
                              "chapter_title": _or(name_text)},
                             optional={"name": _or(name_text)})

jurisdiction = st.fixed_dictionaries(
    {"name": _or(name_text),
     "kind": _or(st.sampled_from(list(KINDS) + ["City", "consolidated", "commonwealth"])),
     "state": _or(st.sampled_from(sorted(US_STATES) + ["ca", "Texas", "ZZ"]))},
    optional={"governing_body": _or(name_text), "police": _or(name_text), "sheriff": _or(name_text),
              "presiding_officer": _or(name_text), "enacting_clause": _or(name_text),
              "agencies": _or(st.lists(name_text, max_size=3)), "runs_jail": _or(st.booleans()),
              "code": _or(code), "governing_body_es_gender": _or(st.sampled_from(["f", "m"]))})

output = st.fixed_dictionaries(
    {}, optional={"commentary": _or(st.sampled_from(["annotated", "comments", "memo", "none"])),
                  "formats": _or(st.lists(st.sampled_from(["docx", "md", "html", "txt", "pdf", "odt"]))),
                  "profile": _or(st.sampled_from(sorted(LIB.profiles) + ["fancy"])),
                  "layout": _or(st.sampled_from(["chapter", "standalone"])),
                  "findings": _or(st.sampled_from(["first", "all"])),
                  "date": _or(st.one_of(st.dates(), st.sampled_from(["2026-01-15", "2025-02-29",
                                                                     "2026-13-45", "tomorrow"]))),
                  "as_of": _or(st.dates(min_value=dt.date(1990, 1, 1))),
                  "author": _or(name_text)})

clause_ids = _or(st.sampled_from(CLAUSE_IDS), 10)
plausible = st.fixed_dictionaries(
    {"jurisdiction": _or(jurisdiction, 2)},
    optional={"preset": _or(st.sampled_from(sorted(LIB.presets))),
              "include": _or(st.lists(clause_ids, max_size=3)),
              "exclude": _or(st.lists(clause_ids, max_size=3)),
              "params": _or(params), "output": _or(output), "allow_preempted": _or(st.booleans()),
              "below_floor": _or(st.booleans())})
with_extra_keys = st.builds(lambda data, extra: {**data, **extra}, plausible, st.dictionaries(
    st.one_of(st.sampled_from(["library", "colour", "jurisdiction"]), keys), values, max_size=2))
answers = st.integers(0, 99).flatmap(lambda roll: with_extra_keys if roll >= 90 else plausible)


def to_yaml(data: Any) -> str:
    """YAML text for ``data``: JSON is YAML, and ``ensure_ascii`` writes any character, a lone
    surrogate too, as a ``\\uXXXX`` escape YAML reads back. Dates become YAML dates."""
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return f"@@{value.isoformat()}@@"
        if isinstance(value, float) and value != value:
            return ".nan"
        if isinstance(value, float) and value in (float("inf"), float("-inf")):
            return str(value)
        return value
    text = json.dumps(plain(data), ensure_ascii=True, indent=1)
    return text.replace('"@@', "").replace('@@"', "")


YAML_SNIPPETS = ["\n", " ", ":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!binary ", "!!set ",
                 "!foo ", "? ", "---\n", "...\n", "%YAML 1.1\n", "<<: *a\n", "2026-13-45",
                 "2025-02-29", "1e999", "0x1F", '"\\ud800"', '"\\x01"', "\t", "#", "|\n", ">\n",
                 "[" * 150, "{a: " * 120, "\ufeff", "\x00", "\x85", "'", '"', "\\", "~"]


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    """An answers file's YAML with insertions, deletions and YAML syntax spliced in."""
    text = to_yaml(draw(answers))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "delete", "duplicate"]))
        if action == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(YAML_SNIPPETS), nasty_text)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        else:
            text = text[:at] + text[at:at + 40] * 2 + text[at + 40:]
    return text


def exercise(case: Any, *, route: str, full: bool = False) -> str:
    """Validate and resolve one case (``full``: also build it and render Markdown).

    'built' or 'error' (a ``DrafterError``); anything else escapes, which is the bug."""
    from drafter.resolve import resolve

    try:
        source = core.parse_answers(case) if route == "yaml" else core.answers_from_mapping(case)
        if full:
            draft = drafter.build(source, library=LIB, options={"commentary": "none"})
            draft.render("md")
        else:
            resolve(LIB, source)
    except DrafterError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        for problem in exc.problems:
            str(problem).encode("utf-8")  # every message can be printed and written
        return "error"
    return "built"


FAST = settings(max_examples=1000, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


@FAST
@given(answers)
def test_answers_mappings_raise_only_drafter_errors(case: dict[str, Any]) -> None:
    exercise(case, route="mapping")


@settings(FAST, max_examples=600)
@given(st.one_of(answers.map(to_yaml), mutated_yaml()))
def test_answers_yaml_raises_only_drafter_errors(text: str) -> None:
    exercise(text, route="yaml")


@settings(FAST, max_examples=500)
@given(st.fixed_dictionaries({"jurisdiction": st.fixed_dictionaries(
    {"name": st.sampled_from(["Oakland", "Austin"]), "kind": st.just("city"),
     "state": st.sampled_from(["CA", "TX"])}), "params": params}))
def test_clause_parameter_values_raise_only_drafter_errors(case: dict[str, Any]) -> None:
    exercise(case, route="mapping")


@settings(FAST, max_examples=12)
@given(st.fixed_dictionaries({"jurisdiction": st.fixed_dictionaries(
    {"name": st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40),
     "kind": st.sampled_from(["city", "county"]), "state": st.sampled_from(["CA", "NY", "TX"]),
     "police": any_text})}))
def test_built_and_rendered_drafts_raise_only_drafter_errors(case: dict[str, Any]) -> None:
    exercise(case, route="mapping", full=True)


def test_the_fuzzer_reaches_both_outcomes() -> None:
    """The generators are not all rejected (nor all accepted): a fuzz that only ever hits the
    first check would prove nothing."""
    seen = {exercise({"jurisdiction": {"name": "Oakland", "kind": "city", "state": "CA"},
                      "params": {"structure.effective-date": {"effective_days": 30}}},
                     route="mapping"),
            exercise({"jurisdiction": {"name": "Oak\ud800", "kind": "city", "state": "CA"}},
                     route="mapping")}
    assert seen == {"built", "error"}
