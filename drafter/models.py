"""The data drafter reads: clauses, definitions, authorities, presets, state rules,
profiles, jurisdiction forms and answers files.

Every model forbids unknown fields, so a typo such as ``paramters:`` is an error with
a line number, never a silently ignored key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from drafter.kinds import KINDS as _KINDS

Kind = Literal["city", "county", "city-and-county", "town", "village", "borough", "township",
               "parish", "state"]
KINDS: tuple[str, ...] = _KINDS
assert get_args(Kind) == KINDS, "drafter/kinds.py and Kind must list the same kinds"
Area = Literal["detainers", "information", "access", "policing", "structure"]
AREAS: tuple[str, ...] = ("detainers", "information", "access", "policing", "structure")
Strength = Literal["strongest", "strong", "baseline"]
Role = Literal["operative", "findings", "definitions", "housekeeping"]
Commentary = Literal["annotated", "comments", "memo", "none"]
Layout = Literal["chapter", "standalone"]
Format = Literal["docx", "md", "html", "txt", "pdf"]

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}

_CLAUSE_ID = re.compile(r"^(detainers|information|access|policing|structure)\.[a-z0-9]+(-[a-z0-9]+)*$")
_DEF_ID = re.compile(r"^def\.[a-z0-9]+(-[a-z0-9]+)*$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _clause_id(value: str) -> str:
    if not _CLAUSE_ID.match(value):
        raise ValueError(f"'{value}' is not a clause id; use <area>.<slug>, e.g. detainers.no-holds")
    return value


def _def_id(value: str) -> str:
    if not _DEF_ID.match(value):
        raise ValueError(f"'{value}' is not a definition id; use def.<slug>, e.g. def.judicial-warrant")
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"'{value}' must be lower-case words joined by hyphens")
    return value


def _state_code(value: str) -> str:
    code = value.upper()
    if code not in US_STATES:
        raise ValueError(f"'{value}' is not a US state code; use two letters, e.g. CA")
    return code


ClauseId = Annotated[str, AfterValidator(_clause_id)]
DefinitionId = Annotated[str, AfterValidator(_def_id)]
Slug = Annotated[str, AfterValidator(_slug)]
StateCode = Annotated[str, AfterValidator(_state_code)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base for every file a person edits: unknown keys are errors; loaded data is frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# ---------------------------------------------------------------- clause library

ParamType = Literal["string", "integer", "boolean", "choice", "list"]


class Param(Strict):
    """A typed clause parameter; its value fills a template variable of the same name."""

    type: ParamType
    default: Any
    prompt: NonEmpty
    help: str = ""
    min: int | None = None
    max: int | None = None
    choices: list[str] | None = None
    # The value names a body or office of the jurisdiction, and this says what it does ("the
    # independent body that receives complaints"). Its default is only a suggestion a town may
    # not have, so a draft that keeps it says so, and the interviews ask for the real name.
    names_office: str = ""

    @model_validator(mode="after")
    def _default_fits(self) -> Param:
        if self.names_office and self.type != "string":
            raise ValueError("only a string parameter may have 'names_office'")
        if self.type == "choice" and not self.choices:
            raise ValueError("a choice parameter needs 'choices'")
        if self.type != "choice" and self.choices is not None:
            raise ValueError("only a choice parameter may have 'choices'")
        if self.type != "integer" and (self.min is not None or self.max is not None):
            raise ValueError("only an integer parameter may have 'min' or 'max'")
        problem = self.check(self.default)
        if problem:
            raise ValueError(f"default: {problem}")
        return self

    def check(self, value: Any) -> str | None:
        """Why ``value`` is not acceptable for this parameter, or None if it is."""
        if self.type == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return f"expected a whole number, got {value!r}"
            if self.min is not None and value < self.min:
                return f"{value} is below the minimum {self.min}"
            if self.max is not None and value > self.max:
                return f"{value} is above the maximum {self.max}"
        elif self.type == "boolean" and not isinstance(value, bool):
            return f"expected true or false, got {value!r}"
        elif self.type == "string" and not isinstance(value, str):
            return f"expected text, got {value!r}"
        elif self.type == "choice" and value not in (self.choices or []):
            return f"{value!r} is not one of: {', '.join(self.choices or [])}"
        elif self.type == "list" and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            return f"expected a list of text items, got {value!r}"
        if isinstance(value, str) and len(value) > 2000:
            return "text is longer than 2,000 characters"
        return None


class Summary(Strict):
    """Plain-language summary for community meetings."""

    en: NonEmpty
    es: NonEmpty


class Review(Strict):
    """Who reviewed a clause, and when."""

    by: NonEmpty
    on: dt.date | str


class Finding(Strict):
    """A finding that is true or fitting only for drafts in some states.

    ``states`` limits it to drafts for those states (two-letter codes); a plain string
    finding applies everywhere.
    """

    text: NonEmpty
    states: list[StateCode] = Field(min_length=1)

    def applies_in(self, state: str) -> bool:
        return state.upper() in self.states


def finding_text(finding: str | Finding) -> str:
    """The template text of a finding entry, whichever form it takes."""
    return finding.text if isinstance(finding, Finding) else finding


def finding_applies(finding: str | Finding, state: str) -> bool:
    """Whether a finding belongs in a draft for ``state``."""
    return not isinstance(finding, Finding) or finding.applies_in(state)


class Passage(Strict):
    """A named part of a clause that state law may withhold."""

    about: NonEmpty  # what the passage does, for counsel and `drafter states show`
    summary: Summary | None = None  # the clause's plain summary without it (fact sheets)
    title: str | None = None  # the section's title without it, where the title names it


class ClauseMeta(Strict):
    """The front matter of a clause file."""

    id: ClauseId
    title: NonEmpty
    area: Area
    role: Role = "operative"
    order: int = 500
    provisions: list[str] = []
    opens: list[str] = []
    strength: Strength
    variant_of: Slug | None = None
    default: bool = False
    applies_to: list[Kind] = list(KINDS)
    params: dict[str, Param] = {}
    requires: list[ClauseId] = []
    conflicts: list[ClauseId] = []
    findings: list[NonEmpty | Finding] = []
    authorities: list[str] = []
    sources: list[str] = []
    summary: Summary
    status: Literal["draft", "reviewed"] = "draft"
    reviewed: Review | None = None
    lint: dict[str, str] = {}
    # Named parts of the text a state rule can withhold (``<id>#<name>`` in a rule); the
    # template leaves a passage out when ``"<id>#<name>"`` is in ``jurisdiction.withheld``.
    passages: dict[Slug, Passage] = {}

    @model_validator(mode="after")
    def _consistent(self) -> ClauseMeta:
        if self.id.split(".", 1)[0] != self.area:
            raise ValueError(f"id '{self.id}' must start with its area '{self.area}.'")
        for name in self.params:
            if not _PARAM_NAME.match(name):
                raise ValueError(f"parameter name '{name}' must be lower_case_with_underscores")
        if self.default and not self.variant_of:
            raise ValueError("'default: true' only makes sense with 'variant_of'")
        if not self.provisions and not self.opens:
            raise ValueError("list at least one taxonomy id in 'provisions' (or a loophole in 'opens')")
        if not self.authorities and not self.sources:
            raise ValueError("give the legal basis: at least one id in 'authorities' or 'sources'")
        return self


class DefinitionMeta(Strict):
    """The front matter of a definition file."""

    id: DefinitionId
    term: NonEmpty
    forms: list[NonEmpty] = []
    authorities: list[str] = []
    sources: list[str] = []
    status: Literal["draft", "reviewed"] = "draft"
    reviewed: Review | None = None


AuthorityKind = Literal["case", "statute", "regulation", "executive-order", "federal-action",
                        "state-law", "local-law", "model-policy", "report"]


class Authority(Strict):
    """A legal authority; only verified ones render as plain citations."""

    id: Slug
    kind: AuthorityKind
    name: NonEmpty
    citation: NonEmpty
    year: int | None
    jurisdiction: NonEmpty
    holding_or_summary: NonEmpty
    verified_source: str
    verified: bool


class AuthorityFile(Strict):
    """``authorities.yaml``."""

    authorities: list[Authority]


class Preset(Strict):
    """A named selection of clauses."""

    id: Slug
    title: NonEmpty
    description: NonEmpty
    select: Literal["defaults", "none"] = "defaults"
    include: list[ClauseId] = []
    exclude: list[ClauseId] = []


LawStatus = Literal["in-force", "partly-enjoined", "enjoined", "not-enforced", "pending", "repealed"]


class Penalty(Strict):
    """A consequence a state law attaches, and who bears it."""

    who: Literal["entity", "officials", "officers", "residents"]
    what: NonEmpty
    status: LawStatus = "in-force"
    status_note: str = ""


class StateLaw(Strict):
    """One state statute (or order) a rule relies on; ``authority`` names its entry."""

    authority: NonEmpty
    effective: dt.date
    effective_confirmed: bool = True  # false: the date is the best reported or default date, not read
    status: LawStatus = "in-force"
    status_note: str = ""
    summary: NonEmpty
    penalties: list[Penalty] = []


class Targets(Strict):
    """What a ban, mandate or floor reaches: taxonomy provisions, whole clauses, named passages.

    A passage is ``<clause id>#<name>``, a part of a clause its front matter declares in
    ``passages:`` and its template leaves out when the name is in ``jurisdiction.withheld``.
    """

    provisions: list[str] = []
    clauses: list[str] = []
    passages: list[str] = []


class StateBan(Targets):
    """What local law may not do under a state statute."""

    law: NonEmpty
    effective: dt.date | None = None  # default: the law's
    note: NonEmpty


class StateMandate(Strict):
    """A duty a state places on localities or sheriffs, which a draft must never contradict."""

    law: NonEmpty
    effective: dt.date | None = None
    applies_to: list[Kind] = list(KINDS)
    jail_only: bool = False  # binds only a jurisdiction that runs a jail
    duty: NonEmpty  # plain words: what still binds the county, its sheriff or its police
    duty_es: str = ""  # the same in Spanish, for the Spanish fact sheet
    contradicts: Targets = Targets()


class StateFloor(Strict):
    """Protective state law: what it already secures, and which clauses would go below it."""

    law: NonEmpty
    effective: dt.date | None = None
    applies_to: list[Kind] = list(KINDS)
    covers: list[str] = []  # provision ids state law already secures
    below: list[str] = []  # clause ids weaker than state law
    note: NonEmpty


class StateRule(Strict):
    """One state's (or DC's) law on local cooperation with immigration enforcement, as of a date."""

    state: StateCode
    name: NonEmpty
    as_of: dt.date  # when the sources were last checked
    stance: Literal["restrictive", "protective", "mixed", "neutral"]
    summary: NonEmpty  # plain words: what a locality there may and may not do
    summary_es: str = ""  # the same in Spanish, for the Spanish fact sheet
    laws: list[StateLaw] = []
    bans: list[StateBan] = []
    mandates: list[StateMandate] = []
    floors: list[StateFloor] = []
    warn: list[str] = []  # provision ids legally risky there but not banned
    open: list[NonEmpty] = []  # what remains open to a locality (restrictive states)
    open_es: list[NonEmpty] = []  # the same, in Spanish, item for item
    note: NonEmpty  # for counsel: litigation, uncertainty, what was not found
    authorities: list[Authority] = []  # entries for the statutes above, kept with the rule

    @model_validator(mode="after")
    def _laws_named(self) -> StateRule:
        named = {law.authority for law in self.laws}
        for item in [*self.bans, *self.mandates, *self.floors]:
            if item.law not in named:
                raise ValueError(f"'{item.law}' is not one of this rule's laws (laws[].authority)")
        return self


# ---------------------------------------------------------------- templates/

class PageSetup(Strict):
    """Paper, margins (inches), type."""

    size: Literal["letter", "legal"] = "letter"
    top: float = 1.0
    bottom: float = 1.0
    left: float = 1.0
    right: float = 1.0
    font: NonEmpty = "Times New Roman"
    font_size: float = 12.0
    line_spacing: float = 1.0
    line_numbers: bool = False  # pleading paper: exact double spacing, lines numbered per page


class Profile(Strict):
    """A document form: numbering, modal verbs, page setup."""

    id: Slug
    title: NonEmpty
    description: NonEmpty
    modal: Literal["shall", "must"] = "shall"
    levels: list[Literal["(a)", "(1)", "(A)", "(i)", "(I)", "a.", "1.", "A.", "i."]] = Field(
        default=["(a)", "(1)", "(A)", "(i)", "(I)"], min_length=3, max_length=5)
    section_label: NonEmpty = "SECTION {n}."
    code_section_label: NonEmpty = "{number}"
    code_step: int = 10
    page: PageSetup = PageSetup()


class Chamber(Strict):
    """One house of a state legislature: who presides over it and who attests its acts."""

    name: NonEmpty  # "Senate", "House of Representatives", "Assembly"
    presiding_officer: NonEmpty  # "President of the Senate"
    clerk: NonEmpty  # "Secretary of the Senate"


class FormOverride(Strict):
    """One state's wording for a kind of jurisdiction, with where it was checked.

    Every field left out keeps the kind's default. ``verified: false`` says the entry was
    not confirmed against the state's statutes or its municipal league's guidance.
    """

    exists: bool | None = None  # false: the state has no jurisdictions of this kind
    full_name: str | None = None
    short_name: str | None = None
    governing_body: str | None = None
    varies: bool | None = None  # the body's name varies by charter: the wizard asks
    presiding_officer: str | None = None
    executive: str | None = None  # "" = no executive signs or vetoes
    clerk: str | None = None
    legal_officer: str | None = None  # "" = no approval as to form
    enacting_clause: str | None = None
    instrument: str | None = None
    code_name: str | None = None
    number_line: str | None = None
    vote: str | None = None
    tally: list[NonEmpty] | None = None
    chambers: list[Chamber] | None = None
    oversight_body: str | None = None
    voters_enact: bool | None = None
    acts_as: Kind | None = None
    body_es: str | None = None
    body_es_gender: Literal["f", "m"] | None = None
    full_name_es: str | None = None
    source: str = ""
    verified: bool
    note: str = ""
    # Named jurisdictions of this kind whose form differs from the rest of the state, keyed by the
    # name as drafter keeps it ("Kent" for Kent County, Delaware, governed by the Levy Court).
    places: dict[NonEmpty, FormOverride] = {}

    @model_validator(mode="after")
    def _sourced(self) -> FormOverride:
        if self.verified and not self.source.strip():
            raise ValueError("'verified: true' needs a 'source' (statute or league guidance)")
        for place, entry in self.places.items():
            # answers are matched on the name as kept ("Kent"), so "Kent County" would never apply
            if _NAME_PREFIX.match(place) or _NAME_SUFFIX.match(place):
                raise ValueError(f"places: name '{place}' as drafter keeps it, without the kind "
                                 "word ('Kent', not 'Kent County')")
            if entry.places:
                raise ValueError(f"places: the entry for '{place}' cannot list places of its own")
        return self


class JurisdictionForm(Strict):
    """How a kind of jurisdiction names itself, enacts, votes and signs
    (``templates/jurisdictions/<kind>.yaml``; docs/jurisdiction-forms.md).

    Text fields may use ``{name}``, ``{full_name}``, ``{governing_body}``,
    ``{state_name}`` and ``{legislature}``.
    """

    kind: Kind
    full_name: NonEmpty
    short_name: NonEmpty
    governing_body: NonEmpty
    varies: bool = False
    presiding_officer: NonEmpty
    executive: str = ""
    clerk: NonEmpty
    legal_officer: str = ""
    instrument: NonEmpty = "Ordinance"
    enacting_clause: NonEmpty
    code_name: NonEmpty
    number_line: NonEmpty = "{INSTRUMENT} NO. ______"
    vote: NonEmpty = ("PASSED AND ADOPTED by the {governing_body} of the {full_name} on "
                      "______________, by the following vote:")
    tally: list[NonEmpty] = ["AYES:", "NOES:", "ABSTAIN:", "ABSENT:"]
    chambers: list[Chamber] = []
    oversight_body: str = ""  # who holds forums and receives reports; "" = the governing body
    # The governing body is the voters assembled (a town meeting): a title names the town, not the meeting.
    voters_enact: bool = False
    acts_as: Kind | None = None  # clauses written for this kind apply (parish -> county)
    body_es: NonEmpty
    body_es_gender: Literal["f", "m"]
    full_name_es: NonEmpty
    exists: bool = True
    source: str = ""
    verified: bool = False
    note: str = ""
    by_state: dict[StateCode, FormOverride] = {}

    def for_state(self, state: str, name: str | None = None) -> JurisdictionForm:
        """The form with one state's override applied (``by_state`` dropped), then the entry
        for the named jurisdiction if the state lists it under ``places``."""
        override = self.by_state.get(state)
        changes: dict[str, Any] = {"by_state": {}}
        if override is not None:
            place = {k.lower(): v for k, v in override.places.items()}.get((name or "").strip().lower())
            for entry in (e for e in (override, place) if e is not None):
                for key in (entry.model_fields_set | {"verified"}) - {"places"}:
                    value = getattr(entry, key)
                    if value is not None:
                        changes[key] = value
        return self.model_copy(update=changes)


def form_text(text: str, form: Any, name: str, state: str) -> str:
    """A jurisdiction-form wording with its placeholders filled."""
    full = form.full_name.format(name=name, state_name=US_STATES[state])
    values = {"name": name, "state_name": US_STATES[state], "full_name": full,
              "the_full_name": with_article(full)}
    text = text.replace("the {full_name}", "{the_full_name}")
    values["governing_body"] = form.governing_body.format(**values)
    values["legislature"] = values["governing_body"]
    values["instrument"] = form.instrument
    values["INSTRUMENT"] = form.instrument.upper()
    return text.format(**values)


def with_article(full_name: str) -> str:
    """'the City of Oakland', 'the District of Columbia', but 'Travis County', 'Jefferson Parish'."""
    return f"the {full_name}" if _NAMED_OF.match(full_name) else full_name


_NAMED_OF = re.compile(r"^(?:[A-Z][a-z]+ )+(?:and [A-Z][a-z]+ )?of ")


# ---------------------------------------------------------------- answers files

class CodeChapter(Strict):
    """Where a code chapter goes in the municipal or county code."""

    name: str | None = None
    title: NonEmpty
    chapter: NonEmpty
    chapter_title: NonEmpty
    current: str | None = None  # file with the chapter's current text: the draft amends it


# What a typed name may carry that belongs in ``kind`` instead: "City of Oakland",
# "Sangamon County", "Jefferson Parish". A trailing "City" is never stripped (Kansas City).
_NAME_PREFIX = re.compile(r"^(?P<word>city and county|city|county|town|village|borough|township|"
                          r"parish|state|commonwealth)\s+of\s+(?P<rest>.+)$", re.I)
_NAME_SUFFIX = re.compile(r"^(?P<rest>.+?),?\s+(?P<word>county|parish|township|borough|village)$",
                          re.I)
_KIND_WORD = {"city and county": "city-and-county", "city": "city", "county": "county",
              "town": "town", "village": "village", "borough": "borough",
              "township": "township", "parish": "parish", "state": "state",
              "commonwealth": "state"}
_UNIT_PREFIX = re.compile(r"^(?:chapter|chap\.|ch\.|title|tit\.|§+)\s*", re.I)


def normalize_jurisdiction(data: Any) -> Any:
    """A jurisdiction as typed, made canonical, or ValueError saying what disagrees.

    "City of Oakland" -> name Oakland (kind city); "Sangamon County" -> Sangamon;
    "Springfield, Illinois" -> Springfield; "City" -> city; "Illinois" -> IL; code
    "Chapter 45" -> 45 and "Title 2" -> 2. A name whose kind word contradicts ``kind``
    ("Town of X" with kind city) is an error. Used by every answers file, batch row and
    the wizard (through ``JurisdictionAnswers``).
    """
    if not isinstance(data, Mapping):
        return data
    out = dict(data)
    kind = out.get("kind")
    if isinstance(kind, str):
        kind = kind.strip().lower().replace(" ", "-")
        kind = {"city-county": "city-and-county", "consolidated": "city-and-county",
                "commonwealth": "state"}.get(kind, kind)
        out["kind"] = kind
    state = out.get("state")
    if isinstance(state, str):
        by_name = {v.lower(): k for k, v in US_STATES.items()}
        out["state"] = by_name.get(state.strip().lower(), state.strip())
    name = out.get("name")
    if isinstance(name, str):
        name = re.sub(r"\s+", " ", name).strip()
        code = out.get("state") if isinstance(out.get("state"), str) else ""
        state_name = US_STATES.get(str(code).upper(), "")
        for tail in (state_name, str(code)):
            if tail and name.lower().endswith(", " + tail.lower()):
                name = name[: -len(tail) - 2].strip()
        said = None
        match = _NAME_PREFIX.match(name)
        if match:
            said, name = _KIND_WORD[match["word"].lower()], match["rest"].strip()
        else:
            match = _NAME_SUFFIX.match(name)
            if match:
                said, name = _KIND_WORD[match["word"].lower()], match["rest"].strip()
        if said is not None:
            if not isinstance(kind, str) or not kind:
                out["kind"] = kind = said
            elif said != kind and not (said == "county" and kind == "city-and-county"):
                raise ValueError(
                    f"name {data.get('name')!r} says {said} but kind is {kind}: write the name "
                    f"without the kind word (name: {name}) and set kind: to the kind of "
                    "government it is")
        out["name"] = name
    code = out.get("code")
    if isinstance(code, Mapping):
        code = dict(code)
        for key in ("title", "chapter"):
            if isinstance(code.get(key), (str, int)) and not isinstance(code.get(key), bool):
                code[key] = _UNIT_PREFIX.sub("", str(code[key]).strip()).strip()
        out["code"] = code
    return out


class JurisdictionAnswers(Strict):
    """The jurisdiction a draft is for. Every officer and wording item of its form
    (templates/jurisdictions) may be overridden here, where a charter differs."""

    name: NonEmpty
    kind: Kind
    state: StateCode
    governing_body: str | None = None
    governing_body_es: str | None = None  # the body's name in Spanish, e.g. "Junta Escolar"
    governing_body_es_gender: Literal["f", "m"] | None = None
    presiding_officer: str | None = None
    executive: str | None = None  # "" when no executive signs or vetoes
    clerk: str | None = None
    legal_officer: str | None = None  # who approves as to form; "" for none
    enacting_clause: str | None = None
    instrument: str | None = None
    police: str | None = None
    sheriff: str | None = None
    probation: str | None = None
    jail: str | None = None
    agencies: list[NonEmpty] = []
    runs_jail: bool = False
    code: CodeChapter | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalize(cls, data: Any) -> Any:
        return normalize_jurisdiction(data)


class OutputOptions(Strict):
    """How the draft is laid out and written."""

    layout: Layout | None = None
    commentary: Commentary = "annotated"
    formats: list[Format] = ["docx", "md"]
    profile: Slug = "standard"
    findings: Literal["first", "all"] = "first"
    date: dt.date | None = None
    as_of: dt.date | None = None  # apply the state law in force on this day (default: today)
    author: NonEmpty = "drafter"
    reference_doc: NonEmpty | None = None  # a Word file whose styles the .docx takes (relative to the answers)


class Answers(Strict):
    """One answers file: everything that makes a draft specific to a jurisdiction."""

    jurisdiction: JurisdictionAnswers
    preset: Slug = "strongest"
    include: list[ClauseId] = []
    exclude: list[ClauseId] = []
    params: dict[ClauseId, dict[str, Any]] = {}
    output: OutputOptions = OutputOptions()
    library: str | None = None
    allow_preempted: bool = False
    below_floor: bool = False  # keep an included clause that goes below a state floor, with a warning

    @model_validator(mode="before")
    @classmethod
    def _writable_text(cls, data: Any) -> Any:
        """Every text (value or key, at any depth) must be writable to Word: no control
        characters, lone surrogates or non-characters. Checked before any field, so a lone
        surrogate in a key never reaches pydantic's own string handling. Files are checked
        first by ``sources.validate``, which gives each problem its line and column."""
        from pydantic_core import PydanticCustomError

        from drafter.sources import unwritable_text

        found = unwritable_text(data)
        if found:
            raise PydanticCustomError("unwritable_text", "{problems}",
                                      {"problems": "; ".join(message for _, message, _ in found)})
        return data
