"""Every `drafter ...` example in the README and docs/ runs as written.

Each fenced ``sh`` block is run from top to bottom, as a reader would type it, in a fresh
folder holding a copy of samples/ (goldens included, as in a fresh clone). ``.venv/bin/drafter``
and ``drafter`` are this checkout's installed command; in ``a && b`` lines only the drafter
commands run (installing is not this test's business). Files a reader brings themselves
(their answers file, policy text, spreadsheet, house style) are stood in for by FIXTURES.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DRAFTER = Path(sys.executable).parent / "drafter"
NEW_SPRINGFIELD = ["new", "--no-input", "--name", "Springfield", "--kind", "city", "--state", "IL"]

# What the reader brings: file name -> how the test makes a stand-in.
FIXTURES = {
    # what `drafter new` writes when the reader answers its questions for Springfield, IL
    "springfield-il.yaml": ("drafter", NEW_SPRINGFIELD),
    # two answers files to compare: the same city at two presets
    "old.yaml": ("answers", "baseline"),
    "new.yaml": ("answers", "strongest"),
    # the reader's list of jurisdictions
    "jurisdictions.csv": ("text", "name,kind,state\nSpringfield,city,IL\nTravis,county,TX\n"),
    # the reader's existing policy
    "our-county-policy.txt": ("copy", "tests/corpus/policies/02-county-detainer-reimbursement.txt"),
    "county-policy.txt": ("copy", "tests/corpus/policies/03-county-serious-felony-detainers.txt"),
    # the clerk's house style, started from drafter's own reference (as docs/cli.md says)
    "house-style.docx": ("copy", "templates/reference.docx"),
    # the draft built from springfield-il.yaml, as the lawyer sends it back (here unchanged)
    "springfield-reviewed.docx": ("draft", "springfield-il.yaml"),
}
NEEDS = {"springfield-reviewed.docx": "springfield-il.yaml"}  # a fixture that needs another beside it


def skip_reason(args: list[str]) -> str | None:
    """Why a documented command is not run here (None: it runs)."""
    if args[:1] == ["new"] and "--no-input" not in args:
        return "interactive wizard: asks questions on the terminal"
    if args[:1] == ["serve"]:
        return "starts a web server that runs until stopped"
    if "pdf" in " ".join(args) and not (shutil.which("soffice") or shutil.which("libreoffice")):
        return "PDF output needs LibreOffice, which is not installed here"
    return None


def commands(block: str) -> list[list[str]]:
    """The drafter invocations of a shell block, in order (arguments after 'drafter')."""
    found = []
    for line in block.splitlines():
        line = re.sub(r"^\s*\$\s+", "", line)
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        segment: list[str] = []
        for word in [*words, "&&"]:
            if word in ("&&", ";", "||"):
                if segment and segment[0] in ("drafter", ".venv/bin/drafter"):
                    found.append(segment[1:])
                segment = []
            else:
                segment.append(word)
    return found


def blocks() -> list[tuple[str, list[list[str]]]]:
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for index, match in enumerate(re.finditer(r"^```(?:sh|bash|shell|console)\n(.*?)^```", text,
                                                  re.M | re.S)):
            found = commands(match.group(1))
            if found:
                out.append((f"{doc.relative_to(ROOT)}#{index + 1}", found))
    return out


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DRAFTER), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def _workspace(tmp_path: Path, needed: set[str]) -> Path:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    needed |= {NEEDS[name] for name in needed if name in NEEDS}
    for name in sorted(needed, key=lambda n: (n in NEEDS, n)):
        kind, value = FIXTURES[name]
        target = tmp_path / name
        if kind == "drafter":
            assert _run(value, tmp_path).returncode == 0
        elif kind == "answers":
            scratch = tmp_path.parent / f"{tmp_path.name}-fixtures"
            base = scratch / "springfield-il.yaml"
            if not base.exists():
                scratch.mkdir(exist_ok=True)
                assert _run(NEW_SPRINGFIELD, scratch).returncode == 0
            text = base.read_text()
            target.write_text(re.sub(r"(?m)^preset: .*$", f"preset: {value}", text))
        elif kind == "draft":
            assert _run(["build", value, "-o", name, "-q"], tmp_path).returncode == 0
        elif kind == "text":
            target.write_text(value)
        else:
            shutil.copy(ROOT / value, target)
    return tmp_path


def test_there_are_examples_to_run() -> None:
    found = blocks()
    assert len(found) >= 4 and sum(len(c) for _, c in found) >= 20
    assert any(c[:1] == ["build"] for _, cmds in found for c in cmds)


def test_the_parser_reads_shell_lines() -> None:
    assert commands("python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/drafter build a.yaml -o x.docx\n"
                    "$ drafter lint a.yaml   # a comment\n# only a comment\necho drafter\n") == [
        ["build", "a.yaml", "-o", "x.docx"], ["lint", "a.yaml"]]
    assert skip_reason(["new"]) and skip_reason(["new", "--from-policy", "p.txt"])
    assert skip_reason(["new", "--no-input", "--name", "X"]) is None


@pytest.mark.parametrize(("where", "cmds"), blocks(), ids=[w for w, _ in blocks()])
def test_example_block_runs_as_written(where: str, cmds: list[list[str]], tmp_path: Path) -> None:
    mentioned = {word for cmd in cmds for word in cmd}
    creates = {cmd[cmd.index("-o") + 1] for cmd in cmds if "-o" in cmd}
    if any(cmd[:1] == ["new"] and "--no-input" in cmd for cmd in cmds):
        creates.add("springfield-il.yaml")  # the block makes it itself
    needed = {name for name in FIXTURES if name in mentioned and name not in creates}
    folder = _workspace(tmp_path, needed)
    ran = 0
    for cmd in cmds:
        if skip_reason(cmd):
            continue
        result = _run(cmd, folder)
        assert result.returncode == 0, f"{where}: drafter {shlex.join(cmd)}\n{result.stdout}\n{result.stderr}"
        ran += 1
    assert ran or all(skip_reason(c) for c in cmds)
