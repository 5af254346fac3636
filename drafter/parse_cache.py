"""A cache of parsed YAML, keyed by the text's hash, so a library is parsed once.

ruamel.yaml's round-trip parser (needed for line numbers) costs most of a build's time.
Files that parsed cleanly before are read back from JSON (safe, no code) in the user's
cache folder; positions are recomputed only when a problem has to be located.
Set ``DRAFTER_NO_CACHE=1`` to turn it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

VERSION = "1"
_memory: dict[str, Any] = {}


def _folder() -> Path | None:
    if os.environ.get("DRAFTER_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "drafter" / f"yaml-v{VERSION}"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__date__"}:
            return dt.date.fromisoformat(value["__date__"])
        if set(value) == {"__datetime__"}:
            return dt.datetime.fromisoformat(value["__datetime__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def get(text: str) -> Any | None:
    """Plain data for a text that parsed before, or None."""
    key = _key(text)
    if key in _memory:
        return _decode(_memory[key])
    folder = _folder()
    if folder is None:
        return None
    try:
        encoded = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    _memory[key] = encoded
    return _decode(encoded)


def put(text: str, data: Any) -> None:
    """Remember a clean parse (best effort: an unwritable cache is simply skipped)."""
    key = _key(text)
    encoded = _encode(data)
    _memory[key] = encoded
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(encoded, handle)
        Path(tmp).replace(folder / f"{key}.json")
    except OSError:
        return
