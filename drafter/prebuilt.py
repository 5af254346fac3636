"""The built-in library's YAML, parsed when the wheel was built, for a fast first run.

Parsing the built-in library (about 150 YAML texts) with ruamel's round-trip parser costs a
second; the parse cache (drafter/parse_cache.py) saves that from the second run on, but the
first build on a fresh machine would pay it. So the wheel carries the parses, made by
``make`` from hatch_build.py with drafter's own loader: ``drafter/_builtin/parsed.json``,
keyed exactly as the parse cache keys a text (a SHA-256 of the text and the limits).

Nothing here can change a result (docs/security.md):

- an entry is found only for a text whose key it carries, so an edited file, an overlay or
  another library simply misses and is parsed as always;
- entries hold what the parse cache holds (plain JSON data, dates marked) and are decoded
  by the same checks; anything else in the file makes it count as absent;
- the file is part of the installed package, as trusted as its code; a source checkout or
  an editable install has none, and a build without one is the same, only slower the first time.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from drafter import parse_cache

PATH = Path(__file__).resolve().parent / "_builtin" / "parsed.json"
FORMAT = "drafter-prebuilt-1"
MAX_BYTES = 32_000_000
_table: dict[str, Any] | None = None


def lookup(key: str) -> Any | None:
    """The parse of the text whose parse-cache key is ``key``, or None."""
    encoded = _entries().get(key)
    if encoded is None:
        return None
    try:
        return parse_cache.decode(encoded)
    except (ValueError, RecursionError):
        return None


def _entries() -> dict[str, Any]:
    global _table
    if _table is None:
        _table = _read(PATH)
    return _table


def _read(path: Path) -> dict[str, Any]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        table = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not (isinstance(table, dict) and table.get("format") == FORMAT
            and table.get("cache") == parse_cache.FORMAT and isinstance(table.get("entries"), dict)):
        return {}
    return table["entries"]


def make(clauses: Path) -> bytes:
    """The parses of every YAML text the library in ``clauses`` (with its sibling
    ``templates/``) is loaded from, analyzer rules included, as the wheel's parsed.json."""
    from drafter.errors import Problems
    from drafter.library import load_analyzer_rules, load_library

    entries: dict[str, Any] = {}

    def record(text: str, data: Any) -> None:
        with contextlib.suppress(parse_cache.NotCacheable):  # what the cache would not keep either
            entries[parse_cache.key(text)] = parse_cache.encode(data)

    saved = parse_cache.get, parse_cache.put
    parse_cache.get, parse_cache.put = (lambda _text: None), record  # every text parsed here, now
    try:
        problems = Problems()
        library = load_library(problems=problems, base=clauses)
        load_analyzer_rules(library, problems)
    finally:
        parse_cache.get, parse_cache.put = saved
    table = {"format": FORMAT, "cache": parse_cache.FORMAT, "entries": dict(sorted(entries.items()))}
    return json.dumps(table, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
