from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli

from .conftest import MINIMAL_ANSWERS, write_tree


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_version_and_help(runner: CliRunner) -> None:
    assert run(runner, "--version").output.startswith("drafter, version ")
    result = run(runner, "--help")
    assert result.exit_code == 0 and "build" in result.output and "check" in result.output


def test_build_writes_docx_and_md(runner: CliRunner, answers_file: Path) -> None:
    out = answers_file.parent / "draft.docx"
    result = run(runner, "build", answers_file, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.exists() and "wrote" in result.output
    md = answers_file.parent / "draft.md"
    assert run(runner, "build", answers_file, "-o", md).exit_code == 0
    assert "ORDINANCE NO." in md.read_text()


def test_build_default_outputs_next_to_answers(runner: CliRunner, answers_file: Path) -> None:
    result = run(runner, "build", answers_file)
    assert result.exit_code == 0
    assert answers_file.with_suffix(".docx").exists() and answers_file.with_suffix(".md").exists()


def test_never_overwrites_without_force(runner: CliRunner, answers_file: Path) -> None:
    out = answers_file.parent / "draft.docx"
    out.write_bytes(b"precious")
    result = run(runner, "build", answers_file, "-o", out)
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert out.read_bytes() == b"precious"
    assert run(runner, "build", answers_file, "-o", out, "--force").exit_code == 0
    assert out.read_bytes() != b"precious"


# line: where the first problem is reported (MINIMAL_ANSWERS starts with an empty line)
BAD_ANSWERS = [
    ("missing file", None, "file not found", 0),
    ("yaml syntax", "jurisdiction:\n  name: [Springfield\n  kind: city\n", "YAML syntax error", 3),
    ("unknown key", MINIMAL_ANSWERS + "colour: red\n", "unknown field 'colour'", 10),
    ("missing field", "jurisdiction:\n  kind: city\n  state: IL\n",
     "missing required field 'jurisdiction.name'", 1),
    ("wrong type", "jurisdiction:\n  name: X\n  kind: city\n  state: IL\n  runs_jail: maybe\n",
     "jurisdiction.runs_jail", 5),
    ("bad state", "jurisdiction:\n  name: X\n  kind: city\n  state: ZZ\n", "not a US state code", 4),
    ("unknown clause", MINIMAL_ANSWERS + "include: [detainers.no-such-thing]\n",
     "unknown clause id 'detainers.no-such-thing'", 10),
    ("conflicting variants", MINIMAL_ANSWERS
     + "include: [detainers.holds-reimbursed, detainers.no-holds]\n",
     "alternatives in variant group", 10),
    ("bad param", MINIMAL_ANSWERS + "params:\n  structure.effective-date:\n    effective_days: -4\n",
     "below the minimum", 12),
    ("unknown param", MINIMAL_ANSWERS + "params:\n  structure.effective-date:\n    days: 4\n",
     "has no parameter 'days'", 12),
    ("unknown preset", MINIMAL_ANSWERS.replace("strongest", "bravest"), "unknown preset", 7),
    ("not a mapping", "- just\n- a list\n", "expected a mapping", 1),
]


@pytest.mark.parametrize(("name", "text", "message", "line"), BAD_ANSWERS,
                         ids=[b[0] for b in BAD_ANSWERS])
def test_bad_answers_give_located_errors(runner: CliRunner, tmp_path: Path, name: str,
                                         text: str | None, message: str, line: int) -> None:
    answers = tmp_path / "answers.yaml"
    if text is not None:
        answers.write_text(text)
    result = run(runner, "build", answers, "-o", tmp_path / "out.docx")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.output
    first = result.stderr.splitlines()[0]
    shown = first.split(": ", 1)[0]  # path[:line[:col]]
    assert shown.split(":")[0].endswith("answers.yaml"), first
    located = shown.split(":")[1:]
    assert (int(located[0]) if located else 0) == line, first
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out.docx").exists()


def test_conflicts_from_library_overlay(runner: CliRunner, tmp_path: Path) -> None:
    lib = write_tree(tmp_path / "lib", {"policing/quiet-hours.md": """
        ---
        id: policing.quiet-hours
        title: Quiet Hours
        area: policing
        provisions: [policing.civil-infractions]
        strength: strongest
        conflicts: [policing.street-vending]
        sources: [nyc-cjra-2016]
        summary: {en: Quiet., es: Silencio.}
        ---
        1. A law enforcement agency shall enforce quiet hours only by civil citation.

        ## Commentary

        Test.
        """})
    answers = write_tree(tmp_path, {"a.yaml": MINIMAL_ANSWERS}) / "a.yaml"
    result = run(runner, "build", answers, "--library", lib, "-o", tmp_path / "o.docx")
    assert result.exit_code == 1
    assert "'policing.quiet-hours' conflicts with 'policing.street-vending'" in result.stderr


def test_clauses_list_and_show_json(runner: CliRunner) -> None:
    result = run(runner, "clauses", "list", "--json")
    records = json.loads(result.output)
    assert {"id", "title", "area", "provisions", "strength", "variant_of", "authorities",
            "sources", "summary"} <= set(records[0])
    assert {"en", "es"} == set(records[0]["summary"])
    shown = json.loads(run(runner, "clauses", "show", "detainers.no-holds", "--json").output)
    assert shown["id"] == "detainers.no-holds" and shown["text"] and shown["commentary"]
    table = run(runner, "clauses", "list", "--area", "policing")
    assert "policing.cite-release-all" in table.output


def test_clauses_show_unknown(runner: CliRunner) -> None:
    result = run(runner, "clauses", "show", "detainers.no-hold")
    assert result.exit_code == 1 and "did you mean" in result.stderr


def test_check_builtin_library_is_clean(runner: CliRunner) -> None:
    result = run(runner, "check", "--strict", "--json")
    data = json.loads(result.output)
    assert result.exit_code == 0, data["problems"][:5]
    assert data["errors"] == 0 and data["warnings"] == 0


def test_check_reports_a_broken_overlay(runner: CliRunner, tmp_path: Path) -> None:
    lib = write_tree(tmp_path, {"detainers/bad.md": """
        ---
        id: detainers.bad
        title: Bad
        area: detainers
        provisions: [detainer.no-hold]
        strength: strongest
        sources: [nyc-ll-2014-58]
        summary: {en: Bad., es: Malo.}
        ---
        1. A covered agency shall not {{ ''.__class__.__mro__ }}.

        ## Commentary

        See {{ ref("detainers.nowhere") }}.
        """})
    result = run(runner, "check", "--library", lib, "--json")
    data = json.loads(result.output)
    assert result.exit_code == 1
    messages = [(p["line"], p["message"]) for p in data["problems"]]
    assert any(line == 10 and "sandbox" in m for line, m in messages), messages
    assert any(line == 14 and "detainers.nowhere" in m for line, m in messages), messages


def test_usage_error_exit_code(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["build"]).exit_code == 2


def test_help_imports_nothing_heavy() -> None:
    code = ("import sys; from drafter.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('docx', 'jinja2', 'pydantic', 'ruamel.yaml', 'rich', 'lxml',"
            " 'markdown_it') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_analyze_says_a_missing_protection_may_only_be_unrecognized(runner: CliRunner, tmp_path: Path) -> None:
    """On published law it has not seen the analyzer finds about half of what is there
    (docs/analyzer-accuracy.md), so 'what to ask for' must not read as a certainty."""
    policy = Path(__file__).parent / "corpus" / "policies" / "22-welcoming-city-with-carveouts.txt"
    result = runner.invoke(cli, ["analyze", str(policy), "-o", str(tmp_path / "memo.md")])
    assert result.exit_code == 0
    assert "can miss a protection written in words it does not know" in result.output
    memo = (tmp_path / "memo.md").read_text()
    lacks = memo.split("Protections it lacks", 1)[1]
    assert "check the policy for each one before asking for it" in lacks
