from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import DrafterError, Problems
from drafter.library import Library, load_library

from .conftest import write_tree

CLAUSE = """
---
id: {id}
title: Test Clause
area: {area}
provisions: [detainer.no-hold]
strength: strongest
authorities: [printz-v-us-1997]
summary: {{en: A test., es: Una prueba.}}
{extra}
---
1. A covered agency shall not test.

## Commentary

Test commentary.
"""


def clause(cid: str, extra: str = "") -> str:
    return CLAUSE.format(id=cid, area=cid.split(".")[0], extra=extra)


def test_builtin_library_loads_cleanly(library: Library) -> None:
    assert len(library.clauses) >= 20
    assert library.definitions and library.presets and library.profiles and library.forms
    assert "strongest" in library.presets


def test_every_variant_group_has_one_strongest_default(library: Library) -> None:
    for group, members in library.variant_groups().items():
        defaults = [c for c in members if c.meta.default]
        assert len(defaults) == 1, group
        assert defaults[0].meta.strength == "strongest", group


def test_overlay_replaces_and_adds(tmp_path: Path, library: Library) -> None:
    root = write_tree(tmp_path, {
        "detainers/no-holds.md": clause("detainers.no-holds",
                                        "variant_of: detainer-refusal\ndefault: true"),
        "detainers/extra-rule.md": clause("detainers.extra-rule"),
    })
    overlaid = load_library(root)
    assert overlaid.clauses["detainers.no-holds"].path == root / "detainers/no-holds.md"
    assert "detainers.extra-rule" in overlaid.clauses
    assert len(overlaid.clauses) == len(library.clauses) + 1


@pytest.mark.parametrize(("files", "expected"), [
    ({"detainers/a.md": clause("detainers.b")}, "does not match the file's location"),
    ({"detainers/a.md": clause("detainers.a", "requires: [detainers.zzz]")},
     "unknown clause id 'detainers.zzz'"),
    ({"detainers/a.md": clause("detainers.a").replace("[printz-v-us-1997]", "[made-up-case]")},
     "unknown authority id 'made-up-case'"),
    ({"detainers/a.md": clause("detainers.a").replace("[detainer.no-hold]", "[detainer.nope]")},
     "unknown provision id 'detainer.nope'"),
    ({"detainers/a.md": clause("detainers.a", "colour: red")}, "unknown field 'colour'"),
    ({"detainers/a.md": clause("detainers.a", "variant_of: g\ndefault: true"),
      "detainers/b.md": clause("detainers.b", "variant_of: g\ndefault: true")},
     "has 2 defaults"),
    ({"detainers/a.md": clause("detainers.a", "requires: [detainers.b]"),
      "detainers/b.md": clause("detainers.b", "requires: [detainers.a]")},
     "forms a cycle"),
    ({"presets/p.yaml": "id: p\ntitle: P\ndescription: d\ninclude: [policing.nope]\n"},
     "unknown clause id 'policing.nope'"),
])
def test_library_faults_are_located(tmp_path: Path, files: dict[str, str],
                                    expected: str) -> None:
    root = write_tree(tmp_path, files)
    problems = Problems()
    load_library(root, problems)
    messages = [str(p) for p in problems.errors]
    assert any(expected in m for m in messages), messages
    hit = next(p for p in problems.errors if expected in str(p))
    assert hit.line > 0 and str(root.name) in hit.path


def test_load_library_raises_all_problems(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "detainers/a.md": clause("detainers.a", "colour: red"),
        "policing/b.md": clause("policing.b", "flavour: sweet"),
    })
    with pytest.raises(DrafterError) as info:
        load_library(root)
    assert len(info.value.problems) == 2
