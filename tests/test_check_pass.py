"""`drafter check` as a lawyer uses it: it checks the library they are in and says which; it
reports every mistake of an overlay in one run, each once, located, in plain words, with a
"did you mean"; files the loader would skip are reported; every preset is built for a city,
a county and a state-level draft; ref() to a variant group names the chosen variant."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import api
from drafter.checks import SAMPLE_JURISDICTIONS, find_library
from drafter.cli import cli
from drafter.resources import builtin_clauses
from tests.conftest import write_tree

KYR = """\
---
id: policing.know-your-rights
title: Know Your Rights Notices
area: policing
provisions: [policing.right-to-declin]
strength: strongest
params:
  languages:
    type: list
    default: [English, Spanish]
    prompt: Languages
  posting_days:
    type: integer
    default: 60
    prompt: Days
sources: [nyc-cjra-2016]
sumary: {en: Notices., es: Avisos.}
---
1. Each covered agency shall post notices in {{ languages | join_and }} within {{ posting_day }} days.
2. See {{ ref("policing.right-to-decline-x") }}.
3. No {{ covered agency }} shall act.

## Commentary

Commentary about the notices.
"""

QUOTE = """\
---
id: policing.quoted
title: "Unclosed title
area: policing
provisions: [policing.cite-release]
strength: strongest
sources: [nyc-cjra-2016]
summary: {en: x, es: y}
---
1. Text.

## Commentary

Commentary.
"""

STATE_ONLY = """\
---
id: policing.state-only
title: State Only
area: policing
provisions: [policing.cite-release]
strength: strongest
sources: [nyc-cjra-2016]
summary: {en: x, es: y}
---
1. A law enforcement agency shall cite and release{% if jurisdiction.kind == 'state' %} \
under {{ ref("structure.implementaton") }}{% endif %}.

## Commentary

Commentary.
"""

GROUP_REF = """\
---
id: policing.group-ref
title: Group Reference
area: policing
provisions: [policing.cite-release]
strength: strongest
sources: [nyc-cjra-2016]
summary: {en: x, es: y}
---
1. A law enforcement agency shall follow {{ ref("detainer-refusal") }} and {{ ref("detainers.holds-reimbursed") }}.

## Commentary

Commentary.
"""


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    lib = write_tree(tmp_path_factory.mktemp("overlay") / "lib", {
        "policing/know-your-rights.md": KYR, "policing/quoted.md": QUOTE,
        "polcing/misfiled.md": KYR, "policing/wrong.markdown": KYR, "root-clause.md": KYR,
    })
    return lib, api.check(library=lib).problems


def test_every_mistake_in_one_run_once_each(mistakes: tuple[Path, list]) -> None:
    lib, problems = mistakes
    kyr = [p for p in problems if p.path.endswith("know-your-rights.md") and p.severity == "error"]
    expected = {  # needle on the line -> message start
        "sumary:": "unknown field 'sumary'",
        "right-to-declin]": "unknown provision id 'policing.right-to-declin'",
        "posting_day }}": "clause text uses 'posting_day', which is neither a parameter",
        "right-to-decline-x": "clause text error: ref('policing.right-to-decline-x'): no clause",
        "covered agency }}": "clause text syntax error: a {{ }} tag holds two words side by side",
    }
    for needle, start in expected.items():
        found = [p for p in kyr if p.message.startswith(start)]
        assert len(found) == 1, (start, [str(p) for p in kyr])
        assert found[0].line == _line(KYR, needle), str(found[0])
        assert found[0].col >= 1
    hints = {p.message.split("'")[1]: p.hint for p in kyr if "'" in p.message}
    assert hints["sumary"].startswith("did you mean 'summary'?")
    assert hints["policing.right-to-declin"].startswith("did you mean 'policing.right-to-decline'?")
    assert hints["posting_day"].startswith("did you mean 'posting_days'?")
    assert hints["policing.right-to-decline-x"].startswith("did you mean 'policing.right-to-decline'?")
    assert not any("end of print statement" in p.message or "Input should" in p.message
                   for p in problems)
    texts = [str(p) for p in problems]
    assert len(texts) == len(set(texts))
    # the unused-parameter warning is true (posting_days is misspelled in the text), and
    # 'languages', used on a line that failed, is not called unused
    unused = [p.message for p in problems if "never used" in p.message and p.path.endswith("know-your-rights.md")]
    assert unused == ["parameter 'posting_days' is declared but never used"]


def test_files_the_loader_skips_are_errors(mistakes: tuple[Path, list]) -> None:
    _lib, problems = mistakes
    by_end = {p.path.rsplit("/", 1)[-1]: p for p in problems if p.severity == "error"}
    assert by_end["polcing"].message.startswith("folder 'polcing/' is not a library folder")
    assert by_end["polcing"].hint.startswith("did you mean 'policing/'?")
    assert by_end["wrong.markdown"].hint == "rename it to wrong.md"
    assert by_end["root-clause.md"].message == ("'policing.know-your-rights' is at the root of "
                                                "the library and is not loaded")
    assert by_end["root-clause.md"].hint == "move it to policing/know-your-rights.md"


def test_unclosed_quote_is_reported_where_it_opens(mistakes: tuple[Path, list]) -> None:
    _lib, problems = mistakes
    quoted = [p for p in problems if p.path.endswith("quoted.md")]
    assert [(p.line, p.col) for p in quoted] == [(_line(QUOTE, "title:"), 8)], [str(p) for p in quoted]
    assert "never closed" in quoted[0].message


def test_state_level_draft_is_built_and_reported_once(tmp_path: Path) -> None:
    assert {s["kind"] for s in SAMPLE_JURISDICTIONS} >= {"city", "county", "state"}
    lib = write_tree(tmp_path / "lib", {"policing/state-only.md": STATE_ONLY})
    problems = [p for p in api.check(library=lib).problems
                if p.severity == "error" and p.path.startswith(str(lib))]
    assert len(problems) == 1, [str(p) for p in problems]
    assert "for a state-level draft" in problems[0].message
    assert "no clause or variant group has that id" in problems[0].message
    assert problems[0].hint.startswith("did you mean 'structure.implementation'?")
    assert problems[0].line == _line(STATE_ONLY, "implementaton")


def test_ref_to_a_variant_group_names_the_chosen_variant(tmp_path: Path) -> None:
    lib = write_tree(tmp_path / "lib", {"policing/group-ref.md": GROUP_REF})
    assert not [p for p in api.check(library=lib).errors if p.path.startswith(str(lib))]
    answers = write_tree(tmp_path, {"a.yaml": "jurisdiction: {name: X, kind: city, state: CA}\n"
                                              "output: {commentary: none}\n"})
    out = tmp_path / "a.md"
    api.build(answers=answers / "a.yaml", output=out, library=lib)
    text = out.read_text()
    line = next(line for line in text.splitlines() if "shall follow" in line)
    # the group's name and a variant the draft did not choose both name the chosen variant
    assert line.count("(#sec-detainers-no-holds)") == 2, line
    heading = next(h for h in text.splitlines() if "sec-detainers-no-holds" in h and "<a id" in h)
    assert heading


def test_check_finds_the_library_it_is_run_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(builtin_clauses(), checkout / "clauses")
    severability = checkout / "clauses/structure/severability.md"
    severability.write_text(severability.read_text().replace("strength: strongest",
                                                             "strength: strongestt", 1))
    (checkout / "docs").mkdir()
    monkeypatch.chdir(checkout / "docs")
    assert find_library(Path.cwd()) == checkout / "clauses"
    result = CliRunner().invoke(cli, ["check", "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    # a whole library (with its taxonomy) is checked in place of the installed one
    assert data["library"].startswith("the library at ") and data["library"].endswith("clauses")
    assert any(p["path"].endswith("severability.md") and "strongestt" in p["message"]
               for p in data["problems"])
    text = CliRunner().invoke(cli, ["check"])
    assert text.stderr.startswith("checking ")
