"""Writing output files: atomically, and never over an existing file without ``force``."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from drafter.errors import DrafterError, Problem
from drafter.resources import display_path


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse before any work is done if ``path`` exists and ``force`` is off."""
    if path.exists() and not force:
        raise DrafterError([Problem(display_path(path), message="file already exists",
                                    hint="pass --force to overwrite it, or choose another -o")])
    if path.exists() and path.is_dir():
        raise DrafterError([Problem(display_path(path), message="is a directory",
                                    hint="give a file name, e.g. -o draft.docx")])
    if not path.parent.exists():
        raise DrafterError([Problem(display_path(path.parent), message="folder does not exist",
                                    hint="create it first or choose another -o")])


def write_atomic(path: Path, data: bytes | str, *, force: bool) -> None:
    """Write to a temporary file in the same folder, then rename over the target.

    A crash or an error leaves either the old file or none, never half a document.
    """
    check_writable(path, force=force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file owner-only (0600); give it the mode any new file gets.
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask (read by setting it and putting it back, under a lock)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask
