"""Synthetic clause libraries for the scale series (bench/run.py, tests/test_scaling.py).

``make_library(folder, n)`` writes an overlay of ``n`` clauses: copies of the built-in
clauses with new ids, titles and variant groups, ``requires``/``conflicts`` pointing into
the same copy, and text that is distinct in every copy (a Jinja comment at the end of the
body and a sentence in the commentary), so no cache can share work between copies that a
real library of distinct clauses would not share. The rendered clause text is the built-in
one, so the library checks with 0 errors and every preset builds.

``every_clause_answers(path, library)`` writes answers that include every ungrouped clause
and each variant group's default (built-in and overlay): the largest draft the library makes.

    python bench/genlib.py OUT N      # write a library of N clauses to OUT
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREAS = ("detainers", "information", "access", "policing", "structure")
_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


def _builtin() -> list[tuple[str, str, str]]:
    """(area, stem, text) of every built-in clause file, in a fixed order."""
    found = []
    for area in AREAS:
        for path in sorted((ROOT / "clauses" / area).glob("*.md")):
            found.append((area, path.stem, path.read_text(encoding="utf-8")))
    return found


def _rewrite(text: str, area: str, stem: str, copy: int, ids: set[str], made: set[str]) -> str:
    match = _FRONT.match(text)
    if not match:
        raise ValueError(f"{area}/{stem}.md has no front matter")
    header, body = match.group(1), text[match.end():]
    suffix = f"-g{copy}"

    def new_id(old: str) -> str:
        return f"{old}{suffix}" if old in ids else old

    lines = []
    for line in header.splitlines(keepends=True):
        if line.startswith("id:"):
            line = f"id: {area}.{stem}{suffix}\n"
        elif line.startswith("title:"):
            title = line.split(":", 1)[1].strip().strip("'\"")
            line = f"title: \"{title} (copy {copy})\"\n"
        elif line.startswith("variant_of:"):
            line = f"variant_of: {line.split(':', 1)[1].strip()}{suffix}\n"
        elif line.startswith(("requires:", "conflicts:")):
            key, value = line.split(":", 1)
            items = [item.strip() for item in value.strip().strip("[]").split(",") if item.strip()]
            kept = [new_id(item) for item in items if new_id(item) in made or item not in ids]
            line = f"{key}: [{', '.join(kept)}]\n"
        lines.append(line)
    marker = f"{{# generated copy {copy} of {area}.{stem} #}}\n"
    if "## Commentary" in body:
        text_part, commentary = body.split("## Commentary", 1)
        body = (text_part.rstrip("\n") + "\n" + marker + "\n## Commentary" + commentary.rstrip("\n")
                + f"\n\nThis is copy {_letters(copy)} of the section, kept for the scale benchmark.\n")
    else:
        body = body.rstrip("\n") + "\n" + marker
    return "---\n" + "".join(lines) + "---\n" + body


def _letters(number: int) -> str:
    """1 -> 'b', 27 -> 'bb': a name for a copy that states no figure (lint rule F-01)."""
    out = ""
    while True:
        number, digit = divmod(number, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[digit] + out
        if not number:
            return out


def make_library(folder: Path, count: int) -> Path:
    """An overlay of ``count`` generated clauses in ``folder`` (created); returns ``folder``."""
    clauses = _builtin()
    ids = {f"{area}.{stem}" for area, stem, _ in clauses}
    for area in AREAS:
        (folder / area).mkdir(parents=True, exist_ok=True)
    plan = [(divmod(index, len(clauses))[0] + 1, clauses[index % len(clauses)]) for index in range(count)]
    made = {f"{area}.{stem}-g{copy}" for copy, (area, stem, _) in plan}
    for copy, (area, stem, text) in plan:
        path = folder / area / f"{stem}-g{copy}.md"
        path.write_text(_rewrite(text, area, stem, copy, ids, made), encoding="utf-8")
    # copies of a group are complete only when every member was copied: drop partial groups'
    # variant_of so the library has one default per group and checks with 0 errors
    _fix_partial_groups(folder)
    return folder


def _fix_partial_groups(folder: Path) -> None:
    members: dict[str, list[tuple[Path, bool]]] = {}
    for path in folder.glob("*/*.md"):
        text = path.read_text(encoding="utf-8")
        group = re.search(r"^variant_of:\s*(\S+)", text, re.M)
        if group:
            default = re.search(r"^default:\s*true", text, re.M) is not None
            members.setdefault(group.group(1), []).append((path, default))
    for entries in members.values():
        if any(default for _, default in entries):
            continue
        for path, _ in entries:  # no default copied: the copies stand alone
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"^variant_of:.*\n", "", text, flags=re.M)
            text = re.sub(r"^default:.*\n", "", text, flags=re.M)
            text = re.sub(r"^strength:.*\n", "strength: strongest\n", text, flags=re.M)
            path.write_text(text, encoding="utf-8")


def every_clause_answers(path: Path, library: Path | None) -> Path:
    """Answers (Oakland) including every ungrouped clause and each group's default."""
    from drafter.library import load_library

    lib = load_library(library)
    chosen = [c.id for c in lib.clauses.values()
              if (not c.meta.variant_of or c.meta.default)
              and ("city" in c.meta.applies_to or not c.meta.applies_to)]
    sample = (ROOT / "samples" / "oakland-ca.yaml").read_text(encoding="utf-8")
    include = "".join(f"  - {cid}\n" for cid in sorted(chosen))
    lines = [line for line in sample.splitlines() if not line.startswith("library:")]
    text = "\n".join(lines) + "\ninclude:\n" + include
    if library is not None:
        text += f"library: {library.resolve()}\n"
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    make_library(Path(sys.argv[1]), int(sys.argv[2]))
