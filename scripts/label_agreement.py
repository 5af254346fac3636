"""How often two labellers agree on the real texts: the ceiling on any analyzer's measured accuracy.

    python scripts/label_agreement.py            # against the labels as they are now
    python scripts/label_agreement.py --at REV   # against the first labels as they were at a commit

A second labeller, who never saw the first labels, labelled a sample of the real texts again
(tests/corpus/second/, same file names as tests/corpus/real/). The first labels are taken as the
truth, so the figures read like the analyzer's: precision is how many of the second labeller's ids
the first labeller also gave, recall how many of the first labeller's ids the second also found.
An `exclude:` list in a second-opinion file names ids left out of the count for that text (the
labeller saw something of the first labels for them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
FIRST = ROOT / "tests" / "corpus" / "real"
SECOND = ROOT / "tests" / "corpus" / "second"


def _first_labels(name: str, at: str | None) -> dict:
    yaml = YAML(typ="safe")
    if at is None:
        return yaml.load((FIRST / name).read_text(encoding="utf-8"))
    shown = subprocess.run(["git", "show", f"{at}:tests/corpus/real/{name}"], cwd=ROOT, capture_output=True,
                           text=True, check=True)
    return yaml.load(shown.stdout)


def _ids(labels: dict, field: str, exclude: set[str]) -> set[str]:
    return {i for i in labels.get(field) or [] if i not in exclude}


def _score(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def agreement(at: str | None = None) -> tuple[list[str], list[str]]:
    yaml = YAML(typ="safe")
    counts = {"provisions": [0, 0, 0], "loopholes": [0, 0, 0]}
    mandates_agree = texts = 0
    differences = []
    for second_file in sorted(SECOND.glob("*.yaml")):
        second = yaml.load(second_file.read_text(encoding="utf-8"))
        first = _first_labels(second_file.name, at)
        exclude = set(second.get("exclude") or [])
        texts += 1
        mandates_agree += bool(first.get("mandates_cooperation")) == bool(second.get("mandates_cooperation"))
        for field, tally in counts.items():
            mine, theirs = _ids(first, field, exclude), _ids(second, field, exclude)
            tally[0] += len(mine & theirs)
            tally[1] += len(theirs - mine)
            tally[2] += len(mine - theirs)
            differences += [f"{second_file.stem}: only the second labeller gave {i}" for i in sorted(theirs - mine)]
            differences += [f"{second_file.stem}: only the first labeller gave {i}" for i in sorted(mine - theirs)]
    lines = [f"{texts} texts labelled twice" + (f" (first labels as at {at})" if at else "")]
    for field, (tp, fp, fn) in counts.items():
        precision, recall, f1 = _score(tp, fp, fn)
        lines.append(f"{field}: P {precision:.2f} R {recall:.2f} F1 {f1:.2f} ({tp} agreed, {fp} second only, "
                     f"{fn} first only)")
    lines.append(f"mandates_cooperation: same on {mandates_agree} of {texts}")
    return lines, differences


if __name__ == "__main__":
    revision = sys.argv[sys.argv.index("--at") + 1] if "--at" in sys.argv else None
    summary, differences = agreement(revision)
    print("\n".join(summary))
    if "-v" in sys.argv:
        print("\n".join(differences))
