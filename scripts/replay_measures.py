"""Replay every clean measurement of the real texts at the commit that made it, with and without the reader.

    python scripts/replay_measures.py            # needs git and the texts in tests/realtexts/

Each measured set's label files say which commit measured it ("measured once at 7bd6f15"). This script
checks each commit since the reader was built (the seventh set) out into a temporary worktree, reads
the set's texts with that commit's analyzer, once as it was and once with its statistical reader
turned off, and prints per set both F1 figures, then per id how often the reader's own findings were
right and wrong on text it had never seen. The figures are the ones docs/analyzer-accuracy.md quotes
for the learning curve and for scripts/train_reader.py's UNREAD.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from analyzer_eval import REAL_LABELS, REAL_TEXTS, ROOT, f1
from ruamel.yaml import YAML

MEASURED_AT = re.compile(r"(?:measured once at|at commit) ([0-9a-f]{7,40})")
# Run inside the old worktree: analyze the texts named on stdin and print what was found.
READ = """
import json, sys
from pathlib import Path
import drafter.analyze as A
if sys.argv[1] == "rules":
    A._reader = lambda library: None
out = {}
for path in sys.stdin.read().split():
    r = A.analyze_file(Path(path))
    found = r.provisions + r.loopholes
    out[path] = [[f.id for f in found], [f.id for f in found if getattr(f, "by_reader", False)]]
print(json.dumps(out))
"""


def measured_sets() -> dict[str, list[tuple[Path, set[str]]]]:
    """Commit -> the (text, labelled ids) it measured, in corpus order."""
    yaml = YAML(typ="safe")
    sets: dict[str, list[tuple[Path, set[str]]]] = defaultdict(list)
    for label in sorted(REAL_LABELS.glob("*.yaml"), key=lambda p: int(re.match(r"r(\d+)", p.stem).group(1))):
        source = label.read_text(encoding="utf-8")
        found = MEASURED_AT.search(source)
        text = REAL_TEXTS / f"{label.stem}.txt"
        if found and text.exists():
            expected = yaml.load(source)
            sets[found.group(1)].append((text, set(expected["provisions"]) | set(expected["loopholes"])))
    return sets


def read_at(commit: str, texts: list[Path]) -> tuple[dict[str, list[list[str]]], dict[str, list[list[str]]]] | None:
    """What the commit's analyzer found in each text, with its reader and without; None if it had none."""
    with tempfile.TemporaryDirectory() as work:
        tree = Path(work) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
                       check=True, capture_output=True)
        try:
            if not (tree / "drafter" / "statistical_reader.py").exists():
                return None  # measured before the reader was built (sets one to six): nothing to compare
            both, rules = (json.loads(subprocess.run(
                [sys.executable, "-c", READ, mode], cwd=tree, check=True, capture_output=True, text=True,
                input="\n".join(str(t) for t in texts), env={**os.environ, "PYTHONPATH": str(tree)}).stdout)
                for mode in ("both", "rules"))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    return both, rules


def score(found: dict[str, list[list[str]]], texts: list[tuple[Path, set[str]]], loopholes: bool) -> float:
    tp = fp = fn = 0
    for text, wanted in texts:
        got = {i for i in found[str(text)][0] if i.startswith("loophole.") == loopholes}
        want = {i for i in wanted if i.startswith("loophole.") == loopholes}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    return f1(tp / max(1, tp + fp), tp / max(1, tp + fn))


def main() -> int:
    right, wrong = Counter(), Counter()
    print("| measured at | texts | provisions F1 | rules alone | loopholes F1 | rules alone |")
    print("|---|---|---|---|---|---|")
    for commit, texts in measured_sets().items():
        found = read_at(commit, [t for t, _ in texts])
        if found is None:
            continue
        both, rules = found
        print(f"| {commit} | {len(texts)} | {score(both, texts, False):.2f} | {score(rules, texts, False):.2f} "
              f"| {score(both, texts, True):.2f} | {score(rules, texts, True):.2f} |")
        for text, wanted in texts:
            for pid in both[str(text)][1]:
                (right if pid in wanted else wrong)[pid] += 1
    print("\n| id | the reader's findings right | wrong |\n|---|---|---|")
    for pid in sorted(set(right) | set(wrong), key=lambda p: (right[p] - wrong[p], p)):
        print(f"| {pid} | {right[pid]} | {wrong[pid]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
