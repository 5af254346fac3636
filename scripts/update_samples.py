"""Rebuild the committed sample drafts (the golden files) from samples/*.yaml.

Run after changing the library, the templates or a writer, then review the diff:
    python scripts/update_samples.py && git diff --stat samples/
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from drafter import api

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# The samples show state law as of this day, so they do not change when a law later takes
# effect; tests/test_golden.py builds with the same date.
AS_OF = dt.date(2026, 11, 29)

if __name__ == "__main__":
    for answers in sorted(SAMPLES.glob("*.yaml")):
        result = api.build(answers=answers, force=True, as_of=AS_OF)
        for path in result.outputs:
            print(f"wrote {path.relative_to(SAMPLES.parent)}")
