"""Writing output files: checked before any work, all or nothing, never over an existing
file without ``force``.

``check_writable`` refuses an output path before a build spends any time on it: a name
over 255 bytes, a folder that is missing, is a file or cannot be written, a target that is a
directory, device or pipe. ``write_all`` then writes every file of a build to a temporary
file next to its target, and only when every one is complete renames them all into place.
A failure while writing (a full disk, a file-size limit, a permission) or an interrupt
(Ctrl-C, SIGTERM) removes the temporary files and leaves the old set untouched; the renames
themselves run with Ctrl-C and SIGTERM held back, so they are not split either. A process
killed with SIGKILL cannot clean up: the temporary files it leaves carry its process id, and
the next write to the same names removes those of processes that no longer run
(docs/security.md, "Writing outputs").
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from drafter.errors import DrafterError, Problem
from drafter.resources import display_path

NAME_MAX = 255  # bytes in one file or folder name (ext4, xfs, btrfs, APFS, NTFS in UTF-16 units)
PATH_MAX = 4096  # bytes in a whole path (Linux)
_TEMP_SUFFIX = ".tmp"


class OutputError(DrafterError, OSError):
    """An output that cannot be written: a ``DrafterError`` (located, no traceback) that is
    also an ``OSError``, for callers that catch file-system errors."""


def _refuse(path: Path | str, message: str, hint: str = "") -> OutputError:
    shown = display_path(path) if isinstance(path, Path) else path
    return OutputError([Problem(shown, message=message, hint=hint)])


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse before any work is done if ``path`` cannot be written: it exists and ``force``
    is off; it is a folder, device or pipe; a name in it is too long; its folder is missing,
    is a file, or cannot be written to."""
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            raise _refuse(path, f"a name in this path is {size:,} bytes long; the limit is {NAME_MAX}",
                          "choose a shorter file name with -o")
    if len(os.fsencode(str(path.absolute()))) > PATH_MAX:
        raise _refuse(path, f"the path is longer than {PATH_MAX:,} bytes", "choose a shorter -o")
    parent = path.parent
    try:
        parent_info = parent.stat()
    except FileNotFoundError:
        blocker = _file_in_the_way(parent)
        if blocker is not None:
            raise _refuse(blocker, "is a file, not a folder",
                          "an output path cannot go inside a file; choose another -o") from None
        raise _refuse(parent, "folder does not exist", "create it first or choose another -o") from None
    except NotADirectoryError:
        blocker = _file_in_the_way(parent) or parent
        raise _refuse(blocker, "is a file, not a folder",
                      "an output path cannot go inside a file; choose another -o") from None
    except OSError as exc:
        raise _refuse(parent, f"cannot use this folder: {exc.strerror}", "choose another -o") from None
    if not stat.S_ISDIR(parent_info.st_mode):
        raise _refuse(parent, "is a file, not a folder",
                      "an output path cannot go inside a file; choose another -o")
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _refuse(path, f"cannot use this path: {exc.strerror}", "choose another -o") from None
    if info is not None:
        if not force:
            raise _refuse(path, "file already exists",
                          "pass --force to overwrite it, or choose another -o")
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(path, "is a directory", "give a file name, e.g. -o draft.docx")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, "is not a regular file (a device, pipe or socket)",
                          "give the name of a file to write, e.g. -o draft.docx")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _refuse(parent, "folder is not writable (permission denied)",
                      "choose a folder you can write to, or change its permissions")


def _file_in_the_way(folder: Path) -> Path | None:
    """The first existing part of ``folder`` that is not a folder, if any."""
    for ancestor in [*reversed(folder.parents), folder]:
        try:
            if not stat.S_ISDIR(ancestor.stat().st_mode):
                return ancestor
        except OSError:
            return None
    return None


def write_atomic(path: Path, data: bytes | str, *, force: bool) -> None:
    """Write one file all or nothing (see ``write_all``)."""
    write_all([(path, data)], force=force)


def write_all(items: Iterable[tuple[Path, bytes | str]], *, force: bool) -> list[Path]:
    """Write every ``(path, data)`` or none of them.

    Each file goes to a temporary file in its target's folder (mode from the umask), is
    flushed to disk, and only when all are complete are they renamed into place, with Ctrl-C
    and SIGTERM held back for the renames. Any failure or interrupt before that removes every
    temporary file and leaves the old files (or none) as they were. An ``OSError`` becomes a
    located ``OutputError`` (disk full, permission denied, ...).
    """
    items = [(path, _payload(path, data)) for path, data in items]
    for path, _ in items:
        check_writable(path, force=force)
    temps: list[tuple[str, Path]] = []
    current: Path | None = None
    try:
        with _sigterm_raises():
            for path, payload in items:
                current = path
                _sweep_orphans(path)
                _write_temp(path, payload, temps)
            with _signals_held():
                for tmp, path in temps:
                    current = path
                    Path(tmp).replace(path)
                temps.clear()
            for folder in {path.parent for path, _ in items}:
                _fsync_folder(folder)
    except OSError as exc:
        if isinstance(exc, DrafterError):
            raise
        where = current if current is not None else items[0][0]
        message, hint = _explain_os_error(exc)
        raise OutputError([Problem(display_path(where), message=message, hint=hint)]) from None
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
    return [path for path, _ in items]


def _payload(path: Path, data: bytes | str) -> bytes:
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = data[exc.start]
        raise _refuse(path, f"the text contains U+{ord(char):04X}, a character no file can hold "
                            "(a lone surrogate)",
                      "remove it from the answers or the clause that produced it") from None


def _temp_prefix(path: Path) -> str:
    """``.<name>.<pid>.``, the name shortened so the temporary name stays under NAME_MAX."""
    name = path.name
    room = NAME_MAX - 40  # pid, mkstemp's 8 random characters, dots and the suffix
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}.{os.getpid()}."


def _write_temp(path: Path, payload: bytes, temps: list[tuple[str, Path]]) -> None:
    """Write ``payload`` to a new temporary file next to ``path``, listed in ``temps`` as soon
    as it exists (so an interrupt at any point leaves it to the caller's clean-up)."""
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=_TEMP_SUFFIX, dir=path.parent)
    temps.append((tmp, path))
    try:
        # mkstemp creates the file owner-only (0600); give it the mode any new file gets.
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        temps.remove((tmp, path))
        raise


def _sweep_orphans(path: Path) -> None:
    """Remove temporary files for ``path`` left by a process that was killed (SIGKILL)."""
    prefix = _temp_prefix(path).rsplit(".", 2)[0] + "."  # ".<name>."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(_TEMP_SUFFIX)):
            continue
        pid_text = entry.name[len(prefix):].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_EXPLAIN = {
    errno.ENOSPC: ("no space left on the disk", "free some space or choose another -o; nothing was written"),
    errno.EDQUOT: ("disk quota exceeded", "free some space or choose another -o; nothing was written"),
    errno.EFBIG: ("file too large (a file-size limit of the system or the file system)",
                  "raise the limit (ulimit -f) or choose another -o; nothing was written"),
    errno.EACCES: ("permission denied", "choose a folder you can write to; nothing was written"),
    errno.EPERM: ("operation not permitted", "choose a folder you can write to; nothing was written"),
    errno.EROFS: ("the file system is read-only", "choose another -o; nothing was written"),
    errno.ENAMETOOLONG: ("file name too long", "choose a shorter -o; nothing was written"),
    errno.ENOTDIR: ("a part of this path is a file, not a folder", "choose another -o"),
    errno.ENOENT: ("folder does not exist", "create it first or choose another -o"),
    errno.EIO: ("input/output error from the disk", "check the disk, or choose another -o"),
}


def _explain_os_error(exc: OSError) -> tuple[str, str]:
    if exc.errno in _EXPLAIN:
        return _EXPLAIN[exc.errno]
    return f"cannot write: {exc.strerror or exc}", "choose another -o; nothing was written"


class Interrupted(SystemExit):
    """SIGTERM, raised as an exception so that clean-up runs; exits with status 143."""


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(128 + signum)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises ``Interrupted`` (like Ctrl-C raises KeyboardInterrupt),
    so ``finally`` clauses run; outside it, SIGTERM does what it did before."""
    if not _in_main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        yield  # someone chose a handler: keep it
        return
    signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_sigterm_raises = terminate_raises


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back for the block (delivered right after it)."""
    if not _in_main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask (read by setting it and putting it back, under a lock)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask
