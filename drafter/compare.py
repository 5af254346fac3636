"""Comparing two drafts (or a draft and the current code text) paragraph by paragraph and
word by word, for Word redlines (tracked changes) and amendment markup (underline and
strike-through).

Computed numbers (section labels, cross-reference numbers) are not reported as changes:
they follow from the text, and the new draft's numbering is always the one shown.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable
from typing import Literal

from drafter.docmodel import Run
from drafter.layout import LEVEL_STYLES, Line

Mode = Literal["tracked", "markup"]
_TOKEN = re.compile(r"\S+\s*|\s+")
_NUMBER = re.compile(r"^(?:SECTION|Section|Sec\.)?\s*\d+(?:[.-]\d+)*\.?\s*$")
_LABEL = re.compile(r"^\s*\(([a-z]{1,4}|[0-9]{1,3}|[A-Z]{1,4})\)\s+")


def _norm(text: str) -> str:
    """Text for alignment: computed numbers blanked, spaces folded."""
    text = re.sub(r"\b\d+(?:[.-]\d+)+\b|\bSECTION \d+\b|\bSection \d+\b", "#", text)
    return re.sub(r"\s+", " ", text).strip()


def _tokens(runs: Iterable[Run]) -> list[tuple[str, Run]]:
    return [(piece, run) for run in runs for piece in _TOKEN.findall(run.text)]


def _restyle(run: Run, text: str, change: str | None, mode: Mode) -> Run:
    out = copy.copy(run)
    out.text = text
    if change is None:
        return out
    if mode == "tracked":
        out.change = change  # type: ignore[assignment]
    elif change == "ins":
        out.underline = True
    else:
        out.strike = True
    return out


def _merge_runs(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.link, last.cite, last.change, last.underline,
                     last.strike) == (run.bold, run.italic, run.link, run.cite, run.change,
                                      run.underline, run.strike):
            last.text += run.text
        else:
            merged.append(run)
    return merged


def diff_runs(old: list[Run], new: list[Run], mode: Mode) -> list[Run]:
    """New runs with the word-level differences from old marked."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, [t.strip() for t, _ in a], [t.strip() for t, _ in b],
                                      autojunk=False)
    out: list[Run] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [_restyle(run, text, None, mode) for text, run in b[j1:j2]]
            old_text, old_run = a[i2 - 1]
            gap = old_text[len(old_text.rstrip()):]
            if gap and not b[j2 - 1][0][len(b[j2 - 1][0].rstrip()):] and i2 < len(a):
                out.append(_restyle(old_run, gap, "del", mode))  # keep OLD's word spacing
            continue
        olds, news = a[i1:i2], b[j1:j2]
        if (op == "replace" and len(olds) == len(news)
                and all(_NUMBER.match(o) and _NUMBER.match(n) for (o, _), (n, _) in zip(olds, news, strict=True))):
            out += [_restyle(run, text, None, mode) for text, run in news]  # renumbering only
            continue
        out += [_restyle(run, text, "del", mode) for text, run in olds]
        out += [_restyle(run, text, "ins", mode) for text, run in news]
    return _merge_runs(out)


def _whole(line: Line, change: Literal["ins", "del"], mode: Mode) -> Line:
    out = copy.deepcopy(line)
    out.runs = [_restyle(run, run.text, change, mode) for run in line.runs]
    if mode == "tracked":
        out.change = change
    elif change == "del" and line.level is not None:
        # A struck paragraph must not take a number: type its old label, struck.
        out.runs.insert(0, _restyle(Run(line.label + " "), line.label + " ", "del", mode))
        out.continuation, out.level = line.level, None
    out.bookmark = out.bookmark if change == "ins" else None
    return out


def merge(old: list[Line], new: list[Line], mode: Mode = "tracked") -> list[Line]:
    """NEW's lines, with what differs from OLD marked; deleted lines put back in place."""
    matcher = difflib.SequenceMatcher(None, [_norm(line.text) for line in old],
                                      [_norm(line.text) for line in new], autojunk=False)
    out: list[Line] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [copy.deepcopy(line) for line in new[j1:j2]]
        elif op == "insert":
            out += [_whole(line, "ins", mode) for line in new[j1:j2]]
        elif op == "delete":
            out += [_whole(line, "del", mode) for line in old[i1:i2]]
        else:
            out += _pair(old[i1:i2], new[j1:j2], mode)
    return out


def _pair(olds: list[Line], news: list[Line], mode: Mode) -> list[Line]:
    """Match changed paragraphs to their closest counterparts; the rest are whole changes."""
    out: list[Line] = []
    used: set[int] = set()
    start = 0
    for new in news:
        best, score = None, 0.6
        for index in range(start, len(olds)):
            if index in used or _kind(olds[index]) != _kind(new):
                continue
            matcher = difflib.SequenceMatcher(None, _norm(olds[index].text).split(),
                                              _norm(new.text).split(), autojunk=False)
            if matcher.quick_ratio() <= score:
                continue
            ratio = matcher.ratio()
            if ratio > score:
                best, score = index, ratio
        if best is None:
            out.append(_whole(new, "ins", mode))
            continue
        for index in range(start, best):  # old lines skipped over were deleted here
            if index not in used:
                out.append(_whole(olds[index], "del", mode))
                used.add(index)
        line = copy.deepcopy(new)
        line.runs = diff_runs(olds[best].runs, new.runs, mode)
        out.append(line)
        used.add(best)
        start = best + 1
    out += [_whole(olds[i], "del", mode) for i in range(len(olds)) if i not in used]
    return out


def _kind(line: Line) -> str:
    """Only paragraphs of one kind are compared word by word: headings with headings."""
    if line.style in ("OrdSection", "OrdCodeSection", "OrdChapter"):
        return "heading"
    return "text"


def parse_current_code(text: str, levels: list[str]) -> list[Line]:
    """Lines of an existing code chapter (plain text or Markdown), labels recognized.

    Each paragraph (blank-line separated, or one per line when a line starts with a label
    such as "(a)" or a section number) becomes a line; "(a)"-style labels are taken off
    and turned into list levels by the profile's level formats.
    """
    from drafter.numbering import LEVEL_FORMATS

    formats = [LEVEL_FORMATS[p][0] for p in levels]
    lines: list[Line] = []
    chunks: list[str] = []
    for raw in text.splitlines():
        stripped = raw.strip().lstrip("#").strip()
        if re.match(r"^Chapter\s+\S+", stripped) and not chunks:
            continue  # the chapter's own heading: the draft prints its own
        if not stripped:
            chunks.append("")
            continue
        starts_new = bool(_LABEL.match(stripped)) or bool(re.match(r"^(Sec\.|Section|\d+\.\d+)", stripped))
        if starts_new or not chunks or chunks[-1] == "":
            chunks.append(stripped)
        else:
            chunks[-1] += " " + stripped
    previous = -1
    for chunk in (c for c in chunks if c):
        chunk = chunk.replace("**", "").replace("__", "")
        match = _LABEL.match(chunk)
        if not match:
            heading = bool(re.match(r"^(Sec\.|Section|\d+\.\d+)", chunk))
            lines.append(Line("OrdCodeSection" if heading else "OrdCodeBody", [Run(chunk)]))
            previous = -1
            continue
        label = match.group(1)
        level = _guess_level(label, formats, previous)
        previous = level
        lines.append(Line(LEVEL_STYLES[min(level, 4)], [Run(chunk[match.end():])], level=level,
                          label=f"({label})"))
    return lines


def _guess_level(label: str, formats: list[str], previous: int) -> int:
    kind = ("decimal" if label.isdigit() else
            "lowerRoman" if re.fullmatch(r"[ivxl]+", label) and previous >= 2 else
            "upperRoman" if re.fullmatch(r"[IVXL]+", label) and previous >= 3 else
            "lowerLetter" if label.islower() else "upperLetter")
    for index, fmt in enumerate(formats):
        if fmt == kind:
            return index
    return 0
