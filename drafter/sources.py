"""Reading YAML and front-matter files with line numbers, and locating model errors.

ruamel.yaml (YAML 1.2, safe constructor, round-trip nodes) keeps the line and column of
every mapping and sequence, so a pydantic error about ``params.days.default`` can be
reported at the exact line a lawyer must fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from drafter import parse_cache
from drafter.errors import Problem, Problems

MAX_FILE_BYTES = 1_000_000  # a clause or answers file is a few KB; refuse anything absurd
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
        if not isinstance(node, (CommentedMap, CommentedSeq)) and self.text is not None:
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
    return YAML(typ="rt", pure=True).load(text)


def read_text(path: Path, problems: Problems, display: str | None = None) -> str | None:
    """Read a UTF-8 text file; on failure record why and return None."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(shown, message=f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                         hint="split it into smaller files")
            return None
        return path.read_text(encoding="utf-8")
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


def parse_yaml(text: str, path: Path, problems: Problems, *, display: str | None = None,
               line_offset: int = 0) -> YamlDoc | None:
    """Parse YAML text; a syntax error becomes a located problem and None."""
    cached = parse_cache.get(text)
    if cached is not None:
        return YamlDoc(path, cached, line_offset, text)
    shown = display or str(path)
    yaml = YAML(typ="rt", pure=True)
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
        problems.add(shown, line, col, message=f"YAML syntax error: {what}", hint=hint)
        return None
    except YAMLError as exc:
        problems.add(shown, message=f"YAML error: {exc}")
        return None
    parse_cache.put(text, data)
    return YamlDoc(path, data, line_offset, text)


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
    pos = (getattr(getattr(node, "lc", None), "line", 0) or 0,
           getattr(getattr(node, "lc", None), "col", 0) or 0)
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            child = node[key]
            if isinstance(child, (CommentedMap, CommentedSeq)):
                pos = node.lc.key(key)
            else:
                pos = node.lc.value(key)
            node = child
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
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
    if kind == "extra_forbidden":
        return f"unknown field '{field}'", "remove it or check its spelling against the docs"
    if kind == "missing":
        return f"missing required field '{field}'", "add it"
    got = err.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
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
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc, display))
        return None
