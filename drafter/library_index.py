"""The library index: each clause's list record (id, title, area, strength, provisions, ...) in
draft order, kept between runs so that ``drafter clauses list`` reads it without parsing,
validating or loading any clause body.

The index is made by a full load (``api.list_clauses``: every problem is raised as it always
is, and nothing is stored) and kept in the parse cache's private folder, signed
(``parse_cache.put_blob``), under a key of the bytes of every file under the library's roots
(built-in clauses and templates, and the overlay), the working folder (records show paths
relative to it) and drafter's version: any edit to any file makes a new key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from drafter import __version__, parse_cache

_KIND = "library-index-1"


def list_clauses(*, library: Path | None = None, area: str | None = None) -> list[dict[str, Any]]:
    """What ``api.list_clauses`` returns, from the index when the library is unchanged."""
    key = _key(library) if parse_cache.enabled() else None
    records = _stored(key) if key else None
    if records is None:
        from drafter import api

        records = api.list_clauses(library=library)
        if key:
            with contextlib.suppress(TypeError, ValueError):  # a value JSON cannot hold: no index
                parse_cache.put_blob(_KIND, key, json.dumps(records, ensure_ascii=False).encode("utf-8"))
    return [r for r in records if area is None or r["area"] == area]


def _roots(library: Path | None) -> list[Path]:
    from drafter.resources import builtin_clauses, builtin_templates

    roots = [builtin_clauses(), builtin_templates()]
    if library is not None:
        roots.append(library)
    return roots


def _key(library: Path | None) -> str | None:
    digest = hashlib.sha256(f"{_KIND} {__version__} {Path.cwd()} {library}\n".encode())
    for root in _roots(library):
        digest.update(f"root {root}\n".encode())
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                path = Path(folder) / name
                try:
                    data = path.read_bytes()
                except OSError:
                    return None
                digest.update(f"{path.relative_to(root)} {len(data)}\n".encode())
                digest.update(data)
    return digest.hexdigest()


def _stored(key: str) -> list[dict[str, Any]] | None:
    blob = parse_cache.get_blob(_KIND, key)
    if blob is None:
        return None
    try:
        records = json.loads(blob.decode("utf-8"))
    except ValueError:
        return None
    if not (isinstance(records, list) and all(isinstance(r, dict) and isinstance(r.get("area"), str)
                                              for r in records)):
        return None
    return records
