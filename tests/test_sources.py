from __future__ import annotations

from pathlib import Path

from drafter.errors import DrafterError, Problem, Problems
from drafter.models import Answers
from drafter.sources import load_front_matter, load_yaml_file, validate

from .conftest import write_tree


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    path = write_tree(tmp_path, {"a.yaml": "a: 1\nb: [1, 2\nc: 3\n"}) / "a.yaml"
    problems = Problems()
    assert load_yaml_file(path, problems, "a.yaml") is None
    [problem] = problems.items
    assert problem.path == "a.yaml" and problem.line >= 2
    assert "YAML syntax error" in problem.message


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    path = write_tree(tmp_path, {"a.yaml": "a: 1\nb: 2\na: 3\n"}) / "a.yaml"
    problems = Problems()
    load_yaml_file(path, problems, "a.yaml")
    assert problems.items[0].line == 3
    assert "duplicate key" in problems.items[0].message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    problems = Problems()
    assert load_yaml_file(tmp_path / "nope.yaml", problems, "nope.yaml") is None
    assert load_yaml_file(tmp_path, problems, "dir") is None
    assert [p.message for p in problems.items] == ["file not found", "is a directory, not a file"]


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 1_100_000)
    problems = Problems()
    assert load_yaml_file(path, problems, "big.yaml") is None
    assert "limit" in problems.items[0].message


def test_validation_errors_point_at_the_field(tmp_path: Path) -> None:
    text = "jurisdiction:\n  name: X\n  kind: metropolis\n  state: CA\n  colour: red\n"
    path = write_tree(tmp_path, {"a.yaml": text}) / "a.yaml"
    problems = Problems()
    doc = load_yaml_file(path, problems, "a.yaml")
    assert validate(Answers, doc, problems, "a.yaml") is None
    by_line = {p.line: p.message for p in problems.items}
    assert "jurisdiction.kind" in by_line[3]
    assert by_line[5] == "unknown field 'jurisdiction.colour'"


def test_front_matter_offsets_lines(tmp_path: Path) -> None:
    text = "---\nid: x\ntitle: [\n---\nbody\n"
    path = write_tree(tmp_path, {"c.md": text}) / "c.md"
    problems = Problems()
    assert load_front_matter(path, problems, "c.md") is None
    assert problems.items[0].line in (3, 4)


def test_front_matter_required(tmp_path: Path) -> None:
    path = write_tree(tmp_path, {"c.md": "just text\n"}) / "c.md"
    problems = Problems()
    load_front_matter(path, problems, "c.md")
    assert problems.items[0].message == "missing YAML front matter"


def test_problem_format_and_error_sorting() -> None:
    a = Problem("b.yaml", 3, 5, "bad", "fix it")
    b = Problem("a.yaml", 1, 0, "worse")
    assert str(a) == "b.yaml:3:5: error: bad (fix it)"
    err = DrafterError([a, b, a])
    assert err.problems == [b, a]


def test_parse_cache_keeps_locations(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import datetime as dt

    from drafter import parse_cache
    from drafter.sources import parse_yaml

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(parse_cache, "_memory", {})
    text = "a: 1\nb:\n  c: [x, y]\nd: 2026-01-02\n"
    first = parse_yaml(text, tmp_path / "f.yaml", Problems())
    monkeypatch.setattr(parse_cache, "_memory", {})  # force the disk copy
    second = parse_yaml(text, tmp_path / "f.yaml", Problems())
    assert second.data == {"a": 1, "b": {"c": ["x", "y"]}, "d": dt.date(2026, 1, 2)}
    assert type(second.data) is dict  # served from the JSON cache
    assert second.locate(("b", "c", 1)) == first.locate(("b", "c", 1)) == (3, 10)
    assert list((tmp_path / "cache" / "drafter").rglob("*.json"))
