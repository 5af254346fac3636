"""Every sample builds to exactly the committed .md and .docx (refresh: scripts/update_samples.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafter import api

from .conftest import SAMPLES
from .docx_dump import dump


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_sample_matches_golden(sample: Path, tmp_path: Path) -> None:
    # the state law the samples were built under (scripts/update_samples.py, AS_OF)
    api.build(answers=sample, output=tmp_path / "out", formats=["docx", "md"], as_of=dt.date(2026, 11, 29))
    golden_md = sample.with_suffix(".md").read_text(encoding="utf-8")
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == golden_md, \
        "run scripts/update_samples.py and review the diff"
    assert dump(tmp_path / "out.docx") == dump(sample.with_suffix(".docx"))


def test_samples_cover_the_required_shapes() -> None:
    names = {s.stem for s in SAMPLES}
    assert {"oakland-ca", "cook-county-il", "brattleboro-vt", "phoenix-az", "fresno-county-ca",
            "austin-tx"} <= names
