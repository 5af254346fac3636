"""``drafter absorb``: a draft a lawyer edited in Word, back into the clause files.

The reviewed .docx is read paragraph by paragraph in two views: *accepted* (tracked
insertions kept, deletions dropped) and *original* (the reverse). Each paragraph belongs to
the section whose bookmark (``_Ref_<clause id>``) it follows. The same answers are built
again, fresh, and read the same way; every difference between the fresh text and the
accepted text of a section is a change the lawyer made, tracked (``w:ins``/``w:del``) or
typed directly.

Each change is then placed in the clause's Markdown. The fresh build is rendered a second
time with every ``{{ }}`` output wrapped in invisible markers, so drafter knows which
characters of a paragraph came from the clause's own words and which from a parameter, a
cross-reference or another template expression. A change in the clause's own words is
found in the clause file by its surrounding words (whitespace, Markdown escapes and
emphasis may differ) and must match exactly one place outside any template tag; it is then
written there, and template expressions are left as they are. A change that touches
template output, a definition, a generated line or a place that cannot be found uniquely is
reported for the lawyer to place by hand, never guessed.

Comments (other than drafter's own commentary comments) become a review list with their
clause and section.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Problem, Problems
from drafter.resources import builtin_clauses, display_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OPEN, CLOSE = "\ue000", "\ue001"  # private-use markers around template output
BODY_STYLES = ("OrdLevel", "OrdBody", "OrdCodeBody", "OrdBullet")
COMMENT_STYLES = ("OrdComment",)
OWN_COMMENT_AUTHOR = "drafter commentary"


# ---------------------------------------------------------------- reading a .docx


@dataclass
class WordParagraph:
    """One body paragraph of a .docx in both views."""

    style: str
    accepted: str
    original: str
    bookmarks: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    tracked: bool = False  # it holds a tracked insertion or deletion
    level: int | None = None
    gone_accepted: bool = False  # its paragraph mark is a tracked deletion and nothing is left
    new_accepted: bool = False  # its paragraph mark is a tracked insertion


@dataclass
class WordDraft:
    paragraphs: list[WordParagraph]
    comments: dict[str, tuple[str, str]]  # id -> (author, text)
    identifier: str  # the answers file's sha256, as drafter wrote it
    trace: str  # "Built by ... from NAME (sha256 ...) with preset X ..."
    created: Any


def read_docx(path: Path | bytes) -> WordDraft:
    """The body paragraphs of a .docx (tables, such as the signature block, are skipped)."""
    import io

    from docx import Document as open_docx

    try:
        word = open_docx(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds
        shown = "(draft)" if isinstance(path, bytes) else display_path(path)
        raise DrafterError([Problem(shown, message=f"cannot read as a Word file: {exc}",
                                    hint="give the .docx the lawyer saved from Word")]) from None
    paragraphs = [_paragraph(p) for p in word.element.body.iterchildren(f"{W}p")]
    comments: dict[str, tuple[str, str]] = {}
    try:
        for comment in word.comments:
            comments[str(comment.comment_id)] = (comment.author or "", comment.text or "")
    except Exception:  # noqa: BLE001 - a document without a comments part
        pass
    props = word.core_properties
    return WordDraft(paragraphs, comments, props.identifier or "", props.comments or "",
                     props.created)


def _paragraph(p: Any) -> WordParagraph:
    accepted: list[str] = []
    original: list[str] = []
    tracked = False
    for element in p.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br", f"{W}ins", f"{W}del"):
        tag = element.tag
        if tag in (f"{W}ins", f"{W}del"):
            if element.getparent().tag != f"{W}rPr":
                tracked = True
            continue
        ancestors = {a.tag for a in element.iterancestors()}
        text = element.text or "" if tag in (f"{W}t", f"{W}delText") else (
            "\t" if tag == f"{W}tab" else "\n")
        inserted, deleted = f"{W}ins" in ancestors, f"{W}del" in ancestors or tag == f"{W}delText"
        if not deleted:
            accepted.append(text)
        if not inserted:
            original.append(text)
    style_el = p.find(f"{W}pPr/{W}pStyle")
    style = style_el.get(f"{W}val") if style_el is not None else ""
    level_el = p.find(f"{W}pPr/{W}numPr/{W}ilvl")
    level = int(level_el.get(f"{W}val")) if level_el is not None else None
    if level is None and style.startswith("OrdLevel") and style[8:].isdigit():
        level = int(style[8:]) - 1
    mark = p.find(f"{W}pPr/{W}rPr")
    mark_del = mark is not None and mark.find(f"{W}del") is not None
    mark_ins = mark is not None and mark.find(f"{W}ins") is not None
    bookmarks = [b.get(f"{W}name") for b in p.iter(f"{W}bookmarkStart")]
    comments = list(dict.fromkeys(
        [c.get(f"{W}id") for c in p.iter(f"{W}commentRangeStart")]
        + [c.get(f"{W}id") for c in p.iter(f"{W}commentReference")]))
    text_accepted, text_original = "".join(accepted), "".join(original)
    return WordParagraph(style, text_accepted, text_original, bookmarks, comments,
                         tracked or mark_del or mark_ins, level,
                         gone_accepted=mark_del and not text_accepted.strip(),
                         new_accepted=mark_ins)


def sections(paragraphs: list[WordParagraph], names: dict[str, str]
             ) -> dict[str, list[WordParagraph]]:
    """Paragraphs per clause id, by the section bookmarks (text before the first section,
    chapter headings and the vote block belong to none)."""
    out: dict[str, list[WordParagraph]] = {}
    current: str | None = None
    for paragraph in paragraphs:
        marked = [names[b] for b in paragraph.bookmarks if b in names]
        if marked:
            current = marked[0]
        elif paragraph.style in ("OrdChapter", "OrdVote", "OrdSignature") or (
                paragraph.style == "OrdBody" and paragraph.original.startswith("PASSED")):
            current = None
        if current is not None:
            out.setdefault(current, []).append(paragraph)
    return out


# ---------------------------------------------------------------- changes and where they go


@dataclass
class Change:
    """One edit placed in a clause file."""

    clause: str
    section: str
    kind: str  # "tracked" or "direct"
    old: str
    new: str
    path: Path
    line: int


@dataclass
class Manual:
    """An edit drafter will not place by itself: the lawyer places it by hand."""

    clause: str
    section: str
    kind: str
    old: str
    new: str
    reason: str


@dataclass
class ReviewComment:
    clause: str
    section: str
    author: str
    text: str
    anchor: str


@dataclass
class AbsorbResult:
    changes: list[Change]
    manual: list[Manual]
    comments: list[ReviewComment]
    files: dict[Path, tuple[str, str]]  # path written -> (old text, new text)
    answers: Path | None = None
    warnings: list[Problem] = field(default_factory=list)

    def diff(self) -> str:
        chunks = []
        for path, (old, new) in self.files.items():
            shown = display_path(path)
            chunks.extend(difflib.unified_diff(old.splitlines(keepends=True),
                                               new.splitlines(keepends=True),
                                               f"a/{shown}", f"b/{shown}"))
        return "".join(chunks)


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def absorb(reviewed: Path, *, answers: Path | None = None, library: Path | None = None,
           into: Path | None = None, preset: str | None = None, profile: str | None = None,
           write: bool = False) -> AbsorbResult:
    """Read a reviewed draft and work out (and with ``write``, make) the clause-file edits."""
    from drafter import api
    from drafter.render import build_document
    from drafter.writers.docx import bookmark_name

    word = read_docx(reviewed)
    problems = Problems()
    answers = answers or _find_answers(reviewed, word, problems)
    problems.raise_errors()
    assert answers is not None
    warnings: list[Problem] = []
    if word.identifier and word.identifier not in _digests(answers):
        warnings.append(Problem(display_path(answers), message="this answers file has changed since "
                                "the draft was built (its hash differs from the draft's)",
                                hint="changes are compared with a build of the answers as they are "
                                     "now", severity="warning"))
    built_preset = re.search(r"with preset ([\w-]+)", word.trace)
    lib, selection = api._selection_for(answers, preset=preset or (built_preset.group(1) if built_preset
                                                                     else None),
                                        profile=profile, library=library)
    commentary = _commentary_mode(word)
    date = word.created.date() if word.created else None
    document = build_document(lib, selection, commentary=commentary, date=date)
    fresh_bytes = api.render_format("docx", document, selection.profile, lib.templates_dir,
                                    footnotes=commentary == "annotated")
    with _marked_templates():
        marked_doc = build_document(lib, selection, commentary=commentary, date=date)
    from drafter.layout import layout

    marked_lines = layout(marked_doc)
    names = {bookmark_name(cid): cid for cid in lib.clauses}
    fresh = sections(read_docx(fresh_bytes).paragraphs, names)
    edited = sections(word.paragraphs, names)
    headings = {cid: paras[0].original for cid, paras in fresh.items() if paras}

    planner = _Planner(lib, selection, marked_lines, into)
    for cid in sorted(set(fresh) | set(edited)):
        planner.section(cid, headings.get(cid, cid), fresh.get(cid, []), edited.get(cid, []))
    comments = []
    for cid, paras in edited.items():
        for paragraph in paras:
            for comment_id in paragraph.comments:
                author, text = word.comments.get(comment_id, ("", ""))
                if author == OWN_COMMENT_AUTHOR or not text.strip():
                    continue
                comments.append(ReviewComment(cid, headings.get(cid, cid), author, text.strip(),
                                              paragraph.accepted.strip()[:80]))
    files = planner.finish()
    if write:
        from drafter.output import write_atomic

        for path, (_old, new) in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, new.encode("utf-8"), force=True)
    return AbsorbResult(planner.changes, planner.manual, comments, files, answers, warnings)


def _commentary_mode(word: WordDraft) -> str:
    if any(p.style == "OrdCommentHead" for p in word.paragraphs):
        return "annotated"
    if any(author == OWN_COMMENT_AUTHOR for author, _ in word.comments.values()):
        return "comments"
    return "none"


def _find_answers(reviewed: Path, word: WordDraft, problems: Problems) -> Path | None:
    """The answers file the draft was built from: named in the draft's properties, looked for
    next to the draft and in the current folder, and matched by its hash."""
    match = re.search(r"from (\S+?)(?: \(| )sha256", word.trace)
    name = match.group(1) if match else ""
    candidates = []
    for folder in (reviewed.parent, Path.cwd()):
        if name:
            candidates.append(folder / name)
        candidates.extend(sorted(folder.glob("*.yaml")))
    for path in dict.fromkeys(candidates):
        if path.is_file() and word.identifier and word.identifier in _digests(path):
            return path
    problems.add(display_path(reviewed), message="cannot find the answers file this draft was built "
                 f"from{f' ({name})' if name else ''}",
                 hint="pass --answers FILE (the draft is compared with a fresh build of it)")
    return None


def _digests(path: Path) -> set[str]:
    """The hashes a draft may carry for an answers file: of its bytes, or of its answers."""
    from drafter.resolve import load_answers

    found = {hashlib.sha256(path.read_bytes()).hexdigest()}
    source = load_answers(path, Problems())
    if source is not None and getattr(source, "digest", ""):
        found.add(source.digest)
    return found


@contextmanager
def _marked_templates() -> Iterator[None]:
    """While active, every ``{{ }}`` output is wrapped in the private-use markers."""
    from drafter import templating

    saved = templating._ENV
    env = templating.make_environment()
    plain = env.finalize

    def marked(value: Any) -> str:
        return OPEN + plain(value) + CLOSE

    env.finalize = marked
    templating._ENV = env
    templating._compiled.cache_clear()
    try:
        yield
    finally:
        templating._ENV = saved
        templating._compiled.cache_clear()


# ---------------------------------------------------------------- placing edits in files


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _merged_opcodes(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """Word-level differences; two next to each other with only spaces or punctuation
    between them are one change ("twenty-four (24)" -> "forty-eight (48)")."""
    merged: list[list[int]] = []
    pending_gap = False
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pending_gap = bool(merged) and not any(re.match(r"\w", t) for t in a[i1:i2])
            continue
        if merged and pending_gap:
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
        pending_gap = False
    return [tuple(m) for m in merged]  # type: ignore[misc]


def _strip_marks(text: str) -> tuple[str, list[bool]]:
    """Marked text -> plain text, and per character whether it is template output."""
    plain: list[str] = []
    inside: list[bool] = []
    depth = 0
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth = max(0, depth - 1)
        else:
            plain.append(char)
            inside.append(depth > 0)
    return "".join(plain), inside


class _Planner:
    """Collects the edits per clause file, then applies them."""

    def __init__(self, library: Any, selection: Any, marked_lines: list[Any], into: Path | None
                 ) -> None:
        self.library = library
        self.selection = selection
        self.into = into
        self.changes: list[Change] = []
        self.manual: list[Manual] = []
        self.edits: dict[Path, list[_Edit]] = {}
        self.sources: dict[Path, str] = {}
        self.targets: dict[Path, Path] = {}
        self.marked: dict[str, list[str]] = {}
        for line in marked_lines:
            cid = line.key.split("#", 1)[0]
            self.marked.setdefault(cid, []).append(line.text)

    # ---- per section

    def section(self, cid: str, heading: str, fresh: list[WordParagraph],
                edited: list[WordParagraph]) -> None:
        old = [p.original for p in fresh]
        new_paras = [p for p in edited if not p.gone_accepted]
        new = [p.accepted for p in new_paras]
        if old == new:
            return
        clause = self.library.clauses.get(cid)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
            for i, j in pairs:
                self.paragraph(clause, cid, heading, fresh[i], old[i], new_paras[j], new[j])
            for i in range(i1 + len(pairs), i2):
                self.removed(clause, cid, heading, fresh[i], old[i])
            for j in range(j1 + len(pairs), j2):
                before = fresh[i1 + len(pairs) - 1] if i1 + len(pairs) > 0 else None
                self.added(clause, cid, heading, before, new_paras[j], new[j])

    def _kind(self, paragraph: WordParagraph) -> str:
        return "tracked" if paragraph.tracked else "direct"

    def _region(self, clause: Any, paragraph: WordParagraph) -> tuple[Path, int, int] | None:
        """The clause file and the span of its text (body or commentary) a paragraph is in."""
        if clause is None:
            return None
        path = self._target(clause)
        text = self.sources[path]
        body_start = text.find(clause.body) if clause.body else -1
        if body_start < 0:
            return None
        if paragraph.style.startswith(COMMENT_STYLES):
            start = text.find(clause.commentary, body_start + len(clause.body)) \
                if clause.commentary else -1
            return (path, start, start + len(clause.commentary)) if start >= 0 else None
        if paragraph.style.startswith(BODY_STYLES) or paragraph.style.startswith("OrdSection") \
                or paragraph.style.startswith("OrdCodeSection"):
            return path, body_start, body_start + len(clause.body)
        return None

    def _target(self, clause: Any) -> Path:
        """The file edits of a clause go to (a copy in the overlay with --into)."""
        if clause.path not in self.targets:
            target = clause.path
            if self.into is not None:
                rel = clause.path.relative_to(next(r for r in reversed(self.library.roots)
                                                   if clause.path.is_relative_to(r)))
                target = self.into / rel
            self.targets[clause.path] = target
            source = target if target.is_file() else clause.path
            self.sources[target] = source.read_text(encoding="utf-8")
        return self.targets[clause.path]

    def _marked_for(self, cid: str, plain_text: str) -> list[bool] | None:
        for text in self.marked.get(cid, []):
            stripped, inside = _strip_marks(text)
            if stripped == plain_text:
                return inside
        return None

    def _refuse(self, cid: str, heading: str, kind: str, old: str, new: str, reason: str) -> None:
        self.manual.append(Manual(cid, heading, kind, old, new, reason))

    def paragraph(self, clause: Any, cid: str, heading: str, fresh: WordParagraph, old: str,
                  edited: WordParagraph, new: str) -> None:
        kind = self._kind(edited)
        if fresh.bookmarks and fresh.style.startswith(("OrdSection", "OrdCodeSection")):
            self.heading(clause, cid, heading, kind, old, new)
            return
        if clause is not None and clause.meta.role == "definitions":
            self._refuse(cid, heading, kind, old, new, "the definitions come from the definition "
                         "files (clauses/definitions/); edit the term's file by hand")
            return
        region = self._region(clause, fresh)
        if region is None:
            self._refuse(cid, heading, kind, old, new, "this paragraph is generated by drafter "
                         "(not written in the clause's text)")
            return
        inside = self._marked_for(cid, old)
        if inside is None:
            self._refuse(cid, heading, kind, old, new, "cannot tell which words of this paragraph "
                         "are the clause's own")
            return
        a, b = _tokens(old), _tokens(new)
        offsets = [0]
        for token in a:
            offsets.append(offsets[-1] + len(token))
        for i1, i2, j1, j2 in _merged_opcodes(a, b):
            start, end = offsets[i1], offsets[i2]
            replacement = "".join(b[j1:j2])
            touched = inside[start:end] if end > start else (
                inside[start - 1:start + 1] if 0 < start < len(inside) else [])
            if end == start and len(touched) == 2 and not all(touched):
                touched = [False]
            if any(touched):
                self._refuse(cid, heading, kind, old[start:end], replacement,
                             "the change is inside text produced by a parameter or another template "
                             "expression; change the parameter's value in the answers file, or the "
                             "clause text by hand")
                continue
            self.place(clause, cid, heading, kind, region, old, inside, start, end, replacement)

    def place(self, clause: Any, cid: str, heading: str, kind: str, region: tuple[Path, int, int],
              old: str, inside: list[bool], start: int, end: int, replacement: str) -> None:
        path, lo, hi = region
        text = self.sources[path]
        left = start
        while left > 0 and not inside[left - 1] and start - left < 60:
            left -= 1
        right = end
        while right < len(old) and not inside[right] and right - end < 60:
            right += 1
        found = _find_unique(text, lo, hi, old[left:start], old[start:end], old[end:right])
        if found is None:
            self._refuse(cid, heading, kind, old[start:end], replacement,
                         "cannot find one exact place for this change in the clause file")
            return
        a, b = found
        self.edits.setdefault(path, []).append(_Edit(a, b, _escape(replacement)))
        self.changes.append(Change(cid, heading, kind, old[start:end], replacement, path,
                                   text.count("\n", 0, a) + 1))

    def heading(self, clause: Any, cid: str, heading: str, kind: str, old: str, new: str) -> None:
        title = clause.meta.title if clause is not None else ""
        at = old.rfind(title) if title else -1
        if at < 0 or not new.startswith(old[:at]) or not new.endswith(old[at + len(title):]):
            self._refuse(cid, heading, kind, old, new, "the section number is computed; only the "
                         "title can change")
            return
        new_title = new[at:len(new) - len(old[at + len(title):]) or None]
        path = self._target(clause)
        text = self.sources[path]
        match = re.search(r"^title:[ \t]*(.*)$", text, re.M)
        if match is None:
            self._refuse(cid, heading, kind, old, new, "cannot find 'title:' in the clause file")
            return
        value = new_title if re.fullmatch(r"[\w ,()'-]+", new_title) else \
            '"' + new_title.replace("\\", "\\\\").replace('"', '\\"') + '"'
        self.edits.setdefault(path, []).append(_Edit(match.start(1), match.end(1), value))
        self.changes.append(Change(cid, heading, kind, title, new_title, path,
                                   text.count("\n", 0, match.start()) + 1))

    def removed(self, clause: Any, cid: str, heading: str, fresh: WordParagraph, old: str) -> None:
        region = self._region(clause, fresh)
        inside = self._marked_for(cid, old)
        if region is None or inside is None or any(inside) or not old.strip():
            self._refuse(cid, heading, "tracked" if fresh.tracked else "direct", old, "",
                         "a deleted paragraph that drafter cannot remove by itself")
            return
        path, lo, hi = region
        text = self.sources[path]
        found = _find_unique(text, lo, hi, "", old, "")
        if found is None:
            self._refuse(cid, heading, "direct", old, "", "cannot find one exact place for this "
                         "paragraph in the clause file")
            return
        a, b = found
        line_start = text.rfind("\n", 0, a) + 1
        if not re.fullmatch(r"[ \t]*(?:\d+[.)][ \t]+|[-*+][ \t]+)?", text[line_start:a]):
            self._refuse(cid, heading, "direct", old, "", "the paragraph shares its line with "
                         "other text in the clause file")
            return
        line_end = text.find("\n", b)
        line_end = len(text) if line_end < 0 else line_end + 1
        self.edits.setdefault(path, []).append(_Edit(line_start, line_end, ""))
        self.changes.append(Change(cid, heading, "deleted", old, "", path,
                                   text.count("\n", 0, line_start) + 1))

    def added(self, clause: Any, cid: str, heading: str, before: WordParagraph | None,
              edited: WordParagraph, new: str) -> None:
        kind = self._kind(edited)
        before_text = before.original if before is not None else ""
        inside = self._marked_for(cid, before_text) if before is not None else None
        region = self._region(clause, before) if before is not None else None
        if region is None or inside is None or any(inside) or not before_text.strip():
            self._refuse(cid, heading, kind, "", new, "a new paragraph whose place drafter "
                         "cannot find; add it to the clause file by hand")
            return
        path, lo, hi = region
        text = self.sources[path]
        found = _find_unique(text, lo, hi, "", before_text, "")
        if found is None:
            self._refuse(cid, heading, kind, "", new, "cannot find the paragraph before it in the "
                         "clause file")
            return
        _a, b = found
        line_start = text.rfind("\n", 0, _a) + 1
        lead = re.match(r"[ \t]*(?:\d+[.)][ \t]+|[-*+][ \t]+)?", text[line_start:_a]).group(0)
        if edited.level != before.level:
            self._refuse(cid, heading, kind, "", new, "a new paragraph at another list level; add "
                         "it to the clause file by hand")
            return
        line_end = text.find("\n", b)
        line_end = len(text) if line_end < 0 else line_end + 1
        marker = re.sub(r"\d+", "1", lead) if lead.strip() else ""
        insert = (marker + _escape(new) + "\n") if marker else ("\n" + _escape(new) + "\n")
        self.edits.setdefault(path, []).append(_Edit(line_end, line_end, insert))
        self.changes.append(Change(cid, heading, "added", "", new, path,
                                   text.count("\n", 0, line_end) + 1))

    def finish(self) -> dict[Path, tuple[str, str]]:
        files = {}
        for path, edits in self.edits.items():
            text = self.sources[path]
            edits.sort(key=lambda e: (e.start, e.end))
            for first, second in zip(edits, edits[1:], strict=False):
                if second.start < first.end:
                    raise DrafterError([Problem(display_path(path), message="two changes overlap "
                                                "in this file", hint="absorb them one at a time")])
            new = text
            for edit in reversed(edits):
                new = new[:edit.start] + edit.text + new[edit.end:]
            if new != text:
                files[path] = (text if path.is_file() else "", new)
        return files


def _pattern(text: str) -> str:
    """A regex for ``text`` as it may be written in Markdown: any whitespace, escapes and
    emphasis markers between words."""
    parts = []
    for token in _tokens(text):
        if token.isspace():
            parts.append(r"\s+")
        elif re.fullmatch(r"\w+", token):
            parts.append(r"[*_]{0,3}" + re.escape(token) + r"[*_]{0,3}")
        else:
            parts.append(r"\\?" + re.escape(token))
    return "".join(parts)


def _find_unique(text: str, lo: int, hi: int, left: str, middle: str, right: str
                 ) -> tuple[int, int] | None:
    """The span of ``middle`` in text[lo:hi], the one place where left+middle+right occur
    outside template tags; None if there is no such place or more than one."""
    tags = [(m.start() + lo, m.end() + lo) for m in re.finditer(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}",
                                                                  text[lo:hi], re.S)]
    # try the full context first, then less of it (but never none at all)
    for keep in (60, 30, 15):
        lpart = left[-keep:] if left else ""
        rpart = right[:keep] if right else ""
        if lpart and not lpart[0].isspace():  # start the context on a word boundary
            lpart = lpart[lpart.find(" ") + 1:] if " " in lpart and len(left) > keep else lpart
        if not (lpart or middle or rpart):
            return None
        regex = re.compile(f"({_pattern(lpart)})({_pattern(middle)})({_pattern(rpart)})")
        hits = []
        for match in regex.finditer(text, lo, hi):
            a, b = match.start(2), match.end(2)
            if any(s < match.end() and match.start() < e for s, e in tags):
                continue
            hits.append((a, b))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return None
    return None


def _escape(text: str) -> str:
    """Typed text as literal Markdown: template braces and Markdown specials escaped."""
    from drafter.templating import escape_markdown

    escaped = escape_markdown(text)
    return escaped.replace("{{", "{{ '{{' }}").replace("{%", "{{ '{%' }}")


def is_builtin(path: Path) -> bool:
    """Is ``path`` inside an installed (not checked-out) built-in library?"""
    root = builtin_clauses()
    return path.resolve().is_relative_to(root.resolve()) and "site-packages" in root.parts
