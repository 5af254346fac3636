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
from collections.abc import Callable, Iterable
from typing import Literal

from drafter.docmodel import Run
from drafter.layout import LEVEL_STYLES, Line

Mode = Literal["tracked", "markup"]
_TOKEN = re.compile(r"\S+\s*|\s+")
# Amendment markup splits off closing punctuation, so "Detainers." -> "Detainers and ..." strikes
# only the period.
_MARKUP_TOKEN = re.compile(r"\S*[^\s.,;:]\s*|[.,;:]+\s*|\s+")
REWRITE_RATIO = 0.5  # below this word overlap, markup strikes the old text and underlines the new
_NUMBER = re.compile(r"^(?:SECTION|Section|Sec\.)?\s*\d+(?:[.-]\d+)*\.?\s*$")
_LABEL = re.compile(r"^\s*\(([a-z]{1,4}|[0-9]{1,3}|[A-Z]{1,4})\)\s+")


def _norm(text: str) -> str:
    """Text for alignment: computed numbers blanked, spaces folded."""
    text = re.sub(r"\b\d+(?:[.-]\d+)+\b|\bSECTION \d+\b|\bSection \d+\b", "#", text)
    return re.sub(r"\s+", " ", text).strip()


def _tokens(runs: Iterable[Run], pattern: re.Pattern[str] = _TOKEN) -> list[tuple[str, Run]]:
    return [(piece, run) for run in runs for piece in pattern.findall(run.text)]


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
    pattern = _MARKUP_TOKEN if mode == "markup" else _TOKEN
    a, b = _tokens(old, pattern), _tokens(new, pattern)
    matcher = difflib.SequenceMatcher(None, [t.strip() for t, _ in a], [t.strip() for t, _ in b],
                                      autojunk=False)
    out: list[Run] = []
    if mode == "markup" and matcher.ratio() < REWRITE_RATIO:
        # A rewrite: scattered matches of "a" and "the" would only make it unreadable.
        same = 0
        while same < min(len(a), len(b)) and a[same][0].strip() == b[same][0].strip():
            same += 1
        out += [_restyle(run, text, None, mode) for text, run in b[:same]]
        out += [_restyle(run, text, "del", mode) for text, run in a[same:]]
        if a[same:] and not a[-1][0].endswith(" "):
            out.append(_restyle(a[-1][1], " ", "del", mode))
        out += [_restyle(run, text, "ins", mode) for text, run in b[same:]]
        return _merge_runs(out)
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
    if mode == "markup" and any(_kind(line) == "heading" for line in old):
        return merge_chapter(old, new, mode)
    return _merge_lines(old, new, mode)


def _merge_lines(old: list[Line], new: list[Line], mode: Mode) -> list[Line]:
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
        term = _defined_term(new.text)
        for index in range(start, len(olds)):
            if index in used or _kind(olds[index]) != _kind(new):
                continue
            if term and _defined_term(olds[index].text) == term:
                best = index  # one term's old and new definitions, however reworded
                break
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


# ------------------------------------------------------------ a chapter against the current code

_STOP = frozenset("a an and any are as at be by for from has have in is it its of on or shall not may "
                  "that the their this to was were which who with".split())


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]+", _norm(text).lower()) if w not in _STOP and len(w) > 2)


def _sections(lines: list[Line], starts: Callable[[Line], bool]) -> list[list[Line]]:
    """Lines grouped by section: each group starts at a heading (the first may be a preamble)."""
    groups: list[list[Line]] = []
    for line in lines:
        if starts(line) or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _section_score(old: list[Line], new: list[Line]) -> float:
    """How surely NEW's section replaces OLD's: by heading words, or by its paragraphs' words."""
    def dice(a: frozenset[str], b: frozenset[str]) -> float:
        return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0

    heading = dice(_words(old[0].text), _words(new[0].text)) if _kind(old[0]) == _kind(new[0]) == "heading" else 0.0
    paragraphs = []
    for line in old[1:]:
        words = _words(line.text)
        if len(words) < 3:
            continue
        paragraphs.append(max((len(words & _words(n.text)) / len(words) for n in new), default=0.0))
    body = sum(paragraphs) / len(paragraphs) if paragraphs else 0.0
    return max(heading, body)


def _align_sections(old: list[list[Line]], new: list[list[Line]], threshold: float = 0.5) -> dict[int, int]:
    """Old section index -> new section index: the order-keeping pairing of greatest total score."""
    scores = [[_section_score(o, n) for n in new] for o in old]
    best = [[0.0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i in range(len(old) - 1, -1, -1):
        for j in range(len(new) - 1, -1, -1):
            pair = scores[i][j] + best[i + 1][j + 1] if scores[i][j] >= threshold else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    pairs: dict[int, int] = {}
    i = j = 0
    while i < len(old) and j < len(new):
        if scores[i][j] >= threshold and best[i][j] == scores[i][j] + best[i + 1][j + 1]:
            pairs[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def merge_chapter(old: list[Line], new: list[Line], mode: Mode = "markup") -> list[Line]:
    """A code chapter marked against its current text, section by section.

    Each current section is paired with the new section that replaces it (by heading words,
    or by the words of its paragraphs), keeping their order; a paired section is compared
    line by line inside itself, so each deletion stands where it stood in the current code,
    and its heading shows only the new number (renumbering is not a change). A current
    section that nothing replaces is struck whole, after the new section that replaces the
    current section before it; no section number is printed twice.
    """
    old_groups = _sections(old, lambda line: _kind(line) == "heading")
    new_groups = _sections(new, lambda line: line.key.endswith(("#head", "#0")))
    pairs = _align_sections(old_groups, new_groups)
    after: dict[int, list[int]] = {}  # new index (-1: before the first) -> old sections struck after it
    previous = -1
    for i in range(len(old_groups)):
        if i in pairs:
            previous = pairs[i]
        else:
            after.setdefault(previous, []).append(i)
    paired = {j: i for i, j in pairs.items()}
    shown = {_section_number(group[0].text) for group in new_groups}
    out: list[Line] = []

    def struck(i: int) -> None:
        group = old_groups[i]
        number = _section_number(group[0].text)
        if number and number in shown:
            # The number now belongs to another section: the struck heading keeps its words
            # and cites the old number so that no number is printed twice.
            head = copy.deepcopy(group[0])
            head.runs = [Run(f"[Former {number}] "), *[copy.copy(r) for r in head.runs]]
            head.runs[1].text = head.runs[1].text.replace(number, "", 1).lstrip()
            group = [head, *group[1:]]
        out.extend(_whole(line, "del", mode) for line in group)

    for i in after.get(-1, []):
        struck(i)
    for j, group in enumerate(new_groups):
        if j in paired:
            current = old_groups[paired[j]]
            if _kind(current[0]) == "heading" and _kind(group[0]) == "heading":
                head = copy.deepcopy(group[0])
                head.runs = diff_runs(_renumbered(current[0], group[0]), group[0].runs, mode)
                out.append(head)
                out += _merge_lines(current[1:], group[1:], mode)
            else:
                out += _merge_lines(current, group, mode)
        else:
            out += [_whole(line, "ins", mode) for line in group]
        for i in after.get(j, []):
            struck(i)
    return out


def _renumbered(old: Line, new: Line) -> list[Run]:
    """OLD heading's runs with NEW's section number: renumbering is never shown as a change."""
    before, after = _section_number(old.text), _section_number(new.text)
    runs = [copy.copy(run) for run in old.runs]
    if before and after and runs:
        runs[0].text = runs[0].text.replace(before, after, 1)
    return runs


def _section_number(text: str) -> str:
    match = re.match(r"^\s*(?:Sec\.|Section|SECTION)?\s*(\d+(?:[.-]\d+)+)", text)
    return match.group(1) if match else ""


def _defined_term(text: str) -> str:
    match = re.match(r'^\s*(?:\([a-zA-Z0-9]+\)\s*)?["\u201c]([^"\u201d]{1,80})["\u201d]\s+means\b', text)
    return match.group(1).lower() if match else ""


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
