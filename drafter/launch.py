"""The ``drafter`` command's entry point: ``--version`` and ``--help`` without importing click.

``drafter --version`` prints what click's version option prints. ``drafter --help`` prints the
help click rendered the last time for the same command line, program name and width, kept in
the parse cache's private folder (drafter/parse_cache.py) as ``help-<key>.txt``; the key covers
the text of the modules that define the commands and click's install, so a changed option
renders again. The text is only printed, never run: it is read if it is a regular file of ours
in the private folder, not a link, within 64 KB, with no control characters but newlines.
Anything else, or a miss, runs the click application (drafter/cli.py).
"""

# ruff: noqa: PTH100, PTH105, PTH113, PTH116, PTH117, PTH118, PTH120, PTH123
# (os.path, not pathlib: importing pathlib costs a third of --help's time)
from __future__ import annotations

import os
import sys

from drafter import __version__

_HELP_KIND = "cli-help-2"
_HELP_SOURCES = ("cli.py", "kinds.py", "__init__.py")


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:
        sys.stdout.write(f"drafter, version {__version__}\n")
        return
    if args in (["--help"], ["-h"]):
        key = _help_key()
        text = _stored_help(key) if key else None
        if text is not None:
            sys.stdout.write(text)
            return
        if key:
            _render_and_store_help(key)
            return
    _settle_imports(args)
    from drafter.cli import main as click_main

    click_main()


def _settle_imports(args: list[str]) -> None:
    """Import what the command needs with the cyclic garbage collector off, then freeze it.

    Imports make hundreds of thousands of long-lived objects and almost no garbage cycles;
    left on, the collector walks them again and again (about a tenth of a sample build).
    Frozen, they are never walked; the collector then runs with a larger first generation.
    """
    import gc

    # pydantic looks for plugins by scanning every installed package's entry points the first
    # time a model is built (milliseconds per hundred packages); drafter uses none. An
    # explicit setting, even an empty one, is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()
    import drafter.cli  # noqa: F401
    if args[:1] == ["build"]:  # the common command: its modules too
        import drafter.api
        import drafter.core
        import drafter.render
        import drafter.resolve  # noqa: F401
    gc.freeze()
    gc.set_threshold(10_000, 50, 1_000)
    gc.enable()


def _width() -> int:
    """The width click formats help for (click.formatting: terminal columns, at most 80, less 2)."""
    columns = 0
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(min(columns, 80) - 2, 50)


def _sha256(data: bytes) -> str:
    try:  # CPython's own SHA-256 (hashlib would load OpenSSL, which costs more than the rest)
        from _sha256 import sha256  # type: ignore[import-not-found]
    except ImportError:
        from hashlib import sha256
    return sha256(data).hexdigest()


def _help_key() -> str | None:
    here = os.path.dirname(os.path.abspath(__file__))
    parts = []
    try:
        for name in _HELP_SOURCES:
            with open(os.path.join(here, name), "rb") as handle:
                parts.append(handle.read())
        click = next((os.path.join(entry or ".", "click", "__init__.py") for entry in sys.path
                      if os.path.isfile(os.path.join(entry or ".", "click", "__init__.py"))), None)
        if click is None:
            return None
        parts.append(f"{os.stat(click).st_mtime_ns} {click}".encode())  # a new click renders again
    except OSError:
        return None
    invocation = getattr(sys, "orig_argv", sys.argv)[: -len(sys.argv[1:]) or None]
    parts.append(repr((_HELP_KIND, invocation, sys.argv[0], _width(), sys.argv[1:], __version__)).encode())
    return _sha256(b"\0".join(parts))


def _help_folder() -> str | None:
    """The parse cache's folder (drafter/parse_cache.py), if it exists and is private and ours."""
    if os.environ.get("DRAFTER_NO_CACHE"):
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    home = os.environ.get("HOME", "")
    if xdg and os.path.isabs(xdg):
        base = xdg
    elif home and os.path.isabs(home) and os.path.normpath(home) != "/":
        base = os.path.join(home, ".cache")
    else:
        return None
    return os.path.join(base, "drafter", "yaml-v3")


def _stored_help(key: str) -> str | None:
    """The help text kept for ``key``: a regular file of ours, not a link, in our private
    folder, within 64 KB, UTF-8 with no control characters but newlines; else None."""
    import stat

    folder = _help_folder()
    if folder is None:
        return None
    try:
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None
        fd = os.open(os.path.join(folder, f"help-{key}.txt"),
                     os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > 65536:
            return None
        text = os.read(fd, 65537).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)
    if not text or any(ord(c) < 32 and c != "\n" for c in text) or "\x7f" in text:
        return None
    return text


def _render_and_store_help(key: str) -> None:
    """Run click for --help, print what it prints, and keep it for next time."""
    import io
    import tempfile
    from contextlib import redirect_stdout

    from drafter import parse_cache
    from drafter.cli import cli

    captured = io.StringIO()
    with redirect_stdout(captured):
        code = cli.main(sys.argv[1:], prog_name=None, standalone_mode=False)
    text = captured.getvalue()
    sys.stdout.write(text)
    located = parse_cache._folder()  # creates and checks the private folder
    if code in (0, None) and text and located is not None and str(located[0]) == _help_folder():
        try:
            fd, tmp = tempfile.mkstemp(dir=located[0], suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, os.path.join(located[0], f"help-{key}.txt"))
        except OSError:
            pass
    if code:
        sys.exit(code)
