"""Selection -> document model: render each clause in the sandbox, assemble findings and
definitions, number sections and resolve cross-references.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from drafter.docmodel import Block, Chapter, Document, Item, Note, Para, Run, Section, Signature, Signer
from drafter.errors import Problems
from drafter.library import Clause, Definition, Library
from drafter.markdown import CITE_PREFIX, REF_PREFIX, MarkdownError, parse_blocks
from drafter.models import US_STATES, Authority, finding_applies, finding_text, form_text, with_article
from drafter.numbering import Labeler, code_section_number
from drafter.resolve import Selection, unchecked_names
from drafter.templating import Markdown, RenderError, escape_markdown, read_only, render, strip_illegal

AREA_PHRASES = {
    "detainers": "immigration detainers and civil immigration enforcement",
    "information": "the privacy of personal information",
    "access": "access to {short} facilities and people in custody",
    "policing": "community safety and minor offenses",
}
# Council-facing: no tool name (the provenance is in the document properties).
DRAFT_NOTICE = ("DRAFT of {date}. A draft {instrument} for review by a licensed attorney. "
                "It is not legal advice{form}.")
NOT_APPROVED = " and has not been approved as to form"


def enactment(instrument: str, kind: str) -> str:
    """How the body makes law, as a draft says it ("by ordinance", "by resolution", "by local law"):
    a legislature by statute, a council whose instrument is an Act by law."""
    if kind == "state":
        return "statute"
    return "law" if instrument.lower() == "act" else instrument.lower()


def jurisdiction_context(selection: Selection) -> Mapping[str, Any]:
    """The ``jurisdiction`` template variable (documented in docs/clause-format.md).

    Read-only (a mapping proxy holding tuples): no clause can change what another clause,
    the title, the enacting clause or the signature block reads (docs/security.md).

    Every body and officer comes from ``selection.form`` (the kind's form, the state's
    entry and the answers file's overrides), so a draft names each one way everywhere.
    """
    j = selection.source.answers.jurisdiction
    form = selection.form
    name = strip_illegal(j.name)

    def fill(text: str) -> str:
        return strip_illegal(form_text(text, form, name, j.state))

    named = [strip_illegal(a).strip() for a in (j.police, j.sheriff, j.jail, j.probation,
                                                *j.agencies) if a and a.strip()]
    agencies = list(dict.fromkeys(named))
    governing_body = fill(form.governing_body)
    return read_only({
        "name": name,
        "full_name": fill(form.full_name),
        "the_full_name": with_article(fill(form.full_name)),
        "short_name": form.short_name,
        "kind": j.kind,
        "acts_as": form.acts_as or j.kind,
        "state": j.state,
        "state_name": US_STATES[j.state],
        "governing_body": governing_body,
        "oversight_body": fill(form.oversight_body) if form.oversight_body else governing_body,
        "presiding_officer": fill(form.presiding_officer),
        "executive": fill(form.executive),
        "clerk": fill(form.clerk),
        "legal_officer": fill(form.legal_officer),
        "instrument": form.instrument,
        "enactment": enactment(form.instrument, j.kind),
        "police": strip_illegal(j.police or ""),
        "sheriff": strip_illegal(j.sheriff or ""),
        "jail": strip_illegal(j.jail or ""),
        "probation": strip_illegal(j.probation or ""),
        "runs_jail": j.runs_jail,
        "agencies": agencies,
        "withheld": list(selection.barred),
    })


def format_citation(authority: Authority) -> Markdown:
    """A citation as Markdown: case names in italics; unverified ones flagged."""
    name = authority.name.replace("*", "")
    name = f"*{name}*" if authority.kind == "case" else name
    flag = " **[unverified: check before relying on it]**" if not authority.verified else ""
    return Markdown(f"{name}, {authority.citation}{flag}")


FEDERAL = re.compile(r"^(?:US|U\.S\.|United States)\b")


def governs(authority: Authority | None, state: str) -> bool:
    """Whether an authority is law where the draft is made: federal law, or the law or a court of the
    draft's own state. Another state's law, a city's ordinance, a model policy or guidance is cited
    under "See also", never as the draft's legal basis (a Maine draft does not rest on Oregon law)."""
    if authority is None or authority.kind in ("local-law", "model-policy"):
        return False
    if FEDERAL.match(authority.jurisdiction):
        return True
    named = _state_named(authority.jurisdiction)
    return bool(named) and named == US_STATES.get(state)


@lru_cache(maxsize=512)
def _state_named(jurisdiction: str) -> str:
    """The state a jurisdiction names ("Oregon Court of Appeals": Oregon), or ""."""
    named = [name for name in US_STATES.values() if re.search(rf"\b{re.escape(name)}\b", jurisdiction)]
    return max(named, key=len, default="")  # "West Virginia" names Virginia too: the longest is meant


def short_citation(authority: Authority) -> str:
    """The name a commentary sentence uses inline; the full citation goes to a footnote."""
    name = authority.name.replace("*", "").replace("[", "(").replace("]", ")")
    return f"*{name}*" if authority.kind == "case" else name


_CITE_IN_PARENS = re.compile(r"\(\[([^\]]+)\]\(" + re.escape(CITE_PREFIX) + r"([\w.-]+)\)\)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:'s)?")


def _name_words(text: str) -> list[str]:
    return [w.lower().removesuffix("'s") for w in _WORD.findall(text.replace("\u2019", "'"))]


def names_authority(before: str, authority: Authority) -> bool:
    """Whether the sentence before a citation already names the authority.

    "Texas SB 4 requires ... (cite)" or "California's Values Act (cite)": somewhere in the
    sentence, three words in a row, or two with a number among them, all occur in the
    authority's name.
    """
    sentence = re.split(r"(?<=[.;:!?])\s+(?=[A-Z*(\[])", before)[-1]
    name = set(_name_words(authority.name)) - _STOP
    words = _name_words(sentence)
    if authority.kind == "case":
        # A case is cited where it is discussed; only its name right before counts.
        words = words[len(words) - next((i for i, w in enumerate(reversed(words))
                                         if w not in name), len(words)):]
    run: list[str] = []
    for word in [*words, ""]:
        if word and word in name:
            run.append(word)
            continue
        if len(run) >= 3 or (len(run) >= 2 and any(ch.isdigit() for w in run for ch in w)):
            return True
        run = []
    return False


def undouble_citations(markdown: str, authorities: dict[str, Authority]) -> str:
    """Rewrite "Name ([Name (year) ...](#cite:id))" as "Name (citation)".

    Commentary often names an authority and then cites it in parentheses. ``cite()``
    renders the authority's name (with its full citation as a footnote, or in place of
    the name when a writer has no footnotes), which would print the name twice. Where the
    words before the parenthesis already name it, the parenthesis carries only the
    citation itself, once, in every output format.
    """
    def replace(match: re.Match[str]) -> str:
        authority = authorities.get(match.group(2))
        before = markdown[max(0, match.start() - 400):match.start()].split("\n\n")[-1]
        if authority is None or not names_authority(before, authority):
            return match.group(0)
        flag = " **[unverified: check before relying on it]**" if not authority.verified else ""
        return f"({escape_markdown(authority.citation)}{flag})"

    return _CITE_IN_PARENS.sub(replace, markdown)


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
        target = self.chosen_variant(target)
        slot = self.slots.get(target)
        if slot is None:
            if target in self.library.clauses:
                raise LookupError(f"ref('{target}'): that clause is not in this draft")
            raise LookupError(f"ref('{target}'): no clause or variant group has that id")
        return Markdown(f"[{slot.ref}]({REF_PREFIX}{target})")

    def chosen_variant(self, target: str) -> str:
        """A variant group's name, or any of its variants' ids, means the variant this draft
        chose (docs/clause-format.md); any other id is itself."""
        clause = self.library.clauses.get(target)
        group = clause.meta.variant_of if clause is not None else target
        if target in self.slots or not group:
            return target
        chosen = [c.id for c in self.selection.clauses if c.meta.variant_of == group]
        return chosen[0] if chosen else target

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
        source = undouble_citations(source, self.library.authorities)
        paras = [b for b in self.blocks(source, clause.display, clause.commentary_line,
                                        bullets=True) if isinstance(b, Para)]
        meta = clause.meta
        state = self.jurisdiction["state"]
        basis = [a for a in meta.authorities if governs(self.library.authorities.get(a), state)]
        return Note(paras + (extra or []),
                    [self._citation_text(a) for a in basis],
                    [self._citation_text(a) for a in meta.sources],
                    [self._citation_text(a) for a in meta.authorities if a not in basis])

    def _citation_text(self, authority_id: str) -> str:
        authority = self.library.authorities.get(authority_id)
        return str(format_citation(authority)) if authority else authority_id

    def findings(self) -> list[str]:
        texts: list[str] = []
        every = self.selection.source.answers.output.findings == "all"
        state = self.jurisdiction["state"]
        for clause in self.selection.clauses:
            ctx = self.context(clause.id, False)
            # A finding limited to some states is recited only in drafts for those states.
            # The findings clause states the general purpose in full; others give their
            # first finding that fits the jurisdiction.
            fitting = [(index, finding_text(finding))
                       for index, finding in enumerate(clause.meta.findings)
                       if finding_applies(finding, state)]
            limit = None if every or clause.meta.role == "findings" else 1
            for index, finding in fitting[:limit]:
                line = clause.header.line_of(finding, ("findings", index))
                text = self.text(finding, ctx, clause.display, line, "finding").strip()
                text = re.sub(r"\s+", " ", text).rstrip(".;, ")
                if text:
                    texts.append(text)
        return distinct(texts)


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
    return len(wa & wb) / min(len(wa), len(wb)) >= _SIMILAR


_SIMILAR = 0.6  # share of the smaller set of content words two findings must have in common


def _needed(size: int) -> int:
    """The fewest shared words that make a set of ``size`` words similar (as ``similar`` counts)."""
    return next(k for k in range(1, size + 1) if k / size >= _SIMILAR)


def distinct(texts: list[str]) -> list[str]:
    """The texts in order, without each one ``similar`` to one kept before it.

    Comparing every text with every kept one grows with the square of the texts (4,000
    findings took seconds), so only candidates are compared (prefix filtering): if A and B
    are similar and A is the smaller, A shares a word with B among any |A| - needed + 1 of
    its words; so each kept set is indexed under all its words and under its rarest
    |B| - needed + 1 words (its head), and a new set looks up its own head in the first index
    and all its words in the second. The result is exactly the pairwise one.
    """
    words = [_content_words(text) for text in texts]
    frequency: dict[str, int] = {}
    for found in words:
        for word in found:
            frequency[word] = frequency.get(word, 0) + 1
    kept: list[str] = []
    exact: set[str] = set()
    by_word: dict[str, list[int]] = {}
    by_head: dict[str, list[int]] = {}
    for text, found in zip(texts, words, strict=True):
        if not found:  # no content words: similar only to the same text
            if text not in exact:
                kept.append(text)
                exact.add(text)
            continue
        ranked = sorted(found, key=lambda w: (frequency[w], w))
        head = ranked[:len(ranked) - _needed(len(ranked)) + 1]
        candidates = {i for word in head for i in by_word.get(word, ())}
        candidates.update(i for word in found for i in by_head.get(word, ()))
        if any(similar(text, kept[i]) for i in sorted(candidates)):
            continue
        index = len(kept)
        kept.append(text)
        exact.add(text)
        for word in found:
            by_word.setdefault(word, []).append(index)
        for word in head:
            by_head.setdefault(word, []).append(index)
    return kept


# Where a clause (a sentence, a list item, or a clause after "; " or ", and ") begins.
_CLAUSE_START = (r"(?:^[ \t]*(?:\d+\.[ \t]+|[-*][ \t]+)?|(?<=[.;:!?,])[ \t]+)"
                 r"(?:(?:and|or|but|and,|or,)[ \t]+)?")
# A negative subject ("No covered official", "Nothing in this chapter", "Neither A nor B",
# "None of them") up to its "shall", with no other modal, sentence end or clause break between.
_NEGATIVE_SUBJECT = re.compile(
    _CLAUSE_START + r"(?P<subject>(?:No|no|Nothing|nothing|None|none|Neither|neither)\b"
    r"(?!\s+(?:longer|later|more|less|fewer|sooner|earlier|greater)\b)"
    r"(?:(?!\b(?:shall|must|may|will|if|unless|when|whenever)\b|\n[ \t]*(?:\n|\d+\.[ \t]|[-*][ \t]))"
    r"[^.;:])*?)"
    r"\bshall(?!\s+not\b)\b", re.M)
# Inverted negatives: "nor shall", "in no event shall", "under no circumstances shall".
_NEGATIVE_INVERSION = re.compile(
    r"\b(?P<lead>[Nn]or|[Ii]n no (?:event|case)|[Uu]nder no circumstances?)\s+shall\b(?!\s+not\b)")


def must_style(text: str) -> str:
    """Rewrite "shall" as "must" for profiles in the plain-language style.

    A prohibition stays a prohibition: "shall not" becomes "must not", and "shall" after a
    negative subject becomes "may" ("No covered official may stop ...", "Nothing in this
    chapter may be construed ...", "nor may"), never "No covered official must", which
    read literally requires nothing and so forbids nothing (conventions §5.1). The lint
    rule R-41 checks every built draft for what this rewrite must never produce.
    """
    text = _NEGATIVE_SUBJECT.sub(lambda m: m.group(0)[: m.start("subject") - m.start()]
                                 + m.group("subject") + "may", text)
    text = _NEGATIVE_INVERSION.sub(lambda m: m.group("lead") + " may", text)
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
    # A state bill states its findings in a numbered section, not in WHEREAS recitals.
    findings_section = bool((chapter_layout or j["kind"] == "state") and findings_clause
                            and findings)

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
        state_notes = [Para([Run("State law.", bold=True), Run(" " + text)])
                       for text in state_section_notes(library, selection, clause.id)]
        note = r.note(clause, slot.codified, extra=state_notes) if annotate else None
        return Section(clause.id, slot.label, slot.ref, selection.title(clause), blocks, note,
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
        code_name = code_name_for(selection, j)
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
    enacting = strip_illegal(form_text(form.enacting_clause, form, j["name"], j["state"]))
    if recitals:
        recitals = [text + "; and" for text in recitals[:-1]] + [recitals[-1] + "."]
        enacting = "NOW, THEREFORE, " + enacting[0].lower() + enacting[1:]
    title = long_title(selection, j, code_name_for(selection, j) if chapter_layout else None)
    date_text = f"{day:%B} {day.day}, {day.year}"
    warnings = state_warnings(library, selection)
    signature = signature_block(selection, j)
    number_line = strip_illegal(form_text(form.number_line, form, j["name"], j["state"]))
    noun = "bill" if j["kind"] == "state" else form.instrument.lower()
    return Document(
        number_line=number_line, title=title,
        draft_notice=DRAFT_NOTICE.format(date=date_text, instrument=noun,
                                         form=NOT_APPROVED if j["legal_officer"] else ""),
        warnings=warnings, notices=[*state_checked(selection), *names_unchecked(selection),
                                    *offices_unconfirmed(selection, slots, j)],
        recitals=recitals, enacting_clause=enacting, sections=sections, signature=signature,
        jurisdiction=j["full_name"], date=date_text,
        header=f"{number_line.title()} · {j['full_name']} · DRAFT {date_text}",
        citations={**r.cited, **{a: str(format_citation(library.authorities[a]))
                                 for c in selection.clauses
                                 for a in (*c.meta.authorities, *c.meta.sources)
                                 if a in library.authorities}},
        commentary=commentary,
        properties={"title": title, "subject": f"Draft {noun} with commentary",
                    "keywords": ", ".join([f"draft {noun}", f"preset {selection.preset}",
                                           *sorted({c.meta.area for c in selection.clauses})]),
                    "preset": selection.preset, "date": day.isoformat(),
                    **trace_properties(library, selection)})


def trace_properties(library: Library, selection: Selection) -> dict[str, str]:
    """What a draft was built from: drafter and library versions, the answers' hash (the same
    answers from a file, a form or a program give the same hash, so the same bytes)."""
    import hashlib

    from drafter import __version__

    digest = selection.source.digest
    library_hash = hashlib.sha256()
    for clause in sorted(selection.clauses, key=lambda c: c.id):
        library_hash.update(clause.id.encode() + clause.body.encode() + clause.commentary.encode())
    version = f"drafter {__version__}; clauses {library_hash.hexdigest()[:12]}"
    return {"library_version": version, "answers_sha256": digest,
            "trace": f"Built by {version} from answers sha256 {digest[:16]} "
                     f"with preset {selection.preset}. For review by a licensed attorney."}


def signature_block(selection: Selection, j: dict[str, Any]) -> Signature:
    """Vote record and signatures from the jurisdiction form: one vote per chamber, the
    presiding officer(s), the executive who approves (mayor, governor) unless the presiding
    officer is the executive, the clerk's attestation and the approval as to form."""
    form = selection.form

    def fill(text: str) -> str:
        return strip_illegal(form_text(text, form, j["name"], j["state"]))

    if form.chambers:
        votes = [f"PASSED by the {c.name} of {j['the_full_name']} on ______________, by the "
                 "following vote:" for c in form.chambers]
        rows = [[Signer("", fill(c.presiding_officer)) for c in form.chambers],
                [Signer("ATTEST:", fill(c.clerk)) for c in form.chambers]]
    else:
        votes = [fill(form.vote)]
        rows = [[Signer("", j["presiding_officer"])]]
    executive = j["executive"]
    approval = (Signer("APPROVED:", executive, dated=True)
                if executive and executive.lower() != j["presiding_officer"].lower() else None)
    attest = [] if form.chambers else [Signer("ATTEST:", j["clerk"])]
    if j["legal_officer"]:
        attest.append(Signer("APPROVED AS TO FORM:", j["legal_officer"]))
    if form.chambers:
        # the presiding officers, their clerks, then the governor
        rows += [[approval]] if approval else []
    else:
        rows[0] = [Signer("", ""), *rows[0]] if approval is None else [*rows[0], approval]
        rows += [attest]
    return Signature(votes=votes, presiding_officer=j["presiding_officer"], clerk=j["clerk"],
                     counsel=j["legal_officer"], signers=rows, tally=list(form.tally))


def code_name_for(selection: Selection, j: dict[str, Any]) -> str:
    """The code's name: from the answers, or the jurisdiction form's default."""
    code = selection.source.answers.jurisdiction.code
    if code and code.name:
        return code.name
    return form_text(selection.form.code_name, selection.form, j["name"], j["state"])


def long_title(selection: Selection, j: dict[str, Any], code_name: str | None) -> str:
    """'An Ordinance of the City Council of the City of X Adding Chapter ... Relating to ...'."""
    areas = [a for a in AREA_PHRASES if any(c.meta.area == a for c in selection.clauses)]
    phrases = [AREA_PHRASES[a].format(short=j["short_name"]) for a in areas]
    subject = _join(phrases) or "the relationship between local government and federal immigration enforcement"
    instrument = selection.form.instrument
    article = "An" if instrument[:1].lower() in "aeiou" else "A"
    if j["kind"] == "state":
        lead = f"{article} {instrument}"
    elif selection.form.voters_enact:  # "An Ordinance of the Town of Bowdoinham", as a warrant article names it
        lead = f"{article} {instrument} of {j['the_full_name']}"
    else:
        lead = f"{article} {instrument} of the {j['governing_body']} of {j['the_full_name']}"
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


def has_state_law(selection: Selection) -> bool:
    """Whether any state law on the subject is in force or coming for this draft."""
    state = selection.state
    return state is not None and bool(state.restricts or state.covered or state.laws or state.pending)


def state_checked(selection: Selection) -> list[Para]:
    """For a state with no law on the subject, the one line saying so: the county's lawyer
    then knows state law was checked, and when (the summary says), not merely left out."""
    if selection.state is None or has_state_law(selection):
        return []
    rule = selection.state.rule
    return [Para([Run(f"State law checked: {rule.name}.", bold=True), Run(" " + rule.summary)])]


def names_unchecked(selection: Selection) -> list[Para]:
    """Where the form's names were not checked against the state's law, the line that says so:
    a Missouri township or a Kansas county names its board and officers in its own way."""
    form = selection.form
    if form.verified:
        return []
    j = selection.source.answers.jurisdiction
    return [Para([Run("Names not checked:", bold=True),
                  Run(f" the body and officers named in this draft ({unchecked_names(form, j.name, j.state)}) "
                      f"follow the usual form for a {j.kind}; drafter has not checked them against "
                      f"{US_STATES[j.state]} law. Confirm them before the draft is introduced.")])]


def offices_unconfirmed(selection: Selection, slots: Mapping[str, Any], j: Mapping[str, Any]) -> list[Para]:
    """For each office a section names only because the library suggests it (an inspector general
    a town of 7,000 does not have), the line that says so, with the section and what to do."""
    return [Para([Run("Office to confirm:", bold=True),
                  Run(f" {slots[clause.id].ref} names the {param.default} as {param.names_office}, because "
                      f"no other was named. If {j['the_full_name']} has no such office, name the body that "
                      "will do this work, or create one, before the draft is introduced.")])
            for clause, _name, param in selection.offices_by_default()]


def state_warnings(library: Library, selection: Selection) -> list[Para]:
    """The boxed state-law notice under a draft's title: what state law forbids, requires and
    already secures on the draft's date, and what this draft left out or changed because of it.
    Short by design; ``drafter states show XX`` and each section's note give the detail."""
    state = selection.state
    # Any state law in force or coming, even one that changes nothing here (Nevada's model
    # policies), is named: a county's lawyer reads the notice to learn which laws apply.
    if not has_state_law(selection):
        return []
    rule = state.rule
    out: list[Para] = []

    def add(lead: str, text: str) -> None:
        out.append(Para([Run(lead, bold=True), Run(" " + text)]))

    add(f"State law notice: {rule.name}, as of {_day(state.as_of)}.", rule.summary)
    if state.ignored:
        add("Warning.", f"This draft was built with --allow-preempted: it keeps provisions that "
                        f"{rule.name} law forbids or that contradict a state mandate. Adopting it may "
                        "expose the jurisdiction and its officials to the penalties below.")
    for cid, why in selection.below_floor.items():
        add("Warning.", f"\u201c{library.clauses[cid].meta.title}\u201d goes below state law, which "
                        f"already requires more ({why}). It was kept only because the build asked for it.")
    # Laws that change this draft, or carry penalties, get a paragraph each; the others (a
    # protective state's floors, mostly) one line, so the notice stays short for a council.
    binding = {r.law for r in state.withheld.values()} | {m.law for m in state.mandates}
    others: list[str] = []
    for law in state.laws:
        if law.status == "repealed":
            continue
        authority = library.authorities.get(law.authority)
        name = authority.name if authority else law.authority
        since = f"in force since {_day(law.effective)}" + (
            " (date as reported, not confirmed)" if not law.effective_confirmed else "")
        if law.authority not in binding and not (law.penalties and rule.stance != "protective"):
            status = f", {law.status.replace('-', ' ')}" if law.status != "in-force" else ""
            others.append(f"{name} ({authority.citation if authority else ''}), {since}{status}")
            continue
        text = f"({authority.citation}) " if authority else ""
        text += since[0].upper() + since[1:] + "."
        if law.status != "in-force":
            text += f" {law.status.replace('-', ' ').capitalize()}: {law.status_note}".rstrip(": ")
        if law.penalties:
            text += " Penalties: " + " ".join(
                f"{_PENALTY_WHO[p.who]}: {p.what}"
                + (f" ({p.status.replace('-', ' ')})" if p.status != "in-force" else "")
                for p in law.penalties)
        add(f"{name}.", text)
    if others:
        add("State laws in force here." if not binding else "Other state laws.", "; ".join(others) + ".")
    if state.mandates:
        add("What state law still requires here.", " ".join(m.duty for m in state.mandates))
    by_law: dict[str, list[str]] = {}
    for cid, why in sorted(selection.withheld_why.items(), key=lambda kv: library.clauses[kv[0]].meta.title):
        law = getattr(why, "law", "")
        by_law.setdefault(law, []).append(f"\u201c{library.clauses[cid].meta.title}\u201d")
    if by_law:
        add("Left out of this draft.", " ".join(
            f"Because of {_short_law(library, law)}: {'; '.join(titles)}." for law, titles in by_law.items()))
    uncertain = [selection.title(c) for c in selection.clauses
                 if state.risky.keys() & {c.id, *c.meta.provisions}]
    if uncertain:
        add("Legally uncertain here.", "; ".join(f"\u201c{t}\u201d" for t in uncertain)
            + f". {rule.name} law may reach these sections; they are kept, and each one's note says why.")
    changed = [selection.title(c) for c in selection.clauses if c.id in selection.changes]
    if changed:
        add("Changed because of state law.", "; ".join(f"\u201c{t}\u201d" for t in changed)
            + ". Each of these sections' notes says what was changed and why.")
    if state.covered:
        laws = sorted(set(state.covered.values()))
        named = "; ".join(laws) if len(laws) > 1 else laws[0]
        add("Already state law.", f"Parts of this draft restate what state law already requires of "
                                  f"every local agency ({named}), so that they stay in local law; no "
                                  "part of it goes below state law.")
    for item in state.pending:
        add(f"Coming into force {_day(item.effective)}.",
            f"{_short_law(library, item.law)}: {item.what} Rebuild the draft on or after that date.")
    return out


def _day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _short_law(library: Library, authority_id: str) -> str:
    authority = library.authorities.get(authority_id)
    return authority.name if authority else authority_id


_PENALTY_WHO = {"entity": "For the government itself", "officials": "For officials personally",
                "officers": "For officers", "residents": "Through residents"}


def state_section_notes(library: Library, selection: Selection, clause_id: str) -> list[str]:
    """Why state law changed this section, for its commentary."""
    notes = list(selection.changes.get(clause_id, []))
    state = selection.state
    if state is not None and library.taxonomy is not None:
        clause = library.clauses[clause_id]
        risky = [state.risky[p] for p in (clause_id, *clause.meta.provisions) if p in state.risky]
        if risky:
            notes.append(f"Kept but legally uncertain here: {risky[0]}. Counsel should confirm this "
                         f"section before adoption (drafter states show {state.rule.state}).")
        covered = [state.covered[p] for p in clause.meta.provisions if p in state.covered]
        if covered:
            notes.append(f"State law already requires the core of this section ({covered[0]}); the "
                         "section restates it so the local rule stands even if state law changes.")
    return notes

