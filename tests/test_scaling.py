"""Cost grows with the work: doubling the library must not cost more than 2.5x the time.

Each size runs in its own process (so nothing carries over from the smaller size) with its
own parse and template cache, filled by one run first; then every in-memory cache is
dropped before each of two timed runs, as in a new process with a warm cache. The figure is
the CPU time of the work itself (imports excluded), the better of the two. Three tasks are timed:
``drafter check`` of the built-in library plus N generated clauses (bench/genlib.py), warm (its
stored results read back) and with ``cache=False`` (every clause and preset build done again),
and the .docx of a draft that includes every clause of that library.

CI runs the two smallest sizes (under a minute of CPU). More: ``DRAFTER_SCALING_SIZES=250,500,1000,2000
pytest -m scaling tests/test_scaling.py``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SIZES = [int(s) for s in os.environ.get("DRAFTER_SCALING_SIZES", "120,240").split(",")]
LIMIT = 2.5  # time(2N) / time(N)

pytestmark = pytest.mark.scaling

CHILD = r"""
import sys, time, json
from pathlib import Path
lib, answers = Path(sys.argv[1]), Path(sys.argv[2])
from drafter import core, markdown, parse_cache, templating
from drafter.checks import run_check
import drafter.writers.docx  # noqa: F401 - imported before the clock starts


def forget():  # what a new process would not have: every in-memory cache
    parse_cache.clear_memory()
    markdown._tokens.cache_clear()
    getattr(templating, "clear_memory", templating._compiled.cache_clear)()


def check():  # warm: the results of the first run are read back (drafter/check_cache.py)
    return run_check(lib).counts["clauses"]


def check_full():  # every clause checked and every preset built again (parses, compiles kept)
    return run_check(lib, cache=False).counts["clauses"]


def docx():
    return len(core.build(answers, library=lib).render("docx"))


result = {}
for name, task in (("check", check), ("check_full", check_full), ("docx", docx)):
    task()  # fills the disk caches, as an earlier run would have
    best = None
    for _ in range(2):
        forget()
        start = time.process_time()
        size = task()
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    result[name] = [best, size]
print(json.dumps(result))
"""


def _genlib():  # noqa: ANN202 - the bench's module, loaded from its file
    spec = importlib.util.spec_from_file_location("genlib", ROOT / "bench" / "genlib.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _measure(lib: Path, answers: Path, cache: Path) -> dict[str, list[float]]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env.pop("DRAFTER_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-c", CHILD, str(lib), str(answers)], env=env,
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def timings(libraries: dict[int, tuple[Path, Path]], tmp_path_factory: pytest.TempPathFactory
            ) -> dict[int, dict[str, list[float]]]:
    caches = tmp_path_factory.mktemp("scaling-cache")
    return {size: _measure(lib, answers, caches / str(size)) for size, (lib, answers) in libraries.items()}


@pytest.fixture(scope="module")
def libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, Path]]:
    genlib = _genlib()
    base = tmp_path_factory.mktemp("scaling")
    made = {}
    for size in SIZES:
        lib = genlib.make_library(base / f"lib{size}", size)
        made[size] = (lib, genlib.every_clause_answers(base / f"all{size}.yaml", lib))
    return made


@pytest.mark.parametrize("task", ["check", "check_full", "docx"])
def test_doubling_the_library_costs_at_most_two_and_a_half_times(
        task: str, timings: dict[int, dict[str, list[float]]]) -> None:
    assert len(SIZES) >= 2 and all(b == 2 * a for a, b in zip(SIZES, SIZES[1:], strict=False)), \
        "DRAFTER_SCALING_SIZES must double: 120,240,480"
    for small, large in zip(SIZES, SIZES[1:], strict=False):
        (t_small, n_small), (t_large, n_large) = timings[small][task], timings[large][task]
        assert n_large > n_small  # the larger library really is larger (clauses or bytes)
        assert t_large / t_small <= LIMIT, (
            f"{task}: +{large} clauses took {t_large:.2f} s CPU, {t_large / t_small:.2f}x "
            f"+{small} ({t_small:.2f} s); at most {LIMIT}x")


# ------------------------------------------------------------------ check shares work, in order

def test_shared_renders_are_the_same_text_and_follow_ref() -> None:
    from drafter.templating import render, shared_renders

    source = "{{ jurisdiction.name }}: see {{ ref('x') }}.\n"
    labels = iter(["Section 1", "Section 1", "Section 2", "Section 2"])
    calls = []

    def ref(target: str) -> str:
        calls.append(target)
        return next(labels)

    with shared_renders():
        first = render(source, {"jurisdiction": {"name": "A"}, "ref": ref}, display="a.md")
        same = render(source, {"jurisdiction": {"name": "A"}, "ref": ref}, display="a.md")
        moved = render(source, {"jurisdiction": {"name": "A"}, "ref": ref}, display="a.md")
        other = render(source, {"jurisdiction": {"name": "B"}, "ref": lambda t: "Section 9"}, display="a.md")
    assert first == same == "A: see Section 1.\n"
    assert moved == "A: see Section 2.\n"  # ref() now answers otherwise: rendered again
    assert other == "B: see Section 9.\n"
    assert calls == ["x", "x", "x", "x"]  # every render's calls are made (replayed or real)


def test_check_with_jobs_reports_exactly_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter import checks

    monkeypatch.setattr(checks, "_PARALLEL_FROM", 1)  # fan out even the built-in library
    alone = checks.run_check(None, jobs=1)
    shared = checks.run_check(None, jobs=2)
    assert alone.problems == shared.problems and alone.counts == shared.counts
    assert alone.counts["clauses"] > 40
