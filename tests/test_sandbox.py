"""A hostile clause library (shared/reviews/reliability-2026-11.md, part 1 and S1-S3, S6, S9):
no clause can change what another clause or the draft reads, every resource a template can
spend is bounded, YAML aliases cannot explode, and no library file is read through a link
that leaves the library. Each refusal is a located error, found in well under a second, and
`drafter check` and `drafter build` exit 1 with no traceback."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from drafter import limits
from drafter.cli import cli
from drafter.errors import Problems
from drafter.library import load_library
from drafter.render import jurisdiction_context
from drafter.resolve import load_answers, resolve
from drafter.sources import library_files, parse_yaml, read_text, yaml_limit_problem
from drafter.templating import RenderError, read_only, render

from .conftest import MINIMAL_ANSWERS, write_tree

FAST = 1.5  # seconds: every limit must trip well before this


def refused(source: str, context: dict | None = None, *, line: int = 7) -> str:
    """Render ``source`` as clause text starting at ``line`` of evil.md; return the problem."""
    start = time.monotonic()
    with pytest.raises(RenderError) as info:
        render(source, context or {}, display="detainers/evil.md", first_line=line, what="clause text")
    assert time.monotonic() - start < FAST
    problem = info.value.problem
    assert problem.path == "detainers/evil.md" and problem.line >= line
    return str(problem)


def jurisdiction() -> dict:
    return {"name": "Austin", "full_name": "City of Austin", "governing_body": "City Council",
            "agencies": ["Austin Police Department"], "withheld": ["information.no-status-inquiry"]}


# ------------------------------------------------------------------ S1: the context is immutable

MUTATIONS = [
    "{% set _ = jurisdiction.update({'full_name': 'PWNED County', 'name': 'PWNED'}) %}",
    "{% set _ = jurisdiction.withheld.clear() %}",
    "{% set _ = jurisdiction.agencies.append('ICE') %}",
    "{% set _ = jurisdiction.pop('name') %}",
    "{% set _ = jurisdiction.setdefault('x', 1) %}",
    "{% set _ = items.extend(items) %}",
    "{% set _ = items.sort() %}",
    "{% set x = ['a'] %}{% set _ = x.append('b') %}",
    "{% set d = {} %}{% set _ = d.update({'a': 1}) %}",
    "{% set d = jurisdiction.copy() %}{% set _ = d.update({'name': 'PWNED'}) %}",
]


@pytest.mark.parametrize("attack", MUTATIONS)
def test_no_template_can_change_a_value(attack: str) -> None:
    context = {"jurisdiction": jurisdiction(), "items": ["a", "b"]}
    before = repr(context)
    message = refused(attack + "1. X shall act.", context)
    assert "refused by the sandbox" in message and "is unsafe" in message
    assert repr(context) == before


def test_each_clause_renders_the_same_whatever_ran_before() -> None:
    context = {"jurisdiction": jurisdiction(), "items": ["a", "b"]}
    probe = "{{ jurisdiction.full_name }}|{{ jurisdiction.withheld|join(',') }}|{{ items|join(',') }}"
    first = render(probe, context, display="a.md")
    for attack in MUTATIONS:
        with pytest.raises(RenderError):
            render(attack, context, display="evil.md")
        assert render(probe, context, display="a.md") == first


def test_read_only_views_all_the_way_down() -> None:
    frozen = read_only({"a": [1, {"b": [2]}], "s": {3}})
    assert isinstance(frozen, MappingProxyType)
    assert frozen["a"] == (1, MappingProxyType({"b": (2,)})) and frozen["s"] == frozenset({3})
    with pytest.raises(TypeError):
        frozen["a"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        frozen["a"][1]["b"] = ()  # type: ignore[index]


def test_the_draft_jurisdiction_is_read_only(tmp_path: Path, library) -> None:  # noqa: ANN001
    path = write_tree(tmp_path, {"a.yaml": MINIMAL_ANSWERS}) / "a.yaml"
    problems = Problems()
    source = load_answers(path, problems)
    problems.raise_errors()
    j = jurisdiction_context(resolve(library, source))
    assert isinstance(j, MappingProxyType)
    assert isinstance(j["agencies"], tuple) and isinstance(j["withheld"], tuple)
    with pytest.raises(TypeError):
        j["full_name"] = "PWNED County"  # type: ignore[index]


def test_printing_a_function_is_refused_not_an_address_leak() -> None:
    message = refused("{{ ref }} {{ cite }}", {"ref": lambda x: x, "cite": lambda x: x})
    assert "cannot be printed" in message and "0x" not in message


# ------------------------------------------------------------------ S2: every resource is bounded

LIMITS = [
    ("nested loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "loops ran more than"),
    ("nested loops printing", "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
     "loops ran more than"),
    ("loop over characters", "{% for c in 'x' * 10000 %}{% for d in 'y' * 10000 %}{% endfor %}{% endfor %}",
     "loops ran more than"),
    ("loop output", "{% for i in range(100000) %}{{ range(30000)|join }}{% endfor %}", "writes more than"),
    ("huge join", "{{ range(100000)|join('x' * 10000) }}", "builds joined text"),
    ("replace to 1 GB", "{{ ('x' * 10000)|replace('x', 'x' * 10000)|replace('x', 'xxxxxxxxxx') }}",
     "builds replaced text"),
    ("replace to 10^12", "{{ ('x' * 10000)|replace('x', 'x' * 10000)|replace('x', 'x' * 10000) }}",
     "builds replaced text"),
    ("~ doubling", "{% set a0 = 'x' * 10000 %}"
     + "".join(f"{{% set a{i} = a{i - 1} ~ a{i - 1} %}}" for i in range(1, 31)) + "{{ a30 }}",
     "builds joined text"),
    ("+ doubling a tuple", "{% macro d(x, n) %}{% if n %}{{ d(x + x, n - 1) }}{% endif %}{% endmacro %}"
     "{{ d((1,), 40) }}", "builds a value"),
    ("list extend doubling", "{% set x = ['a'] %}{% for i in range(64) %}{% set _ = x.extend(x) %}{% endfor %}",
     "is unsafe"),
    ("join_and of a huge list", "{{ big|join_and }}", "builds joined text"),
    ("macro output", "{% macro m() %}{% for i in range(10000) %}" + "y" * 1000 + "{% endfor %}{% endmacro %}"
     "{{ m()|length }}", "writes more than"),
    ("captured block", "{% set b %}{% for i in range(10000) %}{{ 'z' * 1000 }}{% endfor %}{% endset %}"
     "{{ b|length }}", "writes more than"),
    ("str.replace method", "{{ ('x' * 10000).replace('x', 'x' * 10000) }}", "is unsafe"),
    ("bytes repetition", "{{ 'x'.encode() * 1000000000 }}", "repetition larger than"),
    ("sum of lists", "{{ range(100000)|batch(1)|sum(start=[]) }}", "adds numbers only"),
    ("huge batch", "{{ range(3)|batch(1000000000, 'x')|list }}", "batch sizes above"),
    ("recursive macro", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "calls nested more than"),
    ("recursive loop", "{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}", "calls nested more than"),
    ("5000 filters", "{{ 'a'" + "|lower" * 5000 + " }}", "nested more than"),
    ("5000 brackets", "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "nested more than"),
    ("100 nested loops", "{% for i in [1] %}" * 100 + "x" + "{% endfor %}" * 100, "loops nested more than"),
    ("7000 set tags", "".join(f"{{% set v{i} = {i} %}}" for i in range(7000)), "template elements"),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in LIMITS], ids=[c[0] for c in LIMITS])
def test_resource_limits_are_located_errors(source: str, expected: str) -> None:
    message = refused(source, {"big": ["y" * 1999] * 200})
    assert expected in message, message
    assert "RecursionError" not in message and "MemoryError" not in message


def test_the_error_names_the_line_of_the_loop() -> None:
    source = "1. One.\n\n{% for i in range(10) %}\n{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
    message = refused(source, line=20)
    assert message.startswith("detainers/evil.md:23: error: clause text exceeds a limit: loops ran more than")
    assert "docs/security.md" in message


def test_render_time_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_RENDER_SECONDS", 0.2)
    # each step is cheap and small, so only the clock can stop it (about 10 s unbounded)
    message = refused("{% for i in range(10000) %}{{ range(100000)|list|length }}{% endfor %}")
    assert "took longer than 0.2 seconds" in message


def test_a_tripped_limit_does_not_carry_over_to_the_next_render() -> None:
    refused("{% for i in range(100000) %}{% endfor %}")
    assert render("{% for i in range(9000) %}{% endfor %}ok", {}, display="a.md") == "ok"


def test_ordinary_templates_still_work() -> None:
    context = {"jurisdiction": read_only(jurisdiction()), "items": ["a", "b", "c"]}
    source = ("{% for a in jurisdiction.agencies %}{{ loop.index }}. {{ a ~ '!' }}{% else %}none{% endfor %}"
              "|{% for x in [] %}{% else %}empty{% endfor %}|{{ items|join_and }}|{{ 'abc'|replace('b', 'B') }}"
              "|{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m(1) }}|{% set s %}cap{% endset %}{{ s }}"
              "|{{ [1, 2]|sum }}|{{ (1, 2) + (3,) }}|{% for i in [1, 2] recursive %}{{ i }}{% endfor %}"
              "|{{ items|join(', ') }}|" + "{% if true %}" * 30 + "deep" + "{% endif %}" * 30)
    out = render(source, context, display="ok.md")
    assert out == "1. Austin Police Department!|empty|a, b, and c|aBc|\\<1\\>|cap|3|(1, 2, 3)|12|a, b, c|deep"


# ------------------------------------------------------------------ YAML: aliases, depth, size

LAUGHS = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 10))


@pytest.mark.parametrize(("text", "expected", "line"), [
    (LAUGHS, "YAML aliases expand this to more than", 6),  # l5, the first list past the limit
    ("s: &s " + "y" * 1999 + "\nitems: [" + ", ".join(["*s"] * 2000) + "]\n", "YAML aliases expand", 2),
    ("a: 1\nx: " + "[" * 150 + "]" * 150 + "\n", "nested more than 100 levels", 2),
    ("x: " + "[" * 100000, "nested more than 100 levels", 1),  # ruamel alone: quadratic, minutes
    ("x:\n  " + "- " * 1000 + "a\n", "nested too deeply", 0),
    ("date: 2026-13-45\n", "'2026-13-45' is not a real date (month must be in 1..12)", 1),
    ("? {a: {b: 1}}\n: x\n", "a mapping or list is used as a key", 1),
    ("a: 1\nb: x\x00y\n", "YAML error: character U+0000 is not allowed", 2),
])
def test_yaml_limits_are_errors_before_anything_is_cached(text: str, expected: str, line: int,
                                                          tmp_path: Path) -> None:
    from drafter import parse_cache

    start = time.monotonic()
    problems = Problems()
    assert parse_yaml(text, tmp_path / "a.yaml", problems, display="a.yaml") is None
    assert time.monotonic() - start < FAST
    assert len(problems.items) == 1
    problem = problems.items[0]
    assert expected in problem.message and problem.line == line, str(problem)
    assert parse_cache.get(text) is None


def test_a_value_that_contains_itself_is_refused() -> None:
    loop: list = []
    loop.append(loop)  # ruamel turns a self-alias into null; the check guards the cache anyway
    node, message, _ = yaml_limit_problem({"x": loop})
    assert node is loop and message == "a YAML alias (*) refers to the value that contains it"


def test_yaml_limits_in_front_matter_are_located_in_the_file(tmp_path: Path) -> None:
    lib = write_tree(tmp_path, {"lib/policing/extra.md": clause("policing.extra", "1. X shall act.")})
    path = lib / "lib/policing/extra.md"
    path.write_text(path.read_text().replace("summary:", LAUGHS + "summary:", 1))
    problems = Problems()
    load_library(lib / "lib", problems)
    [problem] = [p for p in problems.errors if "aliases" in p.message]
    assert problem.path.endswith("extra.md") and problem.line == path.read_text().split("\n").index(
        LAUGHS.split("\n")[5]) + 1


def test_files_are_bounded_and_must_be_regular(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * limits.MAX_FILE_BYTES)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    problems = Problems()
    start = time.monotonic()
    assert read_text(big, problems) is None
    assert read_text(fifo, problems) is None  # must not wait for a writer
    assert read_text(Path("/dev/zero"), problems) is None  # must not read forever
    assert time.monotonic() - start < FAST
    messages = [p.message for p in problems.items]
    assert messages[0] == f"file is {big.stat().st_size:,} bytes; the limit is {limits.MAX_FILE_BYTES:,}"
    assert messages[1:] == ["not a regular file (a device, pipe or socket)"] * 2
    assert parse_yaml("a: " + "x" * limits.MAX_FILE_BYTES, big, problems) is None


def test_crlf_files_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\r\nb: 2\rc: 3\n")
    assert read_text(path, Problems()) == "a: 1\nb: 2\nc: 3\n"


# ------------------------------------------------------------------ S3: links never leave the library

def clause(cid: str, body: str) -> str:
    return (f"---\nid: {cid}\ntitle: Extra Rule\narea: {cid.split('.')[0]}\nprovisions: [policing.cite-release]\n"
            "strength: strongest\nsources: [nyc-cjra-2016]\nsummary: {en: Extra., es: Extra.}\n---\n"
            f"{body}\n\n## Commentary\n\nThis is commentary.\n")


def outside_tree(tmp_path: Path) -> tuple[Path, Path]:
    """A library, and beside it an 'outside' folder holding files with a canary."""
    outside = write_tree(tmp_path / "outside", {
        "clause.md": clause("policing.extra", "1. SECRET-CANARY-CLAUSE shall act."),
        "defs/term.md": "---\nid: def.term\nterm: term\n---\n\"term\" means SECRET-CANARY-DEF.\n",
        "config.yaml": "authorities: SECRET-CANARY-AUTH\n",
        "preset.yaml": "id: evil\ntitle: SECRET-CANARY-PRESET\n",
    })
    lib = tmp_path / "lib"
    (lib / "policing").mkdir(parents=True)
    (lib / "presets").mkdir()
    return lib, outside


def test_links_out_of_the_library_are_reported_not_read(tmp_path: Path) -> None:
    lib, outside = outside_tree(tmp_path)
    (lib / "policing" / "extra.md").symlink_to(outside / "clause.md")
    (lib / "definitions").symlink_to(outside / "defs", target_is_directory=True)
    (lib / "authorities.yaml").symlink_to(outside / "config.yaml")
    (lib / "presets" / "evil.yaml").symlink_to(outside / "preset.yaml")
    (lib / "policing" / "passwd.md").symlink_to("/etc/passwd")
    problems = Problems()
    library = load_library(lib, problems)
    text = "\n".join(str(p) for p in problems.items)
    assert "SECRET-CANARY" not in text and "root:" not in text and str(outside) not in text
    reported = {Path(p.path).absolute().relative_to(lib).as_posix(): p.message
                for p in problems.errors if "outside the library" in p.message}
    assert reported == {
        "policing/extra.md": "is a link to a file outside the library",
        "definitions": "is a link to a folder outside the library",
        "authorities.yaml": "is a link to a file outside the library",
        "presets/evil.yaml": "is a link to a file outside the library",
        "policing/passwd.md": "is a link to a file outside the library",
    }
    assert "policing.extra" not in library.clauses and "def.term" not in library.definitions
    assert "evil" not in library.presets


def test_links_inside_the_library_are_fine(tmp_path: Path) -> None:
    lib = write_tree(tmp_path, {"lib/profiles/a.yaml": "x: 1\n"}) / "lib"
    (lib / "profiles" / "b.yaml").symlink_to(lib / "profiles" / "a.yaml")
    problems = Problems()
    assert [p.name for p in library_files(lib, "profiles", "*.yaml", problems)] == ["a.yaml", "b.yaml"]
    assert not problems.items


# ------------------------------------------------------------------ check and build: exit 1, no traceback

HOSTILE = {
    "mutate": "{% set _ = jurisdiction.update({'full_name': 'PWNED County'}) %}1. X shall act.",
    "loops": "1. X shall act.\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "join": "1. X shall act {{ range(100000)|join('x' * 10000) }}.",
    "recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}1. X shall act {{ f(0) }}.",
    "nesting": "1. X shall act {{ 'a'" + "|lower" * 5000 + " }}.",
    "doubling": "{% set x = ['a'] %}{% for i in range(64) %}{% set _ = x.extend(x) %}{% endfor %}1. X shall act.",
}


def test_findings_and_commentary_are_sandboxed_too(tmp_path: Path) -> None:
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    finding = clause("policing.finding", "1. X shall act.").replace(
        "summary:", f'findings: ["The city finds {loops} a need."]\nsummary:', 1)
    commentary = clause("policing.commentary", "1. X shall act.").replace(
        "This is commentary.", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
    root = write_tree(tmp_path, {"lib/policing/finding.md": finding, "lib/policing/commentary.md": commentary,
                                 "a.yaml": MINIMAL_ANSWERS + "include: [policing.finding, policing.commentary]\n"})
    for args in (["check", "--library", str(root / "lib")],
                 ["build", str(root / "a.yaml"), "--library", str(root / "lib"), "-o", str(tmp_path / "o.md")]):
        start = time.monotonic()
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and time.monotonic() - start < 30
        output = result.output.replace(os.sep, "/")
        assert "Traceback" not in output
        assert re.search(r"policing/finding\.md:8(:\d+)?: error: (.*: )?finding exceeds a limit: loops ran more than",
                         output), output
        assert "policing/commentary.md:" in output and "commentary exceeds a limit: calls nested" in output
    assert not (tmp_path / "o.md").exists()


def hostile_library(tmp_path: Path) -> Path:
    files = {f"lib/policing/{name}.md": clause(f"policing.{name}", body) for name, body in HOSTILE.items()}
    files["a.yaml"] = MINIMAL_ANSWERS + "include: [" + ", ".join(f"policing.{n}" for n in HOSTILE) + "]\n"
    return write_tree(tmp_path, files)


def assert_every_attack_located(output: str) -> None:
    assert "Traceback" not in output and "RecursionError" not in output
    for name in HOSTILE:
        assert f"policing/{name}.md:" in output.replace(os.sep, "/"), (name, output)


def test_check_reports_every_hostile_clause(tmp_path: Path) -> None:
    root = hostile_library(tmp_path)
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["check", "--library", str(root / "lib")])
    assert time.monotonic() - start < 30
    assert result.exit_code == 1
    assert_every_attack_located(result.output)


def test_build_reports_every_hostile_clause_and_writes_nothing(tmp_path: Path) -> None:
    root = hostile_library(tmp_path)
    out = tmp_path / "out.md"
    result = CliRunner().invoke(cli, ["build", str(root / "a.yaml"), "--library", str(root / "lib"),
                                      "-o", str(out)])
    assert result.exit_code == 1
    assert_every_attack_located(result.output)
    assert "PWNED" not in result.output and not out.exists()
