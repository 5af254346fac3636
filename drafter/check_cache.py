"""``drafter check``'s results kept between runs, so a check of an unchanged library redoes
nothing it did last time (as ruff and mypy do), and an edit re-checks what it touches.

Two kinds of entry, both signed JSON in the parse cache's private folder
(``parse_cache.get_blob``/``put_blob``, suffix ``.check``; docs/security.md):

- **one clause's checks** (its templates rendered with their defaults, parameters, lint,
  F-01/F-02, the authorities it cites): keyed on the clause as loaded (its file's text,
  display name and positions: :func:`entry_fingerprint`) and on every library-wide input
  those checks read (:func:`clause_inputs`: drafter's own code and versions, the limits,
  authorities, definitions, taxonomy and the loophole patterns). The ``ref()`` targets a
  clause names are stored with whether each existed; an entry is used only if each still
  does (or still does not), so adding or removing an unrelated clause re-checks nothing;
- **the preset builds** (every preset for each sample place): keyed on everything the
  library holds (:func:`library_digest`), since a build reads the whole library.

Whole-library checks (duplicate ids, references, definitions and their use, the analyzer
rules' examples) run every time. A result is the same with or without the cache; ``drafter
check --no-cache`` (or ``DRAFTER_NO_CACHE=1``, which turns off every cache) runs it all.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from drafter import parse_cache
from drafter.errors import Problem

CLAUSE_KIND = "drafter-check-clause-1"
PRESETS_KIND = "drafter-check-presets-1"
SUFFIX = ".check"

_code: str | None = None


def code_digest() -> str:
    """Drafter's own files (every module and data file of the package), its version, Jinja's
    and Python's versions and the current limits: any change to the checking code is a new key."""
    global _code
    if _code is None:
        import sys

        import jinja2

        from drafter import __version__

        package = Path(__file__).resolve().parent
        digest = hashlib.sha256(f"{__version__} {jinja2.__version__} {sys.version}\n".encode())
        for path in sorted(package.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digest.update(str(path.relative_to(package)).encode() + b"\0")
            digest.update(path.read_bytes())
        _code = digest.hexdigest()
    from drafter import limits

    shown = " ".join(f"{name}={getattr(limits, name)!r}" for name in sorted(vars(limits))
                     if name.isupper())
    return hashlib.sha256(f"{_code} {shown}".encode()).hexdigest()


def entry_fingerprint(entry: Any) -> str:
    """A clause or definition as loaded: its display name, header text, body, commentary and
    where each starts, and its validated fields. Hashed from what was read, so a file edited
    during the run cannot pair its new text with results for the old."""
    header = entry.header
    text = header.text if header.text is not None else json.dumps(header.data, sort_keys=True, default=str)
    parts = [entry.display, str(entry.path), str(header.line_offset), text, str(entry.body_line),
             entry.body, str(entry.commentary_line), entry.commentary,
             entry.meta.model_dump_json()]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _models(items: dict[str, Any]) -> list[str]:
    return [f"{key}={value.model_dump_json()}" for key, value in items.items()]


def _loophole_patterns() -> list[str]:
    from drafter.lint import loophole_patterns

    def text(pattern: Any) -> str:
        return "" if pattern is None else f"{pattern.pattern}/{pattern.flags}"

    return [json.dumps([p.id, p.why, [text(n) for n in p.needs], text(p.unless), sorted(p.modality),
                        sorted(p.modality_not), text(p.document), list(p.requires)])
            for p in loophole_patterns()]


def clause_inputs(library: Any) -> str:
    """Every library-wide input one clause's checks read (not the clause itself)."""
    digest = hashlib.sha256(f"{CLAUSE_KIND} {code_digest()}\n".encode())
    for part in (_models(library.authorities),
                 [f"{d.id}={entry_fingerprint(d)}" for d in library.definitions.values()],
                 [repr(library.taxonomy)], _loophole_patterns()):
        digest.update(json.dumps(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def library_digest(library: Any, fingerprints: dict[str, str]) -> str:
    """Everything a library holds (every field of ``Library``), for the preset builds.
    ``fingerprints``: clause id -> :func:`entry_fingerprint`, computed once by the caller."""
    import dataclasses

    digest = hashlib.sha256(f"{PRESETS_KIND} {code_digest()}\n".encode())
    for field in dataclasses.fields(library):
        value = getattr(library, field.name)
        name = field.name
        if name == "clauses":
            part: Any = [f"{cid}={fingerprints[cid]}" for cid in value]
        elif name == "definitions":
            part = [f"{d.id}={entry_fingerprint(d)}" for d in value.values()]
        elif name in ("preset_docs", "state_docs"):
            part = [[key, shown, doc.text if doc.text is not None else repr(doc.data)]
                    for key, (shown, doc) in value.items()]
        elif name in ("authorities", "presets", "states", "profiles", "forms"):
            part = _models(value)
        elif name in ("roots", "templates_dir", "taxonomy"):
            part = repr(value)
        else:  # a new kind of library data: say so, rather than key on less than everything
            raise TypeError(f"check_cache.library_digest does not know Library.{name}")
        digest.update(name.encode() + b"\0" + json.dumps(part).encode("utf-8", "surrogatepass"))
    digest.update(json.dumps(_loophole_patterns()).encode())
    return digest.hexdigest()


def key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def get(kind: str, entry_key: str) -> Any | None:
    """The JSON stored under ``entry_key`` by :func:`put` with the same kind, or None."""
    if not parse_cache.enabled():
        return None
    blob = parse_cache.get_blob(kind, entry_key, SUFFIX)
    if blob is None:
        return None
    try:
        return json.loads(blob.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


def put(kind: str, entry_key: str, data: Any) -> None:
    if parse_cache.enabled():
        parse_cache.put_blob(kind, entry_key, json.dumps(data, separators=(",", ":")).encode("utf-8"),
                             SUFFIX)


_FIELDS = ("path", "line", "col", "message", "hint", "severity", "rule", "field")


def dump_problems(problems: list[Problem]) -> list[list[Any]]:
    return [[getattr(p, name) for name in _FIELDS] for p in problems]


def load_problems(rows: Any) -> list[Problem]:
    """Problems from :func:`dump_problems`; ValueError if the rows are not of that shape."""
    if not isinstance(rows, list):
        raise ValueError("not a list of problems")
    found = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == len(_FIELDS)
                and all(isinstance(row[i], str) for i in (0, 3, 4, 5, 6, 7))
                and all(type(row[i]) is int for i in (1, 2))
                and row[5] in ("error", "warning", "info")):
            raise ValueError("not a problem")
        found.append(Problem(*row))
    return found
