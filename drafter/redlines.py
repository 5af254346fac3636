"""Redlines against what lawyers have: an earlier .docx of the draft, or the built-in library.

``drafter redline OLD.docx NEW.yaml``: the paragraphs of the earlier Word file (as it reads
with every tracked change accepted) are the old side, so "what changed since the draft we
circulated" needs neither the old answers file nor the old library.
``drafter redline ANSWERS --against-builtin --library DIR``: the same answers built with the
built-in library alone (old) and with the overlay (new), so a lawyer sees what their overlay
changes. Both reuse ``compare.merge`` and the Word writer's tracked changes.
"""

from __future__ import annotations

from pathlib import Path

from drafter.docmodel import Run
from drafter.errors import DrafterError, Problem
from drafter.layout import Line
from drafter.resources import display_path


def docx_lines(path: Path) -> list[Line]:
    """An earlier drafter .docx as layout lines (accepted view; tables are skipped)."""
    from drafter.absorb import read_docx

    lines = []
    for index, paragraph in enumerate(read_docx(path).paragraphs):
        if paragraph.gone_accepted or not paragraph.accepted.strip():
            continue
        style = paragraph.style or "OrdBody"
        level = paragraph.level if style.startswith("OrdLevel") else None
        lines.append(Line(style, [Run(paragraph.accepted)], level=level, key=f"~old{index}"))
    return lines


def _check_output(output: Path, force: bool) -> None:
    from drafter.output import check_writable

    if output.suffix.lower() != ".docx":
        raise DrafterError([Problem(display_path(output), message="a redline is a .docx file",
                                    hint="give -o a name ending in .docx")])
    check_writable(output, force=force)


def _write(output: Path, lib, selection, document, old_lines: list[Line], force: bool) -> None:  # noqa: ANN001
    from drafter.api import render_format
    from drafter.compare import merge
    from drafter.layout import layout
    from drafter.output import write_atomic

    merged = merge(old_lines, layout(document), "tracked")
    data = render_format("docx", document, selection.profile, lib.templates_dir, footnotes=False,
                         lines=merged, track_revisions=True)
    write_atomic(output, data, force=force)


def redline_docx(*, old: Path, new: Path, output: Path, library: Path | None = None,
                 commentary: str | None = None, force: bool = False) -> list[Problem]:
    """NEW's draft with tracked changes against an earlier .docx; returns the build's warnings."""
    from drafter.absorb import _commentary_mode, read_docx
    from drafter.api import _selection_for
    from drafter.render import build_document

    _check_output(output, force)
    if not old.is_file():
        raise DrafterError([Problem(display_path(old), message="file not found", hint="check the path")])
    old_lines = docx_lines(old)
    mode = commentary or _commentary_mode(read_docx(old))
    lib, selection = _selection_for(new, library=library)
    document = build_document(lib, selection, commentary=mode)
    _write(output, lib, selection, document, old_lines, force)
    return list(selection.warnings)


def redline_builtin(*, answers: Path, output: Path, library: Path | None,
                    commentary: str = "none", force: bool = False) -> list[Problem]:
    """The draft built with the overlay, with tracked changes against the built-in library's."""
    from drafter.api import _selection_for
    from drafter.layout import layout
    from drafter.render import build_document

    if library is None:
        raise DrafterError([Problem("--against-builtin", message="needs --library DIR",
                                    hint="name the overlay to compare with the built-in library")])
    _check_output(output, force)
    old_lib, old_selection = _selection_for(answers, library=None)
    new_lib, new_selection = _selection_for(answers, library=library)
    old_doc = build_document(old_lib, old_selection, commentary=commentary)
    new_doc = build_document(new_lib, new_selection, commentary=commentary)
    _write(output, new_lib, new_selection, new_doc, layout(old_doc), force)
    return list(old_selection.warnings) + list(new_selection.warnings)
