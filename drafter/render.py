"""Selection -> document model: render each clause in the sandbox, assemble findings and
definitions, number sections and resolve cross-references.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from drafter.docmodel import Block, Chapter, Document, Item, Note, Para, Run, Section, Signature
from drafter.errors import Problems
from drafter.library import Clause, Definition, Library
from drafter.markdown import CITE_PREFIX, REF_PREFIX, MarkdownError, parse_blocks
from drafter.models import US_STATES, Authority
from drafter.numbering import Labeler, code_section_number
from drafter.resolve import Selection
from drafter.templating import Markdown, RenderError, render, strip_illegal

AREA_PHRASES = {
    "detainers": "immigration detainers and civil immigration enforcement",
    "information": "the privacy of personal information",
    "access": "access to {short} facilities and people in custody",
    "policing": "community safety and minor offenses",
}
DRAFT_NOTICE = ("DRAFT of {date}. A model ordinance prepared with drafter for review by a "
                "licensed attorney. It is not legal advice and has not been approved as to form.")


def jurisdiction_context(selection: Selection) -> dict[str, Any]:
    """The ``jurisdiction`` template variable (documented in docs/clause-format.md)."""
    j = selection.source.answers.jurisdiction
    form = selection.form
    agencies = [strip_illegal(a) for a in (j.police, j.sheriff, *j.agencies) if a]
    name = strip_illegal(j.name)
    return {
        "name": name,
        "full_name": form.full_name.format(name=name),
        "short_name": form.short_name,
        "kind": j.kind,
        "state": j.state,
        "state_name": US_STATES[j.state],
        "governing_body": strip_illegal(j.governing_body or form.governing_body),
        "police": strip_illegal(j.police or ""),
        "sheriff": strip_illegal(j.sheriff or ""),
        "runs_jail": j.runs_jail,
        "agencies": agencies,
        "withheld": list(selection.barred),
    }


def format_citation(authority: Authority) -> Markdown:
    """A citation as Markdown: case names in italics; unverified ones flagged."""
    name = authority.name.replace("*", "")
    name = f"*{name}*" if authority.kind == "case" else name
    flag = " **[unverified: check before relying on it]**" if not authority.verified else ""
    return Markdown(f"{name}, {authority.citation}{flag}")


def short_citation(authority: Authority) -> str:
    """The name a commentary sentence uses inline; the full citation goes to a footnote."""
    name = authority.name.replace("*", "").replace("[", "(").replace("]", ")")
    return f"*{name}*" if authority.kind == "case" else name


@dataclass
class _Slot:
    key: str
    label: str
    ref: str
    codified: bool


class _Renderer:
    """One draft's rendering state: labels, the sandbox context, collected problems."""

    def __init__(self, library: Library, selection: Selection) -> None:
        self.library = library
        self.selection = selection
        self.problems = Problems()
        self.labeler = Labeler(selection.profile.levels)
        self.jurisdiction = jurisdiction_context(selection)
        self.slots: dict[str, _Slot] = {}
        self.cited: dict[str, str] = {}

    # ------------------------------------------------------------ template calls

    def ref(self, target: str) -> Markdown:
        slot = self.slots.get(target)
        if slot is None:
            if target in self.library.clauses:
                raise LookupError(f"ref('{target}'): that clause is not in this draft")
            raise LookupError(f"ref('{target}'): no clause has that id")
        return Markdown(f"[{slot.ref}]({REF_PREFIX}{target})")

    def cite(self, authority_id: str) -> Markdown:
        authority = self.library.authorities.get(authority_id)
        if authority is None:
            raise LookupError(f"cite('{authority_id}'): no authority has that id")
        self.cited[authority_id] = str(format_citation(authority))
        return Markdown(f"[{short_citation(authority)}]({CITE_PREFIX}{authority_id})")

    def context(self, clause_id: str | None, codified: bool) -> dict[str, Any]:
        ctx: dict[str, Any] = {
            "jurisdiction": self.jurisdiction,
            "this_law": "this chapter" if codified else
            f"this {self.selection.form.instrument.lower()}",
            "ref": self.ref,
            "cite": self.cite,
        }
        if clause_id:
            ctx.update(self.selection.params.get(clause_id, {}))
        return ctx

    def text(self, source: str, ctx: dict[str, Any], display: str, line: int, what: str) -> str:
        try:
            rendered = render(source, ctx, display=display, first_line=line, what=what)
        except RenderError as exc:
            self.problems.extend([exc.problem])
            return ""
        if self.selection.profile.modal == "must":
            rendered = must_style(rendered)
        return rendered

    def blocks(self, markdown: str, display: str, line: int, *, bullets: bool = False,
               base_level: int = 0) -> list[Block]:
        try:
            return parse_blocks(markdown, self.labeler, allow_bullets=bullets,
                                base_level=base_level)
        except MarkdownError as exc:
            self.problems.add(display, line + exc.line, 1, message=str(exc))
            return []

    # ------------------------------------------------------------ pieces

    def clause_body(self, clause: Clause, codified: bool) -> str:
        return self.text(clause.body, self.context(clause.id, codified), clause.display,
                         clause.body_line, "clause text")

    def note(self, clause: Clause | Definition, codified: bool,
             extra: list[Para] | None = None) -> Note:
        ctx = self.context(clause.id if isinstance(clause, Clause) else None, codified)
        source = self.text(clause.commentary, ctx, clause.display, clause.commentary_line,
                           "commentary")
        paras = [b for b in self.blocks(source, clause.display, clause.commentary_line,
                                        bullets=True) if isinstance(b, Para)]
        meta = clause.meta
        return Note(paras + (extra or []),
                    [self._citation_text(a) for a in meta.authorities],
                    [self._citation_text(a) for a in meta.sources])

    def _citation_text(self, authority_id: str) -> str:
        authority = self.library.authorities.get(authority_id)
        return str(format_citation(authority)) if authority else authority_id

    def findings(self) -> list[str]:
        seen: list[str] = []
        every = self.selection.source.answers.output.findings == "all"
        for clause in self.selection.clauses:
            ctx = self.context(clause.id, False)
            # The findings clause states the general purpose in full; others give their first.
            limit = None if every or clause.meta.role == "findings" else 1
            for index, finding in enumerate(clause.meta.findings[:limit]):
                line = clause.header.line_of(finding, ("findings", index))
                text = self.text(finding, ctx, clause.display, line, "finding").strip()
                text = re.sub(r"\s+", " ", text).rstrip(".;, ")
                if text and not any(similar(text, other) for other in seen):
                    seen.append(text)
        return seen


_STOP = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the their this to was were which who with"
    .split()
)


@lru_cache(maxsize=4096)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2)


def similar(a: str, b: str) -> bool:
    """Whether two findings say nearly the same thing (clauses written apart often do)."""
    wa, wb = _content_words(a), _content_words(b)
    if not wa or not wb:
        return a == b
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def must_style(text: str) -> str:
    """Rewrite "shall" as "must" for profiles in the plain-language style."""
    text = re.sub(r"\bShall\b", "Must", text)
    return re.sub(r"\bshall\b", "must", text)


def term_pattern(definition: Definition) -> re.Pattern[str]:
    """Matches a defined term and its declared forms, ignoring case, as whole words."""
    forms = sorted({definition.meta.term.lower(), *(f.lower() for f in definition.meta.forms)},
                   key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])",
                      re.I)


def used_definitions(texts: list[str], library: Library,
                     render_definition: Callable[[Definition], str]) -> list[Definition]:
    """The definitions the texts use, and those the used definitions use, by term."""
    patterns = {d.id: term_pattern(d) for d in library.definitions.values()}
    corpus = "\n".join(texts)
    used = {did for did, pat in patterns.items() if pat.search(corpus)}
    pending = list(used)
    while pending:
        definition = library.definitions[pending.pop()]
        body = render_definition(definition)
        body = re.sub(r'^\s*"[^"]+"', "", body)  # the term's own name does not count
        for did, pat in patterns.items():
            if did not in used and pat.search(body):
                used.add(did)
                pending.append(did)
    return sorted((library.definitions[d] for d in used), key=lambda d: d.meta.term.lower())


def build_document(library: Library, selection: Selection, *, commentary: str = "annotated",
                   date: dt.date | None = None) -> Document:
    """Render a resolved selection into the document model, or raise every problem."""
    r = _Renderer(library, selection)
    answers = selection.source.answers
    j = r.jurisdiction
    chapter_layout = selection.layout == "chapter"
    code = answers.jurisdiction.code
    day = date or answers.output.date or dt.date.today()
    annotate = commentary in ("annotated", "comments", "memo")

    findings_clause = next((c for c in selection.clauses if c.meta.role == "findings"), None)
    definitions_clause = next((c for c in selection.clauses if c.meta.role == "definitions"),
                              None)
    operative = [c for c in selection.clauses if c.meta.role == "operative"]
    housekeeping = [c for c in selection.clauses if c.meta.role == "housekeeping"]

    # Pass 1: which defined terms does the text use? (Labels do not change the terms.)
    r.slots = {c.id: _Slot(c.id, "", "Section", False) for c in selection.clauses}
    probe = [r.clause_body(c, chapter_layout) for c in operative + housekeeping]
    r.problems.raise_errors()

    def definition_text(d: Definition) -> str:
        return r.text(d.body, r.context(None, chapter_layout), d.display, d.body_line,
                      "definition")

    terms = used_definitions(probe, library, definition_text) if definitions_clause else []
    has_definitions = bool(definitions_clause and terms)
    findings = r.findings()
    findings_section = bool(chapter_layout and findings_clause and findings)

    # Labels, from order alone.
    step = selection.profile.code_step
    section_no = 0
    slots: dict[str, _Slot] = {}

    def ordinance_slot(key: str) -> _Slot:
        nonlocal section_no
        section_no += 1
        label = selection.profile.section_label.format(n=section_no)
        return _Slot(key, label, f"Section {section_no}", False)

    if findings_section and findings_clause:
        slots[findings_clause.id] = ordinance_slot(findings_clause.id)
    code_keys: list[str] = []
    if chapter_layout and code:
        slots["_chapter"] = ordinance_slot("_chapter")
        code_keys.append("_title")
    if has_definitions and definitions_clause:
        (code_keys if chapter_layout else []).append(definitions_clause.id)
        if not chapter_layout:
            slots[definitions_clause.id] = ordinance_slot(definitions_clause.id)
    for clause in operative:
        if chapter_layout:
            code_keys.append(clause.id)
        else:
            slots[clause.id] = ordinance_slot(clause.id)
    if chapter_layout and code:
        for position, key in enumerate(code_keys, start=1):
            number = code_section_number(code.chapter, position, step)
            label = selection.profile.code_section_label.format(number=number)
            slots[key] = _Slot(key, label, f"Section {number}", True)
    for clause in housekeeping:
        slots[clause.id] = ordinance_slot(clause.id)
    r.slots = slots

    # Pass 2: render every section with real labels.
    def section_for(clause: Clause) -> Section:
        slot = slots[clause.id]
        body = r.clause_body(clause, slot.codified)
        blocks = r.blocks(body, clause.display, clause.body_line)
        note = r.note(clause, slot.codified) if annotate else None
        return Section(clause.id, slot.label, slot.ref, clause.meta.title, blocks, note,
                       codified=slot.codified)

    def definitions_section(clause: Clause) -> Section:
        section = section_for(clause)
        extra: list[Para] = []
        for index, definition in enumerate(terms):
            body = definition_text(definition)
            parsed = r.blocks(body, definition.display, definition.body_line, base_level=1)
            item = Item(0, r.labeler(0, index), [])
            for block in parsed:
                if isinstance(block, Item):
                    item.children.append(block)
                elif not item.runs:
                    item.runs = block.runs
                else:
                    item.after.append(block)
            section.blocks.append(item)
            if annotate and definition.commentary.strip():
                note = r.note(definition, section.codified)
                if note.blocks:
                    first = note.blocks[0]
                    first.runs[:0] = [Run(f"{definition.meta.term}.", bold=True), Run(" ")]
                    extra.extend(note.blocks)
        if section.note is not None:
            section.note.blocks.extend(extra)
        return section

    def findings_block(clause: Clause) -> Section:
        section = section_for(clause)
        for index, finding in enumerate(findings):
            text = finding[0].upper() + finding[1:] + "."
            section.blocks.append(Item(0, r.labeler(0, index), [Run(text)]))
        return section

    sections: list[Section] = []
    if findings_section and findings_clause:
        sections.append(findings_block(findings_clause))
    if chapter_layout and code:
        code_name = code.name or selection.form.code_name.format(name=j["name"])
        chapter = Chapter(code.chapter, code.chapter_title)
        title_slot = slots["_title"]
        chapter.sections.append(Section("_title", title_slot.label, title_slot.ref, "Title",
                                        [Para([Run(f'This chapter is titled '
                                                   f'"{code.chapter_title}."')])],
                                        codified=True))
        if has_definitions and definitions_clause:
            chapter.sections.append(definitions_section(definitions_clause))
        chapter.sections.extend(section_for(c) for c in operative)
        slot = slots["_chapter"]
        verb = "of Title {t} of the {c} is amended" if code.current else "is added to Title {t} of the {c}"
        intro = (f'Chapter {code.chapter} ("{code.chapter_title}") '
                 + verb.format(t=code.title, c=code_name) + " to read as follows:")
        sections.append(Section("_chapter", slot.label, slot.ref, "", [Para([Run(intro)])],
                                chapter=chapter))
    else:
        if has_definitions and definitions_clause:
            sections.append(definitions_section(definitions_clause))
        sections.extend(section_for(c) for c in operative)
    sections.extend(section_for(c) for c in housekeeping)
    r.problems.raise_errors()

    recitals = [] if findings_section else [f"WHEREAS, {f}" for f in findings]
    form = selection.form
    enacting = form.enacting_clause.format(name=j["name"], full_name=j["full_name"],
                                           governing_body=j["governing_body"],
                                           state_name=j["state_name"])
    if recitals:
        recitals = [text + "; and" for text in recitals[:-1]] + [recitals[-1] + "."]
        enacting = "NOW, THEREFORE, " + enacting[0].lower() + enacting[1:]
    title = long_title(selection, j, code_name_for(selection, j) if chapter_layout else None)
    date_text = f"{day:%B} {day.day}, {day.year}"
    warnings = state_warnings(library, selection)
    signature = Signature(
        votes=[f"PASSED AND ADOPTED by the {j['governing_body']} of the {j['full_name']} "
               f"on ______________, by the following vote:"],
        presiding_officer=form.presiding_officer, clerk=form.clerk,
        counsel=form.approved_as_to_form)
    number_line = f"{form.instrument.upper()} NO. ______"
    return Document(
        number_line=number_line, title=title,
        draft_notice=DRAFT_NOTICE.format(date=date_text), warnings=warnings,
        recitals=recitals, enacting_clause=enacting, sections=sections, signature=signature,
        jurisdiction=j["full_name"], date=date_text,
        header=f"{form.instrument} No. ______ · {j['full_name']} · DRAFT {date_text}",
        citations={**r.cited, **{a: str(format_citation(library.authorities[a]))
                                 for c in selection.clauses
                                 for a in (*c.meta.authorities, *c.meta.sources)
                                 if a in library.authorities}},
        commentary=commentary,
        properties={"title": title, "subject": "Model ordinance with commentary",
                    "keywords": ", ".join(["draft ordinance", f"preset {selection.preset}",
                                           *sorted({c.meta.area for c in selection.clauses})]),
                    "preset": selection.preset, "date": day.isoformat(),
                    **trace_properties(library, selection)})


def trace_properties(library: Library, selection: Selection) -> dict[str, str]:
    """What a draft was built from: drafter and library versions, the answers file's hash."""
    import hashlib

    from drafter import __version__

    answers = selection.source.path
    digest = selection.source.digest
    library_hash = hashlib.sha256()
    for clause in sorted(selection.clauses, key=lambda c: c.id):
        library_hash.update(clause.id.encode() + clause.body.encode() + clause.commentary.encode())
    version = f"drafter {__version__}; clauses {library_hash.hexdigest()[:12]}"
    return {"library_version": version, "answers_sha256": digest,
            "trace": f"Built by {version} from {answers.name} (sha256 {digest[:16]}) "
                     f"with preset {selection.preset}. For review by a licensed attorney."}


def code_name_for(selection: Selection, j: dict[str, Any]) -> str:
    """The code's name: from the answers, or the jurisdiction form's default."""
    code = selection.source.answers.jurisdiction.code
    if code and code.name:
        return code.name
    return selection.form.code_name.format(name=j["name"])


def long_title(selection: Selection, j: dict[str, Any], code_name: str | None) -> str:
    """'An Ordinance of the City Council of the City of X Adding Chapter ... Relating to ...'."""
    areas = [a for a in AREA_PHRASES if any(c.meta.area == a for c in selection.clauses)]
    phrases = [AREA_PHRASES[a].format(short=j["short_name"]) for a in areas]
    subject = _join(phrases) or "the relationship between local government and federal immigration enforcement"
    lead = f"An {selection.form.instrument} of the {j['governing_body']} of the {j['full_name']}"
    code = selection.source.answers.jurisdiction.code
    if code_name and code and code.current:
        return (f'{lead} Amending Chapter {code.chapter} ("{code.chapter_title}") of Title '
                f"{code.title} of the {code_name} Relating to {subject}")
    if code_name and code:
        return (f'{lead} Adding Chapter {code.chapter} ("{code.chapter_title}") to Title '
                f"{code.title} of the {code_name} Relating to {subject}")
    return f"{lead} Relating to {subject}"


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def state_warnings(library: Library, selection: Selection) -> list[str]:
    """The prominent state-law warnings printed at the top of a draft."""
    rule = selection.state_rule
    if rule is None:
        return []
    lines = [f"{rule.name} state law limits what this ordinance can do. {rule.note}"]
    for law in rule.laws:
        authority = library.authorities.get(law.authority)
        name = f"{authority.name} ({authority.citation})" if authority else law.authority
        lines.append(f"{name}: {law.summary} Penalties: {law.penalties}")
    if selection.withheld:
        titles = [library.clauses[c].meta.title for c in selection.withheld]
        lines.append("Withheld from this draft because state law forbids them: "
                     + "; ".join(titles) + ".")
    return lines

