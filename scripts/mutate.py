"""Mutation testing for drafter's core modules, under a time budget.

    python scripts/mutate.py --named              # the review's deliberate bugs (M02 ... M25)
    python scripts/mutate.py --random --budget 900 --seed 1
    python scripts/mutate.py --random --modules drafter/lint.py drafter/output.py

Every mutant is made in a throw-away copy of the repository (never in the working tree,
which other people and test runs may be using): the copy's ``drafter/`` is first on the
import path, so the tests import the mutant. A mutant is *killed* when the tests mapped to
its module fail, *survives* when they pass, and times out otherwise (counted as killed: a
hang is a failure a user would see).

``--named`` applies the hand-written bugs of the 2026-11 code review, each with the tests
that must catch it. ``--random`` walks the modules' syntax trees and applies one small
change at a time (a comparison flipped, ``and``/``or`` swapped, a ``not`` dropped, a
boolean or number constant changed, a returned value replaced by ``None``), sampled evenly
with a seed, until the budget runs out. The surviving count is recorded in
docs/architecture.md ("Mutation testing").
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# module -> the fast tests that should catch a change in it
TESTS = {
    "drafter/lint.py": ["tests/test_lint.py", "tests/test_bugs.py"],
    "drafter/output.py": ["tests/test_bugs.py", "tests/test_cli.py"],
    "drafter/numbering.py": ["tests/test_numbering.py", "tests/test_markdown.py"],
    "drafter/markdown.py": ["tests/test_markdown.py", "tests/test_render.py"],
    "drafter/compare.py": ["tests/test_word_features.py"],
    "drafter/absorb.py": ["tests/test_absorb.py"],
    "drafter/checks.py": ["tests/test_check_pass.py"],
    "drafter/writers/html.py": ["tests/test_bugs.py", "tests/test_cli.py"],
}
DEFAULT_MODULES = ["drafter/lint.py", "drafter/output.py", "drafter/numbering.py",
                   "drafter/compare.py", "drafter/absorb.py"]


@dataclass
class Named:
    id: str
    file: str
    old: str
    new: str
    tests: list[str]
    what: str


NAMED = [
    Named("M02", "drafter/render.py", "pending = list(used)", "pending = []",
          ["tests/test_bugs.py"], "definitions used only by other definitions dropped"),
    Named("M05", "drafter/models.py", 'preset: Slug = "strongest"', 'preset: Slug = "strong"',
          ["tests/test_bugs.py"], "default preset swapped from strongest"),
    Named("M07", "drafter/output.py",
          'payload = data.encode("utf-8") if isinstance(data, str) else data',
          'payload = data.encode("utf-8") if isinstance(data, str) else data\n'
          '    path.write_bytes(payload)\n    return', ["tests/test_bugs.py"],
          "atomic write made in-place"),
    Named("M11", "drafter/lint.py", "if match.group(1) not in numbers:", "if False:",
          ["tests/test_bugs.py"], "lint R-31 (missing section) never reported"),
    Named("M16", "drafter/lint.py", 'if re.search(r"\\bmust (?!be\\b)", corpus)',
          'if False and re.search(r"\\bmust (?!be\\b)", corpus)', ["tests/test_bugs.py"],
          "lint R-10 (must/shall) never reported"),
    Named("M17", "drafter/resolve.py", "        if not applies(clause.meta.applies_to, like):\n"
          "            problems.add(source.where(\"include\", index),",
          "        if False:\n            problems.add(source.where(\"include\", index),",
          ["tests/test_bugs.py"], "include of a clause for another kind accepted"),
    Named("M21", "drafter/writers/docx.py", 'if run.italic:\n            _child(rpr, "w:i")',
          'if False:\n            _child(rpr, "w:i")', ["tests/test_bugs.py"],
          "italics dropped from Word"),
    Named("M22", "drafter/writers/html.py", "text = escape(run.text)", "text = run.text",
          ["tests/test_bugs.py"], "HTML output unescaped"),
    Named("M23", "drafter/templating.py",
          'return re.sub(r"^(\\s*\\d+)([.)])", r"\\1\\\\\\2", text, flags=re.M)', "return text",
          ["tests/test_bugs.py"], 'a value starting "1." injects a list item'),
    Named("M24", "drafter/library.py",
          "for i, aid in enumerate(getattr(definition.meta, key)):\n"
          "                if aid not in library.authorities:",
          "for i, aid in enumerate(getattr(definition.meta, key)):\n                if False:",
          ["tests/test_bugs.py"], "unknown authority ids in definitions accepted"),
    Named("M25", "drafter/lint.py",
          '"""Lint a built draft: every section\'s text, then the document-level rules."""',
          '"""Lint a built draft: every section\'s text, then the document-level rules."""\n'
          "    return []", ["tests/test_bugs.py"], "document-level lint switched off"),
]


def make_copy() -> Path:
    """A throw-away copy of what the tests need (symlinks for the read-only data)."""
    work = Path(tempfile.mkdtemp(prefix="drafter-mutants-"))
    for name in ("drafter", "tests"):
        shutil.copytree(ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("clauses", "templates", "samples", "docs", "scripts", "pyproject.toml", "README.md"):
        if (ROOT / name).exists():
            (work / name).symlink_to(ROOT / name)
    return work


def run_tests(work: Path, tests: list[str], timeout: float) -> str:
    """'killed', 'survived' or 'timeout' for the copy as it is now."""
    env = dict(os.environ, PYTHONPATH=str(work), PYTHONDONTWRITEBYTECODE="1")
    try:
        proc = subprocess.run([PYTHON, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                               "-m", "not slow", *tests], cwd=work, env=env, timeout=timeout,
                              capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return "timeout"
    # any failure counts, an import or collection error too (the mutant broke the module)
    return "survived" if proc.returncode == 0 else "killed"


def run_named(work: Path, timeout: float) -> list[dict]:
    results = []
    for mutant in NAMED:
        path = work / mutant.file
        original = path.read_text()
        if original.count(mutant.old) != 1:
            results.append({"id": mutant.id, "what": mutant.what, "result": "not applicable"})
            continue
        path.write_text(original.replace(mutant.old, mutant.new))
        try:
            outcome = run_tests(work, mutant.tests, timeout)
        finally:
            path.write_text(original)
        results.append({"id": mutant.id, "what": mutant.what, "result": outcome})
        print(f"{mutant.id}: {outcome:9} {mutant.what}", flush=True)
    return results


# ---------------------------------------------------------------- AST mutants

_SWAP_CMP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt,
             ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In,
             ast.Is: ast.IsNot, ast.IsNot: ast.Is}


def _sites(tree: ast.AST) -> list[tuple[int, str]]:
    """(node index in ast.walk order, kind) of every place a mutant can be made."""
    sites = []
    for index, node in enumerate(ast.walk(tree)):
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _SWAP_CMP:
            sites.append((index, "compare"))
        elif isinstance(node, ast.BoolOp):
            sites.append((index, "boolop"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            sites.append((index, "not"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            sites.append((index, "bool"))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            sites.append((index, "int"))
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            sites.append((index, "return"))
    return sites


class _Mutator:
    def __init__(self, target: int) -> None:
        self.target = target
        self.line = 0

    def mutate(self, tree: ast.AST) -> tuple[ast.AST, int]:
        nodes = list(ast.walk(tree))
        node = nodes[self.target]
        self.line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            node.ops[0] = _SWAP_CMP[type(node.ops[0])]()
        elif isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif isinstance(node, ast.UnaryOp):
            node.op = ast.UAdd()  # "+x" keeps x's truth: the "not" is gone
            node.operand = ast.Call(ast.Name("bool", ast.Load()), [node.operand], [])
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            node.value = not node.value
        elif isinstance(node, ast.Constant):
            node.value = node.value + 1
        elif isinstance(node, ast.Return):
            node.value = ast.Constant(None)
        return ast.fix_missing_locations(tree), self.line


def run_random(work: Path, modules: list[str], budget: float, seed: int, timeout: float) -> list[dict]:
    rng = random.Random(seed)
    plan = []
    for module in modules:
        source = (ROOT / module).read_text()
        for index, kind in _sites(ast.parse(source)):
            plan.append((module, index, kind))
    rng.shuffle(plan)
    deadline = time.monotonic() + budget
    results = []
    for module, index, kind in plan:
        if time.monotonic() > deadline:
            break
        path = work / module
        original = (ROOT / module).read_text()
        tree, line = _Mutator(index).mutate(ast.parse(original))
        try:
            path.write_text(ast.unparse(tree))
            outcome = run_tests(work, TESTS.get(module, ["tests"]), timeout)
        finally:
            path.write_text(original)
        results.append({"module": module, "line": line, "kind": kind, "result": outcome})
        print(f"{module}:{line}: {kind:8} {outcome}", flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--named", action="store_true", help="the review's deliberate bugs")
    parser.add_argument("--random", action="store_true", help="AST mutants of --modules")
    parser.add_argument("--modules", nargs="*", default=DEFAULT_MODULES)
    parser.add_argument("--budget", type=float, default=600, help="seconds for --random")
    parser.add_argument("--timeout", type=float, default=240, help="seconds per mutant")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write every result to this file")
    args = parser.parse_args()
    if not (args.named or args.random):
        args.named = True
    work = make_copy()
    try:
        report: dict[str, list[dict]] = {}
        if args.named:
            report["named"] = run_named(work, args.timeout)
        if args.random:
            report["random"] = run_random(work, args.modules, args.budget, args.seed, args.timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, results in report.items():
        counted = [r for r in results if r["result"] != "not applicable"]
        survived = [r for r in counted if r["result"] == "survived"]
        print(f"{name}: {len(counted)} mutants, {len(counted) - len(survived)} killed, "
              f"{len(survived)} survived")
        for r in survived:
            print("  survived:", r.get("id") or f"{r['module']}:{r['line']} {r['kind']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
