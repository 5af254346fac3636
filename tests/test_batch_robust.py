"""``drafter batch`` never loses a row (issue 16; review part 5, S4): any row fails alone at
its true CSV line, the report has one entry per data row and is written however the run
ends, and output names are unique and stable for any Unicode name."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import batch
from drafter.batch import slug, transliterate, unique_slugs
from drafter.cli import cli

HOSTILE = [  # review variant A and B rows, condensed
    "L" * 300, "東京", "大阪", "Dupville", "dupville!", "Dupville", "Evil\u2028Sep", "Bad\nNewline",
    "Tab\vSplit", "../../tmp/x", "/etc/cron.d/p5-escape", "..", "Zero\x00Width", "Ünïcödé", "🏛 Hall",
    "Straße", "O'Brien", "Ærøskøbing", "Αθήνα", "",
]


def _csv(names: list[str], good: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "kind", "state"])
    for i in range(good):
        writer.writerow([f"Goodtown {i}", "city", "CA"])
        if i < len(names):
            writer.writerow([names[i], "city", "CA" if i % 7 else "ZZ"])
    return out.getvalue()


def _starts(text: str) -> list[int]:
    """The physical line each data row starts on, counted here by hand, not with csv."""
    starts, line, quoted, at_start = [], 1, False, True
    for index, char in enumerate(text):
        if at_start and not quoted and line > 1:
            starts.append(line)
        at_start = False
        if char == '"':
            quoted = not quoted
        elif char == "\n":
            line += 1
            at_start = not quoted and index + 1 < len(text)
    return starts


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_hostile_batch_keeps_every_row_at_its_line(tmp_path: Path, jobs: str) -> None:
    text = _csv(HOSTILE, len(HOSTILE))
    (tmp_path / "j.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "j.csv"), "-o", str(out), "-j", jobs,
                                      "-q", "-f", "md"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    rows = json.loads((out / "report.json").read_text())["rows"]
    assert [r["row"] for r in rows] == _starts(text)  # one per data row, at its physical line
    assert len(rows) == 2 * len(HOSTILE)
    names = [r["output"] for r in rows if r["output"]]
    assert len(names) == len(set(names)) == len(list(out.glob("*.md")))
    assert all(name.isascii() and len(name.encode()) < 255 for name in names)
    assert sum(r["status"] == "failed" for r in rows) >= 4  # ZZ states, \v, NUL, empty name
    assert all(r["status"] in ("built", "warned") for r in rows if r["name"].startswith("Goodtown"))
    report_txt = (out / "report.txt").read_text()
    assert report_txt.count("\nrow ") == len(rows)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.csv", "out"]  # nothing outside -o
    again = CliRunner().invoke(cli, ["batch", str(tmp_path / "j.csv"), "-o", str(out), "-j", jobs,
                                     "-q", "-f", "md", "--force"])
    assert again.exit_code == 1
    assert [r["output"] for r in json.loads((out / "report.json").read_text())["rows"]] == \
        [r["output"] for r in rows]  # stable names: --force rewrites the same files


def test_slugs_are_ascii_unique_and_stable() -> None:
    def s(name: str) -> str:
        return slug({"jurisdiction": {"name": name, "kind": "city", "state": "CA"}})

    assert transliterate("São Paulo") == ("sao-paulo", False)
    assert transliterate("Straße Ærø") == ("strasse-aero", False)
    assert transliterate("東京") == ("", True)
    assert s("東京") != s("大阪") and s("東京") == s("東京")
    assert s("東京").endswith("-city-ca") and s("東京").isascii()
    assert s("Αθήνα") != s("Θήβα")
    assert s("Kyoto 京都") != s("Kyoto")  # letters left out: a hash keeps them apart
    assert len(s("L" * 300).encode()) < 120 and s("L" * 300) != s("L" * 299)
    assert unique_slugs([{"jurisdiction": {"name": n, "kind": "city", "state": "CA"}}
                         for n in ("Dupville", "dupville!", "Dupville", "Other")]) == [
        "dupville-city-ca", "dupville-city-ca-2", "dupville-city-ca-3", "other-city-ca"]


def test_a_row_that_raises_anything_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review S4: any exception but a DrafterError in a worker aborted the whole batch."""
    from drafter import core

    real = core.build

    def flaky(answers, **kwargs):  # noqa: ANN001, ANN202
        if answers.answers.jurisdiction.name == "Boom":
            raise OSError(36, "File name too long")
        return real(answers, **kwargs)

    monkeypatch.setattr(core, "build", flaky)
    (tmp_path / "j.csv").write_text("name,kind,state\nA,city,CA\nBoom,city,CA\nC,city,CA\n")
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "j.csv"), "-o", str(tmp_path / "out"),
                                      "-j", "1", "-q", "-f", "md"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    rows = json.loads((tmp_path / "out" / "report.json").read_text())["rows"]
    assert [(r["row"], r["status"]) for r in rows] == [(2, "built"), (3, "failed"), (4, "built")]
    assert "row 3: internal error: OSError" in rows[1]["errors"][0]


def test_an_interrupted_batch_still_writes_a_report_of_every_row(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch.build_row
    calls = []

    def interrupted_at_the_third(task):  # noqa: ANN001, ANN202
        calls.append(task)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(batch, "build_row", interrupted_at_the_third)
    (tmp_path / "j.csv").write_text("name,kind,state\n" + "".join(f"T{i},city,CA\n" for i in range(6)))
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "j.csv"), "-o", str(tmp_path / "out"),
                                      "-j", "1", "-q", "-f", "md"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [r["status"] for r in report["rows"]] == ["built", "built"] + ["interrupted"] * 4
    assert report["summary"]["interrupted"] == 4
    assert "4 not built (interrupted)" in (tmp_path / "out" / "report.txt").read_text()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_killed_parallel_batch_writes_its_report(tmp_path: Path, sig: int) -> None:
    rows = 30
    (tmp_path / "j.csv").write_text("name,kind,state\n" + "".join(f"T{i},city,CA\n" for i in range(rows)))
    proc = subprocess.Popen([sys.executable, "-m", "drafter", "batch", "j.csv", "-o", "out", "-j", "2",
                             "-q", "-f", "md"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((tmp_path / "out").glob("*.md"))) < 2:
        time.sleep(0.05)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0 and "Traceback" not in err, err
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [r["row"] for r in report["rows"]] == list(range(2, rows + 2))
    built = [r for r in report["rows"] if r["status"] == "built"]
    assert 2 <= len(built) < rows and report["summary"]["interrupted"] == rows - len(built)
    assert {r["output"] for r in built} == {p.name for p in (tmp_path / "out").glob("*.md")}
    assert not list((tmp_path / "out").glob(".*.tmp"))
