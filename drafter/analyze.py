"""``drafter analyze``: read an existing policy and report its protections, its loopholes,
whether it mandates cooperation, and what is missing.

Deterministic rules you can read: the text is cut into units (a sentence, or a list item
joined to the lead-in it completes), each unit is classified by its modality (binding
prohibition, binding duty, permissive), and each taxonomy id has concept patterns that
must all appear in one unit with the right modality. Definitions in the text are read
first, so a defined term that changes meaning (a "judicial warrant" that includes an
immigration officer's warrant) changes what the operative text counts for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Problem
from drafter.lint import LOOPHOLES as LINT_LOOPHOLES
from drafter.resources import display_path


def _p(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.I)


# ------------------------------------------------------------------ vocabulary

ICE = (r"(?:\bICE\b|\bDHS\b|\bCBP\b|\bUSCIS\b|immigration and customs enforcement|homeland security"
       r"|border patrol|federal immigration|immigration (?:agent|officer|authorit|official|enforcement)"
       r"|civil immigration)")
DETAINER = r"(?:detainer|\bI-247|immigration hold|hold request|\bholds?\b|notification request)"
ADMIN_WARRANT = r"(?:administrative (?:immigration )?warrant|civil (?:immigration )?warrant|\bI-20[05]\b|\bNCIC\b)"
STATUS = r"(?:immigration status|citizenship|place of birth|country of birth|national origin|immigration)"
PROHIBIT = (r"(?:\bshall not\b|\bmay not\b|\bmust not\b|\bwill not\b|\bwill no longer\b|\bcannot\b"
            r"|\bno longer\b|\bprohibit(?:ed|s)?\b|\bshall (?:decline|refuse|refrain)\b|\bforbid"
            r"|\bshall be (?:released|denied)\b|\bnot be (?:denied|conditioned|used|held|detained)"
            r"|\bno (?:[\w-]+ ){0,5}(?:shall|may|must)\b|\bneither\b.*\bnor\b|\bonly (?:with|upon|if|when)\b"
            r"|\bwithout a (?:judicial|criminal) warrant\b|\bunless\b[^.]{0,80}\b(?:judicial|criminal) warrant)")
DUTY = r"(?:\bshall\b(?! not)|\bmust\b(?! not)|\bis required to\b|\bare required to\b|\bwill\b(?! not))"
PERMISSIVE = r"(?:\bshould\b|\bencourage[sd]?\b|\burge[sd]?\b|\bmay\b(?! not)|\brequests? that\b)"
SAVINGS = r"\bnothing in\b"


@dataclass(frozen=True)
class Rule:
    """One way a provision shows in a unit: every concept matches, and the modality fits."""

    concepts: tuple[str, ...]
    modality: str = "binding"  # binding (prohibition or duty) | prohibit | duty | any
    unless: str | None = None
    why: str = ""


R = Rule
PROVISIONS: dict[str, tuple[Rule, ...]] = {
    "detainer.no-hold": (
        R((DETAINER, r"\b(?:hold|held|detain|custody|honou?r|comply|release|keep|prolong|continu)"),
          "prohibit", r"\bshall (?:honou?r|comply with)\b(?![^.]{0,40}\bonly\b)",
          "a binding refusal to hold people on immigration detainers"),
        R((r"shall decline", DETAINER), "any", None, "detainers are declined"),
    ),
    "detainer.no-civil-arrest": (
        R((r"\b(?:stop|arrest|search|detain|question)", f"(?:{ADMIN_WARRANT}|civil immigration violation"
           r"|suspected (?:civil )?immigration|(?:solely |only )?(?:on the basis of|based (?:solely )?on|because of)"
           r" (?:a person's )?(?:actual or (?:perceived|suspected) )?(?:immigration status|citizenship))"),
          "prohibit", r"\bpermit(?:s|ted)?\b[^.]{0,30}\bstatus\b",
          "no stops or arrests for civil immigration violations or on administrative warrants"),
    ),
    "detainer.no-transfer": (
        R((r"\btransfer", ICE), "prohibit", None,
          "no transfer to immigration authorities without a judicial warrant"),
    ),
    "detainer.no-287g": (
        R((r"(?:287\s*\(g\)|1357\s*\(g\)|deputiz|functions of (?:an )?immigration officer|similar agreement)",),
          "prohibit", r"\b(?:shall|may) (?:enter into|seek|negotiate|request)\b(?![^.]{0,10}not)",
          "no 287(g) or similar deputization agreement"),
    ),
    "detainer.no-detention-contract": (
        R((r"(?:detention|bed[- ]?space|intergovernmental service agreement|\bIGSA\b|detain[^.]{0,40}for"
           r" (?:ICE|federal immigration))", r"(?:contract|agreement|rent|lease|arrangement)", ICE),
          "binding", r"\bshall (?:enter into|maintain)\b(?! no)", "no immigration detention contracts"),
    ),
    "detainer.no-joint-operations": (
        R((r"(?:perimeter|joint operation|raid|on-site support|transport|operation|sweep|checkpoint)",
           ICE), "prohibit", None, "no participation in civil immigration enforcement operations"),
        R((r"(?:funds|money|resources|personnel|staff|equipment|facilities)", r"(?:to|for) (?:investigate|"
           r"interrogate|detain|arrest|assist|enforce|help)", ICE), "prohibit", None,
          "no local resources for immigration enforcement"),
    ),
    "detainer.no-reimbursement-condition": (
        R((r"(?:no offer of (?:payment|reimbursement)|regardless of (?:any )?(?:payment|reimbursement)|"
           r"(?:payment|reimbursement)[^.]{0,60}(?:shall not|does not|may not|will not) (?:authorize|permit|change|"
           r"allow)|whether or not[^.]{0,40}reimburs|without exception|even if[^.]{0,60}(?:pay|reimburs))",),
          "any", None, "the refusal holds even if immigration authorities pay"),
    ),
    "info.no-status-inquiry": (
        R((r"\b(?:ask|inquir|request|record|collect|question|investigat|solicit|maintain)\w*",
           r"(?:immigration status|citizenship|place of birth|country of birth)"),
          "prohibit", r"\bnothing in\b|\bnot (?:prohibit|restrict|limit)\b",
          "no asking about or recording immigration status"),
    ),
    "info.no-release-info": (
        R((r"(?:release (?:date|time|information|status)|custody status|court date|date (?:and time )?of "
           r"release|time of release|notif\w*[^.]{0,60}release|upcoming release|transfer time)",),
          "prohibit", r"\bmay (?:respond|notify|continue)\b",
          "no sharing of release dates or custody information"),
    ),
    "info.no-personal-data": (
        R((r"(?:home (?:or work )?address|work address|\baddresses\b|contact information|personal "
           r"information|telephone|phone number|e-?mail|social security)", f"(?:{ICE}|immigration)"),
          "prohibit", None, "no sharing of addresses or personal information for immigration enforcement"),
    ),
    "info.database-access": (
        R((r"(?:database|data system|records? system|license plate|data[- ]sharing|data broker|vendor|"
           r"data services|data exchange)", f"(?:{ICE}|immigration)"), "binding",
          r"\bmay (?:share|provide|access)\b", "no immigration access to local databases; vendor terms"),
    ),
    "info.gang-database": (
        R((r"gang (?:database|designation|list|affiliation|member)",), "binding",
          r"\bmay (?:share|provide)\b|\bshall (?:share|provide|maintain)\b(?! no)",
          "limits on gang databases"),
    ),
    "info.services-not-conditioned": (
        R((r"(?:\bforms?\b|benefit|service|program|application|licen[cs]e|permit|enroll)",
           r"(?:immigration status|citizenship|social security number)"),
          "prohibit", r"\bnothing in\b", "services and forms never conditioned on status"),
        R((r"(?:conditioned on|condition\w* [^.]{0,30}on) (?:a person's )?(?:immigration status|citizenship)",),
          "any", r"\bshall be conditioned\b", "services not conditioned on status"),
    ),
    "info.narrow-1373-savings": (
        R((SAVINGS, r"(?:information regarding (?:the )?citizenship or immigration status|"
           r"citizenship or immigration status information|1373)"), "any",
          r"\b(?:any|all) information\b(?![^.]{0,40}citizenship)",
          "a savings clause limited to status information (8 U.S.C. 1373)"),
    ),
    "access.facilities-judicial-warrant": (
        R((r"(?:non-?public|secure|restricted|facilit|premises|booking area|jail|building)",
           r"(?:\benter|\baccess|entry)", f"(?:{ICE}|immigration)"), "prohibit",
          r"\bmay (?:be allowed|continue|enter)\b", "immigration agents enter non-public areas only with a warrant"),
    ),
    "access.detainee-interviews": (
        R((r"interview", f"(?:{ICE}|immigration)"), "binding", r"\bmay continue to interview\b",
          "no immigration interviews, or only with written consent and notice of counsel"),
    ),
    "access.sensitive-locations": (
        R((r"(?:\bschools?\b|hospital|health (?:care )?(?:facilit|clinic|center)|\bclinics?\b|librar|shelter|"
           r"place of worship|sensitive location|courthouse)", f"(?:{ICE}|immigration enforcement)"),
          "binding", r"\bmay\b(?! not)[^.]{0,20}(?:enter|access)", "schools, clinics, libraries and shelters protected"),
    ),
    "access.courthouses": (
        R((r"(?:court ?house|court facilit|\bcourts?\b|courtroom)", r"\barrest"),
          "prohibit", None, "no civil immigration arrests at courthouses without a judicial warrant"),
    ),
    "access.agent-identification": (
        R((r"(?:identify (?:themselves|himself|herself)|display (?:a )?badge|credential|badge|"
           r"identification)", r"(?:agent|officer)"), "duty", None,
          "federal agents in local facilities must identify themselves"),
    ),
    "access.notice-to-person": (
        R((r"(?:copy|notice|notif\w*|inform\w*|advise)", r"(?:the (?:person|individual|detainee|inmate)|"
           r"(?:his|her|their|the person's) attorney|the person and)", r"(?:detainer|hold|request|"
           r"transfer|notification)"), "duty", r"\bmay\b", "the person gets a copy of any immigration request"),
    ),
    "policing.fair-impartial": (
        R((r"(?:\bbias|profil|perceived|impartial|national origin|ethnicity|\brace\b|discriminat)",),
          "binding", r"\bmay consider\b", "bias-free policing"),
    ),
    "policing.cite-release": (
        R((r"(?:citation|\bcite\b|notice to appear|summons)", r"(?:releas|in lieu of (?:custodial )?arrest|"
           r"instead of (?:a )?(?:custodial )?arrest|rather than arrest)"), "binding", r"\bmay\b(?! not)",
          "citation and release instead of custodial arrest"),
    ),
    "policing.civil-infractions": (
        R((r"(?:civil (?:infraction|violation|summons|penalt|citation|offense)|administrative (?:citation|"
           r"penalt|violation))",), "binding", r"\bvend", "minor offenses made civil"),
    ),
    "policing.street-vending": (
        R((r"vend", r"(?:administrative|civil|not (?:be )?(?:a )?crim|no criminal|decriminaliz|"
           r"infraction|shall not (?:arrest|be subject to arrest))"), "any", None,
          "street vending decriminalized"),
    ),
    "policing.record-relief": (
        R((r"(?:dismiss|vacat|seal|expung|recall|relief|set aside)", r"(?:conviction|prosecution|"
           r"charge|warrant|record|sentence|complaint)"), "binding", None,
          "relief from past convictions for decriminalized conduct"),
    ),
    "policing.schools": (
        R((r"\bschools?\b", r"(?:police|officer|resource officer|law enforcement|\barrest)"),
          "prohibit", r"\bshall (?:assign|station|place)\b(?![^.]{0,30}not)", "no police stationed in schools"),
    ),
    "policing.task-forces": (
        R((r"task force",), "binding", r"\bshall (?:join|participate)\b(?! not)",
          "limits on joint task forces"),
    ),
    "policing.equal-diversion": (
        R((r"(?:diversion|\bbail\b|pretrial release|custody classification|\bprograms?\b|work release|"
           r"sentenc|visitation)", r"(?:immigration status|detainer|citizenship)"), "prohibit", None,
          "no denial of diversion or programs because of status or a detainer"),
    ),
    "policing.right-to-decline": (
        R((r"(?:right to (?:decline|remain silent|refuse)|may (?:decline|refuse)|is voluntary|"
           r"voluntary and|not required to (?:speak|answer))", r"(?:interview|speak|questions|agent)"),
          "any", None, "people told they may decline to speak with immigration agents"),
    ),
    "structure.findings": (
        R((r"(?:\bfinds?\b|\bfindings\b|\bwhereas\b|\bpurpose\b|\bdeclares?\b)",), "any", None,
          "findings or recitals"),
    ),
    "structure.implementation": (
        R((r"(?:adopt|issue|promulgat|updat|revis|amend|develop)\w*", r"(?:polic|procedure|general order|"
           r"rule|regulation|directive|guidance)"), "duty", None,
          "a duty to adopt policies or orders"),
        R((r"\btrain",), "duty", None, "a training duty"),
    ),
    "structure.reporting": (
        R((r"(?:\breport|\blog\b|\brecord)", r"(?:quarterly|annual|each year|monthly|semi-?annual|publish|"
           r"public|governing body|council|attorney general|commission)"), "duty", None,
          "request logs and public reports"),
        R((r"public records?",), "duty", None, "records of access are public"),
    ),
    "structure.forum": (
        R((r"(?:community forum|public forum|public hearing|town hall)",), "any", None,
          "a public forum on cooperation"),
    ),
    "structure.private-right-of-action": (
        R((r"(?:may (?:bring|file|commence|institute|maintain) (?:a |an )?(?:civil )?(?:action|suit|claim)|"
           r"may sue|civil action|cause of action|right of action|injunctive relief)",), "any",
          r"\bno (?:private )?(?:right|cause) of action\b|does not create|not create any",
          "a private right of action"),
    ),
    "structure.independent-complaints": (
        R((r"complain", r"(?:inspector general|independent|oversight|human rights commission|civilian|"
           r"ombuds|commission|board)"), "any", r"sheriff's (?:own )?office of professional",
          "complaints to an independent body"),
    ),
    "structure.no-reversal": (
        R((r"(?:waive|waiver|revers|suspend|rescind|no rule or directive|only by ordinance|except by "
           r"ordinance|may not be (?:amended|repealed|modified))",), "prohibit", r"\bmay be revised\b",
          "no waiver or reversal by administrative action"),
    ),
    "structure.severability": (
        R((r"(?:severab|held invalid|invalid or unconstitutional|remainder (?:shall|of))",), "any", None,
          "severability"),
    ),
    "structure.effective-date": (
        R((r"(?:takes effect|take effect|effective (?:date|on|immediately|upon|as of)|becomes effective|"
           r"effective \w+ days)",), "any", None, "an effective date"),
    ),
}

MANDATES = (
    _p(r"\bshall (?:comply with|honou?r|fully comply)\b[^.]{0,60}\b(?:detainer|hold|request)"),
    _p(r"\bbest efforts to support\b[^.]{0,40}\benforcement"),
    _p(r"\bshall (?:enter into|seek|negotiate|request|apply for)\b[^.]{0,60}\b(?:287|1357|agreement)"),
    _p(r"\b(?:may not|shall not)\b[^.]{0,40}\b(?:adopt|enforce|endorse|maintain)\b[^.]{0,80}\b"
       r"(?:sanctuary|polic\w+ that (?:prohibits|limits|restricts|discourages))"),
    _p(r"\bshall (?:notify|inform)\b[^.]{0,60}\b(?:ICE|DHS|federal immigration|immigration authorit)"),
    _p(r"\bshall (?:verify|determine|check|inquire)\w*\b[^.]{0,60}\b(?:immigration status|citizenship)"),
    _p(r"\b(?:prohibit|discourage)s?\b[^.]{0,60}\bcooperat\w+ with (?:federal immigration|ICE)"),
)

INSTRUMENT_NON_BINDING = _p(r"\bBE IT (?:FURTHER )?RESOLVED\b|\bexecutive order\b|\bgeneral order\b|"
                            r"\bmemorandum\b|\binternal guidance\b|\bmay be revised\b|\brevoked at any time\b")
NO_ENFORCEMENT = _p(r"\bno (?:private )?(?:right|cause) of action\b|\bdoes not create (?:a |any )?"
                    r"(?:right|private|cause)|\bnot create any (?:right|benefit)|\bnot enforceable by\b")
COVERAGE_GAP = _p(r"\bdoes not apply to (?:the )?(?:sheriff|probation|school|jail|correction|department|"
                  r"agenc|park)|\bapplies only to (?:the )?\w+ (?:department|office)|\bexcept(?:ing)? "
                  r"(?:the )?(?:sheriff|probation|parks?|schools?)\b|\bexempt\w*\b|\bother than the sheriff\b|"
                  r"\bdoes not (?:include|cover|reach) (?:the )?(?:sheriff|probation|jail|schools?|parks?)")
DATA_PIPELINE = _p(r"\bmay (?:share|provide|make available|give|continue to (?:share|provide))\b[^.]{0,120}"
                   r"\b(?:data|database|records|booking|license plate|fingerprint|gang)\b|\bany (?:law enforcement )?"
                   r"agency\b[^.]{0,60}\b(?:data|database|license plate)|\b(?:data|database|license plate)\w*\b"
                   r"[^.]{0,60}\bavailable to any\b")

PROTECTIVE_AREAS = ("detainer.", "info.", "access.")
ENFORCING = ("structure.private-right-of-action", "structure.independent-complaints",
             "structure.reporting")
IMPORTANT = ("detainer.no-hold", "detainer.no-civil-arrest", "detainer.no-transfer", "detainer.no-287g",
             "detainer.no-detention-contract", "detainer.no-joint-operations",
             "detainer.no-reimbursement-condition", "info.no-status-inquiry", "info.no-release-info",
             "info.no-personal-data", "info.database-access", "info.gang-database",
             "info.services-not-conditioned", "info.narrow-1373-savings",
             "access.facilities-judicial-warrant", "access.detainee-interviews",
             "access.sensitive-locations", "access.courthouses", "access.notice-to-person",
             "policing.fair-impartial", "policing.cite-release", "policing.right-to-decline",
             "policing.equal-diversion", "structure.implementation", "structure.reporting",
             "structure.private-right-of-action", "structure.independent-complaints",
             "structure.no-reversal")


# ------------------------------------------------------------------ reading and units

@dataclass
class Unit:
    """A sentence, or a list item with the lead-in it completes."""

    text: str
    location: str
    line: int
    definition: bool = False  # inside a definition of a term
    heading: bool = False  # a section heading
    item: bool = False  # a list item
    title: str = ""  # the heading of the section it sits in


def read_policy(path: Path) -> str:
    """The text of a .txt, .md or .docx policy."""
    shown = display_path(path)
    if not path.is_file():
        raise DrafterError([Problem(shown, message="file not found", hint="check the path")])
    suffix = path.suffix.lower()
    if suffix == ".docx":
        try:
            from docx import Document

            word = Document(str(path))
        except Exception as exc:  # noqa: BLE001 - any unreadable .docx is the user's input
            raise DrafterError([Problem(shown, message=f"cannot read this .docx ({exc})",
                                        hint="save it again from Word, or as .txt")]) from exc
        return "\n".join(p.text for p in word.paragraphs)
    if suffix not in (".txt", ".md", ".markdown", ".text", ""):
        raise DrafterError([Problem(shown, message=f"unsupported file type '{suffix}'",
                                    hint="give a .txt, .md or .docx file")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    return re.sub(r"[*_`#>]+", " ", text) if suffix in (".md", ".markdown") else text


HEADING = re.compile(
    r"^\s*(?:(?:NEW SECTION\.\s*)?(?:SECTION|Section|SEC\.|Sec\.|§+|ARTICLE|Article|Art\.)\s*([\w.\-]+?)\.?(?=\s|$)"
    r"|(\d{1,5}[A-Za-z]?(?:[.\-]\d+[A-Za-z]?)+)\.?(?=\s)"  # 2.19.005, 9-140, 7283.1.
    r"|(\d{3,6})\.(?=\s)"  # 51040.
    r"|([IVX]{1,5})\.(?=\s))")  # I. POLICY
ITEM = re.compile(r"^\s*(?:\(([a-zA-Z]{1,4}|\d{1,3})\)|([a-zA-Z]|\d{1,2})[.)])\s+")
ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x{1,3})$", re.I)
TERMINAL = re.compile(r"[.;:!?\u2014]\s*$|[.;:]\)?\s*$")
DEFINITION = re.compile(r'^\W{0,3}(?:the term\s+)?["\u201c]([^"\u201d]{1,80})["\u201d](?:\s+or\s+["\u201c][^"\u201d]+["\u201d])?'
                        r'\s+(?:means|includes|shall mean|has the meaning|refers to)\b', re.I)


@dataclass
class _Para:
    text: str
    line: int
    indent: int
    heading: str | None = None  # the section number if this paragraph opens a section
    label: str | None = None  # an item label such as "(a)" or "1."


def _paragraphs(text: str) -> list[_Para]:
    """Physical lines joined into paragraphs: hard-wrapped lines are glued back together."""
    out: list[_Para] = []
    open_para = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            open_para = False
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        heading = HEADING.match(stripped)
        item = ITEM.match(stripped)
        if heading and item and item.start() == heading.start() and not heading.group(1) \
                and not heading.group(2) and not heading.group(3):
            heading = None  # "I." with a letter list is ambiguous; an item reads better
        starts_new = bool(heading or item)
        if open_para and out and not starts_new:
            last = out[-1]
            glue = (not TERMINAL.search(last.text) or stripped[:1].islower()
                    or (indent > 0 and indent >= last.indent and (last.label or last.indent > 0)))
            if glue:
                last.text = f"{last.text} {stripped}"
                continue
        para = _Para(stripped, number, indent)
        if heading:
            para.heading = next(g for g in heading.groups() if g)
            rest = stripped[heading.end():].strip()
            inline = ITEM.search(rest)  # "Section 2. Title. (a) No agency shall ..."
            inline_at = re.search(r"(?:^|[.:]\s)\(([a-z]|\d{1,2})\)\s", rest)
            if inline_at:
                cut = inline_at.start() if rest[inline_at.start()] == "(" else inline_at.start() + 2
                para.text = rest[cut:]
                out.append(_Para(stripped[: heading.end()] + " " + rest[:cut], number, indent,
                                 para.heading))
                para.heading = None
                para.label = "(" + inline_at.group(1) + ")"
                para.text = para.text[len(para.label):].strip()
            elif inline is None:
                para.text = stripped
        elif item:
            para.label = item.group(0).strip()
            para.text = stripped[item.end():]
        out.append(para)
        open_para = True
    return out


def _kind(label: str, previous: dict[str, str]) -> str:
    """The numbering style of a list label: (a), (1), (i), (A), a., 1., ..."""
    core = label.strip("().")
    wrap = "(" if label.startswith("(") else "."
    if core.isdigit():
        return wrap + "1"
    if ROMAN.match(core):
        letter = core.islower() and "a" or "A"
        before = previous.get(wrap + letter)
        if not (len(core) == 1 and before and ord(core) == ord(before) + 1):
            return wrap + ("i" if core.islower() else "I")
    return wrap + ("a" if core.islower() else "A")


def units(text: str) -> list[Unit]:
    """Split a policy into units, each with a location (section and line)."""
    out: list[Unit] = []
    section = ""
    title = ""
    stack: list[tuple[str, str, str | None]] = []  # (kind, label, lead-in sentence)
    root_lead: str | None = None
    last_label: dict[str, str] = {}
    in_definition: int | None = None  # stack depth at which a definition opened
    for para in _paragraphs(text):
        if para.heading is not None:
            section, title = para.heading, para.text
            stack, root_lead, last_label, in_definition = [], None, {}, None
            where = f"Section {section}"
            for sentence in _sentences(para.text):
                out.append(Unit(sentence, where, para.line, heading=True, title=title))
            continue
        where = f"Section {section}" if section else f"line {para.line}"
        if para.label:
            kind = _kind(para.label, last_label)
            depth = next((i for i, (k, _, _) in enumerate(stack) if k == kind), len(stack))
            stack = stack[:depth]
            if in_definition is not None and depth <= in_definition:
                in_definition = None
            last_label[kind] = para.label.strip("().")
            leads = [lead for _, _, lead in stack if lead]
            prefix = " ".join(([root_lead] if root_lead else []) + leads)
            labels = "".join(label if label.startswith("(") else f"({label.strip('.)')})"
                             for _, label, _ in stack)
            label = para.label if para.label.startswith("(") else f"({para.label.strip('.)')})"
            sentences = _sentences(para.text)
            if DEFINITION.match(para.text) or re.match(r"^as used in\b[^.]*,\s*[\"\u201c]", para.text, re.I):
                in_definition = depth
            definition = in_definition is not None
            for index, sentence in enumerate(sentences):
                body = f"{prefix} {sentence}".strip() if index == 0 and prefix else sentence
                out.append(Unit(body, f"{where}{labels}{label}", para.line, definition=definition,
                                title=title, item=True))
            lead = sentences[-1] if sentences and sentences[-1].rstrip().endswith((":", "\u2014")) else None
            stack.append((kind, label, lead))
            continue
        # a paragraph that is not a list item
        sentences = _sentences(para.text)
        if para.indent == 0 or not stack:
            stack, last_label = [], {}
            in_definition = None
            root_lead = sentences[-1] if sentences and sentences[-1].rstrip().endswith(":") else None
        definition = bool(DEFINITION.match(para.text)) or in_definition is not None
        for sentence in sentences:
            out.append(Unit(sentence, where, para.line, definition=definition, title=title))
    return out


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\b(U\.S\.C|C\.F\.R|Stat|Sec|No|Gov|Code|Ord|Res|Cal|Ill|Or|Wash|Tex|Fla|v|Inc|St|Ann"
                  r"|Rev|Proc|Crim|Civ|Admin|Dept|Art|Subd|Subch|Ch|ch|cl|p|pp|et seq|e\.g|i\.e|U\.S|a\.m|p\.m)\.",
                  lambda m: m.group(0).replace(".", "\u2024"), text)
    parts = re.split(r"(?<=[.;])\s+(?=[A-Z(\"\u201c])", text)
    return [p.replace("\u2024", ".").strip() for p in parts if p.strip()]


# ------------------------------------------------------------------ analysis

@dataclass
class Finding:
    """One protection or loophole, with the words that show it and where they are."""

    id: str
    evidence: str
    location: str
    why: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "evidence": self.evidence, "location": self.location}


@dataclass
class Analysis:
    """What a policy does."""

    provisions: list[Finding] = field(default_factory=list)
    loopholes: list[Finding] = field(default_factory=list)
    mandates_cooperation: bool = False
    mandate_evidence: list[Finding] = field(default_factory=list)
    missing: list[dict[str, str | None]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"provisions": [f.as_dict() for f in self.provisions],
                "loopholes": [f.as_dict() for f in self.loopholes],
                "mandates_cooperation": self.mandates_cooperation,
                "missing": self.missing}


def _modality(text: str) -> set[str]:
    found = set()
    if re.search(PROHIBIT, text, re.I):
        found.add("prohibit")
    if re.search(DUTY, text, re.I):
        found.add("duty")
    if re.search(PERMISSIVE, text, re.I):
        found.add("permissive")
    return found


def _fits(rule: Rule, text: str, modality: set[str]) -> bool:
    if not all(re.search(concept, text, re.I) for concept in rule.concepts):
        return False
    if rule.unless and re.search(rule.unless, text, re.I):
        return False
    if rule.modality == "any":
        return True
    if rule.modality == "binding":
        return bool(modality & {"prohibit", "duty"})
    return rule.modality in modality


def _clip(text: str, limit: int = 220) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hollow_terms(text: str) -> set[str]:
    """Defined terms whose definition empties them of protective meaning."""
    hollow = set()
    for match in re.finditer(r'"([^"]+)"\s+(?:means|includes)([^"]*?)(?=\n\s*\n|\n"|$)', text, re.S | re.I):
        term, body = match.group(1).lower(), match.group(2).lower()
        if "judicial warrant" in term and re.search(r"immigration (?:officer|official|judge)|i-20[05]|"
                                                    r"administrative", body):
            if not re.search(r"(?:not|does not include|other than|excluding)[^.]{0,40}"
                             r"(?:immigration|administrative)", body):
                hollow.add("judicial warrant")
    return hollow


def analyze_text(text: str, library: Any | None = None) -> Analysis:
    """Analyze a policy's text; ``library`` (optional) names the clauses for what is missing."""
    result = Analysis()
    parts = units(text)
    hollow = hollow_terms(text)
    definitions = [u for u in parts if re.match(r'^\s*(?:\([a-z0-9]+\)\s*)?"[^"]+"\s+(?:means|includes)\b',
                                                u.text.split(": ")[-1] if ": " in u.text[:60] else u.text)]
    operative = [u for u in parts if u not in definitions]
    seen: dict[str, Finding] = {}
    for unit in operative:
        text_l = unit.text
        if re.search(r'"[^"]+"\s+(?:means|includes)\b', text_l):
            continue
        modality = _modality(text_l)
        for pid, rules in PROVISIONS.items():
            if pid in seen:
                continue
            for rule in rules:
                if _fits(rule, text_l, modality):
                    if hollow and "judicial warrant" in text_l.lower() and pid in (
                            "detainer.no-hold", "detainer.no-transfer", "access.facilities-judicial-warrant"):
                        continue
                    seen[pid] = Finding(pid, _clip(text_l), unit.location, rule.why)
                    break
    if len(definitions) >= 2 or re.search(r"^\s*(?:Sec\.|Section|SECTION)?[\s\w.\-]*Definitions\b", text, re.M):
        first = definitions[0] if definitions else next((u for u in parts if "definition" in u.text.lower()), None)
        if first is not None:
            seen["structure.definitions"] = Finding("structure.definitions", _clip(first.text),
                                                    first.location, "a definitions section")
    if "structure.findings" in seen and not re.search(r"\b(?:WHEREAS|[Ff]indings?|finds that|finds and "
                                                      r"declares|[Pp]urpose)\b", text):
        del seen["structure.findings"]
    result.provisions = sorted(seen.values(), key=lambda f: list(PROVISIONS).index(f.id)
                               if f.id in PROVISIONS else 99)
    result.loopholes = _loopholes(operative, text, seen, hollow)
    for unit in operative:
        for pattern in MANDATES:
            if pattern.search(unit.text):
                result.mandate_evidence.append(Finding("mandate", _clip(unit.text), unit.location))
                break
    result.mandates_cooperation = bool(result.mandate_evidence)
    if result.mandates_cooperation:
        # A law that commands cooperation is not a protective policy with loopholes.
        result.loopholes = []
        result.provisions = [f for f in result.provisions if not f.id.startswith(PROTECTIVE_AREAS)]
    result.missing = _missing({f.id for f in result.provisions}, library)
    return result


def _loopholes(operative: list[Unit], text: str, found: dict[str, Finding],
               hollow: set[str]) -> list[Finding]:
    out: dict[str, Finding] = {}

    def add(lid: str, unit: Unit | None, why: str, evidence: str | None = None) -> None:
        if lid not in out:
            out[lid] = Finding(lid, _clip(evidence or (unit.text if unit else "")),
                               unit.location if unit else "whole text", why)

    for unit in operative:
        for pattern in LINT_LOOPHOLES:
            if all(need.search(unit.text) for need in pattern.needs) and not (
                    pattern.unless and pattern.unless.search(unit.text)):
                if pattern.id == "loophole.coverage-gap":
                    continue  # the lint form is about our own listed-offense variants
                add(pattern.id, unit, pattern.what)
        if re.search(r"\bmay (?:cooperate|assist|share|enter into|provide)\b", unit.text, re.I) and \
                re.search(ICE, unit.text, re.I):
            add("loophole.voluntary-cooperation", unit, "cooperation left to officials' discretion")
        if re.search(r"\b(?:should|encouraged?|urge[sd]?|requests? that|to the extent practicable)\b",
                     unit.text, re.I) and re.search(f"{ICE}|{DETAINER}|immigration", unit.text, re.I):
            add("loophole.non-binding", unit, "permissive wording where a duty is meant")
        if COVERAGE_GAP.search(unit.text):
            add("loophole.coverage-gap", unit, "some agencies, places or offenses are left out")
        if DATA_PIPELINE.search(unit.text):
            add("loophole.data-pipeline", unit, "database, booking or surveillance data left open")
        if NO_ENFORCEMENT.search(unit.text):
            add("loophole.no-enforcement", unit, "the text disclaims any enforcement")
    protective = [f for f in found if f.startswith(PROTECTIVE_AREAS)]
    instrument = INSTRUMENT_NON_BINDING.search(text)
    if instrument and protective:
        add("loophole.non-binding", None, "an instrument easily withdrawn (resolution, order or memo)",
            instrument.group(0))
    if "detainer.no-hold" in found and "info.no-release-info" not in found:
        add("loophole.notification-gap", None,
            "holds are refused but release dates and custody information are not protected",
            found["detainer.no-hold"].evidence)
    if protective and not any(e in found for e in ENFORCING):
        add("loophole.no-enforcement", None, "no private right of action, independent complaints "
            "or public reporting", "(no enforcement provision found)")
    return sorted(out.values(), key=lambda f: f.id)


def _missing(present: set[str], library: Any | None) -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = []
    for pid in IMPORTANT:
        if pid in present:
            continue
        clause = None
        if library is not None:
            carriers = [c for c in library.clauses.values() if pid in c.meta.provisions]
            carriers.sort(key=lambda c: (c.meta.strength != "strongest", not c.meta.default, c.id))
            clause = carriers[0].id if carriers else None
        out.append({"id": pid, "clause": clause})
    return out


def analyze_file(path: Path, library: Any | None = None) -> Analysis:
    """Read and analyze a policy file."""
    return analyze_text(read_policy(path), library)


def explain(ids: Iterable[str]) -> dict[str, str]:
    """The one-line reason each provision id is recognized (for reports and docs)."""
    return {pid: PROVISIONS[pid][0].why for pid in ids if pid in PROVISIONS}
