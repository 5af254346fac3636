"""Reading library and input files safely, parsing YAML with line numbers, locating model errors.

ruamel.yaml (YAML 1.2, safe constructor, round-trip nodes) keeps the line and column of
every mapping and sequence, so a pydantic error about ``params.days.default`` can be
reported at the exact line a lawyer must fix.

Files come from anywhere (docs/security.md): only regular files are read, never more than
``limits.MAX_FILE_BYTES``; library files are never read through a link that leads out of
the library; YAML whose aliases expand past ``limits.MAX_YAML_EXPANSION`` is refused before
anything (the parse cache included) walks the expanded data.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from drafter import limits, parse_cache
from drafter.errors import Problem, Problems
from drafter.resources import display_path

# ruamel.yaml is imported where a text is parsed or a problem located, not with this module:
# a warm build reads every file from the parse cache and never needs it.


def _yaml() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="rt", pure=True)


def _round_trip_types() -> tuple[type, type]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return CommentedMap, CommentedSeq

MAX_FILE_BYTES = limits.MAX_FILE_BYTES  # kept for callers; the value lives in drafter/limits.py
OUTSIDE_HINT = "copy it into the library folder instead of linking to it"
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML with the file it came from and the line offset of its first line.

    ``data`` may be plain (from the parse cache); positions then come from a round-trip
    parse of ``text``, made only when a problem must be located.
    """

    path: Path
    data: Any
    line_offset: int = 0
    text: str | None = None

    def locate(self, loc: tuple[int | str, ...]) -> tuple[int, int]:
        """1-based (line, col) of the deepest node of ``loc`` that exists in the file."""
        node = self.data
        if not isinstance(node, _round_trip_types()) and self.text is not None:
            node = _round_trip(self.text)
        line, col = locate(node, loc)
        return line + self.line_offset, col


    def line_of(self, snippet: str, loc: tuple[int | str, ...]) -> int:
        """The line where ``snippet`` starts (cheap, no re-parse); else locate ``loc``."""
        if self.text is not None:
            index = self.text.find(snippet[:40].split("\n")[0])
            if index >= 0 and snippet.strip():
                return self.text.count("\n", 0, index) + 1 + self.line_offset
        return self.locate(loc)[0]


@lru_cache(maxsize=256)
def _round_trip(text: str) -> Any:
    return _yaml().load(text)


def read_text(path: Path, problems: Problems, display: str | None = None) -> str | None:
    """Read a UTF-8 text file; on failure record why and return None.

    Only a regular file is read (a FIFO would block, ``/dev/zero`` never ends), and never
    more than the size limit, whatever the file system claims its size is.
    """
    shown = display or str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            problems.add(shown, message="not a regular file (a device, pipe or socket)",
                         hint="name a text file")
            return None
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limits.MAX_FILE_BYTES + 1)
        if len(data) > limits.MAX_FILE_BYTES:
            size = max(info.st_size, len(data))
            problems.add(shown, message=f"file is {size:,} bytes; the limit is {limits.MAX_FILE_BYTES:,}",
                         hint="split it into smaller files")
            return None
        # the same newline handling as Path.read_text, so line numbers do not change
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        problems.add(shown, message="file not found", hint="check the path")
    except IsADirectoryError:
        problems.add(shown, message="is a directory, not a file", hint="name a file")
    except UnicodeDecodeError as exc:
        problems.add(shown, message=f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                     hint="save the file as UTF-8")
    except OSError as exc:
        problems.add(shown, message=f"cannot read: {exc.strerror}")
    return None


def _inside(path: Path, root: Path, resolved_root: Path | None = None) -> bool:
    return path.resolve().is_relative_to(resolved_root or root.resolve())


def _shown(path: Path) -> str:
    # the link's own name, never the place it points to
    return str(Path(display_path(path.parent)) / path.name)


def library_files(root: Path, folder: str, pattern: str, problems: Problems) -> list[Path]:
    """The files matching ``pattern`` in ``root/folder``, sorted; a file or folder that is a link
    leading out of ``root`` is reported, not read (a shared library must not pull in other files)."""
    base = root / folder
    if not base.is_dir():
        return []
    if not _inside(base, root):
        problems.add(_shown(base), message="is a link to a folder outside the library", hint=OUTSIDE_HINT)
        return []
    found = []
    resolved_root = root.resolve()  # once, not once a file
    for path in sorted(base.glob(pattern), key=str):  # one folder: the same order as by parts, faster
        # a file that is not a link is where its folder is, and the folder was checked above
        if (path.is_symlink() or "/" in pattern) and not _inside(path, root, resolved_root):
            problems.add(_shown(path), message="is a link to a file outside the library", hint=OUTSIDE_HINT)
        elif path.is_file():
            found.append(path)
    return found


def library_file(root: Path, name: str, problems: Problems) -> Path | None:
    """``root/name`` if it is a file inside the library (see ``library_files``), else None."""
    path = root / name
    if not path.is_file():
        return None
    if not _inside(path, root):
        problems.add(_shown(path), message="is a link to a file outside the library", hint=OUTSIDE_HINT)
        return None
    return path


def parse_yaml(text: str, path: Path, problems: Problems, *, display: str | None = None,
               line_offset: int = 0) -> YamlDoc | None:
    """Parse YAML text; a syntax error or a limit becomes a located problem and None.

    Limits are checked before the parse is cached, so a refused text is refused every time.
    """
    shown = display or str(path)
    if len(text) > limits.MAX_FILE_BYTES:
        problems.add(shown, message=f"YAML text is {len(text):,} characters; the limit is {limits.MAX_FILE_BYTES:,}",
                     hint="split it into smaller files")
        return None
    cached = parse_cache.get(text)
    if cached is not None:
        return YamlDoc(path, cached, line_offset, text)
    deep = _flow_nesting_line(text)
    if deep is not None:
        problems.add(shown, deep + line_offset, message=f"YAML nested more than {limits.MAX_YAML_DEPTH} levels deep",
                     hint="flatten the [ ] and { } inside one another")
        return None
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = _yaml()
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else 0
        col = mark.column + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in str(what):
            hint = "each key may appear only once"
        else:
            hint = "check indentation, colons and quotes near this line"
        problems.add(shown, line, col, message=f"YAML syntax error: {_safe(str(what))}", hint=hint)
        return None
    except ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1 + line_offset
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        problems.add(shown, line, message=f"YAML error: character {char} is not allowed in YAML",
                     hint="remove control characters from the file")
        return None
    except YAMLError as exc:
        problems.add(shown, message=f"YAML error: {_safe(str(exc))}")
        return None
    except RecursionError:
        problems.add(shown, message="YAML nested too deeply to read",
                     hint=f"use at most {limits.MAX_YAML_DEPTH} levels of mappings and lists")
        return None
    except Exception as exc:  # noqa: BLE001 - the date 2026-13-45, a mapping as a key, !!set on text
        # ruamel builds values after parsing; what it cannot build raises whatever Python does
        line, col, message, hint = _construct_problem(text, exc)
        problems.add(shown, line + line_offset if line else 0, col, message=message, hint=hint)
        return None
    refused = yaml_limit_problem(data)
    if refused is not None:
        node, message, hint = refused
        line = getattr(getattr(node, "lc", None), "line", None)
        problems.add(shown, line + 1 + line_offset if line is not None else 0, message=message, hint=hint)
        return None
    parse_cache.put(text, data)
    return YamlDoc(path, data, line_offset, text)


_STD = "tag:yaml.org,2002:"
_TIMESTAMP_TAG = _STD + "timestamp"
_COLLECTION_TAGS = {_STD + name for name in ("set", "omap", "pairs", "map", "seq")}
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _construct_problem(text: str, exc: Exception) -> tuple[int, int, str, str]:
    """(line, col, message, hint) for a value ruamel parsed but could not build: an impossible
    date (2026-13-45, 2025-02-29) or a mapping or list used as a key. The text is composed
    again (nodes only, nothing built) to find the node at fault; 0, 0 if none is found."""
    try:
        root = _yaml().compose(text)
    except Exception:  # noqa: BLE001 - no node to point at; the message below still says what
        root = None
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        value = getattr(node, "value", None)
        if isinstance(value, list):
            for item in reversed(value):
                if isinstance(item, tuple):
                    key, val = item
                    if isinstance(getattr(key, "value", None), list):
                        mark = key.start_mark
                        return (mark.line + 1, mark.column + 1,
                                "a mapping or list is used as a key",
                                "keys are plain names, e.g. name: or police:")
                    stack.extend([val, key])
                else:
                    stack.append(item)
        tag = str(getattr(node, "tag", ""))
        if tag in _COLLECTION_TAGS and not isinstance(value, list):
            mark = node.start_mark
            return (mark.line + 1, mark.column + 1, f"the tag {tag.replace(_STD, '!!')} needs a list or "
                    "mapping, not a single value", "remove the tag (answers need no YAML tags)")
        if isinstance(value, list):
            continue
        if tag == _TIMESTAMP_TAG and isinstance(value, str):
            match = _DATE.match(value)
            if match:
                try:
                    dt.date(*(int(part) for part in match.groups()))
                except ValueError as bad:
                    mark = node.start_mark
                    return (mark.line + 1, mark.column + 1,
                            f"'{value}' is not a real date ({bad})",
                            "write an existing date as YYYY-MM-DD, e.g. 2026-01-15")
    if isinstance(exc, (ValueError, TypeError)):
        return 0, 0, f"YAML error: {_safe(str(exc))}", "check the dates and keys in this file"
    return 0, 0, f"YAML error: cannot build a value ({type(exc).__name__}: {_safe(str(exc))})", \
        "check the tags (!!) and keys in this file"


_FLOW = re.compile(r"[\[\]{}]")


def _flow_nesting_line(text: str) -> int | None:
    """The line where [ and { nest past the limit, or None. ruamel's scanner is quadratic in
    flow nesting (3,000 brackets take seconds), so this is counted before it runs; brackets
    inside quotes count too, which only matters for text with a hundred unclosed ones."""
    depth = 0
    for match in _FLOW.finditer(text):
        depth = max(depth + (1 if match.group() in "[{" else -1), 0)
        if depth > limits.MAX_YAML_DEPTH:
            return text.count("\n", 0, match.start()) + 1
    return None


def yaml_limit_problem(data: Any) -> tuple[Any, str, str] | None:
    """(node, message, hint) if ``data``, aliases followed, is too large, too deep or contains
    itself; else None. Iterative, and each shared node is measured once, so a billion-laughs
    document costs no more to measure than to read."""
    sizes: dict[int, tuple[int, int]] = {}  # id -> (expanded size, height)
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, finished = stack.pop()
        children = _children(node)
        if children is None:
            continue
        key = id(node)
        if finished:
            on_path.discard(key)
            size, height = 1, 1
            for child in children:
                child_size, child_height = sizes.get(id(child), (_scalar_size(child), 0))
                size += child_size
                height = max(height, child_height + 1)
            sizes[key] = (size, height)
            if size > limits.MAX_YAML_EXPANSION:
                return (node, f"YAML aliases expand this to more than {limits.MAX_YAML_EXPANSION:,} "
                              "characters and items",
                        "write the values out instead of repeating them with anchors (&) and aliases (*)")
            if height > limits.MAX_YAML_DEPTH:
                return (node, f"YAML nested more than {limits.MAX_YAML_DEPTH} levels deep",
                        "flatten the mappings and lists")
            continue
        if key in sizes:
            continue
        if key in on_path:
            return (node, "a YAML alias (*) refers to the value that contains it",
                    "remove the alias: a value cannot contain itself")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    return None


def _children(node: Any) -> list[Any] | None:
    if isinstance(node, Mapping):
        return [part for item in node.items() for part in item]
    if isinstance(node, (list, tuple, Set)):
        return list(node)
    return None


def _scalar_size(value: Any) -> int:
    return 1 + (len(value) if isinstance(value, (str, bytes)) else 0)


def load_yaml_file(path: Path, problems: Problems, display: str | None = None) -> YamlDoc | None:
    """Read and parse a YAML file."""
    text = read_text(path, problems, display)
    if text is None:
        return None
    return parse_yaml(text, path, problems, display=display)


@dataclass(frozen=True)
class FrontMatterDoc:
    """A Markdown file split into its YAML header and its body."""

    header: YamlDoc
    body: str
    body_line: int  # 1-based line number of the body's first line


def load_front_matter(path: Path, problems: Problems, display: str | None = None
                      ) -> FrontMatterDoc | None:
    """Read a Markdown file whose first lines are a ``---`` YAML block."""
    shown = display or str(path)
    text = read_text(path, problems, display)
    if text is None:
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        problems.add(shown, 1, 1, message="missing YAML front matter",
                     hint="start the file with a line '---', the fields, then another '---'")
        return None
    header = parse_yaml(match.group(1), path, problems, display=shown, line_offset=1)
    if header is None:
        return None
    body_line = text.count("\n", 0, match.end()) + 1
    return FrontMatterDoc(header, text[match.end():], body_line)


def locate(node: Any, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """0-based (line, col) of the deepest node on ``loc`` (a pydantic error location)."""
    commented_map, commented_seq = _round_trip_types()
    pos = (getattr(getattr(node, "lc", None), "line", 0) or 0,
           getattr(getattr(node, "lc", None), "col", 0) or 0)
    for key in loc:
        if isinstance(node, commented_map) and key in node:
            child = node[key]
            if isinstance(child, (commented_map, commented_seq)):
                pos = node.lc.key(key)
            else:
                pos = node.lc.value(key)
            node = child
        elif isinstance(node, commented_seq) and isinstance(key, int) and 0 <= key < len(node):
            pos = node.lc.item(key)
            node = node[key]
        else:
            break
    return pos[0] + 1, pos[1] + 1


def validation_problems(exc: ValidationError, doc: YamlDoc, display: str,
                        prefix: tuple[int | str, ...] = ()) -> list[Problem]:
    """Turn a pydantic ValidationError into located problems, one per error."""
    out = []
    for err in exc.errors():
        loc = tuple(part for part in err["loc"] if not _is_union_tag(part))
        line, col = doc.locate(prefix + loc)
        field = ".".join(str(part) for part in loc) or "(top level)"
        message, hint = _explain(err, field)
        out.append(Problem(display, line, col, message, hint))
    return out


def _is_union_tag(part: int | str) -> bool:
    # pydantic adds the branch name ("function-after[...]", "str") to union error locations
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "bool", "list[str]"})


def _explain(err: Mapping[str, Any], field: str) -> tuple[str, str]:
    kind = err["type"]
    if kind == "unwritable_text":  # Answers._writable_text: the message names the fields
        return str(err["msg"]), "delete the control or broken characters from that text"
    if kind == "extra_forbidden":
        return f"unknown field '{field}'", "remove it or check its spelling against the docs"
    if kind == "missing":
        return f"missing required field '{field}'", "add it"
    got = err.get("input")
    # name containers by kind, not class, so a cached parse words it as a fresh one does
    if isinstance(got, Mapping):
        shown = "a mapping"
    elif isinstance(got, (list, tuple)):
        shown = "a list"
    else:
        shown = repr(got)
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
        return f"{field}: {msg}", ""
    return f"{field}: {msg} (got {shown})", ""


def validate(model: type[BaseModel], doc: YamlDoc, problems: Problems, display: str,
             context: dict[str, Any] | None = None) -> BaseModel | None:
    """Validate parsed YAML against a model, recording located problems on failure."""
    if not isinstance(doc.data, Mapping):
        line = 1 + doc.line_offset
        problems.add(display, line, 1, message="expected a mapping of fields (key: value)",
                     hint="see the file format in docs/")
        return None
    # Parsed values can hold a character the text does not only through a double-quoted
    # escape, so a text with neither such a character nor a backslash needs no walk.
    clean = doc.text is not None and "\\" not in doc.text and UNWRITABLE.search(doc.text) is None
    bad_text = [] if clean else unwritable_text(doc.data)
    if bad_text:
        for loc, message, hint in bad_text:
            line, col = doc.locate(loc)
            problems.add(display, line, col, message=message, hint=hint,
                         field=".".join(_safe(str(part)) for part in loc))
        return None
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc, display))
        return None


# Characters no .docx can hold (XML 1.0 forbids them) and no UTF-8 file can hold (a lone
# surrogate, half of a character, which YAML's "\ud800" escape and Python strings allow).
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_TEXT_PROBLEMS = 20


def describe_unwritable(char: str) -> tuple[str, str]:
    """What a character ``UNWRITABLE`` matches is, and what to do about it."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return (f"U+{code:04X}, a lone surrogate (half of a character) that no file can hold",
                "retype the text; it was probably cut from a longer character")
    if code in (0xFFFE, 0xFFFF):
        return f"U+{code:04X}, which is not a character", "delete it"
    return (f"U+{code:04X}, a control character Word cannot hold",
            "delete it; it often comes with text pasted from another program")


def unwritable_text(data: Any) -> list[tuple[tuple[int | str, ...], str, str]]:
    """(field location, message, hint) for each text (key or value) in ``data`` holding a
    character Word cannot hold, at most ``MAX_TEXT_PROBLEMS``. Iterative, and each shared
    node (a YAML alias) is visited once, so any nesting and any aliases are safe."""
    found: list[tuple[tuple[int | str, ...], str, str]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(data, ())]
    while stack and len(found) < MAX_TEXT_PROBLEMS:
        node, loc = stack.pop()
        if isinstance(node, str):
            _check_text(node, loc, found, "")
            continue
        if not isinstance(node, (Mapping, list, tuple)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Mapping):
            children = []
            for key, value in node.items():
                if isinstance(key, str) and _check_text(key, (*loc, key), found, "the key of "):
                    continue
                children.append((value, (*loc, key if isinstance(key, (str, int)) else str(key))))
            stack.extend(reversed(children))
        else:
            stack.extend(reversed([(item, (*loc, index)) for index, item in enumerate(node)]))
    return found


def _check_text(text: str, loc: tuple[int | str, ...], found: list[Any], what: str) -> bool:
    match = UNWRITABLE.search(text)
    if match is None:
        return False
    field = ".".join(_safe(str(part)) for part in loc) or "(top level)"
    char, hint = describe_unwritable(match.group())
    found.append((loc, f"{what}{field}: contains {char}", hint))
    return True


def _safe(text: str) -> str:
    """``text`` with every character ``UNWRITABLE`` matches shown as an escape, so a message
    about it can itself be printed and written."""
    return UNWRITABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
