"""Where the built-in library and templates live.

In a wheel they are package data under ``drafter/_builtin``; in a source checkout they
are the top-level ``clauses/`` and ``templates/`` folders.
"""

# ruff: noqa: PTH109, PTH114, PTH118, PTH119, PTH120
# (os.path in display_path: it runs for every file a build reads, and pathlib costs several times more)
from __future__ import annotations

import os
from functools import cache, lru_cache
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
        real, cwd = _real(os.fspath(path)), _real_folder(os.getcwd())
    except (OSError, ValueError):
        return str(path)
    if real == cwd:
        return "."
    inside = cwd.rstrip(os.sep) + os.sep
    return real[len(inside):] if real.startswith(inside) else str(path)


def _real(path: str) -> str:
    """``os.path.realpath``, with its folder's resolution remembered: a library's hundred files
    share a few folders, and resolving each walks every component. Only for showing a path
    (a stale folder could only change how it is shown); links out of a library are checked
    with a fresh resolve (sources.library_files). Strings, not pathlib: this runs for every
    file a build reads."""
    absolute = os.path.join(os.getcwd(), path)
    name = os.path.basename(absolute)
    if name in ("", ".", "..") or os.path.islink(absolute):
        return os.path.realpath(absolute)
    return os.path.join(_real_folder(os.path.dirname(absolute)), name)


@lru_cache(maxsize=256)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)
