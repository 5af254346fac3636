"""Where the built-in library and templates live.

In a wheel they are package data under ``drafter/_builtin``; in a source checkout they
are the top-level ``clauses/`` and ``templates/`` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache  # a stat per call; check asks for it once per sentence it lints
def _builtin(name: str) -> Path:
    shipped = _PACKAGE / "_builtin" / name
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent / name


def builtin_clauses() -> Path:
    """The built-in clause library."""
    return _builtin("clauses")


def builtin_templates() -> Path:
    """The built-in profiles, jurisdiction forms and reference.docx."""
    return _builtin("templates")


def display_path(path: Path) -> str:
    """A path as a user should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
