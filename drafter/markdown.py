"""Clause Markdown to document-model blocks.

Only what legislative text needs: paragraphs, ordered lists (subdivisions), bullet lists
(commentary only), bold, italic and internal cross-reference links.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from drafter import parse_cache
from drafter.docmodel import Block, Item, Para, Run

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

REF_PREFIX = "#ref:"
CITE_PREFIX = "#cite:"
_DISABLED = ("image", "html_inline", "html_block", "heading", "lheading", "code", "fence",
             "hr", "blockquote", "reference")
_TOKENS_KIND = "md-tokens-2"  # bump when Tok's stored shape changes


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).disable(list(_DISABLED))


class Tok:
    """The part of a markdown-it token the blocks are built from, with an inline token's runs
    already worked out: small enough to keep, as JSON, between runs (a warm build then
    neither imports nor runs markdown-it)."""

    __slots__ = ("line", "nesting", "runs", "type")

    def __init__(self, type: str, nesting: int = 0, line: int | None = None,  # noqa: A002
                 runs: list[tuple[str, bool, bool, str | None, str | None]] | None = None) -> None:
        self.type, self.nesting, self.line, self.runs = type, nesting, line, runs

    def dump(self) -> list:
        return [self.type, self.nesting, self.line, None if self.runs is None else [list(r) for r in self.runs]]

    @classmethod
    def load(cls, row: list) -> Tok:
        kind, nesting, line, runs = row
        if runs is not None:
            runs = [(str(text), bool(bold), bool(italic), link if link is None else str(link),
                     cite if cite is None else str(cite)) for text, bold, italic, link, cite in runs]
        return cls(str(kind), int(nesting), line if line is None else int(line), runs)


@lru_cache(maxsize=1)
def _tokens_salt() -> str:
    """What the stored tokens depend on besides the text: markdown-it's install (its
    ``__init__`` file, found without importing it) and this parser's options."""
    import importlib.util

    spec = importlib.util.find_spec("markdown_it")
    try:
        info = Path(spec.origin).stat() if spec and spec.origin else None
    except OSError:
        info = None
    install = f"{spec.origin if spec else ''} {info.st_size if info else ''} {info.st_mtime_ns if info else ''}"
    return f"{_TOKENS_KIND} {install} {' '.join(_DISABLED)}\n"


@lru_cache(maxsize=4096)
def _tokens(text: str) -> list[Tok]:
    """Parsed tokens (read-only): a build and a check parse the same clause many times, and a
    warm build finds them in the parse cache's private folder, signed (parse_cache.put_blob)."""
    key = hashlib.sha256((_tokens_salt() + text).encode("utf-8", "surrogatepass")).hexdigest() \
        if parse_cache.enabled() else None
    blob = parse_cache.get_blob(_TOKENS_KIND, key, ".md") if key else None
    if blob is not None:
        try:
            return [Tok.load(row) for row in json.loads(blob)]
        except (ValueError, TypeError):  # signed by us but not of this shape: parse again
            pass
    tokens = [_tok(t) for t in _parser().parse(text)]
    if key:
        parse_cache.put_blob(_TOKENS_KIND, key, json.dumps([t.dump() for t in tokens],
                                                           separators=(",", ":")).encode(), ".md")
    return tokens


def _tok(token: object) -> Tok:
    runs = None if token.children is None else [
        (r.text, r.bold, r.italic, r.link, r.cite) for r in _merge(_child_runs(token.children))]
    return Tok(token.type, token.nesting, token.map[0] if token.map else None, runs)


class MarkdownError(ValueError):
    """Markdown that does not fit legislative structure; ``line`` is 0-based in the source."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def inline_runs(token: Tok) -> list[Run]:
    """Runs for an inline token (new objects each time: a draft may change its runs)."""
    return [Run(text, bold, italic, link, cite) for text, bold, italic, link, cite in token.runs or []]


def _child_runs(children: list) -> list[Run]:
    """Runs for a markdown-it inline token's children."""
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    cite: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            link = href[len(REF_PREFIX):] if href.startswith(REF_PREFIX) else None
            cite = href[len(CITE_PREFIX):] if href.startswith(CITE_PREFIX) else None
        elif kind == "link_close":
            link = cite = None
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bool(bold), bool(italic), link, cite))
        elif kind in ("text", "code_inline") and child.content:
            runs.append(Run(child.content, bool(bold), bool(italic), link, cite))
    return runs


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.link, last.cite) == (
                run.bold, run.italic, run.link, run.cite):
            last.text += run.text
        else:
            merged.append(Run(run.text, run.bold, run.italic, run.link, run.cite))
    return merged


def parse_blocks(text: str, label: Callable[[int, int], str], *, allow_bullets: bool = False,
                 base_level: int = 0) -> list[Block]:
    """Parse Markdown into paragraphs and labeled items.

    ``label(level, index)`` gives the label of the index-th (0-based) item at a level.
    """
    tokens = _tokens(text)
    blocks, _ = _blocks(tokens, 0, len(tokens), label, allow_bullets, base_level)
    return blocks


def _blocks(tokens: list[Tok], start: int, end: int, label: Callable[[int, int], str],
            allow_bullets: bool, level: int) -> tuple[list[Block], int]:
    out: list[Block] = []
    i = start
    while i < end:
        tok = tokens[i]
        if tok.type == "paragraph_open":
            out.append(Para(inline_runs(tokens[i + 1])))
            i += 3
        elif tok.type == "ordered_list_open":
            close = _matching(tokens, i)
            out.extend(_items(tokens, i + 1, close, label, allow_bullets, level))
            i = close + 1
        elif tok.type == "bullet_list_open":
            close = _matching(tokens, i)
            if not allow_bullets:
                line = tok.line or 0
                raise MarkdownError("bullet lists are not allowed in clause text; "
                                    "use a numbered list (1. 2. 3.)", line)
            out.extend(_bullets(tokens, i + 1, close, level))
            i = close + 1
        else:
            i += 1
    return out, i


def _items(tokens: list[Tok], start: int, end: int, label: Callable[[int, int], str],
           allow_bullets: bool, level: int) -> list[Item]:
    items: list[Item] = []
    i = start
    while i < end:
        if tokens[i].type != "list_item_open":
            i += 1
            continue
        close = _matching(tokens, i)
        inner, _ = _blocks(tokens, i + 1, close, label, allow_bullets, level + 1)
        item = Item(level, label(level, len(items)), [])
        for block in inner:
            if isinstance(block, Item):
                item.children.append(block)
            elif not item.runs and not item.children:
                item.runs = block.runs
            else:
                item.after.append(block)
        items.append(item)
        i = close + 1
    return items


def _bullets(tokens: list[Tok], start: int, end: int, level: int) -> list[Para]:
    paras: list[Para] = []
    i = start
    while i < end:
        tok = tokens[i]
        if tok.type == "inline":
            paras.append(Para(inline_runs(tok), "bullet", level))
        elif tok.type == "bullet_list_open":
            close = _matching(tokens, i)
            paras.extend(_bullets(tokens, i + 1, close, level + 1))
            i = close
        i += 1
    return paras


def _matching(tokens: list[Tok], start: int) -> int:
    """Index of the token closing the one at ``start``."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
