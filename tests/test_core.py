"""The in-memory core (drafter.build -> Draft.render): the same bytes from every entry point,
located errors from files and from mappings, and the adapters built on it."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import drafter
from drafter.cli import cli
from drafter.errors import DrafterError

from .conftest import MINIMAL_ANSWERS, write_tree

SPRINGFIELD = {"jurisdiction": {"name": "Springfield", "kind": "city", "state": "IL",
                                "police": "Springfield Police Department"},
               "preset": "strongest", "output": {"date": dt.date(2026, 1, 15)}}


def test_build_from_a_mapping_renders_every_format(library) -> None:  # noqa: ANN001
    draft = drafter.build(SPRINGFIELD, library=library)
    docx = draft.render("docx")
    assert zipfile.ZipFile(io.BytesIO(docx)).testzip() is None
    md = draft.render("md").decode("utf-8")
    assert "Springfield" in md and "SECTION 1" in md.upper()
    assert draft.render("html").startswith(b"<!DOCTYPE html") or b"<html" in draft.render("html")
    assert b"Springfield" in draft.render("txt")
    assert "detainers.no-holds" in draft.clauses
    assert draft.scorecard()["jurisdiction"] == "Springfield"
    assert draft.factsheet("es", "md").decode("utf-8") != draft.factsheet("en", "md").decode("utf-8")
    assert b"Table of Authorities" in draft.memo("md")


def test_same_bytes_from_cli_file_api_and_mapping(tmp_path: Path, library) -> None:  # noqa: ANN001
    answers = write_tree(tmp_path, {"a.yaml": MINIMAL_ANSWERS}) / "a.yaml"
    result = CliRunner().invoke(cli, ["build", str(answers), "-o", str(tmp_path / "cli"),
                                      "-f", "docx", "-f", "md"])
    assert result.exit_code == 0, result.output
    from_file = drafter.build(drafter.read_answers(answers), library=library)
    from_dict = drafter.build(SPRINGFIELD, library=library)
    for fmt in ("docx", "md"):
        cli_bytes = (tmp_path / f"cli.{fmt}").read_bytes()
        assert from_file.render(fmt) == cli_bytes, fmt
        assert from_dict.render(fmt) == cli_bytes, fmt


def test_docx_bytes_do_not_depend_on_the_clock(library) -> None:  # noqa: ANN001
    first = drafter.build(SPRINGFIELD, library=library).render("docx")
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert stamps == {(2026, 1, 15, 0, 0, 0)}


def test_mapping_errors_name_the_field_never_pydantic(library) -> None:  # noqa: ANN001
    bad = {"jurisdiction": {"name": "X", "kind": "city", "state": "Calfornia", "colour": "red"},
           "output": {"date": "not a date"}}
    with pytest.raises(DrafterError) as info:
        drafter.build(bad, library=library)
    fields = {p.field for p in info.value.problems}
    assert fields == {"output.date"}  # dates are checked first, as JSON text
    bad["output"] = {"date": "2026-01-15"}
    with pytest.raises(DrafterError) as info:
        drafter.build(bad, library=library)
    by_field = {p.field: p for p in info.value.problems}
    assert set(by_field) == {"jurisdiction.state", "jurisdiction.colour"}
    assert "unknown field" in by_field["jurisdiction.colour"].message
    assert "pydantic" not in str(info.value) and "Input should" not in by_field["jurisdiction.colour"].message
    assert str(by_field["jurisdiction.state"]).startswith("answers:jurisdiction.state: error:")


def test_resolve_errors_from_a_mapping_name_the_field(library) -> None:  # noqa: ANN001
    with pytest.raises(DrafterError) as info:
        drafter.build({**SPRINGFIELD, "preset": "strongestt"}, library=library)
    assert [p.field for p in info.value.problems] == ["preset"]


def test_file_errors_keep_line_and_column(tmp_path: Path, library) -> None:  # noqa: ANN001
    path = write_tree(tmp_path, {"a.yaml": MINIMAL_ANSWERS.replace("preset: strongest",
                                                                   "preset: strongestt")}) / "a.yaml"
    with pytest.raises(DrafterError) as info:
        drafter.build(drafter.read_answers(path), library=library)
    (problem,) = info.value.problems
    assert (problem.line, problem.col, problem.field) == (6, 9, "preset")
    with pytest.raises(DrafterError) as info:
        drafter.parse_answers("jurisdiction:\n  name: X\n  kind: city\n  state: ZZ\n", name="up.yaml")
    (problem,) = info.value.problems
    assert (problem.path, problem.line) == ("up.yaml", 4)


def test_answers_from_a_mapping_cannot_name_files(library) -> None:  # noqa: ANN001
    with pytest.raises(DrafterError) as info:
        drafter.build({**SPRINGFIELD, "library": "/etc"})
    assert info.value.problems[0].field == "library"
    current = {**SPRINGFIELD, "jurisdiction": {**SPRINGFIELD["jurisdiction"], "code": {
        "title": "2", "chapter": "2.90", "chapter_title": "Safety", "current": "/etc/passwd"}}}
    with pytest.raises(DrafterError) as info:
        drafter.build(current, library=library)
    assert info.value.problems[0].field == "jurisdiction.code.current"
    text = "2.90.010 Old.\nThe old text.\n"
    draft = drafter.build(current, library=library, options={"current_code": text})
    assert "underlined" in draft.render("md").decode() or draft.lines is not None


def test_options_carry_the_state_law_switches(library) -> None:  # noqa: ANN001
    texas = {"jurisdiction": {"name": "Austin", "kind": "city", "state": "TX"},
             "output": {"date": "2026-01-15"}}
    plain = drafter.build(texas, library=library)
    kept = drafter.build(texas, library=library, options={"allow_preempted": True,
                                                          "as_of": "2026-01-15"})
    assert set(plain.clauses) < set(kept.clauses)
    with pytest.raises(DrafterError) as info:
        drafter.build(texas, library=library, options={"allow_prempted": True})
    assert "allow_preempted" in info.value.problems[0].hint


def test_batch_base_answers_with_a_date(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "base.yaml": """
            jurisdiction: {name: X, kind: city, state: CA}
            output: {commentary: none, date: 2026-01-15}
            """,
        "p.csv": "name,kind,state\nSpringfield,city,IL\nFresno,county,CA\n"})
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "p.csv"), "-o", str(tmp_path / "out"),
                                      "--answers", str(tmp_path / "base.yaml"), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == [
        "fresno-county-ca.docx", "springfield-city-il.docx"]


def test_batch_row_errors_name_the_field(tmp_path: Path) -> None:
    write_tree(tmp_path, {"p.csv": "name,kind,state\nSpringfield,city,Illinois\nX,City,ZZ\n"})
    CliRunner().invoke(cli, ["batch", str(tmp_path / "p.csv"), "-o", str(tmp_path / "out"), "-j", "1",
                             "-q"])
    import json

    rows = json.loads((tmp_path / "out" / "report.json").read_text())["rows"]
    assert rows[0]["status"] == "built"  # a state name is accepted
    (error,) = rows[1]["errors"]
    assert error.endswith("p.csv: row 3: jurisdiction.state: 'ZZ' is not a US state code; use two "
                          "letters, e.g. CA"), error


def test_public_api_is_lazy() -> None:
    code = ("import sys, drafter\n"
            "assert callable(drafter.build) and drafter.DrafterError\n"
            "print('HEAVY', [m for m in ('docx', 'pydantic', 'jinja2') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout
