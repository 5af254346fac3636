"""Organizer tools: the wizard, batches, fact sheets and the scorecard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as open_docx
from ruamel.yaml import YAML

from drafter import api
from drafter.cli import cli

from .conftest import ROOT

# Answers in the order the wizard asks them.
BASIC = ["Springfield", "city", "il", "", "", "", "", "n", "1", "n", "", "annotated"]


def wizard(runner: CliRunner, tmp_path: Path, answers: list[str], *args: str):
    out = tmp_path / "answers.yaml"
    result = runner.invoke(cli, ["new", "-o", str(out), *args], input="\n".join(answers) + "\n",
                           catch_exceptions=False)
    return result, out


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text())


def test_wizard_defaults_and_build(runner: CliRunner, tmp_path: Path) -> None:
    result, out = wizard(runner, tmp_path, [*BASIC, "y"])
    assert result.exit_code == 0, result.output
    data = load(out)
    assert data["jurisdiction"] == {"name": "Springfield", "kind": "city", "state": "IL",
                                    # governing_body comes from the jurisdiction form, not the answers file
                                    "police": "Springfield Police Department", "sheriff": None,
                                    "runs_jail": False}
    assert data["preset"] == "strongest" and data["include"] == []
    assert "# drafter answers file" in out.read_text()
    assert out.with_suffix(".docx").exists() and "Illinois (law checked" in result.output


def test_wizard_code_chapter_variants_and_preset(runner: CliRunner, tmp_path: Path) -> None:
    # Oregon law already forbids holds, release notices, jail interviews and a broad savings
    # clause, so those groups offer no weaker choice; six groups are asked.
    answers = ["Lane", "county", "OR", "Board of Commissioners", "", "Lane County Sheriff", "y",
               "y", "2", "2.90", "Welcoming County", "2", "y",
               "2", "1", "1", "1", "1", "2", "Lane County Police Auditor", "comments", "n"]
    result, out = wizard(runner, tmp_path, answers)
    assert result.exit_code == 0, result.output
    data = load(out)
    assert data["jurisdiction"]["code"] == {"title": "2", "chapter": "2.90",
                                            "chapter_title": "Welcoming County"}
    assert data["jurisdiction"]["runs_jail"] is True
    assert data["preset"] == "strong" and data["output"]["commentary"] == "comments"
    assert data["include"] == ["policing.cite-release-listed", "information.surveillance-contracts"]
    # the office the complaints section names is asked for, not left at the library's suggestion
    assert data["params"] == {"structure.independent-complaints": {"complaint_body": "Lane County Police Auditor"}}
    assert "Release Information" not in result.output  # no variant below Oregon's floor is offered
    assert not out.with_suffix(".docx").exists()
    api.build(answers=out)  # what the wizard writes builds


def test_wizard_shows_state_law_at_once(runner: CliRunner, tmp_path: Path) -> None:
    result, _ = wizard(runner, tmp_path, ["Austin", "city", "TX", *BASIC[3:], "n"])
    assert "Texas" in result.output and "still open" in result.output


def test_wizard_rejects_a_bad_state_and_asks_again(runner: CliRunner, tmp_path: Path) -> None:
    # a typo gets a suggestion; "no" asks again; a state's name is accepted
    result, out = wizard(runner, tmp_path, ["Springfield", "city", "Calfornia", "n", "Illinois",
                                            *BASIC[3:], "n"])
    assert result.exit_code == 0 and "Did you mean California (CA)?" in result.output
    assert load(out)["jurisdiction"]["state"] == "IL"


def test_new_no_input(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "t.yaml"
    result = runner.invoke(cli, ["new", "--no-input", "--name", "Carrboro", "--kind", "town",
                                 "--state", "nc", "-o", str(out), "--build"])
    assert result.exit_code == 0, result.output
    assert load(out)["jurisdiction"]["state"] == "NC"
    assert out.with_suffix(".docx").exists()
    again = runner.invoke(cli, ["new", "--no-input", "--name", "X", "--kind", "town",
                                "--state", "nc", "-o", str(out)])
    assert again.exit_code == 1 and "already exists" in again.stderr
    missing = runner.invoke(cli, ["new", "--no-input", "--name", "X"])
    assert missing.exit_code == 2 and "--kind" in missing.output


CSV = ("name,kind,state,police,preset,code.chapter,code.title,code.chapter_title,"
       "params.structure.effective-date.effective_days\n") + """Springfield,city,IL,Springfield Police Department,,,,,45
Travis,county,TX,,,,,,
Bogus,metropolis,CA,,,,,,
Eugene,city,OR,Eugene Police Department,strong,2.500,2,Sanctuary,
Lane,county,OR,,jail-county,,,,soon
"""


def test_batch_good_and_bad_rows(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "places.csv"
    table.write_text(CSV)
    out = tmp_path / "drafts"
    result = runner.invoke(cli, ["batch", str(table), "-o", str(out), "-j", "2"])
    assert result.exit_code == 1
    report = json.loads((out / "report.json").read_text())
    # Eugene's 'strong' preset picks variants below Oregon's floor: swapped, with a warning
    assert report["summary"] == {"built": 1, "warned": 2, "failed": 2}
    by_row = {r["row"]: r for r in report["rows"]}
    assert by_row[2]["status"] == "built" and by_row[2]["output"] == "springfield-city-il.docx"
    assert by_row[3]["status"] == "warned" and "Texas" in by_row[3]["warnings"][0]
    assert by_row[5]["status"] == "warned" and any("Oregon" in w for w in by_row[5]["warnings"])
    assert by_row[4]["status"] == "failed" and "row 4: jurisdiction.kind" in by_row[4]["errors"][0]
    assert "row 6" in by_row[6]["errors"][0] and "whole number" in by_row[6]["errors"][0]
    assert (out / "eugene-city-or.docx").exists() and (out / "report.txt").exists()
    eugene = open_docx(str(out / "eugene-city-or.docx"))
    assert any("Chapter 2.500" in p.text for p in eugene.paragraphs)
    springfield = (out / "springfield-city-il.docx")
    text = "\n".join(p.text for p in open_docx(str(springfield)).paragraphs)
    assert "forty-five (45) days" in text
    assert "row 4" in result.stderr


def test_batch_with_base_answers_and_missing_columns(runner: CliRunner, tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text("jurisdiction: {name: X, kind: city, state: CA}\noutput: {commentary: none}\n")
    table = tmp_path / "p.csv"
    table.write_text("name,kind,state\nAlbany,city,CA\n")
    out = tmp_path / "o"
    result = runner.invoke(cli, ["batch", str(table), "-o", str(out), "--answers", str(base),
                                 "-j", "1", "-f", "md", "-q"])
    assert result.exit_code == 0, result.stderr
    assert "Commentary" not in (out / "albany-city-ca.md").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("name,state\nAlbany,CA\n")
    result = runner.invoke(cli, ["batch", str(bad), "-o", str(out)])
    assert result.exit_code == 1 and "missing column(s): kind" in result.stderr


@pytest.mark.parametrize("lang", ["en", "es"])
def test_factsheet(runner: CliRunner, tmp_path: Path, lang: str) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text((ROOT / "samples" / "oakland-ca.yaml").read_text())
    result = runner.invoke(cli, ["factsheet", str(answers), "--lang", lang])
    assert result.exit_code == 0, result.output
    md = (tmp_path / f"a-factsheet-{lang}.md").read_text()
    docx = tmp_path / f"a-factsheet-{lang}.docx"
    assert docx.exists()
    headings = {"en": ["What changes for residents", "What it cannot stop", "How to get involved",
                       "What the police will and will not do"],  # Oakland runs no jail
                "es": ["Qué cambia para los vecinos", "Lo que no puede impedir", "Cómo participar",
                       "Lo que la policía hará y no hará"]}[lang]
    for heading in headings:
        assert heading in md
    assert ("22 de noviembre de 2026" in md) if lang == "es" else ("November 22, 2026" in md)
    assert len(md.split()) < 800  # one page
    if lang == "es":
        assert "inmigración" in md and "the " not in md.lower().replace("\\_", "")


def test_factsheet_for_preempted_state_is_honest(tmp_path: Path) -> None:
    out = tmp_path / "f.md"
    api.factsheet(answers=ROOT / "samples" / "austin-tx.yaml", output=out, lang="en")
    text = out.read_text()
    assert "State law in Texas limits" in text and "keeps local police" not in text


def test_score(runner: CliRunner) -> None:
    strongest = json.loads(runner.invoke(cli, ["score", str(ROOT / "samples" / "oakland-ca.yaml"),
                                               "--json"]).output)
    assert strongest["overall"]["percent"] == 100 and strongest["loopholes"] == []
    baseline = json.loads(runner.invoke(cli, ["score", str(ROOT / "samples" / "fresno-county-ca.yaml"),
                                              "--json"]).output)
    opened = {item["id"] for item in baseline["loopholes"]}
    # baseline is California's floor: release notices for a closed list, the narrow savings clause
    assert {"loophole.conviction-carveout", "loophole.notification-gap"} <= opened
    assert "loophole.broad-savings-clause" not in opened
    assert "access.courthouses" in baseline["areas"]["access"]["missing"]
    table = runner.invoke(cli, ["score", str(ROOT / "samples" / "fresno-county-ca.yaml")])
    assert table.exit_code == 0 and "opens loophole.notification-gap" in table.output
    texas = json.loads(runner.invoke(cli, ["score", str(ROOT / "samples" / "austin-tx.yaml"),
                                           "--json"]).output)
    # the Austin sample asks for strongest; Texas SB 4 withholds the detainer and access sections
    assert "detainers.no-holds" in texas["withheld_by_state_law"] and texas["overall"]["percent"] < 60
