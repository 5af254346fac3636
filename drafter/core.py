"""Build a draft in memory: answers in, a ``Draft`` out, bytes per format out of that.

This is what the CLI, ``drafter batch``, ``drafter new``, ``drafter serve`` and any other
program share (docs/python-api.md)::

    import drafter

    draft = drafter.build({"jurisdiction": {"name": "Springfield", "kind": "city",
                                            "state": "IL"}})
    docx = draft.render("docx")                 # bytes
    sheet = draft.factsheet("es", "docx")       # the Spanish fact sheet, bytes
    card = draft.scorecard()                    # plain data

Nothing here writes a file or prints. Every user error is a ``DrafterError`` whose problems
carry a location: the YAML line and column when the answers came from a file or YAML text,
the field path (``jurisdiction.state``) when they came from a mapping or a form. Validating a
mapping never lets a pydantic error through.

The only files read are the clause library (the built-in one, or a folder you name) and, when
the answers came from a file or ``base_dir`` is given, what the answers name relative to it
(``library:``, ``jurisdiction.code.current``). Answers from a mapping or uploaded text cannot
name a path on the machine unless the caller passes ``base_dir``.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.errors import DrafterError, Location, Problem, Problems

if TYPE_CHECKING:
    from drafter.docmodel import Document
    from drafter.layout import Line
    from drafter.library import Library
    from drafter.models import Answers
    from drafter.resolve import AnswersFile, Selection

FORMATS = ("docx", "md", "html", "txt", "pdf")
COMMENTARY = ("annotated", "comments", "memo", "none")
LANGS = ("en", "es")
AMENDMENT_LEGEND = ("NOTE: Additions to the current code are underlined; deletions are struck "
                    "through. Unchanged text is in plain type.")
MEDIA_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
               "txt": "text/plain; charset=utf-8", "pdf": "application/pdf"}


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """Everything a build takes besides the answers and the library. ``None`` means "as the
    answers say" (their ``preset``, ``output.commentary``, ``output.date``, ...)."""

    preset: str | None = None  # override the answers' preset
    profile: str | None = None  # override output.profile (standard, pleading, codepub, plain)
    commentary: str | None = None  # annotated | comments | memo | none
    date: dt.date | None = None  # the draft's date (default: output.date, else today)
    as_of: dt.date | None = None  # apply the state law in force on this day (default: today)
    allow_preempted: bool | None = None  # keep what state law forbids, with a boxed warning
    below_floor: bool = False  # keep an included clause below a protective state law
    base_dir: Path | None = None  # where the answers' relative paths start (a file's folder)
    current_code: str | None = None  # the current chapter's text (instead of code.current's file)
    reference_doc: Path | None = None  # a Word file whose styles the .docx takes (default: built-in)

    @classmethod
    def coerce(cls, options: BuildOptions | Mapping[str, Any] | None) -> BuildOptions:
        """Options from an instance, a mapping of the same names, or None."""
        if options is None:
            return cls()
        if isinstance(options, cls):
            return options
        if not isinstance(options, Mapping):
            raise DrafterError([Problem("options", message="options must be BuildOptions or a mapping")])
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            import difflib

            problems = []
            for name in unknown:
                near = difflib.get_close_matches(str(name), sorted(known), n=1)
                problems.append(Problem("options", message=f"unknown option '{name}'",
                                        hint=f"did you mean '{near[0]}'?" if near else
                                        "options are: " + ", ".join(sorted(known)), field=str(name)))
            raise DrafterError(problems)
        values = dict(options)
        for name in ("date", "as_of"):
            if isinstance(values.get(name), str):
                values[name] = _iso_date(values[name], Location("options", field=name))
        for name in ("base_dir", "reference_doc"):
            if isinstance(values.get(name), (str, os.PathLike)):
                values[name] = Path(values[name])
        return cls(**values)


# ---------------------------------------------------------------- answers in


def read_answers(path: str | os.PathLike[str]) -> AnswersFile:
    """An answers file, validated; problems carry its lines and columns."""
    from drafter.resolve import load_answers

    problems = Problems()
    source = load_answers(Path(path), problems)
    problems.raise_errors()
    assert source is not None
    return source


def parse_answers(text: str, *, name: str = "answers.yaml") -> AnswersFile:
    """Answers from YAML text (an upload, a text box); problems carry ``name``, line and column.

    The answers cannot name files (``library:``, ``code.current``): there is no folder for them.
    """
    from drafter.models import Answers
    from drafter.resolve import AnswersFile
    from drafter.sources import parse_yaml, validate

    problems = Problems()
    doc = parse_yaml(text, Path(name), problems, display=name)
    answers = validate(Answers, doc, problems, name) if doc is not None else None
    problems.raise_errors()
    assert answers is not None
    return AnswersFile(answers, doc, name)


def answers_from_mapping(data: Mapping[str, Any], *, name: str = "answers") -> AnswersFile:
    """Answers from a mapping (a program's dict, JSON, a web form), validated.

    Dates may be ``datetime.date`` or ISO text ("2026-01-15"). Every problem names its field
    (``Problem.field``, e.g. ``jurisdiction.state``); no pydantic error escapes.
    """
    from pydantic import ValidationError

    from drafter.models import Answers
    from drafter.resolve import AnswersFile

    if not isinstance(data, Mapping):
        raise DrafterError([Problem(name, message="expected a mapping of fields (key: value)",
                                    hint="see docs/answers-file.md")])
    plain = _with_dates(data, name)
    try:
        answers = Answers.model_validate(plain)
    except ValidationError as exc:
        raise DrafterError(_mapping_problems(exc, name)) from None
    return AnswersFile(answers, None, name)


def answers_source(answers: Any, *, name: str = "answers") -> AnswersFile:
    """Whatever ``build`` was given, as validated answers with their origin."""
    from drafter.models import Answers
    from drafter.resolve import AnswersFile

    if isinstance(answers, AnswersFile):
        return answers
    if isinstance(answers, Answers):
        return AnswersFile(answers, None, name)
    if isinstance(answers, os.PathLike):
        return read_answers(answers)
    if isinstance(answers, Mapping):
        return answers_from_mapping(answers, name=name)
    raise DrafterError([Problem(name, message=f"cannot build from {type(answers).__name__}",
                                hint="give a mapping, drafter.models.Answers, a Path, or "
                                     "drafter.read_answers(...) / drafter.parse_answers(...)")])


DATE_FIELDS = (("output", "date"), ("output", "as_of"))


def _with_dates(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A shallow copy of ``data`` with ISO date text in the date fields made dates (JSON and web
    forms have no date type; the models are strict)."""
    out = dict(data)
    output = out.get("output")
    if isinstance(output, Mapping):
        output = dict(output)
        for _, key in DATE_FIELDS:
            if isinstance(output.get(key), str):
                output[key] = _iso_date(output[key], Location(name, field=f"output.{key}"))
        out["output"] = output
    return out


def _iso_date(text: str, where: Location) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DrafterError([Problem.at(where, f"{text!r} is not a date",
                                       "write it as YYYY-MM-DD, e.g. 2026-01-15")]) from None


def _mapping_problems(exc: Any, name: str) -> list[Problem]:
    from drafter.resolve import field_path
    from drafter.sources import _explain, _is_union_tag

    out = []
    for err in exc.errors():
        loc = tuple(part for part in err["loc"] if not _is_union_tag(part))
        dotted = ".".join(str(part) for part in loc) or "(top level)"
        message, hint = _explain(err, dotted)
        message = message.removeprefix(f"{dotted}: ")
        out.append(Problem(name, 0, 0, message, hint, field=field_path(loc)))
    return out


# ---------------------------------------------------------------- library


def get_library(library: Library | str | os.PathLike[str] | None = None) -> Library:
    """A loaded library: the one given, or the built-in one overlaid with a folder."""
    from drafter.library import Library, load_library

    if isinstance(library, Library):
        return library
    problems = Problems()
    lib = load_library(Path(library) if library is not None else None, problems)
    problems.raise_errors()
    return lib


def _library_for(source: AnswersFile, library: Any, base_dir: Path | None) -> Library:
    if library is None and source.answers.library:
        if base_dir is None:
            raise DrafterError([Problem.at(
                source.where("library"), "these answers name a library folder, but they did not "
                "come from a file, so there is no folder to find it in",
                "pass library=... to drafter.build (or base_dir in the options)")])
        library = (base_dir / source.answers.library).resolve()
    return get_library(library)


# ---------------------------------------------------------------- the build


def build(answers: Answers | Mapping[str, Any] | AnswersFile | os.PathLike[str], *,
          library: Library | str | os.PathLike[str] | None = None,
          options: BuildOptions | Mapping[str, Any] | None = None) -> Draft:
    """Resolve and render the draft the answers describe; raise every problem at once."""
    from drafter.render import build_document
    from drafter.resolve import resolve

    opts = BuildOptions.coerce(options)
    source = answers_source(answers)
    base_dir = opts.base_dir or source.base_dir
    if opts.reference_doc is None and source.answers.output.reference_doc:  # output.reference_doc
        opts = replace(opts, reference_doc=(base_dir or Path()) / source.answers.output.reference_doc)
    lib = _library_for(source, library, base_dir)
    mode = opts.commentary or source.answers.output.commentary
    if mode not in COMMENTARY:
        raise DrafterError([Problem("options", message=f"unknown commentary mode '{mode}'",
                                    hint="use " + ", ".join(COMMENTARY), field="commentary")])
    selection = resolve(lib, source, preset=opts.preset, profile=opts.profile,
                        allow_preempted=opts.allow_preempted, as_of=opts.as_of,
                        below_floor=opts.below_floor)
    document = build_document(lib, selection, commentary=mode, date=opts.date)
    lines = _amendment_lines(source, selection, document, opts, base_dir)
    return Draft(lib, selection, document, lines, mode, opts)


class Draft:
    """One built draft. ``render`` gives its bytes in any format; the memo, the fact sheets
    and the scorecard come from the same resolved clauses. Renders are cached."""

    def __init__(self, library: Library, selection: Selection, document: Document,
                 lines: list[Line] | None, commentary: str, options: BuildOptions) -> None:
        self.library = library
        self.selection = selection
        self.document = document
        self.lines = lines
        self.commentary = commentary
        self.options = options
        self._cache: dict[tuple[str, ...], bytes] = {}
        self._plain: Document | None = None

    @property
    def answers(self) -> Answers:
        return self.selection.source.answers

    @property
    def warnings(self) -> list[Problem]:
        """What the build warned about (state law, clauses left out), located like errors."""
        return list(self.selection.warnings)

    @property
    def clauses(self) -> list[str]:
        """The ids of the clauses in the draft, in order."""
        return [c.id for c in self.selection.clauses]

    @property
    def preset(self) -> str:
        return self.selection.preset

    @property
    def title(self) -> str:
        return self.document.title

    def render(self, fmt: str = "docx") -> bytes:
        """The draft ordinance in ``fmt`` (docx, md, html, txt, pdf). PDF needs LibreOffice."""
        key = ("draft", _format(fmt))
        if key not in self._cache:
            self._cache[key] = render_document(
                fmt, self.document, self.selection.profile, self.library.templates_dir,
                footnotes=self.commentary == "annotated", lines=self.lines,
                reference=self.options.reference_doc)
        return self._cache[key]

    def memo(self, fmt: str = "docx") -> bytes:
        """The commentary memo: section-by-section analysis and a table of authorities."""
        from drafter.memo import memo_document

        key = ("memo", _format(fmt))
        if key not in self._cache:
            ordinance = self.document if self.commentary != "none" else self._build("memo")
            memo = memo_document(self.library, self.selection, ordinance)
            self._cache[key] = render_document(fmt, memo, self.selection.profile,
                                               self.library.templates_dir, footnotes=True,
                                               reference=self.options.reference_doc)
        return self._cache[key]

    def factsheet(self, lang: str = "en", fmt: str = "docx") -> bytes:
        """The one-page plain-language fact sheet, in English (en) or Spanish (es)."""
        from drafter.factsheet import factsheet_document

        if lang not in LANGS:
            raise DrafterError([Problem("lang", message=f"unknown language '{lang}'",
                                        hint="use en or es", field="lang")])
        key = ("factsheet", lang, _format(fmt))
        if key not in self._cache:
            if self._plain is None:
                self._plain = (self.document if self.commentary == "none" and self.lines is None
                               else self._build("none"))
            sheet = factsheet_document(self.library, self.selection, self._plain, lang)
            profile = self.library.profiles.get("factsheet", self.selection.profile)
            self._cache[key] = render_document(fmt, sheet, profile, self.library.templates_dir,
                                               footnotes=False, reference=self.options.reference_doc)
        return self._cache[key]

    def scorecard(self) -> dict[str, Any]:
        """Which protections the draft carries, by area, against the strongest model."""
        from drafter.score import scorecard

        return scorecard(self.library, self.selection)

    def lint(self) -> list[Problem]:
        """Drafting-style findings on the draft (clean copy), errors first."""
        from drafter.lint import lint_document

        plain = self.document if self.commentary == "none" and self.lines is None else self._build("none")
        order = {"error": 0, "warning": 1, "info": 2}
        return sorted(set(lint_document(plain, self.selection, self.library)),
                      key=lambda p: (order[p.severity], p.path, p.line, p.rule))

    def _build(self, commentary: str) -> Document:
        from drafter.render import build_document

        return build_document(self.library, self.selection, commentary=commentary,
                              date=self.options.date)


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DrafterError([Problem("format", message=f"unknown format '{fmt}'",
                                    hint="use " + ", ".join(FORMATS), field="format")])
    return fmt


def render_document(fmt: str, document: Document, profile: Any, templates: Path, *,
                    footnotes: bool, lines: list[Line] | None = None,
                    track_revisions: bool = False, reference: Path | None = None) -> bytes:
    """One document in one format, as bytes (``lines``: a marked-up layout to write instead).

    A .docx is the same bytes for the same document: its zip entries carry the draft's date,
    not the time of the build.
    """
    _format(fmt)
    if fmt in ("docx", "pdf"):
        from drafter.writers.docx import DocxWriter

        docx = DocxWriter(profile, reference or templates / "reference.docx", footnotes=footnotes,
                          track_revisions=track_revisions).render(document, lines)
        docx = fixed_zip_times(docx, document.properties.get("date", ""))
        if fmt == "docx":
            return docx
        from drafter.writers.pdf import docx_to_pdf

        return docx_to_pdf(docx)
    if fmt == "html":
        from drafter.writers.html import HtmlWriter

        return HtmlWriter().render(document, lines).encode("utf-8")
    if fmt == "txt":
        from drafter.writers.text import TextWriter

        return TextWriter().render(document).encode("utf-8")
    from drafter.writers.markdown import MarkdownWriter

    return MarkdownWriter().render(document).encode("utf-8")


def fixed_zip_times(data: bytes, day: str) -> bytes:
    """The zip with every entry's time set to ``day`` (ISO date; 1980-01-01 if not one).

    python-docx stamps each part with the time of saving, so two builds of one draft would
    differ in bytes only there. Patched in place in the local and central headers (the CRCs
    cover contents only).
    """
    try:
        when = dt.date.fromisoformat(day[:10])
    except ValueError:
        when = dt.date(1980, 1, 1)
    dos_date = (max(when.year, 1980) - 1980) << 9 | when.month << 5 | when.day
    buf = bytearray(data)
    end = buf.rfind(b"PK\x05\x06")
    if end < 0:
        return data
    count, = struct.unpack_from("<H", buf, end + 10)
    pos, = struct.unpack_from("<I", buf, end + 16)
    for _ in range(count):
        if buf[pos:pos + 4] != b"PK\x01\x02":
            return data
        struct.pack_into("<HH", buf, pos + 12, 0, dos_date)
        local, = struct.unpack_from("<I", buf, pos + 42)
        if buf[local:local + 4] != b"PK\x03\x04":
            return data
        struct.pack_into("<HH", buf, local + 10, 0, dos_date)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, pos + 28)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(buf)


def _amendment_lines(source: AnswersFile, selection: Selection, document: Document,
                     options: BuildOptions, base_dir: Path | None) -> list[Line] | None:
    """In amendment mode, the laid-out draft with the chapter marked against the current code."""
    code = source.answers.jurisdiction.code
    if code is None or not code.current:
        return None
    from drafter.compare import merge, parse_current_code
    from drafter.layout import layout

    text = options.current_code
    where = source.where("jurisdiction", "code", "current")
    if text is None:
        if base_dir is None:
            raise DrafterError([Problem.at(
                where, "code.current names a file, but these answers did not come from a file, "
                "so there is no folder to find it in",
                "pass the chapter's text as the current_code option (or base_dir)")])
        from drafter.resources import display_path
        from drafter.sources import read_text

        problems = Problems()
        current = (base_dir / code.current).resolve()
        text = read_text(current, problems, display_path(current))
        if text is None:
            raise DrafterError([Problem.at(where, f"cannot read the current chapter: "
                                                  f"{problems.items[0].message}",
                                           "give the path of the current chapter's text, "
                                           "relative to the answers file")])
    document.legend = AMENDMENT_LEGEND
    lines = layout(document)
    codified = {s.key for s in document.all_sections() if s.codified}
    inside = [i for i, line in enumerate(lines) if line.key.split("#")[0] in codified]
    if not inside:
        return lines
    first, last = inside[0], inside[-1] + 1
    marked = merge(parse_current_code(text, selection.profile.levels), lines[first:last], "markup")
    return lines[:first] + marked + lines[last:]
