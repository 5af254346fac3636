"""The built-in library's YAML parsed, and its templates compiled, when the wheel was built,
for a fast first run.

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

Compiling the templates a build renders is the other half of a first build's cost, so the
wheel also carries ``drafter/_builtin/compiled.json``, made by ``make_compiled``: the compiled
code drafter/templating.py stores in the parse cache for every template the built-in library
renders in the builds ``make_compiled`` runs, under the same keys (which cover the template's
text and line, templating.py's own text, and Jinja's and Python's versions). It is read only
when a compiled template is not in the user's cache, and a key made with another Python,
another Jinja or other guards simply misses, and the template is compiled as always.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from drafter import parse_cache

PATH = Path(__file__).resolve().parent / "_builtin" / "parsed.json"
COMPILED_PATH = PATH.with_name("compiled.json")
FORMAT = "drafter-prebuilt-1"
COMPILED_FORMAT = "drafter-compiled-1"
MAX_BYTES = 32_000_000
_table: dict[str, Any] | None = None
_compiled: dict[str, Any] | None = None


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


def _read(path: Path, fmt: str = FORMAT) -> dict[str, Any]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        table = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not (isinstance(table, dict) and table.get("format") == fmt
            and table.get("cache") == parse_cache.FORMAT and isinstance(table.get("entries"), dict)):
        return {}
    return table["entries"]


def lookup_compiled(kind: str, key: str) -> bytes | None:
    """The bytes ``parse_cache.put_blob(kind, key, ...)`` stored for a built-in template when
    the wheel was built, or None."""
    global _compiled
    if _compiled is None:
        _compiled = _read(COMPILED_PATH, COMPILED_FORMAT)
    encoded = _compiled.get(f"{kind} {key}")
    if not isinstance(encoded, str):
        return None
    import base64
    import binascii

    try:
        return base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        return None


@contextlib.contextmanager
def _cache_replaced(**functions: Any) -> Iterator[None]:
    """parse_cache's functions replaced for the while (the wheel's files are made from a fresh
    parse and compile, never from a user's cache), then put back."""
    saved = {name: getattr(parse_cache, name) for name in functions}
    for name, function in functions.items():
        setattr(parse_cache, name, function)
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(parse_cache, name, function)


# Who the builds in make_compiled are for: every preset, for each kind of government, in
# states whose law withholds, swaps or keeps different clauses.
_COMPILE_FOR = (("city", "CA"), ("county", "CA"), ("city", "IL"), ("county", "TX"), ("city", "NY"),
                ("county", "WA"), ("city", "FL"), ("county", "OR"))


def make_compiled(clauses: Path) -> bytes:
    """The compiled templates the builds of every preset (commentary and memo included) render,
    from the library in ``clauses``, as the wheel's compiled.json. Templates a rarer build
    needs are compiled on first use, as they would be without this file."""
    import base64

    from drafter import core, templating
    from drafter.errors import DrafterError, Problems
    from drafter.library import load_library

    entries: dict[str, str] = {}

    def record(kind: str, key: str, payload: bytes, suffix: str = ".jinja") -> None:
        if suffix == ".jinja":
            entries[f"{kind} {key}"] = base64.b64encode(payload).decode("ascii")

    templating.clear_memory()
    # nothing read from or written to a cache: every template compiled here, now, and recorded
    with _cache_replaced(get=lambda _text: None, put=lambda _text, _data: None,
                         get_blob=lambda *_args: None, put_blob=record, enabled=lambda: True):
        try:
            library = load_library(problems=Problems(), base=clauses)
            for preset in sorted(library.presets):
                for kind, state in _COMPILE_FOR:
                    answers = {"jurisdiction": {"name": "Sample", "kind": kind, "state": state}, "preset": preset}
                    with contextlib.suppress(DrafterError):  # a preset a state's law rules out
                        core.build(answers, library=library, options={"commentary": "annotated"}).memo("md")
        finally:
            templating.clear_memory()
    table = {"format": COMPILED_FORMAT, "cache": parse_cache.FORMAT, "entries": dict(sorted(entries.items()))}
    return json.dumps(table, separators=(",", ":")).encode("utf-8")


def make(clauses: Path) -> bytes:
    """The parses of every YAML text the library in ``clauses`` (with its sibling
    ``templates/``) is loaded from, analyzer rules included, as the wheel's parsed.json."""
    from drafter.errors import Problems
    from drafter.library import load_analyzer_rules, load_library

    entries: dict[str, Any] = {}

    def record(text: str, data: Any) -> None:
        with contextlib.suppress(parse_cache.NotCacheable):  # what the cache would not keep either
            entries[parse_cache.key(text)] = parse_cache.encode(data)

    with _cache_replaced(get=lambda _text: None, put=record):  # every text parsed here, now
        problems = Problems()
        library = load_library(problems=problems, base=clauses)
        load_analyzer_rules(library, problems)
    table = {"format": FORMAT, "cache": parse_cache.FORMAT, "entries": dict(sorted(entries.items()))}
    return json.dumps(table, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
