"""Seeded faults in a copy of the built-in library: each is reported with its file, line and
exact message, the check exits 1, and nothing in a clause file is executed or read."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import api
from drafter.cli import cli
from drafter.resources import builtin_clauses

NO_HOLDS = "detainers/no-holds.md"
SEVERABILITY = "structure/severability.md"


def replace(rel: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text()
        assert old in text, f"fixture text not found in {rel}: {old!r}"
        path.write_text(text.replace(old, new, count))
    return apply


def write(rel: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return apply


def body_append(rel: str, text: str) -> Callable[[Path], None]:
    """Add a line at the start of the clause body (right after the front matter)."""
    def apply(root: Path) -> None:
        path = root / rel
        head, sep, rest = path.read_text().partition("\n---\n")
        path.write_text(head + sep + text + "\n" + rest)
    return apply


def line_of(root: Path, rel: str, needle: str) -> int:
    for number, line in enumerate((root / rel).read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {rel}")


SMALL_CLAUSE = """---
id: policing.extra
title: Extra Rule
area: policing
provisions: [policing.cite-release]
strength: strongest
sources: [nyc-cjra-2016]
summary: {en: Extra., es: Extra.}
---
1. A law enforcement agency shall cite and release.

## Commentary

This is commentary.
"""

# (name, fault, file, needle on the expected line (None: line 1), severity, exact message or regex)
FAULTS = [
    ("yaml syntax", replace(NO_HOLDS, "strength: strongest", "strength: [strongest"), NO_HOLDS,
     "variant_of", "error", re.compile(r"^YAML syntax error: ")),
    ("unknown field", replace(NO_HOLDS, "order: 200", "order: 200\ncolour: red"), NO_HOLDS,
     "colour", "error", "unknown field 'colour'"),
    ("missing field", replace(NO_HOLDS, "title: Immigration Detainers and Administrative Warrants\n", ""),
     NO_HOLDS, "id: detainers", "error", "missing required field 'title'"),
    ("wrong type", replace(NO_HOLDS, "order: 200", "order: first"), NO_HOLDS, "order:", "error",
     "order: Input should be a valid integer (got 'first')"),
    ("bad enum", replace(NO_HOLDS, "strength: strongest", "strength: mighty"), NO_HOLDS,
     "strength:", "error",
     "strength: Input should be 'strongest', 'strong' or 'baseline' (got 'mighty')"),
    ("id does not match path", replace(NO_HOLDS, "id: detainers.no-holds", "id: detainers.no-hold"),
     NO_HOLDS, "id:", "error", "id 'detainers.no-hold' does not match the file's location"),
    ("duplicate id", lambda r: shutil.copy(r / NO_HOLDS, r / "detainers/zz-copy.md"),
     "detainers/zz-copy.md", "id:", "error",
     re.compile(r"^duplicate id 'detainers.no-holds', also used by .*no-holds.md$")),
    ("undefined variable", body_append(NO_HOLDS, "The {{ nowhere }} rule."), NO_HOLDS,
     "{{ nowhere }}", "error",
     "clause text uses 'nowhere', which is neither a parameter nor a documented variable"),
    ("undeclared variable in a branch",
     body_append(NO_HOLDS, "{% if false %}{{ ghost }}{% endif %}"), NO_HOLDS, "ghost", "error",
     "clause text uses 'ghost', which is neither a parameter nor a documented variable"),
    ("ref to unknown id", body_append(NO_HOLDS, "See {{ ref('detainers.nowhere') }}."), NO_HOLDS,
     "detainers.nowhere", "error",
     "clause text error: ref('detainers.nowhere'): no clause or variant group has that id"),
    ("unknown authority", replace(NO_HOLDS, "authorities: [cfr-8-287-7,", "authorities: [made-up-v-case,"),
     NO_HOLDS, "made-up-v-case", "error", "unknown authority id 'made-up-v-case'"),
    ("cite unknown authority", replace(NO_HOLDS, '{{ cite("cfr-8-287-7") }}', '{{ cite("nobody-v-nothing") }}'),
     NO_HOLDS, "nobody-v-nothing", "error",
     "commentary error: cite('nobody-v-nothing'): no authority has that id"),
    ("unknown provision", replace(NO_HOLDS, "provisions: [detainer.no-hold,", "provisions: [detainer.no-holdz,"),
     NO_HOLDS, "provisions:", "error", "unknown provision id 'detainer.no-holdz'"),
    ("unknown loophole", replace(NO_HOLDS, "opens: []", "opens: [loophole.everything]"), NO_HOLDS,
     "opens:", "error", "unknown loophole id 'loophole.everything'"),
    ("requires unknown", replace(NO_HOLDS, "requires: []", "requires: [structure.nothing]"), NO_HOLDS,
     "requires:", "error", "unknown clause id 'structure.nothing'"),
    ("conflicts unknown", replace(NO_HOLDS, "conflicts: []", "conflicts: [policing.nothing]"), NO_HOLDS,
     "conflicts:", "error", "unknown clause id 'policing.nothing'"),
    ("requires cycle", lambda r: (replace(NO_HOLDS, "requires: []", "requires: [detainers.no-287g]")(r),
                                  replace("detainers/no-287g.md", "requires: []",
                                          "requires: [detainers.no-holds]")(r)),
     NO_HOLDS, "requires:", "error",
     "'requires' forms a cycle: detainers.no-287g -> detainers.no-holds -> detainers.no-287g"),
    ("two defaults", replace("detainers/holds-reimbursed.md", "variant_of: detainer-refusal",
                             "variant_of: detainer-refusal\ndefault: true"),
     NO_HOLDS, "variant_of:", "error",
     "variant group 'detainer-refusal' has 2 defaults (detainers.no-holds, detainers.holds-reimbursed)"),
    ("default not strongest", lambda r: (
        replace(NO_HOLDS, "default: true\n", "")(r),
        replace("detainers/holds-reimbursed.md", "variant_of: detainer-refusal",
                "variant_of: detainer-refusal\ndefault: true")(r)),
     "detainers/holds-reimbursed.md", "default:", "error",
     "the default of variant group 'detainer-refusal' is not 'strongest'"),
    ("dunder access", body_append(NO_HOLDS, "{{ ''.__class__.__mro__ }}"), NO_HOLDS, "__mro__",
     "error", re.compile(r"^clause text refused by the sandbox: access to attribute '__class__'")),
    ("include outside", body_append(NO_HOLDS, "{% include '/etc/passwd' %}"), NO_HOLDS,
     "/etc/passwd", "error",
     "clause text may not include or import: /etc/passwd (clause files cannot include or import other files)"),
    ("import", body_append(NO_HOLDS, "{% import 'secrets.md' as s %}"), NO_HOLDS, "secrets.md",
     "error", re.compile(r"may not include or import: secrets.md")),
    ("string blow-up", body_append(NO_HOLDS, "{{ 'x' * 1000000000 }}"), NO_HOLDS, "1000000000",
     "error", "clause text refused by the sandbox: repetition larger than 10,000 items is not allowed"),
    ("format blow-up", body_append(NO_HOLDS, "{{ '{:>999999999}'.format(1) }}"), NO_HOLDS,
     "999999999", "error", "clause text refused by the sandbox: str.format is not allowed in clause files"),
    ("number blow-up", body_append(NO_HOLDS, "{{ 10 ** 100000 }}"), NO_HOLDS, "100000", "error",
     "clause text refused by the sandbox: exponents above 64 are not allowed in clause files"),
    ("jinja syntax", body_append(NO_HOLDS, "{% if %}broken{% endif %}"), NO_HOLDS, "broken",
     "error", re.compile(r"^clause text syntax error: ")),
    ("no commentary", write("policing/extra.md", SMALL_CLAUSE.split("\n## Commentary")[0] + "\n"),
     "policing/extra.md", "1. A law enforcement", "error", "clause has no commentary"),
    ("missing spanish summary", write("policing/extra.md", SMALL_CLAUSE.replace(", es: Extra.", "")),
     "policing/extra.md", "summary:", "error", "missing required field 'summary.es'"),
    ("param default wrong type", write("policing/extra.md", SMALL_CLAUSE.replace(
        "summary:", "params:\n  days:\n    type: integer\n    default: soon\n    prompt: Days\nsummary:")),
     "policing/extra.md", "days:", "error",
     "params.days: default: expected a whole number, got 'soon'"),
    ("unused param", write("policing/extra.md", SMALL_CLAUSE.replace(
        "summary:", "params:\n  days:\n    type: integer\n    default: 3\n    prompt: Days\nsummary:")),
     "policing/extra.md", "days:", "warning", "parameter 'days' is declared but never used"),
    ("unverified authority", write("policing/extra.md", SMALL_CLAUSE.replace(
        "sources: [nyc-cjra-2016]", "sources: [al-hb56-2011]")),
     "policing/extra.md", "id:", "warning", "cites unverified authority 'al-hb56-2011'"),
    ("definition form", replace("definitions/judicial-warrant.md", '"Judicial warrant" means',
                                '"Judicial warrant" shall mean'),
     "definitions/judicial-warrant.md", '"Judicial warrant"', "error",
     "a definition must begin '\"Judicial warrant\" means' (or 'includes')"),
    # (one whole library: the first of the two files, in load order, names the other)
    ("term defined twice", lambda r: write("definitions/judicial-warrant-copy.md", (
        r / "definitions/judicial-warrant.md").read_text().replace(
        "id: def.judicial-warrant", "id: def.judicial-warrant-copy"))(r),
     "definitions/judicial-warrant.md", "term:", "error",
     re.compile(r"^term 'Judicial warrant' is also defined in .*judicial-warrant-copy.md$")),
    ("preset unknown clause", replace("presets/strong.yaml", "  - policing.schools-limits",
                                      "  - policing.schools-limitz"),
     "presets/strong.yaml", "schools-limitz", "error", "unknown clause id 'policing.schools-limitz'"),
    ("state unknown provision", replace("states/TX.yaml", "bans:\n  - law: tx-sb4-2017\n    provisions:\n",
                                        "bans:\n  - law: tx-sb4-2017\n    provisions:\n      - detainer.everything\n"),
     "states/TX.yaml", "detainer.everything", "error", "unknown provision id 'detainer.everything'"),
    ("unknown lint rule", replace(NO_HOLDS, "status: draft", "status: draft\nlint:\n  R-99: because"),
     NO_HOLDS, "R-99", "error", "unknown lint rule 'R-99'"),
    ("and/or", body_append(NO_HOLDS, "The agency shall notify the person and/or the attorney."),
     NO_HOLDS, "and/or", "warning", "'and/or': 'and/or'"),
    ("undeclared loophole", body_append(
        NO_HOLDS, "This section does not apply if the person has been convicted of a felony."),
     NO_HOLDS, "convicted of a felony", "warning",
     re.compile(r"^text shows loophole.conviction-carveout \(an exception for people with convictions")),
    ("placeholder", body_append(NO_HOLDS, "The [insert agency name] shall act."), NO_HOLDS,
     "[insert", "error", "unresolved placeholder: '[insert agency name]'"),
    ("bullet list", body_append(NO_HOLDS, "- a bullet\n- another\n"), NO_HOLDS, "- a bullet", "error",
     re.compile(r"bullet lists are not allowed in clause text")),
    ("duplicate authority", replace("authorities.yaml", "- id: printz-v-us-1997",
                                    "- id: new-york-v-us-1992"),
     "authorities.yaml", "id: new-york-v-us-1992", "error", "duplicate authority id 'new-york-v-us-1992'"),
]


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    root = tmp_path / "clauses"
    shutil.copytree(builtin_clauses(), root)
    return root


def test_there_are_at_least_thirty_faults() -> None:
    assert len(FAULTS) >= 30


@pytest.mark.parametrize(("name", "fault", "rel", "needle", "severity", "expected"), FAULTS,
                         ids=[f[0] for f in FAULTS])
def test_seeded_fault_is_reported(library_copy: Path, name: str, fault: Callable[[Path], None],
                                  rel: str, needle: str, severity: str, expected: object) -> None:
    fault(library_copy)
    result = api.check(library=library_copy)
    matching = [p for p in result.problems if p.path.endswith(rel)
                and (expected.search(p.message) if isinstance(expected, re.Pattern)
                     else p.message == expected)]
    assert matching, [str(p) for p in result.problems if p.severity != "info"][:8]
    problem = matching[0]
    assert problem.severity == severity
    if name == "duplicate authority":  # the duplicate is the second of the two entries
        return
    assert problem.line == line_of(library_copy, rel, needle), str(problem)
    if severity == "error":
        assert result.errors


def test_faults_exit_1_without_traceback(library_copy: Path) -> None:
    body_append(NO_HOLDS, "{{ ''.__class__.__mro__ }}")(library_copy)
    result = CliRunner().invoke(cli, ["check", "--library", str(library_copy)])
    assert result.exit_code == 1
    assert "no-holds.md:" in result.stderr and "Traceback" not in result.stderr


def test_sandboxed_include_reads_nothing(library_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = open

    def spy(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    body_append(NO_HOLDS, "{% include '/etc/passwd' %}")(library_copy)
    monkeypatch.setattr("builtins.open", spy)
    api.check(library=library_copy)
    assert "/etc/passwd" not in opened
