"""The data drafter reads: clauses, definitions, authorities, presets, state rules,
profiles, jurisdiction forms and answers files.

Every model forbids unknown fields, so a typo such as ``paramters:`` is an error with
a line number, never a silently ignored key.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

Kind = Literal["city", "county", "city-and-county", "town", "village", "state"]
KINDS: tuple[str, ...] = ("city", "county", "city-and-county", "town", "village", "state")
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

    @model_validator(mode="after")
    def _default_fits(self) -> Param:
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
    findings: list[NonEmpty] = []
    authorities: list[str] = []
    sources: list[str] = []
    summary: Summary
    status: Literal["draft", "reviewed"] = "draft"
    reviewed: Review | None = None
    lint: dict[str, str] = {}

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


class StateLaw(Strict):
    """One state law that preempts or punishes local policies."""

    authority: str
    summary: NonEmpty
    penalties: NonEmpty


class StateRule(Strict):
    """What a state's anti-sanctuary laws forbid, and what to do about it."""

    state: StateCode
    name: NonEmpty
    severity: Literal["ban", "mandate"]
    laws: list[StateLaw]
    withhold: list[str] = []
    warn: list[str] = []
    open: list[NonEmpty] = []
    note: NonEmpty


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


class FormOverride(Strict):
    """State-specific wording for a jurisdiction kind."""

    enacting_clause: str | None = None
    approved_as_to_form: str | None = None
    presiding_officer: str | None = None
    clerk: str | None = None


class JurisdictionForm(Strict):
    """How a kind of jurisdiction names itself, enacts, and signs (``templates/jurisdictions``)."""

    kind: Kind
    full_name: NonEmpty
    short_name: NonEmpty
    governing_body: NonEmpty
    instrument: NonEmpty = "Ordinance"
    enacting_clause: NonEmpty
    code_name: NonEmpty
    presiding_officer: NonEmpty
    clerk: NonEmpty
    approved_as_to_form: NonEmpty
    by_state: dict[StateCode, FormOverride] = {}


# ---------------------------------------------------------------- answers files

class CodeChapter(Strict):
    """Where a code chapter goes in the municipal or county code."""

    name: str | None = None
    title: NonEmpty
    chapter: NonEmpty
    chapter_title: NonEmpty
    current: str | None = None  # file with the chapter's current text: the draft amends it


class JurisdictionAnswers(Strict):
    """The jurisdiction a draft is for."""

    name: NonEmpty
    kind: Kind
    state: StateCode
    governing_body: str | None = None
    police: str | None = None
    sheriff: str | None = None
    agencies: list[NonEmpty] = []
    runs_jail: bool = False
    code: CodeChapter | None = None


class OutputOptions(Strict):
    """How the draft is laid out and written."""

    layout: Layout | None = None
    commentary: Commentary = "annotated"
    formats: list[Format] = ["docx", "md"]
    profile: Slug = "standard"
    findings: Literal["first", "all"] = "first"
    date: dt.date | None = None
    author: NonEmpty = "drafter"


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
