"""A cache of parsed YAML, keyed by the text's content, so a library is parsed once.

ruamel.yaml's round-trip parser (needed for line numbers) costs most of a build's time.
Files that parsed cleanly before are read back from JSON (safe, no code); positions are
recomputed only when a problem has to be located. Set ``DRAFTER_NO_CACHE=1`` to turn off
both the disk and the in-process copy.

The cache can never change a result (docs/security.md):

- only data that JSON holds exactly is stored (plain mappings with text keys, lists, text,
  numbers, booleans, null, dates), so a cached parse validates exactly as a fresh one;
  anything else (tagged values, sets, binary, non-text keys) is simply parsed every time;
- entries live in a private folder (``$XDG_CACHE_HOME`` or ``$HOME/.cache``, absolute paths
  only, ``drafter/yaml-v3``, mode 0700, ours); with no such folder there is no disk cache;
- an entry is used only if it is a regular file within the size limit, carries an HMAC made
  with a random per-user key kept beside it (so an edited, copied or truncated entry fails),
  names its own key and decodes to the expected shape. Anything else is a miss: the text is
  parsed again and the entry rewritten;
- the folder is pruned oldest-first past ``limits.MAX_CACHE_DISK_BYTES`` and the in-process
  copy is a least-recently-used map bounded by ``limits.MAX_CACHE_MEMORY_BYTES``.

The same folder, key, signing and bounds keep compiled templates (``get_blob``/``put_blob``,
used by drafter/templating.py): a ``<key>.jinja`` entry is the HMAC of its kind, its key and
its bytes, then the bytes. The MAC is checked before a byte of it is used, so an edited,
forged, truncated or renamed entry is discarded (never loaded, never executed) and the
template is compiled again. The same signing keeps ``drafter check``'s results (``.check``,
drafter/check_cache.py) and the Markdown tokens of rendered clause text (``.md``, plain JSON,
drafter/markdown.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import time
from pathlib import Path

from drafter import limits

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: drafter --help reads this cache
    from typing import Any

FORMAT = "3"
_PREFIX = b'{"mac":"'
_MIDDLE = b'","entry":'
_KEY_FILE = "key"
_SUFFIXES = (".json", ".jinja", ".check", ".md")  # parsed YAML, compiled templates, check results, Markdown tokens
_BLOB_MAC = b"drafter-blob\0"
_memory: dict[str, str] = {}  # key -> entry body (JSON), least recently used first
_memory_bytes = 0
_disk_written = 0  # bytes this process wrote since it last measured the folder
_measured = False


class _NotCacheable(Exception):
    """The data holds something JSON cannot give back exactly."""


def enabled() -> bool:
    return not os.environ.get("DRAFTER_NO_CACHE")


def _key(text: str) -> str:
    # The limits are part of the key: lowering one must not let an old parse through.
    salt = (f"drafter-yaml {FORMAT} {limits.MAX_FILE_BYTES} {limits.MAX_YAML_EXPANSION} "
            f"{limits.MAX_YAML_DEPTH}\n")
    return hashlib.sha256((salt + text).encode("utf-8", "surrogatepass")).hexdigest()


# ------------------------------------------------------------------ where

def _base() -> Path | None:
    """The per-user cache root, or None: relative or empty settings are ignored (XDG spec),
    and HOME='' or HOME=/ gives no disk cache rather than one at /.cache."""
    settings = (os.environ.get("XDG_CACHE_HOME", ""), os.environ.get("HOME", ""))
    if settings not in _bases:  # a build asks hundreds of times; the answer only changes with these
        xdg, home = settings
        if xdg and Path(xdg).is_absolute():
            _bases[settings] = Path(xdg)
        elif home and Path(home).is_absolute() and Path(home) != Path("/"):
            _bases[settings] = Path(home) / ".cache"
        else:
            _bases[settings] = None
    return _bases[settings]


_bases: dict[tuple[str, str], Path | None] = {}


def _private_dir(path: Path) -> bool:
    """Create ``path`` (0700) if needed; true if it is a real folder of ours nobody else can write."""
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        info = path.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        if info.st_mode & 0o077:
            path.chmod(0o700)
        return True
    except OSError:
        return False


_located: dict[Path, tuple[Path, bytes]] = {}  # base -> folder and key, checked once per process


def _folder() -> tuple[Path, bytes] | None:
    """The entry folder and the HMAC key, or None when no safe folder is available."""
    if not enabled():
        return None
    base = _base()
    if base is None:
        return None
    known = _located.get(base)
    if known is not None and known[0].is_dir():
        return known
    found = _check_folder(base)
    if found is not None:
        _located[base] = found
    return found


def _check_folder(base: Path) -> tuple[Path, bytes] | None:
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    folder = base / "drafter" / f"yaml-v{FORMAT}"
    if not (_private_dir(folder.parent) and _private_dir(folder)):
        return None
    secret = _secret(folder)
    return (folder, secret) if secret else None


def _secret(folder: Path) -> bytes | None:
    path = folder / _KEY_FILE
    existing = _read_small(path, 64)
    if existing is None:
        import secrets
        import tempfile

        try:
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            try:
                path.hardlink_to(tmp)  # atomic and never replaces a key another process made
            except FileExistsError:
                pass
            finally:
                Path(tmp).unlink()
        except OSError:
            return None
        existing = _read_small(path, 64)
    if existing is None or len(existing) != 64:
        return None
    return existing


def _read_small(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of ours no larger than ``limit``, not through a link; else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > limit:
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks) if size <= limit else None


# ------------------------------------------------------------------ what

def _encode(value: Any) -> Any:
    """JSON for ``value``, or _NotCacheable if decoding would not give back an equal value
    of a type pydantic treats the same (the first and the second run must agree)."""
    CommentedMap, CommentedSeq, ScalarBoolean = _ruamel_types()  # noqa: N806
    import datetime as dt
    if value is None or type(value) is bool:
        return value
    if isinstance(value, ScalarBoolean):  # an int subclass, not a bool: validates differently
        raise _NotCacheable
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if type(value) is dt.date:
        return {"__date__": value.isoformat()}
    if type(value) in (dict, CommentedMap):
        if any(not isinstance(k, str) for k in value) or set(value) == {"__date__"}:
            raise _NotCacheable
        return {str(k): _encode(v) for k, v in value.items()}
    if type(value) in (list, CommentedSeq):
        return [_encode(v) for v in value]
    raise _NotCacheable  # tagged scalars, sets, ordered maps, binary, datetimes, ...


def _ruamel_types() -> tuple[type, type, type]:
    """ruamel's round-trip types, imported when a parse is first stored (not for reads)."""
    global _RUAMEL
    if _RUAMEL is None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        from ruamel.yaml.scalarbool import ScalarBoolean

        _RUAMEL = (CommentedMap, CommentedSeq, ScalarBoolean)
    return _RUAMEL


_RUAMEL: tuple[type, type, type] | None = None


def _decode(value: Any) -> Any:
    """The plain data an entry holds; ValueError if it is not of the shape _encode writes."""
    kind = type(value)  # JSON gives exactly these types; the common ones first (every build decodes its library)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict:
        if len(value) == 1 and "__date__" in value:
            import datetime as dt

            if not isinstance(value["__date__"], str):
                raise ValueError("bad date")
            return dt.date.fromisoformat(value["__date__"])
        return {k: _decode(v) for k, v in value.items()}
    if kind is list:
        return [_decode(v) for v in value]
    raise ValueError("unexpected value")


def _body(key: str, data: Any) -> str | None:
    import json

    try:
        encoded = _encode(data)
    except (_NotCacheable, RecursionError):
        return None
    return json.dumps({"format": FORMAT, "key": key, "data": encoded}, separators=(",", ":"))


def _load(body: str | bytes, key: str) -> Any:
    import json

    entry = json.loads(body)
    if not (isinstance(entry, dict) and set(entry) == {"format", "key", "data"}
            and entry["format"] == FORMAT and entry["key"] == key):
        raise ValueError("not an entry for this key")
    return _decode(entry["data"])


def _mac(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, body, hashlib.sha256).hexdigest().encode("ascii")


# ------------------------------------------------------------------ memory

def _remember(key: str, body: str) -> None:
    global _memory_bytes
    if key in _memory:
        _memory_bytes -= len(_memory.pop(key))
    _memory[key] = body
    _memory_bytes += len(body)
    while _memory_bytes > limits.MAX_CACHE_MEMORY_BYTES and _memory:
        _memory_bytes -= len(_memory.pop(next(iter(_memory))))
    if not _memory:
        _memory_bytes = 0


def _recall(key: str) -> str | None:
    body = _memory.pop(key, None)
    if body is not None:
        _memory[key] = body  # most recently used last
    return body


# ------------------------------------------------------------------ the interface

def get(text: str) -> Any | None:
    """Plain data for a text that parsed cleanly before, or None (a miss)."""
    if not enabled():
        return None
    key = _key(text)
    body = _recall(key)
    if body is not None:
        return _load(body, key)
    from drafter import prebuilt  # the built-in library, parsed when the wheel was built

    shipped = prebuilt.lookup(key)
    if shipped is not None:
        return shipped
    located = _folder()
    if located is None:
        return None
    folder, secret = located
    path = folder / f"{key}.json"
    raw = _read_small(path, limits.MAX_CACHE_ENTRY_BYTES + 200)
    if raw is None:
        return None
    try:
        start = len(_PREFIX) + 64 + len(_MIDDLE)
        if not (raw.startswith(_PREFIX) and raw[len(_PREFIX) + 64:start] == _MIDDLE and raw.endswith(b"}")):
            raise ValueError("not an entry")
        body_bytes = raw[start:-1]
        if not hmac.compare_digest(raw[len(_PREFIX):len(_PREFIX) + 64], _mac(secret, body_bytes)):
            raise ValueError("not written by drafter for this user")
        data = _load(body_bytes, key)
    except (ValueError, RecursionError):  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        _discard(path)
        return None
    _touch(path)
    _remember(key, body_bytes.decode("ascii"))
    return data


def put(text: str, data: Any) -> None:
    """Remember a clean parse (best effort: an unwritable cache is simply skipped)."""
    global _disk_written
    if not enabled():
        return
    key = _key(text)
    body = _body(key, data)
    if body is None or len(body) > limits.MAX_CACHE_ENTRY_BYTES:
        return
    _remember(key, body)
    located = _folder()
    if located is None:
        return
    folder, secret = located
    body_bytes = body.encode("ascii")
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(_PREFIX + _mac(secret, body_bytes) + _MIDDLE + body_bytes + b"}")
        Path(tmp).replace(folder / f"{key}.json")
    except OSError:
        return
    _disk_written += len(body_bytes)
    if not _measured or _disk_written > limits.MAX_CACHE_DISK_BYTES // 4:
        prune(folder)


def prune(folder: Path) -> None:
    """Delete the least recently used entries until the folder is under its size limit
    (and temporary files that a killed process left)."""
    global _disk_written, _measured
    _measured, _disk_written = True, 0
    entries = []
    total = 0
    try:
        for path in folder.iterdir():
            info = path.lstat()
            if path.suffix == ".tmp" and info.st_mtime < time.time() - 3600:
                _discard(path)
            elif path.suffix in _SUFFIXES:
                entries.append((info.st_mtime, info.st_size, path))
                total += info.st_size
    except OSError:
        return
    if total <= limits.MAX_CACHE_DISK_BYTES:
        return
    for _mtime, size, path in sorted(entries):
        if total <= limits.MAX_CACHE_DISK_BYTES * 3 // 4:
            break
        _discard(path)
        total -= size


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)  # a hit makes the entry recent, so pruning keeps it


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# ------------------------------------------------------------------ signed binary entries

def _blob_mac(secret: bytes, kind: str, key: str, payload: bytes) -> bytes:
    header = _BLOB_MAC + kind.encode("ascii") + b"\0" + key.encode("ascii") + b"\0"
    return hmac.new(secret, header + payload, hashlib.sha256).hexdigest().encode("ascii")


def _blob_path(folder: Path, key: str, suffix: str = ".jinja") -> Path:
    if len(key) != 64 or key.strip("0123456789abcdef"):
        raise ValueError("a blob key is a SHA-256 in hex")
    if suffix not in _SUFFIXES[1:]:
        raise ValueError("a blob is a .jinja, .check or .md entry")
    return folder / f"{key}{suffix}"


def get_blob(kind: str, key: str, suffix: str = ".jinja") -> bytes | None:
    """The bytes stored for ``key`` (a SHA-256 in hex) by ``put_blob`` with the same ``kind``
    (and ``suffix``: ``.jinja`` compiled templates, ``.check`` drafter check's results, ``.md``
    Markdown tokens), or None. An entry whose MAC does not match its kind, key and bytes is deleted. A compiled
    template not stored here may have shipped with the wheel (drafter/prebuilt.py)."""
    if not enabled():
        return None
    found = _disk_blob(kind, key, suffix)
    if found is None and suffix == ".jinja":
        from drafter import prebuilt

        found = prebuilt.lookup_compiled(kind, key)
    return found


def _disk_blob(kind: str, key: str, suffix: str) -> bytes | None:
    located = _folder()
    if located is None:
        return None
    folder, secret = located
    path = _blob_path(folder, key, suffix)
    raw = _read_small(path, limits.MAX_CACHE_ENTRY_BYTES + 65)
    if raw is None:
        return None
    mac, payload = raw[:64], raw[65:]
    if len(raw) < 65 or raw[64:65] != b"\n" or not hmac.compare_digest(mac, _blob_mac(secret, kind, key, payload)):
        _discard(path)
        return None
    _touch(path)
    return payload


def put_blob(kind: str, key: str, payload: bytes, suffix: str = ".jinja") -> None:
    """Store ``payload`` under ``key``, signed (best effort, bounded like every entry)."""
    global _disk_written
    if len(payload) > limits.MAX_CACHE_ENTRY_BYTES:
        return
    located = _folder()
    if located is None:
        return
    folder, secret = located
    target = _blob_path(folder, key, suffix)
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(_blob_mac(secret, kind, key, payload) + b"\n" + payload)
        Path(tmp).replace(target)
    except OSError:
        return
    _disk_written += len(payload) + 65
    if not _measured or _disk_written > limits.MAX_CACHE_DISK_BYTES // 4:
        prune(folder)


def clear_memory() -> None:
    """Forget the in-process copy (tests; a long-running program that changed the limits)."""
    global _memory_bytes
    _memory.clear()
    _located.clear()
    _memory_bytes = 0


# The same keys and encoding for drafter/prebuilt.py, which ships the built-in library's parses.
key = _key
encode = _encode
decode = _decode
NotCacheable = _NotCacheable
