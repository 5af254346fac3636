"""Clause Markdown to document-model blocks.

Only what legislative text needs: paragraphs, ordered lists (subdivisions), bullet lists
(commentary only), bold, italic and internal cross-reference links.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from drafter.docmodel import Block, Item, Para, Run

REF_PREFIX = "#ref:"
CITE_PREFIX = "#cite:"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).disable(
        ["image", "html_inline", "html_block", "heading", "lheading", "code", "fence",
         "hr", "blockquote", "reference"])


@lru_cache(maxsize=4096)
def _tokens(text: str) -> list[Token]:
    """Parsed tokens (read-only): a build and a check parse the same clause many times."""
    return _parser().parse(text)


class MarkdownError(ValueError):
    """Markdown that does not fit legislative structure; ``line`` is 0-based in the source."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def inline_runs(token: Token) -> list[Run]:
    """Runs for an inline token's children."""
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    cite: str | None = None
    for child in token.children or []:
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
    return _merge(runs)


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


def _blocks(tokens: list[Token], start: int, end: int, label: Callable[[int, int], str],
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
                line = tok.map[0] if tok.map else 0
                raise MarkdownError("bullet lists are not allowed in clause text; "
                                    "use a numbered list (1. 2. 3.)", line)
            out.extend(_bullets(tokens, i + 1, close, level))
            i = close + 1
        else:
            i += 1
    return out, i


def _items(tokens: list[Token], start: int, end: int, label: Callable[[int, int], str],
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


def _bullets(tokens: list[Token], start: int, end: int, level: int) -> list[Para]:
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


def _matching(tokens: list[Token], start: int) -> int:
    """Index of the token closing the one at ``start``."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
