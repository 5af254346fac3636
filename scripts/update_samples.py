"""Rebuild the committed sample drafts (the golden files) from samples/*.yaml.

Run after changing the library, the templates or a writer, then review the diff:
    python scripts/update_samples.py && git diff --stat samples/
"""

from __future__ import annotations

from pathlib import Path

from drafter import api

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

if __name__ == "__main__":
    for answers in sorted(SAMPLES.glob("*.yaml")):
        result = api.build(answers=answers, force=True)
        for path in result.outputs:
            print(f"wrote {path.relative_to(SAMPLES.parent)}")
