"""Where the built-in library and templates live.

In a wheel they are package data under ``drafter/_builtin``; in a source checkout they
are the top-level ``clauses/`` and ``templates/`` folders.
"""

from __future__ import annotations

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
        return str(_real(path).relative_to(_real_folder(str(Path.cwd()))))
    except (ValueError, OSError):
        return str(path)


def _real(path: Path) -> Path:
    """``path.resolve()``, with its folder's resolution remembered: a library's hundred files
    share a few folders, and resolving each walks every component. Only for showing a path
    (a stale folder could only change how it is shown); links out of a library are checked
    with a fresh resolve (sources.library_files)."""
    absolute = Path.cwd() / path
    if absolute.name in ("", ".", "..") or absolute.is_symlink():
        return absolute.resolve()
    return _real_folder(str(absolute.parent)) / absolute.name


@lru_cache(maxsize=256)
def _real_folder(folder: str) -> Path:
    return Path(folder).resolve()
