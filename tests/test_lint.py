from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from drafter.lint import RULES, Target, detect_loopholes, lint, mask_jinja

ROOT = Path(__file__).resolve().parents[1]


def _doc_module():
    spec = importlib.util.spec_from_file_location("make_lint_docs", ROOT / "scripts" / "make_lint_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_page_is_current() -> None:
    assert (ROOT / "docs" / "lint-rules.md").read_text() == _doc_module().render(), \
        "run python scripts/make_lint_docs.py"


def test_at_least_twenty_rules() -> None:
    assert len(RULES) >= 20


@pytest.mark.parametrize("rule", [r for r in RULES if r.pattern is not None], ids=lambda r: r.id)
def test_each_rule_fires_on_its_example(rule) -> None:  # noqa: ANN001
    # as drafter check reads a clause: prose with its Jinja masked, and the source beside it
    target = Target(mask_jinja(rule.example), "c.md", 1, {}, definition=rule.id == "R-23",
                    source=rule.example)
    assert rule.id in {p.rule for p in lint(target)}


def test_a_report_to_the_oversight_body_is_not_flagged_and_one_to_the_governing_body_is() -> None:
    def r43(source: str) -> list[tuple[int, int]]:
        return [(p.line, p.col) for p in lint(Target(mask_jinja(source), "c.md", 7, {}, source=source))
                if p.rule == "R-43"]

    assert not r43("1. Each agency shall report each year to the {{ jurisdiction.oversight_body }}.")
    assert not r43("1. No agency may sign it unless the {{ jurisdiction.governing_body }} approves it.")
    assert r43("Intro.\n2. Each agency shall certify in writing to the {{ jurisdiction.governing_body }} that "
               "it has adopted the policies.") == [(8, 22)]


def test_silenced_rule() -> None:
    assert not [p for p in lint(Target("notify A and/or B.", "c.md", 1, {"R-01": "quoted law"}))
                if p.rule == "R-01"]


def test_long_sentence() -> None:
    found = lint(Target(" ".join(["word"] * 70) + ".", "c.md", 3, {}))
    assert [p.rule for p in found] == ["R-26"] and found[0].line == 3


def test_locations_are_line_and_column() -> None:
    [problem] = [p for p in lint(Target("First line.\nThe said agency acts.", "c.md", 10, {}))
                 if p.rule == "R-02"]
    assert (problem.line, problem.col) == (11, 1)


def test_jinja_is_masked() -> None:
    assert mask_jinja("a {{ x }} b\n{% if y %}") == "a" + " " * 9 + "b\n" + " " * 10


@pytest.mark.parametrize(("text", "loophole"), [
    ("The sheriff shall not honor a detainer unless the person has been convicted of a felony.",
     "loophole.conviction-carveout"),
    ("The County shall decline detainers unless ICE agrees to reimburse all costs.",
     "loophole.reimbursement-condition"),
    ("Nothing in this chapter prohibits any officer from sharing information with ICE.",
     "loophole.broad-savings-clause"),
    ("Officers are encouraged to decline immigration holds.", "loophole.non-binding"),
    ("The jail may notify ICE of a release date only if the person is on the list.",
     "loophole.notification-gap"),
    ("This ordinance does not create a private right of action.", "loophole.no-enforcement"),
])
def test_loophole_patterns(text: str, loophole: str) -> None:
    assert loophole in detect_loopholes(text)


def test_narrow_savings_clause_is_not_a_loophole() -> None:
    text = ("Nothing in this chapter prohibits any officer from sending to federal authorities "
            "information regarding the citizenship or immigration status of an individual.")
    assert "loophole.broad-savings-clause" not in detect_loopholes(text)
