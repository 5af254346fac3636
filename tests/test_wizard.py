"""`drafter new` driven as an organizer would type, through CliRunner input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli
from drafter.lookup import find_state


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _new(*args: str, input: str):  # noqa: A002, ANN202
    return CliRunner().invoke(cli, ["new", *args], input=input)


@pytest.mark.parametrize(("typed", "code"), [("Illinois", "IL"), ("illinois", "IL"), ("il", "IL"),
                                             ("North Carolina", "NC"), ("Tx.", "TX")])
def test_state_names_are_accepted(typed: str, code: str) -> None:
    assert find_state(typed).code == code


@pytest.mark.parametrize(("typed", "code"), [("Calfornia", "CA"), ("Ilinois", "IL"),
                                             ("Misisipi", "MS"), ("New Yrok", "NY")])
def test_typos_get_a_suggestion(typed: str, code: str) -> None:
    match = find_state(typed)
    assert match.code == "" and match.suggestions[0] == code


def test_interview_to_the_end_with_names_and_typos(here: Path) -> None:
    typed = "\n".join([
        "Springfield, Illinois",  # name with the state: normalized away
        "City",                   # kind in capitals
        "Calfornia", "n",         # a typo, and "no, not California"
        "Illinois",               # a state name
        "",                       # governing body: the default
        "", "",                   # police (default), sheriff (none)
        "yeah",                   # runs a jail? "yeah" is yes
        "nope",                   # no code chapter
        "",                       # preset 1
        "n",                      # no alternatives
        "",                       # who receives complaints: the suggestion, to be confirmed
        "none",                   # commentary
        "n",                      # do not build now
    ]) + "\n"
    result = _new(input=typed)
    assert result.exit_code == 0, result.output
    assert "Did you mean California (CA)?" in result.output
    text = (here / "springfield-il.yaml").read_text()
    assert 'name: "Springfield"' in text and "state: IL" in text
    assert "runs_jail: true" in text and "commentary: none" in text
    assert 'police: "Springfield Police Department"' in text


def test_existing_file_is_asked_about_before_the_questions_go_on(here: Path) -> None:
    (here / "springfield-il.yaml").write_text("keep me\n")
    # name, kind, state; then "overwrite? n" comes before the governing body question
    result = _new(input="Springfield\ncity\nIL\nn\n")
    assert "springfield-il.yaml already exists. Overwrite it?" in result.output
    assert result.output.index("Overwrite it?") < result.output.index("Governing body")
    assert "springfield-il-2.yaml" in result.output
    assert (here / "springfield-il.yaml").read_text() == "keep me\n"


def test_given_output_is_checked_before_the_first_question(here: Path) -> None:
    (here / "mine.yaml").write_text("keep me\n")
    result = _new("-o", "mine.yaml", input="Springfield\n")
    assert result.exit_code == 1
    assert "file already exists" in result.output and "Name of the city" not in result.output


def test_ctrl_c_saves_and_resume_continues(here: Path) -> None:
    # stop (end of input, as Ctrl-C) after the police question
    result = _new(input="Sangamon County\ncounty\nIL\n\nSangamon County Sheriff's Office\n")
    assert result.exit_code == 130
    saved = here / "sangamon-il.yaml"
    text = saved.read_text()
    assert text.startswith("# drafter new: INCOMPLETE")
    assert "name: Sangamon\n" in text  # normalized: no "County County"
    assert "drafter new --resume sangamon-il.yaml" in result.output
    # resume: the saved answers are not asked again
    result = _new("--resume", "sangamon-il.yaml", "--no-build",
                  input="\n".join(["", "y", "n", "", "n", "", "annotated"]) + "\n")
    assert result.exit_code == 0, result.output
    assert "Name: Sangamon  (saved answer)" in result.output
    assert "Name of the city" not in result.output
    final = saved.read_text()
    assert "INCOMPLETE" not in final and "kind: county" in final and "runs_jail: true" in final
    # a complete file has nothing to resume
    result = _new("--resume", "sangamon-il.yaml", input="")
    assert result.exit_code == 1 and "this answers file is complete" in result.output


def test_resume_keeps_a_blank_answer_and_the_office_named(here: Path) -> None:
    # no sheriff (a blank answer) and a complaints body, then stop before the commentary question
    result = _new(input="\n".join(["Springfield", "city", "IL", "", "", "", "n", "n", "1", "n",
                                   "Civilian Review Board"]) + "\n")
    assert result.exit_code == 130
    result = _new("--resume", "springfield-il.yaml", "--no-build", input="none\n")
    assert result.exit_code == 0, result.output
    assert "Sheriff's office (blank if none)" not in result.output  # answered blank, not asked again
    assert "Civilian Review Board  (saved answer)" in result.output
    final = (here / "springfield-il.yaml").read_text()
    assert "commentary: none" in final and 'complaint_body: "Civilian Review Board"' in final


def test_no_input_accepts_a_state_name_and_suggests(here: Path) -> None:
    result = _new("--no-input", "--name", "Austin", "--kind", "city", "--state", "Texas", input="")
    assert result.exit_code == 0, result.output
    assert "preset: preemption-safe" in (here / "austin-tx.yaml").read_text()
    result = _new("--no-input", "--name", "Fresno", "--kind", "county", "--state", "Calfornia",
                  input="")
    assert result.exit_code == 1 and "did you mean California (CA)?" in result.output
