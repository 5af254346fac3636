"""``drafter analyze``: read an existing policy and report its protections, its loopholes,
whether it mandates cooperation, and what is missing.

Deterministic rules you can read:

1. Hard-wrapped lines are glued back into paragraphs, and each paragraph is cut into units: a
   sentence, or a list item joined to the lead-in it completes ("No officer shall: (1) ...").
   A lead-in reaches only the items nested under it, so "(b)" after "(a)(1)-(3)" stands alone.
2. Each unit is classified by its modality: binding prohibition ("shall not", "may not",
   "No ... shall", "only if"), binding duty, permission ("may"), exhortation ("should",
   "encourages", "urges") or savings clause ("nothing in ... prohibits", "does not apply").
   A ban on *limiting* cooperation ("may not bar an officer from ...") counts as a savings
   clause, not a protection.
3. Each taxonomy id has rules: concept patterns that must all appear in one unit, with the
   right modality and no disqualifying words. Definitions, recitals (WHEREAS, findings) and
   the title block before the enacting clause never count as rules, and a defined term that
   empties a protection (a "judicial warrant" that includes an immigration officer's warrant)
   disables the rules that rest on it.
4. Loopholes are read from exceptions (convictions, payment), savings clauses, permissions,
   exhortations, the kind of instrument (resolution, executive or general order, memo), and
   what is absent (no release-date limit beside a hold ban; no remedy, complaint or report).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Problem
from drafter.resources import display_path


def _p(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.I)


@lru_cache(maxsize=1024)
def _rx(regex: str) -> re.Pattern[str]:
    """A rule's pattern, compiled once."""
    return re.compile(regex, re.I)


# ------------------------------------------------------------------ vocabulary

# Federal immigration authorities and their work.
AGENTS = (r"(?:\bICE\b|\bDHS\b|\bCBP\b|\bUSCIS\b|\bERO\b|immigration and customs enforcement|homeland security"
          r"|border patrol|customs and border|federal immigration|immigration (?:enforcement )?(?:agent|officer"
          r"|authorit|official|agenc|personnel)|federal agents?\b|enforcement and removal)")
ICE = (rf"(?:{AGENTS}|immigration (?:enforcement|purposes|law)|civil immigration|immigration detention"
       r"|deportation|removal proceeding)")
DETAINER = (r"(?:detainer|\bI-247|immigration hold|(?:ICE|civil|immigration) holds?\b|hold requests?"
            r"|requests? (?:to hold|to detain|to maintain custody|for notification)|notification requests?)")
ADMIN_WARRANT = (r"(?:administrative (?:immigration )?warrant|civil (?:immigration )?warrant|immigration warrant"
                 r"|non-?judicial (?:immigration )?warrant|warrants? not (?:signed|issued) by a (?:judge|court)"
                 r"|\bI-20[05]\b|\bNCIC\b|National Crime Information Center|immigration violator)")
STATUS = r"(?:immigration status|citizenship|place of birth|country of birth|immigration or citizenship status)"
CUSTODY_VERB = (r"(?:\bhold\b|\bheld\b|\bholding\b|\bdetain(?:s|ed|ing)?\b|\bdetention\b|\b(?:in|into) custody\b"
                r"|\bhonou?r|\bcomply with\b|\bkeep\b|\bkept\b|\bprolong|\bextend\w* (?:custody|detention)"
                r"|\bcontinu\w* (?:to detain|the detention|custody)|\bdelay\w* (?:\w+ )?release"
                r"|\bbeyond\b[^.]{0,40}\breleas|\bpast\b[^.]{0,30}\breleas)")
HOLD_VERB = (r"(?:\bhold\b|\bheld\b|\bholding\b|\b(?:in|into) custody\b|\bkeep\b|\bkept\b|\bprolong"
             r"|\bextend\w* (?:custody|detention)|\bcontinu\w* (?:to detain|the detention|custody)"
             r"|\bdelay\w* (?:\w+ )?release|\bbeyond\b[^.]{0,40}\breleas|\bpast\b[^.]{0,30}\breleas)")
VENDING = r"(?:\b(?:street|sidewalk) vend\w*|\bvending\b(?! machine)|\bpeddl\w*)"
JURISDICTION = r"(?:city|county|state|town|village|borough|township|commonwealth|district|municipality)"
CONVICTION = (r"(?:\bconvict\w*|\bcharged with\b|\bpending (?:\w+ )?(?:felony|charges?|criminal)\b|\bfelony charge"
              r"|\bcriminal (?:history|record)\b|\bnamed in an? (?:open |outstanding )?(?:criminal )?warrant"
              r"|\boutstanding (?:criminal )?warrants?\b|\bgang (?:database|member)|\bterrorist (?:screening|watch)"
              r")")
PROHIBIT = _p(r"\bshall not\b(?! be (?:construed|interpreted|deemed))|\bmay not\b|\bmust not\b|\bwill not\b"
              r"|\b(?:will|shall) no longer\b|\bcannot\b|\bcan not\b|\b(?:is|are) not (?:allowed|permitted|authorized)"
              r"|\b(?:is|are|be) (?:\w+ )?prohibited\b|\bprohibited from\b|\bhereby prohibit"
              r"|\b(?:has|have) no authority"
              r"|\b(?:shall|will|must) (?:decline|refuse|refrain)\b|\b(?:shall|will) be (?:declined|refused)\b|\bforbid"
              r"|\b(?:is|are|be) unlawful\b|\bunlawful for\b"
              r"|\b(?:does|do) not (?:honou?r|hold|detain|ask|inquire|participate|share|provide|disclose|permit|allow"
              r"|transfer|comply|respond|collect|notify|rent|contract|accept|enter into|grant)\b"
              r"|(?:^|[,;:(]\s*|\b(?:and|that|or)\s+)no\b(?!\s+(?:later|sooner|earlier|more|less|fewer)\b)"
              r"[^.;:]{0,200}?\b(?:shall|may|must|will)\b"
              r"|\bnone of\b[^.]{0,40}\b(?:allows?|authoriz)|\bpolicy of (?:the )?[\w ]{0,40}? not to\b"
              r"|\bnot be (?:denied|conditioned|used|held|detained|permitted|allowed|released|shared|disclosed|given"
              r"|provided|arrested|subject\w*|entered|charged|punished|transferred)"
              r"|\bonly (?:if|when|upon|with|after|in response|where|to the extent|pursuant|by)\b"
              r"|\bneither\b.*\bnor\b|\bwithout (?:a |an )?(?:judicial|criminal) warrant\b"
              r"|\bunless\b[^.]{0,100}\b(?:judicial|criminal) warrant|\babsent a (?:\w+ )?warrant"
              r"|\bexcept (?:upon|on) (?:the )?presentation")
DUTY = _p(r"\bshall\b(?! not\b| be (?:construed|interpreted))|\bmust\b(?! not)|\b(?:is|are) required to\b"
          r"|\bwill\b(?! not\b| no longer)|\b(?:is|are) (?:hereby )?directed to\b|\bdirects?\b")
PERMISSIVE = _p(r"\bmay\b(?! not)|\bis (?:authorized|permitted|allowed) to\b|\bare (?:authorized|permitted"
                r"|allowed) to\b|\bin (?:its|their|his|her|the|[\w']+'s) (?:sole )?discretion\b")
HORTATORY = _p(r"\bshould\b|\bsense of the\b|\bencourage[sd]?\b|\burge[sd]?\b|\brequests? that\b"
               r"|\b(?:is|are) requested to\b"
               r"|\bcalls? (?:on|upon)\b|\bbelieves?\b|\bto the extent (?:practicable|feasible|possible)\b"
               r"|\bendeavou?r\b|\bstrive\b|\bconsider ways\b")
SAVINGS = _p(r"\bnothing (?:in|herein|contained)\b|\bshall not be (?:construed|interpreted)\b"
             r"|\bdoes not (?:prohibit|restrict|limit|prevent|bar|apply|require|authorize|protect|preclude|reach"
             r"|cover)\b|\bdo not apply\b"
             r"|\bshall not apply\b|\bis not intended\b|\bnot (?:be )?construed\b")
# "may not bar or restrict an officer from ..." forbids limits on cooperation: the opposite of a protection.
NEGATED_LIMIT = _p(r"(?:\b(?:shall|may|must) not (?:\w+ ){0,2}|\bno\b[^.;]{0,60}\b(?:shall|may) )"
                   r"(?:bar|restrict|prohibit|limit|discourage|prevent|impede|hinder|obstruct)\b(?! any person)")
WHEREAS = _p(r"^\W*whereas\b")
ENACTING = _p(r"\bbe it (?:hereby |further )?(?:ordained|enacted|resolved)\b|\b(?:do|does|hereby) (?:hereby )?(?:ordain"
              r"|enact|resolve|order)\b|\bnow,? therefore\b")


@dataclass(frozen=True)
class Rule:
    """One way a provision shows in a unit: every concept matches, and the modality fits."""

    concepts: tuple[str, ...]
    modality: str = "binding"  # binding (prohibition or duty) | prohibit | duty | any
    unless: str | None = None
    why: str = ""
    context: str | None = None  # must match the whole paragraph (or section title) the unit sits in
    said: str | None = None  # fails the rule when said affirmatively ("shall enter into"), not "No ... shall"
    document: str | None = None  # must match somewhere in the whole text
    not_context: str | None = None  # must not match the paragraph or the section title


R = Rule
# Fragments used by several rules.
_GIVE = (r"\b(?:provid|disclos|shar|releas|giv|gave|send|sent|transmit|disseminat|make available|furnish|sell"
         r"|tell|telling)")
_PERSONAL = (r"(?:home (?:or work )?address|work address|\baddress(?:es)?\b|contact (?:information|details)"
             r"|personal (?:information|data|identif)|identifying information|telephone|phone number|e-?mail"
             r"|social security|date of birth|utility records)")
_SENSITIVE = (r"(?:\bschools?\b|\bcampus|hospital|health (?:care )?(?:facilit|clinic|center)|\bclinics?\b|librar"
              r"|\bshelters?\b|place of worship|houses? of worship|churches|sensitive locations?|child care"
              r"|day care|polling place)")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
_COURT = (r"(?:court ?house|court facilit|courtroom|court proceeding|(?:at|near|in|within|to|from|around)"
          r" (?:a |any |the )?(?:state |local |municipal )?courts?\b)")

PROVISIONS: dict[str, tuple[Rule, ...]] = {
    "detainer.no-hold": (
        R((f"(?:{DETAINER}|at the request of {AGENTS})", CUSTODY_VERB),
          "prohibit", r"\bshall (?:honou?r|comply with)\b(?![^.]{0,100}\bonly\b)",
          "a binding refusal to hold people on immigration detainers"),
        R((ADMIN_WARRANT, HOLD_VERB), "prohibit", None,
          "no one is held in custody on an administrative immigration warrant"),
        R((r"\bshall (?:decline|refuse)\b", DETAINER), "any", None, "detainers are declined"),
        R((r"(?:detain|held|hold|keep|kept)\w*[^.]{0,80}(?:beyond|past|after)[^.]{0,40}releas", AGENTS),
          "prohibit", None, "no one is kept past release for immigration authorities"),
        R((r"\b(?:shall|must|will) (?:be )?release", DETAINER, r"(?:same time|otherwise be (?:released|eligible)"
           r"|as it would|scheduled release|regardless of|notwithstanding|despite)"), "duty", None,
          "people with detainers are released on time"),
    ),
    "detainer.no-civil-arrest": (
        R((r"\b(?:stop|arrest|search|detain(?!er)|hold|question|apprehend|interrogat|investigat|find|catch|locate|detect"
           r"|enforcement action|initiate)",
           f"(?:{ADMIN_WARRANT}|civil immigration (?:violation|matter|offense)|(?:investigat|enforc)\\w* (?:federal )?"
           r"civil immigration law|suspected (?:civil )?immigration|(?:a |an )?(?:actual or suspected )?civil violation"
           r" of federal immigration|without (?:federal )?immigration authori[sz]ation|in violation of (?:federal )?"
           r"immigration laws?|whose only (?:violation|offense)|for the purpose of determining (?:immigration"
           r"|citizenship)|to (?:determine|verify|investigate) (?:\w+ ){0,2}(?:immigration status|citizenship)"
           r"|violations? of (?:federal )?(?:civil )?immigration laws?|(?:solely|only) (?:on the basis of|because of"
           r"|based on)[^.]{0,40}(?:immigration status|citizenship)|based solely on[^.]{0,40}(?:immigration status"
           r"|citizenship)|(?:on the basis of|because of"
           r"|based on) (?:the person's |a person's |that person's )?(?:actual or (?:perceived|suspected) )?"
           r"(?:immigration status|citizenship)\b(?:[^.,]{0,20})?(?:[;.]|$| or citizenship))"),
          "prohibit", r"\bpermit(?:s|ted)?\b[^.]{0,30}\bstatus\b|\b(?:race|ethnicity|national origin|religion)\b",
          "no stops or arrests for civil immigration violations or on administrative warrants"),
    ),
    "detainer.no-transfer": (
        R((r"\btransfer\w* (?:(?:of )?custody|(?:\w+ ){0,3}(?:persons?|individuals?|inmates?|detainees?|people|anyone"
           r"|him|her|them)\b)", ICE), "prohibit", r"\btransfer (?:times?|dates?)\b|\btransfer, (?:court|release)",
          "no transfer to immigration authorities without a judicial warrant"),
    ),
    "detainer.no-287g": (
        R((r"(?:287\s*\(g\)|1357\s*\(g\)|deputiz|cross-designat|functions? of (?:an |a )?(?:federal )?immigration"
           r" officer|under the (?:supervision|direction) of[^.]{0,40}(?:federal immigration|ICE))",),
          "prohibit", r"\bdefin", "no 287(g) or similar deputization agreement",
          said=r"\b(?:shall|may) (?:enter into|seek|negotiate|request|execute|apply)\b"),
    ),
    "detainer.no-detention-contract": (
        R((r"(?:\bcontract|agreement|\brent\b|\blease|arrangement|\bIGSA\b)",
           r"(?:\bdetain(?!er)|detention|bed[- ]?space|\bbeds\b|to house\b|housing of)",
           f"(?:{ICE}|immigration)"),
          "prohibit", r"\b287\s*\(g\)(?![^.]{0,80}(?:bed|detention))", "no immigration detention contracts",
          said=r"\b(?:shall|may) (?:enter into|maintain|execute)\b"),
    ),
    "detainer.no-joint-operations": (
        R((r"(?:perimeter|joint operation|\braids?\b|on-site support|\btransport\b|operations?\b|\bsweeps?\b"
           r"|checkpoint|roadblock|cordon|crowd control|backup)", f"(?:{ICE}|immigration)"),
          "prohibit", r"\btask forces?\b(?![^.]{0,80}\boperation)",
          "no participation in civil immigration enforcement operations"),
        R((r"(?:\bassist\w*|\bsupport\w*|\bparticipat\w*|\btake part|\bhelp\w*|\bfacilitat\w*|\baid\b)\s+(?:\w+\s+)"
           rf"{{0,2}}(?:in |with )?(?:any |a |the )?(?:{AGENTS}|civil immigration enforcement"
           r"|immigration enforcement)",),
          "prohibit", r"\btask force", "no local help for immigration enforcement"),
        R((r"withdraw", r"operation", ICE), "duty", None, "officers withdraw from immigration operations"),
    ),
    "detainer.no-reimbursement-condition": (
        R((r"(?:\bno (?:offer of )?(?:payment|reimbursement)\b[^.]{0,80}\b(?:shall|may|will) (?:authorize|permit|allow"
           r"|unlock)|(?:payment|reimbursement|offer)[^.]{0,80}(?:shall not|does not|may not|will not) (?:authorize"
           r"|permit|change|allow)|(?:regardless of|whether or not|even if)[^.]{0,80}(?:\bpay|reimburs)"
           r"|shall not (?:request|accept|seek)[^.]{0,40}(?:payment|reimbursement))",),
          "any", None, "the refusal holds even if immigration authorities pay", document=AGENTS),
    ),
    "info.no-status-inquiry": (
        R((r"\b(?:ask|inquir|request|(?<!criminal )record|collect|question|investigat|solicit|maintain|verify|seek)"
           r"\w*\s+"
           rf"(?:(?!because|basis|based)[\w',/-]+\s+){{0,10}}?{STATUS}",),
          "prohibit", None, "no asking about or recording immigration status"),
    ),
    "info.no-release-info": (
        R((r"(?:release (?:date|time|information|status)|custody status|incarceration status|court (?:appearance )?"
           r"dates?|date (?:and time )?of (?:\w+ )?release|time of release|notif\w*[^.]{0,60}release"
           r"|notice of[^.]{0,30}release|transfer times?|will be released|in custody or when|whether (?:a"
           r"|the) person is in custody"
           r"|notification requests?|requests? for (?:advance )?notification)",
           r"(?:provid|disclos|shar|giv|notif|notice|tell|inform|respon|answer|communicat|confirm|disseminat|gather)"),
          "prohibit", r"\bmay (?:respond|notify|continue)\b", "no sharing of release dates or custody information",
          document=AGENTS),
    ),
    "info.no-personal-data": (
        R((_GIVE, _PERSONAL, f"(?:{ICE}|immigration)"), "prohibit", r"\bwithout personal information\b",
          "no sharing of addresses or personal information for immigration enforcement"),
        R((r"\b(?:provide|disclose|share|give)\b", r"(?:home or work address|contact information)"), "prohibit",
          r"\bwithout personal information\b", "no sharing of addresses or contact information", document=AGENTS),
        R((r"\bconfidential\b", r"\b(?:disclos|released?|shared?)\w*"), "prohibit", None,
          "personal information people give stays confidential"),
    ),
    "info.database-access": (
        R((r"(?:access|log-?ins?|terminals?|\buse\b)",
           r"(?<!gang )(?:databases?|data systems?|records? systems?|records management|license plate|data[- ]sharing"
           r"|data exchange|jail management)", AGENTS),
          "prohibit", r"\bgang database\b(?![^.]{0,40}\bor any other)|\bentered into\b",
          "no immigration access to local databases"),
        R((r"(?:contract|agreement|vendor|data broker|third part)", r"\bdata\b", AGENTS), "binding",
          r"\bmay (?:share|provide|access)\b", "vendor and data-sharing contracts bar immigration access"),
    ),
    "info.gang-database": (
        R((r"\bgang (?:database|designation|list|affiliation|members?)",), "binding",
          r"\bmay (?:share|provide)\b|\bdoes not protect\b|\b(?:allows?|justif\w+|grounds? for) (?:a |any )?"
          r"(?:detention|hold|notice)|\b(?:unless|except)\b[^.]*\bgang\b", "limits on gang databases",
          said=r"\bshall (?:share|provide|maintain)\b"),
    ),
    "info.services-not-conditioned": (
        R((r"(?:\bforms?\b|benefit|\bservices?\b|program|application|\blicen[cs]e|\bpermits?\b|enrol)",
           r"(?:immigration status|citizenship|social security number)",
           r"(?:condition|\bden(?:y|ied|ial)|withh[eo]ld|refus|eligib|\bforms?\b|application|questionnaire|enrol"
           r"|requir|\bask|inquir|question)"),
          "prohibit", r"\b(?:diversion|bail|custody classification|pretrial)\b",
          "services and forms never conditioned on status"),
        R((r"\b(?:not|never) (?:be )?conditioned (?:up)?on (?:a person's |an individual's )?(?:immigration status"
           r"|citizenship)",), "any", None, "services not conditioned on status"),
    ),
    "info.narrow-1373-savings": (
        R((r"(?:\bnothing (?:in|herein|contained)\b|\bdoes not (?:prohibit|restrict|limit)\b|shall not be construed)",
           r"(?:information regarding (?:the )?(?:citizenship"
           r" or )?immigration status|(?:citizenship or )?immigration status information|\b1373\b)"), "any",
          r"\b(?:any|all|other) information\b(?![^.]{0,40}(?:citizenship|immigration status))",
          "a savings clause limited to status information (8 U.S.C. 1373)"),
    ),
    "access.facilities-judicial-warrant": (
        R((r"(?:non-?public|not open to the public|secure area|booking area|facilit|premises|buildings?|property"
           r"|office space|quarters|jails?\b)",
           rf"(?:{AGENTS})[^.]{{0,100}}(?:\benter|\baccess|\bentry|\buse\b|maintain an office|office space"
           r"|stationed|posted)"),
          "prohibit", rf"{_SENSITIVE}|{_COURT}|\bfor (?:\w+ )?interviews\b(?![^.]{{0,30}}\b(?:any )?other)"
          r"|\bmay (?:be allowed|continue|enter)\b",
          "immigration agents enter non-public areas only with a warrant"),
    ),
    "access.detainee-interviews": (
        R((r"interview(?! rooms?)", AGENTS), "prohibit", r"\bmay continue to interview\b",
          "no immigration interviews without consent"),
        R((r"(?:access to (?:any |a )?(?:person|individual|inmate|detainee)s? (?:\w+ ){0,3}(?:in|held|detained)"
           r"|(?:see|speak) with (?:any )?persons held)", AGENTS), "prohibit", None,
          "no immigration access to people in custody"),
        R((r"interview", AGENTS, r"(?:written consent|consents? in writing|consent form|before (?:any |an |the )?"
           r"(?:\w+ ){0,2}interview)"), "duty", None, "immigration interviews only with written consent"),
    ),
    "access.sensitive-locations": (
        R((_SENSITIVE, f"(?:{ICE}|immigration enforcement)"),
          "binding", r"\bmay\b(?! not)[^.]{0,20}(?:enter|access)|\b(?:records?|addresses|information)\b[^.]{0,30}"
          r"\bshall not be (?:released|disclosed|shared|provided)",
          "schools, clinics, libraries and shelters protected"),
    ),
    "access.courthouses": (
        R((_COURT, r"\barrest"), "prohibit", None,
          "no civil immigration arrests at courthouses without a judicial warrant"),
    ),
    "access.agent-identification": (
        R((r"(?:identify (?:themselves|himself|herself)|(?:present|display|show|produce)s?\w* (?:\w+ ){0,3}"
           r"(?:identification|credentials|badge)|state (?:his|her|their|the person's) (?:full )?name)",
           f"(?:{AGENTS}|persons? seeking)"), "binding", None,
          "federal agents in local facilities must identify themselves"),
    ),
    "access.notice-to-person": (
        R((r"(?:give|provide|deliver|hand|send|be given|receive)\w* (?:\w+ ){0,6}a copy", r"(?:person|individual|"
           r"detainee|inmate)", f"(?:{DETAINER}|transfer|request)"), "duty", r"\bmay\b(?! not)",
          "the person gets a copy of any immigration request"),
        R((r"(?:notif|inform|tell|advise)\w* (?:the|that) (?:person|individual|detainee|inmate)", DETAINER),
          "duty", None, "the person is told of any immigration request"),
    ),
    "policing.fair-impartial": (
        R((r"(?:perceived|national origin|ethnicity|\brace\b|religion|ancestry|limited English)",
           r"(?:\bstop|detain|search|arrest|enforcement action|question|\bcite\b|profil|treat)"),
          "prohibit", r"\bdisaggregat|\bby race\b", "bias-free policing"),
        R((r"(?:bias-free|fair and impartial|impartial policing|racial profiling|biased policing)",), "binding",
          None, "bias-free policing"),
    ),
    "policing.cite-release": (
        R((r"(?:citation|\bcite\b|notice to appear|summons)", r"(?:releas|in lieu of (?:a )?(?:custodial )?arrest"
           r"|instead of (?:a )?(?:custodial )?arrest|rather than (?:make )?(?:a )?(?:custodial )?(?:arrest|take)"
           r"|rather than taking)"),
          "binding", r"\bmay\b(?! not)|\bnot be released on\b|\bupon payment\b|\bvehicle\b",
          "citation and release instead of custodial arrest"),
    ),
    "policing.civil-infractions": (
        R((r"(?:civil (?:infraction|violation|summons|penalt|citation|offense)|administrative (?:citation|penalt"
           r"|violation|fine))", r"(?:\bnot (?:be )?(?:a |an )?(?:crime|criminal|misdemeanor)|shall not be charged"
           r"|only by|solely by|punishable only|instead of|rather than|in lieu of|reclassif|decriminaliz"
           r"|no longer (?:a )?crim)"),
          "any", VENDING, "minor offenses made civil", not_context=VENDING),
    ),
    "policing.street-vending": (
        R((r"(?:administrative (?:fine|citation|penalt|violation|enforcement|regulation)|civil (?:fine|penalt|citation"
           r"|violation|infraction)|not (?:be )?(?:a |an )?(?:crime|misdemeanor|criminal)|no criminal|decriminaliz"
           r"|(?:shall not|may not) (?:be )?(?:arrest|subject to arrest|punished as)"
           r"|no (?:person )?shall be (?:arrested|punished))",),
          "any", None, "street vending decriminalized", context=VENDING),
    ),
    "policing.record-relief": (
        R((r"(?:\bdismiss|\bvacat|\bseal|\bexpung|set aside|\brecall)", r"(?:conviction|prosecution|charge|warrant"
           r"|sentence|(?:criminal|arrest|conviction) records?|records? of (?:\w+ ){0,3}(?:arrests?|convictions?"
           r"|citations?|offenses?))"), "binding", r"\bhas not been\b|\bvehicle\b",
          "relief from past convictions for decriminalized conduct"),
    ),
    "policing.schools": (
        R((r"(?:\bschools?\b|\bcampus|\bstudents?\b)", r"(?:police|resource officer|peace officer|sworn officer"
           r"|law enforcement|\barrest)"),
          "prohibit",
          rf"\bshall (?:assign|station|place)\b(?![^.]{{0,30}}not)|\bimmigration\b|{AGENTS}|\bschool buses\b",
          "no police stationed in schools"),
    ),
    "policing.task-forces": (
        R((r"(?:(?:joint|federal|law enforcement|multi-?agency|regional)[^.]{0,30}task forces?"
           rf"|task forces?[^.]{{0,80}}(?:federal|immigration|{AGENTS}|law enforcement))",), "binding",
          r"\bshall (?:join|participate)\b(?! not)|\bmodel\b",
          "limits on joint task forces"),
    ),
    "policing.equal-diversion": (
        R((r"(?:diversion|\bbail\b|\bbond\b|pretrial release|custody classification|classification|work release"
           r"|alternative to (?:custodial arrest|incarceration)|deferred (?:disposition|prosecution|judgment)"
           r"|programming|furlough|good-time|reentry program|rehabilitation)",
           r"(?:immigration status|detainer|citizenship)"), "prohibit", None,
          "no denial of diversion or programs because of status or a detainer"),
    ),
    "policing.right-to-decline": (
        R((r"(?:right to (?:decline|remain silent|refuse)|may (?:decline|refuse)|(?:is|are) voluntary|free to decline"
           r"|not required to (?:speak|answer))", r"(?:interview|speak|questions)",
           f"(?:{AGENTS}|immigration)"),
          "any", None, "people told they may decline to speak with immigration agents"),
    ),
    "structure.findings": (
        R((r"(?:^\W*whereas\b|\b(?:finds?|declares?|recogni[sz]es?)(?:,? and (?:finds?|declares?))?"
           r" that\b|^\W*(?:legislative )?(?:findings?|purpose)\b)",), "any",
          r"\b(?:if|when|unless|court|judge|hearing officer|director|officer)\b[^.]{0,40}\bfinds?\b",
          "findings or recitals"),
    ),
    "structure.implementation": (
        R((r"(?:adopt|issue|promulgat|updat|revis|develop|amend)\w*", r"(?:polic|procedure|general order|"
           r"\brules\b|regulation|directive|guidance|training)", r"(?:implement|carry out|comply|conform|put [^.]{0,20}"
           r"into (?:practice|effect)|within \w+ (?:\(\d+\) )?(?:days|months)|\btrain\b)"),
          "duty", r"\bmodel polic|\bby ordinance\b", "a duty to adopt policies or orders"),
        R((r"\btrain(?:s|ing)? (?:all |its |every |each )?(?:\w+ ){0,2}(?:officers|personnel|staff|employees|members"
           r"|administrators|deputies|covered officials)|\b(?:give|provide) training\b",),
          "duty", r"\bICE training\b", "a training duty"),
    ),
    "structure.reporting": (
        R((r"\breport", r"(?:quarterly|annual|each (?:year|quarter|month|semester)|every (?:year|quarter|\w+ months)"
           r"|monthly|semi-?annual|twice (?:a )?year|yearly|biannual|publish|public|governing body|council|board of"
           r"|attorney general|commission|legislature|inspector general|speaker)"), "duty",
          r"\bmay report\b", "request logs and public reports"),
        R((r"\bpublish", r"(?:data|report|statistics|number|summary|log)"), "duty", None, "public reports"),
        R((r"\b(?:log|record|document)", r"\b(?:every|each|all|any) (?:\w+ ){0,3}(?:requests?|detainers?)"),
          "duty", None, "a log of requests"),
        R((r"\b(?:records?|logs?|reports?|data)\b",
           r"available to the public|publicly available|post\w* (?:\w+ ){0,3}online"),
          "duty", None, "records made public"),
        R((r"(?:is|are|shall be) (?:a )?public records?",), "any", None, "records of access are public"),
    ),
    "structure.forum": (
        R((r"(?:community forum|public forum|town hall)",), "any", None, "a public forum on cooperation"),
        R((r"public (?:hearing|meeting)", f"(?:{AGENTS}|immigration)"), "binding", None,
          "a public hearing on cooperation with immigration authorities"),
    ),
    "structure.private-right-of-action": (
        R((r"(?:\b(?:(?:any|every|an?|all) )?(?:aggrieved |injured )?(?:person|resident|individual|organization"
           r"|taxpayer|plaintiff|of the following)s?\b[^.;]{0,80}?\b(?:may|can|shall be entitled to"
           r"|has standing to) (?:bring"
           r"|file|commence|institute|maintain|sue|seek|enforce)\b(?! a complaint)[^.]{0,60}\b(?:action|suit|sue"
           r"|relief|damages|injunction|writ)|private (?:right|cause) of action|\bmay sue\b)",), "any",
          r"\bno (?:private )?(?:right|cause) of action\b|does not create|not create any|attorney general",
          "a private right of action"),
    ),
    "structure.independent-complaints": (
        R((r"complain", r"(?:inspector general|independent|oversight|civilian|ombuds|human rights commission"
           r"|police accountability|police commission)"), "any", r"sheriff's (?:own )?office of professional",
          "complaints to an independent body"),
    ),
    "structure.no-reversal": (
        R((r"(?:(?:waive|waiver of|revers|suspend|rescind|narrow|override)\w*[^.]{0,60}\b"
           r"(?:this (?:[\w-]+ )?(?:ordinance|chapter|act|section|article|law|order|policy|directive|resolution"
           r"|code)|(?:any )?(?:part|provision"
           r"|requirement|duty|dut)\w* (?:of|that) this)|no rule or directive|only by ordinance|except by ordinance"
           r"|(?:amended|repealed|modified) only by|inconsistent with (?:any provision of |the provisions of )?"
           r"(?:this|section))",), "prohibit",
          r"\bmay be revised\b|\bpermit\b", "no waiver or reversal by administrative action"),
    ),
    "structure.severability": (
        R((r"(?:severab|held invalid|invalid or unconstitutional|invalid or unenforceable|remainder of (?:this|the)"
           r" (?:ordinance|chapter|act|section|article|law|resolution)|remainder shall (?:stand|remain|continue))",),
          "any", None, "severability"),
    ),
    "structure.effective-date": (
        R((r"(?:^\W*(?:effective|operative)(?: date)?\s*(?:[:.]|(?:on |as of )?" + _MONTH + r")|\([^()]*\b(?:effective"
           r"|operative),? (?:on )?" + _MONTH + r"|\b(?:this|the|said) (?:[\w.-]+ ){0,3}(?:act|ordinance|law"
           r"|resolution|order|chapter|article|directive|policy|memorandum|amendment|code|bill|measure|title)\b"
           r"[^.]{0,120}?\b(?:takes?|goes into|go into|becomes?|shall be|will be|is|are) (?:in )?(?:full force and )?"
           r"(?:effect|effective|operative)\b)",), "any",
          r"\b(?:after|before|when|until|since|from|by which|on which|date|day|time|once|within|if)\s+"
          r"(?:the |this |that |such |it )?(?:[\w.-]+ ){0,3}(?:takes?|becomes?|is|goes|go) (?:in(?:to)? )?(?:effect"
          r"|effective|operative)",
          "an effective date"),
    ),
    # 2025-2026 measures (clauses/taxonomy.yaml additions)
    "detainer.federal-contract-loophole": (
        R((r"(?:Marshals Service|federal bed contracts?|jail-bed contracts? with (?:the )?(?:U\.?S\.? )?Marshals)",),
          "binding", r"\bmay (?:hold|house|accept)\b",
          "federal jail-bed contracts (U.S. Marshals) cannot hold people for immigration enforcement"),
    ),
    "info.surveillance-data": (
        R((r"\b(?:acquir|operat|buy|purchas|subscri|obtain by subscription)\w*",
           r"(?:license plate readers?\b(?! (?:data|systems? and))|\bALPR\b(?! data)|from (?:a |any )?data brokers?)"),
          "prohibit", None, "no license plate reader networks or data-broker purchases"),
        R((r"(?:license plate reader|\bALPR\b)", r"\bdelet"), "duty", None,
          "license plate reader data deleted on a short schedule"),
    ),
    "access.officer-identification": (
        R((r"\bwear\w*\s+(?:a\s+|any\s+)?(?:face coverings?|masks?)\b",), "prohibit", None,
          "officers may not hide their faces, under one rule for every agency"),
    ),
    "access.care-places-warrant": (
        R((r"\bdesignat\w*\b[^.]{0,120}\bnon-?public\b",), "duty", None,
          "schools, child care, clinics and libraries mark non-public areas closed without a judicial warrant"),
    ),
    "access.court-arrest-any-officer": (
        R((r"\bstatutory damages\b", r"\barrest"), "any", None,
          "civil arrests at court by any officer, enforced by statutory damages",
          document=r"\bcivil arrest"),
    ),
    "structure.rights-remedy": (
        R((r"\bcivil immigration enforcement\b", r"(?:deprivation of a right|\bright under the Constitution)"), "any",
          None, "a civil action for rights violated during civil immigration enforcement"),
    ),
}

MANDATES = (
    _p(r"\bshall (?:fully )?(?:comply with|honou?r)\b[^.]{0,60}\b(?:detainers?|holds?|requests?)\b"
       r"(?![^.]*\bonly (?:if|when|upon|after|to the extent)\b)"),
    _p(r"\b(?:shall|must) (?:use )?(?:its |their )?best efforts to support\b[^.]{0,40}\benforcement"),
    _p(r"\bshall (?:fully )?cooperate (?:fully )?with (?:federal immigration|ICE|the Department of Homeland"
       r"|U\.?S\.? Immigration)"),
    _p(r"\bshall (?:transfer|transport|deliver)\b[^.]{0,60}\b(?:federal (?:facility|custody)|ICE custody"
       r"|immigration custody|to ICE)\b"),
    _p(r"\b(?:shall|is (?:hereby )?(?:authorized and )?directed to|must) (?:apply (?:to|for)|enter into|seek|"
       r"negotiate|request|execute|make a good faith effort to enter into)\b[^.]{0,80}\b(?:287|1357"
       r"|agreement with (?:a federal immigration|ICE|U\.S\. Immigration)|memorandum of agreement)"),
    _p(r"\b(?:may not|shall not)\b[^.]{0,40}\b(?:adopt|enforce|endorse|maintain|have in effect)\b[^.]{0,80}\b"
       r"(?:sanctuary|polic\w+ that (?:prohibits|limits|restricts|discourages)|that prohibits or (?:\w+ )?limits)"),
    _p(r"\bshall (?:notify|inform)\b[^.]{0,60}\b(?:ICE|DHS|federal immigration|immigration authorit)"),
    _p(r"\bshall (?:provide|give|send|transmit|forward)\b[^.]{0,40}\b(?:notice|notification|information|fingerprints"
       r"|records)\b[^.]{0,100}\bto (?:ICE|DHS|U\.?S\.? Immigration|the Department of Homeland Security"
       r"|federal immigration)"),
    _p(r"\b(?:shall|must)\b(?: \w+){0,6} (?:verify|determine|check|ascertain)\w*\b[^.]{0,60}\b(?:immigration status"
       r"|nationality|citizenship|lawfully present)"),
    _p(r"\b(?:shall|may|must) not (?:\w+ ){0,4}(?:prohibit|discourage|restrict|limit)s?\b[^.]{0,60}\b"
       r"(?:cooperat\w+ with (?:federal immigration|ICE)|(?:the )?enforcement of (?:federal )?immigration law)"),
    _p(r"(?:\b(?:may|shall) not |^no\b[^.]{0,60}\b(?:shall|may) )(?:bar|restrict|prohibit|limit|discourage)"
       r"(?:,? or (?:bar|restrict|prohibit|limit|discourage))? (?:a |an |any |its )?(?:[\w-]+ ){0,3}(?:officers?"
       r"|officials?|employees?|personnel|members?|agents?)\b"
       r"[^.]{0,20}\bfrom\b"),
)

INSTRUMENT = _p(r"\b(?:RESOLUTION|EXECUTIVE ORDER|GENERAL ORDER|SPECIAL ORDER|MEMORANDUM|ADMINISTRATIVE ORDER"
                r"|POLICY MEMO|INTERNAL GUIDANCE)\b")
INTERNAL_ISSUER = re.compile(r"\b(?:SHERIFF'?S? OFFICE|OFFICE OF THE SHERIFF|POLICE DEPARTMENT|DEPARTMENT OF POLICE"
                             r"|POLICE BUREAU|BUREAU OF POLICE|DEPARTMENT OF CORRECTIONS?|JAIL DIVISION)\b", re.I)
REVOCABLE = _p(r"\bBE IT (?:FURTHER )?RESOLVED\b|\bmay be revised\b[^.]{0,40}\bat any time|\brevoked at any time\b"
               r"|\binternal guidance\b")
NO_ENFORCEMENT = _p(r"\bno (?:private )?(?:right|cause) of action\b|\b(?:not|no)\b[^.]{0,40}\bcreate\w* (?:or form the"
                    r" basis for )?(?:a |any )?(?:private )?(?:rights?|cause|claims?|benefits?|liabilit)"
                    r"|\bnot enforceable by\b")
COMPLAINTS = _p(r"\bmay (?:file|submit|make|bring) (?:a |an )?(?:written )?complaint"
                r"|\bcomplaints? (?:may|shall) be (?:filed|made|submitted)")
PUBLIC_ENFORCEMENT = _p(r"\b(?:attorney general|district attorney|prosecutor|inspector general)\b[^.]{0,40}"
                        r"\bmay (?:\w+ ){0,3}(?:bring|file|sue|enforce|investigate)")
COVERAGE_GAP = _p(r"\b(?:does|shall|do) not apply to (?:the |any )?(?:[\w-]+ ){0,3}(?:sheriff|probation|parole"
                  r"|schools?|jails?|corrections?|department|agenc\w+|parks?|charter|institutions?|contractors?|offices?|police)"
                  r"|\bapplies only to (?:the )?\w+ (?:department|office)|\bexcept(?:ing)? (?:for )?(?:the )?(?:sheriff"
                  r"|probation|parks?|schools?|(?:\w+ ){0,3}(?:department|office|division) of)\b"
                  r"|\bother than the (?:office of the )?(?:sheriff|probation|police|jail)|\bdoes not (?:include"
                  r"|cover|reach) (?:the )?(?:sheriff|probation|jail|schools?|parks?)"
                  r"|\bremains? (?:guilty of |subject to )?(?:a )?(?:misdemeanor|crime|criminal)"
                  r"|\bany of (?:the following|these) (?:offenses|misdemeanors)\b"
                  r"|\bstation\w*\b[^.]*\bschool\b[^.]*\bunless\b")
STILL_CRIME = _p(r"^(?!.*\b(?:when|if|whenever)\b.{0,40}\b(?:is|are) (?:a |an )?(?:misdemeanor|crime))"
                 r".*\b(?:violation|offense|conduct)\b[^.]{0,60}\b(?:is|are|shall be|remains?) (?:a "
                 r"|an )?(?:misdemeanor|crime)\b")
DATA_PIPELINE = _p(r"\b(?:may|is permitted to|are permitted to|is authorized to)\b(?: \w+){0,3} (?:share|shared"
                   r"|provide|provided|made available|make available|give|access|disclose|exchange|participate)\b"
                   r"[^.]{0,160}\b(?:any (?:federal|law enforcement|state|local)|upon request|data[- ]sharing"
                   r"|data exchange|direct access|networks?)")
DATA_WORDS = _p(r"\b(?:data|databases?|records|license plate|ALPR|fingerprints?|booking|gang)\b")
SAVINGS_CLAUSE = _p(r"\bnothing (?:in|herein|contained)\b|\bshall not be construed\b")
SAVINGS_BROAD = _p(r"\b(?:nothing (?:in|herein|contained)|does not|shall not be construed)\b[^.]*"
                   r"\b(?:prohibits?|restricts?|limits?|prevents?)\b[^.]*\b(?:information"
                   r"|complying with (?:any )?federal law|cooperat|communicat)")
STATUS_ONLY = _p(r"(?:regarding|about|concerning|of) (?:the |a person's |an individual's )?(?:citizenship or )?"
                 r"immigration status|\b1373\b")
VOLUNTARY = _p(r"\bvoluntar\w*\b|\b(?:in|at) (?:its|their|his|her|the|[\w']+'s) (?:sole )?discretion\b"
               r"|\bdiscretion to cooperate\b")
COOPERATE = _p(r"\b(?:cooperat\w*|assist\w*|agreements?|shar\w+|send\w*|information|interview\w*|access)\b")
PERMITS_COOPERATION = _p(rf"\bmay (?:\w+ )?(?:cooperate|assist|share|enter into|provide|continue to|interview|honou?r"
                         r"|notify|respond|disclose|give|grant|allow|permit|exchange|communicate)\b"
                         rf"[^.]{{0,80}}(?:{AGENTS}|Department of Homeland Security)"
                         rf"|(?:{AGENTS})[^.]{{0,40}}\bmay (?:continue to )?(?:interview|be allowed"
                         r"|be given|be granted|be permitted|enter|access)")
RELEASE_NOTICE = _p(r"(?:release date|date and time of (?:\w+ )?release|notification of [^.]{0,30}release|notif\w* "
                    r"(?:\w+ ){0,3}(?:of )?(?:an? |the )?(?:upcoming |pending |scheduled )?release|release (?:date"
                    r"|time)"
                    r"|custody status)")
NOTICE_GIVEN = _p(r"(?:gives?|giving|provides?|providing) (?:a |the )?(?:notice|notification)[^.]{0,20}\bunder this\b"
                  rf"|(?:gives?|provides?|shares?) (?:\w+ ){{0,2}}release information to (?:a |the )?(?:{AGENTS})")
REIMBURSEMENT_DOOR = _p(r"\b(?:unless|until|if|only if|except (?:where|when|if)|provided that|agreement)\b[^.]*"
                        r"\b(?:reimburs\w*|repay\w*|pays? (?:for|the cost)|payment for)")
WARRANT_EXCEPTION = _p(r"judicial warrant|court order|subpoena|signed by a judge|this section allows")
DELETED = re.compile(r"\[\s*(?:DELETE|DELETED|Deleted|deleted|STRIKE|Strike|stricken|REPEALED)\b[^\]]*\]")

PROTECTIVE_AREAS = ("detainer.", "info.", "access.")
SUBSTANTIVE_AREAS = ("detainer.", "info.", "access.", "policing.")
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
    definition: bool = False  # part of the definition of a term
    heading: bool = False  # a section heading (number and title)
    item: bool = False  # a list item
    title: str = ""  # the heading of the section it sits in
    own: str = ""  # the unit's own words, without the lead-in it inherits
    paragraph: str = ""  # the whole paragraph (list item) it comes from
    recital: bool = False  # a WHEREAS clause or a findings section
    lead: bool = False  # a lead-in ("No officer shall:") whose list items follow
    preamble: bool = False  # title, notes and recitals before the enacting clause
    plain: str = ""  # the text with abbreviation and decimal points taken out, for matching


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
ITEM = re.compile(r"^\s*(?:\(([a-zA-Z]{1,4}|\d{1,3})\)|([a-zA-Z]|\d{1,2})[.)]|([-\u2022\u2013\u25aa\u25e6]))\s+")
ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x{1,3})$", re.I)
TERMINAL = re.compile(r"[.;:!?\u2014]\)?\s*$")
DEFINITION = re.compile(r'^\W{0,3}(?:[Tt]he (?:term|phrase|words?)\s+)?(?:["\u201c\u2018\']([^"\u201d\u2019\']{1,80})'
                        r'["\u201d\u2019\']|(?!(?:This|These|That|Those|Such|It|The|A|An|Each|Every|Any|No|Nothing)\b)'
                        r'[A-Z][\w\-]*(?: [\w\-]+){0,5}?)(?:\s*\([^)]*\))?'
                        r'(?:\s+or\s+["\u201c][^"\u201d]+["\u201d])?,?'
                        r'\s+(?:means|includes|shall mean|has the meaning|refers to)\b')
DEFINES = re.compile(r'["\u201c][^"\u201d]{1,80}["\u201d](?:\s*\([^)]*\))?\s+(?:means|includes|shall mean)\b', re.I)


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
    last_capital = ""  # the last "A." style label, to tell "I." the letter from "I." the numeral
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            open_para = False
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        heading = HEADING.match(stripped)
        item = ITEM.match(stripped)
        if heading and heading.group(4):
            core = heading.group(4)
            follows_letter = len(core) == 1 and last_capital and ord(core) == ord(last_capital) + 1
            if follows_letter or not re.match(r"[IVX]+\.\s+[A-Z]", stripped):
                heading = None  # "I." after "H." is a lettered item
            else:
                item = None
        if item and re.match(r"^[A-Z]\.$", item.group(0).strip()):
            last_capital = item.group(0).strip()[0]
        if open_para and out and not (heading or item):
            last = out[-1]
            caps = not re.search(r"[a-z]", last.text) or re.match(r"^[A-Z][A-Z .]{1,20}:", stripped)
            listed = re.search(r"(?:[:;]|;\s*(?:and|or))\s*$", last.text)  # a list entry ends, or a list begins
            abbreviated = ABBREVIATION.search(last.text[-8:]) and last.text.endswith(".")  # "... U.S."
            glue = not caps and not listed and (
                not TERMINAL.search(last.text) or stripped[:1].islower() or abbreviated
                or (indent > 0 and indent >= last.indent and bool(last.label or last.indent > 0)))
            if glue:
                joiner = "" if re.search(r"[a-z]-$", last.text) and stripped[:1].islower() else " "
                last.text = f"{last.text}{joiner}{stripped}"  # "non-" + "public" -> "non-public"
                continue
        para = _Para(stripped, number, indent)
        if heading:
            para.heading = next(g for g in heading.groups() if g)
            rest = stripped[heading.end():].strip()
            inline = re.search(r"(?:^|[.:\u2014]\s*)\(([a-z]|\d{1,2})\)\s", rest)
            if inline:  # "Section 2. Title. (a) No agency shall ..." or "7283.1. (a) Before ..."
                cut = inline.start() if rest[inline.start()] == "(" else rest.index("(", inline.start())
                out.append(_Para((stripped[: heading.end()] + " " + rest[:cut]).strip(), number, indent,
                                 para.heading))
                out.append(_Para(rest[cut:][len(inline.group(1)) + 2:].strip(), number, indent + 1,
                                 None, f"({inline.group(1)})"))
                open_para = True
                continue
        elif item:
            para.label = item.group(0).strip()
            para.text = stripped[item.end():]
        out.append(para)
        open_para = True
    return out


def _defines(sentence: str) -> bool:
    """A sentence that defines a term: '"X" means ...' or 'As used in this section, "X" means ...'."""
    return bool(DEFINITION.match(sentence) or (re.match(r"(?:as used in|in this|for (?:the )?purposes of)\b[^,]{0,60},",
                                                        sentence, re.I) and DEFINES.search(sentence)))


def _kind(label: str, previous: dict[str, str]) -> str:
    """The numbering style of a list label: (a), (1), (i), (A), a., 1., ..."""
    core = label.strip("().")
    if not core.isalnum():
        return "bullet"
    wrap = "(" if label.startswith("(") else "."
    if core.isdigit():
        return wrap + "1"
    if ROMAN.match(core):
        letter = "a" if core.islower() else "A"
        before = previous.get(wrap + letter)
        if not (len(core) == 1 and before and ord(core) == ord(before) + 1):
            return wrap + ("i" if core.islower() else "I")
    return wrap + ("a" if core.islower() else "A")


def _heading_sentences(text: str) -> list[tuple[str, bool]]:
    """A heading line's sentences, marking which are the number and title rather than a rule."""
    out = []
    for index, sentence in enumerate(_sentences(text)):
        short = len(sentence.split()) <= 9 and not re.search(r"\b(?:shall|may|must|will)\b", sentence)
        out.append((sentence, index == 0 or short))
    return out


def units(text: str) -> list[Unit]:
    """Split a policy into units, each with a location (section and line)."""
    text = DELETED.sub(" ", text)
    out: list[Unit] = []
    section = ""
    title = ""
    stack: list[tuple[str, str, str | None]] = []  # (kind, label, lead-in sentence)
    root_lead: str | None = None
    last_label: dict[str, str] = {}
    in_definition: int | None = None  # list depth at which a definition opened
    findings_section = False
    for para in _paragraphs(text):
        if para.heading is not None:
            section, title = para.heading, para.text
            stack, root_lead, last_label, in_definition = [], None, {}, None
            findings_section = bool(re.search(r"\b(?:findings|whereas|recitals)\b", title, re.I))
            for sentence, is_title in _heading_sentences(para.text):
                out.append(Unit(sentence, f"Section {section}", para.line, heading=is_title, title=title,
                                own=sentence, paragraph=para.text,
                                recital=findings_section and not is_title,
                                definition=_defines(sentence)))
            if out and not out[-1].heading and out[-1].text.rstrip().endswith(":"):
                root_lead = out[-1].text
            continue
        where = f"Section {section}" if section else f"line {para.line}"
        recital = findings_section or bool(WHEREAS.match(para.text))
        if para.label:
            kind = _kind(para.label, last_label)
            depth = next((i for i, (k, _, _) in enumerate(stack) if k == kind), len(stack))
            stack = stack[:depth]
            if in_definition is not None and depth <= in_definition:
                in_definition = None
            last_label[kind] = para.label.strip("().")
            leads = [lead for _, _, lead in stack if lead]
            prefix = " ".join(([root_lead] if root_lead else []) + leads)
            labels = "".join(label for _, label, _ in stack)
            label = para.label if para.label.startswith("(") else f"({para.label.strip('.)') or '-'})"
            if not label.strip("()").isalnum():
                label = "(-)"
            sentences = _sentences(para.text)
            if DEFINITION.match(para.text) or re.match(r'^as used in\b[^.]*,\s*["\u201c]', para.text, re.I):
                in_definition = depth
            for index, sentence in enumerate(sentences):
                body = f"{prefix} {sentence}".strip() if index == 0 and prefix else sentence
                out.append(Unit(body, f"{where}{labels}{label}", para.line, definition=in_definition is not None,
                                title=title, item=True, own=sentence, paragraph=para.text, recital=recital))
            lead = sentences[-1] if sentences and sentences[-1].rstrip().endswith((":", "\u2014")) else None
            stack.append((kind, label, lead))
            continue
        sentences = _sentences(para.text)
        if root_lead and not stack and sentences and (para.text[:1].islower() or re.search(
                r"(?:;|; (?:and|or)|,)\s*$", para.text)):
            # a list whose numbers were lost (a .docx list): each entry completes the lead-in
            out.append(Unit(f"{root_lead} {sentences[0]}", where, para.line, definition=in_definition is not None,
                            title=title, item=True, own=sentences[0], paragraph=para.text, recital=recital))
            for sentence in sentences[1:]:
                out.append(Unit(sentence, where, para.line, title=title, own=sentence, paragraph=para.text,
                                recital=recital))
            continue
        if para.indent == 0 or not stack:
            stack, last_label, in_definition = [], {}, None
            root_lead = sentences[-1] if sentences and sentences[-1].rstrip().endswith(":") else None
            if root_lead and re.search(r"\bdefinitions? (?:apply|in this)|\bas used in\b|\bfor (?:the )?purposes of"
                                       r" this\b[^.]{0,30}:$", root_lead, re.I):
                in_definition = -1
        definition = bool(DEFINITION.match(para.text)) or in_definition is not None
        for sentence in sentences:
            out.append(Unit(sentence, where, para.line, definition=definition or _defines(sentence), title=title,
                            own=sentence, paragraph=para.text, recital=recital))
    for index, unit in enumerate(out[:-1]):
        if unit.text.rstrip().endswith((":", "\u2014")) and out[index + 1].item and \
                unit.own.rstrip() in out[index + 1].text:
            unit.lead = True
    for unit in out:
        unit.plain = _plain(unit.text)
    enacting = next((i for i, u in enumerate(out) if ENACTING.search(u.text)), None)
    if enacting is not None:  # a clause that enacts what follows, not a closing "the foregoing is adopted"
        def rules(part: list[Unit]) -> int:
            return sum(1 for u in part if not u.recital and not WHEREAS.match(u.text)
                       and re.search(r"\b(?:shall|must|may)\b", u.text))
        if rules(out[enacting + 1:]) < rules(out[:enacting]):
            enacting = None
    title_end = _title_lines(text)
    for index, unit in enumerate(out):
        if (enacting is not None and index < enacting) or unit.line <= title_end:
            unit.preamble = True
    return out


ABBREVIATION = re.compile(r"\b(?:U\.S\.C|C\.F\.R|U\.S|Sec|No|Nos|Stat|Ann|Gov|Code|Cal|Rev|Proc|Crim|Civ|Admin|Dept"
                          r"|Art|Ch|ch|Inc|Co|Corp|v|e\.g|i\.e|a\.m|p\.m|Mr|Ms|Mrs|Dr|St|Tex|Fla|Ill|Wash)\.")


def _plain(text: str) -> str:
    """Text without the points of abbreviations and decimals, so "[^.]" spans stay in the sentence."""
    text = ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    return re.sub(r"(?<=\d)\.(?=\d)", "_", text)


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\b(U\.S\.C|C\.F\.R|Stat|Sec|No|Nos|Gov|Code|Ord|Res|Cal|Ill|Or|Wash|Tex|Fla|v|Inc|St|Ann"
                  r"|Rev|Proc|Crim|Civ|Admin|Dept|Art|Subd|Subch|Ch|ch|cl|p|pp|et seq|e\.g|i\.e|U\.S|a\.m|p\.m"
                  r"|Mr|Ms|Mrs|Dr|Jr|Co|Corp|approx|art|ss?)\.",
                  lambda m: m.group(0).replace(".", "\u2024"), text)
    text = re.sub(r"\b([A-Z])\.(?=\s?[A-Z]\.)", "\\1\u2024", text)  # initials such as "U. S."
    parts = re.split(r"(?<=\.)\s+(?=[A-Z(\"\u201c])|(?<=;)\s+(?=(?:[A-Z][a-z]|WHEREAS)\b)", text)
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


@lru_cache(maxsize=8192)
def _modality(text: str) -> frozenset[str]:
    """What kind of rule a unit states: prohibit, duty, permissive, savings, hortatory."""
    found = set()
    if SAVINGS.search(text):
        found.add("savings")
    if NEGATED_LIMIT.search(text):
        found.add("savings")  # a ban on limiting cooperation protects no one
    if PROHIBIT.search(text):
        found.add("prohibit")
    if DUTY.search(text):
        found.add("duty")
    if PERMISSIVE.search(text):
        found.add("permissive")
    if HORTATORY.search(text):
        found.add("hortatory")
        if not re.search(r"\b(?:shall|must)\b|\bmay not\b|\bwill not\b|\bno longer\b", text, re.I):
            found -= {"prohibit", "duty"}  # "encourages the police to refrain" binds no one
    return frozenset(found)


def _fits(rule: Rule, unit: Unit, modality: frozenset[str], document: str = "") -> bool:
    text = unit.plain or unit.text
    if not all(_rx(concept).search(text) for concept in rule.concepts):
        return False
    if rule.unless and _rx(rule.unless).search(text):
        return False
    if rule.said and any(not _negated(text, m.start()) for m in _rx(rule.said).finditer(text)):
        return False
    if rule.document and not _rx(rule.document).search(document):
        return False
    if rule.context and not (_rx(rule.context).search(unit.paragraph) or _rx(rule.context).search(unit.title)):
        return False
    if rule.not_context and (_rx(rule.not_context).search(unit.paragraph)
                             or _rx(rule.not_context).search(unit.title)):
        return False
    if rule.modality == "any":
        return True
    if "savings" in modality:
        return False
    if rule.modality == "binding":
        return bool(modality & {"prohibit", "duty"})
    return rule.modality in modality


def _clip(text: str, limit: int = 220) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hollow_terms(text: str) -> set[str]:
    """Defined terms whose definition empties them of protective meaning."""
    hollow = set()
    for match in re.finditer(r'["\u201c]([^"\u201d]+)["\u201d]\s+(?:means|includes)([^"\u201c]*?)(?=\n\s*\n|\n\W{0,6}'
                             r'["\u201c]|\n\s*\(|$)', text, re.S | re.I):
        term, body = match.group(1).lower(), match.group(2).lower()
        if "judicial warrant" in term and re.search(r"immigration (?:officer|official|judge|laws)|i-20[05]|"
                                                    r"administrative|287\.5", body) \
                and not re.search(r"(?:not|does not include|other than|excluding)[^.]{0,40}"
                                  r"(?:immigration|administrative)", body):
            hollow.add("judicial warrant")
    return hollow


def _is_recital_text(unit: Unit) -> bool:
    return unit.recital or bool(WHEREAS.match(unit.text))


def analyze_text(text: str, library: Any | None = None) -> Analysis:
    """Analyze a policy's text; ``library`` (optional) names the clauses for what is missing."""
    result = Analysis()
    text = DELETED.sub(" ", text)
    parts = units(text)
    hollow = hollow_terms(text)
    definitions = [u for u in parts if u.definition and (DEFINES.search(u.own) or DEFINITION.match(u.own))]
    operative = [u for u in parts if not u.definition and not u.heading and not u.lead and not u.preamble]
    seen: dict[str, Finding] = {}
    for unit in parts:
        if unit.definition or unit.lead:
            continue
        modality = _modality(unit.plain)
        recital = _is_recital_text(unit)
        for pid, rules in PROVISIONS.items():
            if pid in seen:
                continue
            if (recital or unit.preamble) and pid not in ("structure.findings", "structure.effective-date"):
                continue
            if unit.heading and pid not in ("structure.severability", "structure.effective-date",
                                            "structure.findings"):
                continue
            for rule in rules:
                if _fits(rule, unit, modality, text):
                    if hollow and re.search(r"judicial warrant", unit.plain, re.I) and pid in (
                            "detainer.no-hold", "detainer.no-transfer", "access.facilities-judicial-warrant"):
                        continue
                    seen[pid] = Finding(pid, _clip(unit.text), unit.location, rule.why)
                    break
    defs_heading = re.search(r"^\s*(?:Sec\.|Section|SECTION|SEC\.)?[\s\w.\-§]*\bDefinitions?\b", text, re.M | re.I)
    terms = sum(max(1, len(DEFINES.findall(u.own))) for u in definitions)
    if terms >= 2 or (defs_heading and definitions):
        first = definitions[0]
        seen["structure.definitions"] = Finding("structure.definitions", _clip(first.own),
                                                first.location, "a definitions section")
    result.provisions = sorted(seen.values(), key=lambda f: list(PROVISIONS).index(f.id)
                               if f.id in PROVISIONS else 99)
    result.loopholes = _loopholes(operative, parts, text, seen, hollow)
    for unit in operative:
        if _is_recital_text(unit):
            continue
        for pattern in MANDATES:
            match = pattern.search(unit.plain)
            if match and not _negated(unit.plain, match.start()):
                result.mandate_evidence.append(Finding("mandate", _clip(unit.text), unit.location))
                break
    result.mandates_cooperation = bool(result.mandate_evidence)
    if result.mandates_cooperation:
        # A law that commands cooperation is not a protective policy with loopholes; protective
        # words in it (a list of what may not be limited, a citation rule for the verified) are traps.
        result.loopholes = []
        result.provisions = [f for f in result.provisions if not f.id.startswith(SUBSTANTIVE_AREAS)]
    result.missing = _missing({f.id for f in result.provisions}, library)
    return result


def _negated(text: str, start: int) -> bool:
    """Whether the words before ``start`` negate the duty that follows ("No officer shall ...")."""
    before = text[max(0, start - 90):start]
    clause = re.split(r"[;:]|\.\s", before)[-1]
    return bool(re.search(r"\b(?:no|not|nothing|neither|nor)\b(?!\s+(?:later|less|more|fewer|earlier))", clause,
                          re.I))


def _title_lines(text: str) -> int:
    """How many opening lines form the title block (names, numbers, a capitalized long title)."""
    last = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if HEADING.match(stripped) or ITEM.match(stripped) or WHEREAS.match(stripped):
            break
        if re.search(r"[a-z]", stripped) and (len(stripped) > 60 or re.search(r"\b(?:shall|may|must|will)\b"
                                                                             r"|[.;]$", stripped)):
            break
        last = number
    return last


def _title_block(text: str) -> str:
    """The lines that name the instrument: capitals or short lines, up to the first running text."""
    lines = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        if stripped and re.search(r"[a-z]", stripped) and len(stripped) > 60:
            break
        lines.append(stripped)
    return "\n".join(lines[:12])


def _subject(unit: Unit) -> str:
    """The words before the first modal verb, after any opening condition."""
    match = re.search(r"\b(?:shall|may|must|will)\b", unit.plain)
    head = unit.plain[: match.start()] if match else ""
    return re.split(r",\s*", head.strip())[-1].lower().strip()


def _single_agency(subject: str) -> bool:
    """A subject naming one department or office, not a class of agencies or the whole government."""
    if re.search(rf"\b(?:no|any|all|every|each|an?|agencies|officials|officers|employees|members|staff)\b"
                 rf"|\b{JURISDICTION}\b|\bor\b", subject):
        return False
    return bool(re.match(r"^the (?:[\w'-]+ ){0,4}(?:department|division|bureau)(?: of [\w ]+)?$", subject))


def _loopholes(operative: list[Unit], parts: list[Unit], text: str, found: dict[str, Finding],
               hollow: set[str]) -> list[Finding]:
    out: dict[str, Finding] = {}

    def add(lid: str, unit: Unit | None, why: str, evidence: str | None = None) -> None:
        if lid not in out:
            out[lid] = Finding(lid, _clip(evidence or (unit.text if unit else "")),
                               unit.location if unit else "whole text", why)

    holds = "detainer.no-hold" in found
    about_immigration = bool(re.search(f"{AGENTS}|{DETAINER}", text, re.I))
    hortatory_immigration = False
    for unit in operative:
        if _is_recital_text(unit):
            continue
        t = unit.plain
        modality = _modality(t)
        conviction = re.search(CONVICTION, t, re.I)
        if (re.search(r"\b(?:unless|except|does not (?:apply|protect|cover)|if|only (?:if|when)|other than"
                      r"|provided that|excluding|notwithstanding)\b[^.]*" + CONVICTION, t, re.I)
                or re.search(r"\bmay\b[^.]*\b(?:who|whose|that) (?:has|have) been convicted", t, re.I)) and \
                not re.search(r"\bwhatever\b|\bregardless of\b|\bwhether or not\b|\bnone of the following\b"
                              r"|\bdoes not allow\b", t, re.I) and \
                about_immigration:
            add("loophole.conviction-carveout", unit,
                "an exception for people with convictions, charges or gang-database entries")
        if REIMBURSEMENT_DOOR.search(t) and re.search(f"{AGENTS}|federal|{DETAINER}", t, re.I) and not re.search(
                r"\bdoes not change\b|\bshall not (?:request|accept|agree)\b|\bregardless\b|\bwhether or not\b"
                r"|\bno (?:offer of )?payment\b", t, re.I):
            add("loophole.reimbursement-condition", unit, "cooperation unlocked by payment or reimbursement")
        if SAVINGS_BROAD.search(t) and SAVINGS_CLAUSE.search(t) and not STATUS_ONLY.search(t) \
                and not re.search(r"\bdiscretion\b", t, re.I):
            add("loophole.broad-savings-clause", unit,
                "a savings clause wider than 8 U.S.C. 1373 (any information, any cooperation)")
        conditional = re.search(r"\b(?:before|until|unless)\b[^.,]{0,80}\bmay\b", t, re.I)
        if "savings" in modality or conviction or conditional:
            pass  # a savings clause or a conviction exception is its own loophole
        elif VOLUNTARY.search(t) and COOPERATE.search(t) and "prohibit" not in modality and not re.search(
                r"\b(?:shall|may) not\b[^.]*\bvoluntar|\binterview is voluntary|taking part is voluntary"
                r"|\bvoluntary (?:and|or)\b", t, re.I):
            add("loophole.voluntary-cooperation", unit,
                "express room for voluntary cooperation at officials' discretion")
        elif PERMITS_COOPERATION.search(t) and "prohibit" not in modality:
            add("loophole.voluntary-cooperation", unit, "cooperation left to officials' discretion")
        if "hortatory" in modality and not modality & {"prohibit", "duty"} and \
                re.search(f"{ICE}|{DETAINER}|immigration", t, re.I):
            hortatory_immigration = True
            add("loophole.non-binding", unit, "permissive wording where a duty is meant")
        if re.search(r"\bshould (?:generally|ordinarily|normally)\b|\bto the extent practicable\b", t, re.I):
            add("loophole.non-binding", unit, "permissive wording where a duty is meant")
        if COVERAGE_GAP.search(t) and not re.search(r"\brelease information\b|\bjudicial warrant\b", t, re.I):
            add("loophole.coverage-gap", unit, "some agencies, places or offenses are left out")
        if DATA_PIPELINE.search(t) and DATA_WORDS.search(t) and "prohibit" not in modality:
            add("loophole.data-pipeline", unit, "database, booking or surveillance data left open")
        if NO_ENFORCEMENT.search(t):
            add("loophole.no-enforcement", unit, "the text disclaims any enforcement")
        if holds and RELEASE_NOTICE.search(t) and re.search(AGENTS, t, re.I) and not conviction and \
                not WARRANT_EXCEPTION.search(t) and (
                    ("savings" in modality and SAVINGS_CLAUSE.search(t))
                    or ("permissive" in modality and "prohibit" not in modality)):
            add("loophole.notification-gap", unit, "release dates or custody information left open")
        if holds and NOTICE_GIVEN.search(t):
            add("loophole.notification-gap", unit, "the text provides for giving release notices")
    # Coverage narrowed by a definition ("County services" means ... other than the Sheriff).
    for unit in parts:
        if unit.definition and re.search(r"\bother than (?:the )?(?:office of the )?(?:sheriff|probation|police"
                                         r"|jail)", unit.plain, re.I):
            add("loophole.coverage-gap", unit, "a definition leaves an agency out")
    decriminalizes = "policing.street-vending" in found or "policing.civil-infractions" in found
    if decriminalizes:
        for unit in operative:
            if STILL_CRIME.search(unit.plain) and not _is_recital_text(unit) and not re.search(
                    r"\bnot (?:a |an )?(?:misdemeanor|crime)", unit.plain, re.I):
                add("loophole.coverage-gap", unit, "related conduct is still a crime")
                break
    substantive = [f for f in found if f.startswith(SUBSTANTIVE_AREAS)]
    header = _title_block(text)
    instrument = INSTRUMENT.search(header) or REVOCABLE.search(text)
    if not instrument and not re.search(r"\b(?:ORDINANCE|ACT|BILL|LAW|CODE|STATUTES?)\b", header):
        instrument = INTERNAL_ISSUER.search(header)  # a chief's or sheriff's own policy
    if instrument and (substantive or hortatory_immigration):
        add("loophole.non-binding", None, "an instrument easily withdrawn (resolution, order or memo)",
            instrument.group(0))
    if holds and "info.no-release-info" not in found:
        add("loophole.notification-gap", None,
            "holds are refused but release dates and custody information are not protected",
            found["detainer.no-hold"].evidence)
    # A single department bound, others (police, probation) left out.
    if holds and not instrument:
        evidence = [u for u in operative if not u.definition and not _is_recital_text(u)
                    and "prohibit" in _modality(u.plain)
                    and re.search(f"{DETAINER}|{ICE}|{STATUS}|release", u.plain, re.I)]
        subjects = [_subject(u) for u in evidence]
        defined_broadly = {m.group(1).lower() for m in re.finditer(
            r'["\u201c]([^"\u201d]+)["\u201d]\s+(?:means|includes)\s+(?:any|every|each|all)\b', text, re.I)}
        if subjects and all(_single_agency(s) and not any(s.endswith(term) for term in defined_broadly)
                            for s in subjects):
            add("loophole.coverage-gap", evidence[0], "only one department is bound")
    enforced = any(e in found for e in ENFORCING) or any(
        PUBLIC_ENFORCEMENT.search(u.plain) or COMPLAINTS.search(u.plain) for u in operative)
    if (substantive or hortatory_immigration) and not enforced:
        add("loophole.no-enforcement", None, "no private right of action, independent complaints "
            "or public reporting", "(no enforcement provision found)")
    return sorted(out.values(), key=lambda f: f.id)


def _missing(present: set[str], library: Any | None) -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = []
    for pid in IMPORTANT:
        if pid in present:
            continue
        out.append({"id": pid, "clause": library.clause_adding(pid) if library is not None else None})
    return out


def analyze_file(path: Path, library: Any | None = None) -> Analysis:
    """Read and analyze a policy file."""
    return analyze_text(read_policy(path), library)


def explain(ids: Iterable[str]) -> dict[str, str]:
    """The one-line reason each provision id is recognized (for reports and docs)."""
    return {pid: PROVISIONS[pid][0].why for pid in ids if pid in PROVISIONS}
