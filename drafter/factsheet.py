"""A one-page, plain-language fact sheet for community meetings, in English or Spanish,
built from the clauses' summaries."""

from __future__ import annotations

from typing import Any

from drafter.docmodel import Document, Para, Run, Section
from drafter.library import Library
from drafter.models import US_STATES
from drafter.resolve import Selection

# Which protections to explain first, per part of the sheet (the sheet must fit one page).
PRIORITY = {
    "police": ["detainer.no-hold", "detainer.no-transfer", "detainer.no-287g",
               "access.detainee-interviews", "detainer.no-civil-arrest",
               "access.facilities-judicial-warrant", "detainer.no-joint-operations"],
    "residents": ["info.no-status-inquiry", "info.services-not-conditioned",
                  "info.no-personal-data", "info.no-release-info", "policing.cite-release",
                  "policing.street-vending", "policing.fair-impartial", "policing.schools",
                  "access.sensitive-locations", "access.courthouses", "policing.right-to-decline"],
    "enforcement": ["structure.private-right-of-action", "structure.independent-complaints",
                    "structure.reporting", "structure.forum"],
}
WORD_BUDGET = 330  # words of clause summaries that fit one page beside the fixed text

KIND_ES = {"city": ("la Ciudad de", "f"), "county": ("el Condado de", "m"),
           "city-and-county": ("la Ciudad y Condado de", "f"), "town": ("el Pueblo de", "m"),
           "village": ("la Villa de", "f"), "state": ("el Estado de", "m")}

TEXT = {
    "en": {
        "title": "What the proposed {instrument} for the {full} would do",
        "intro": ("The {body} is considering an {instrument_lower} that keeps local police, the "
                  "jail and public offices out of federal immigration enforcement and makes "
                  "everyday encounters with police less dangerous. Here is what it does, in "
                  "plain words."),
        "intro_no_jail": ("The {body} is considering an {instrument_lower} that keeps local police "
                          "and public offices out of federal immigration enforcement and makes "
                          "everyday encounters with police less dangerous. Here is what it does, in "
                          "plain words."),
        "intro_policing": ("The {body} is considering an {instrument_lower} that makes everyday "
                           "encounters with police less dangerous and keeps minor offenses from "
                           "turning into arrests. Here is what it does, in plain words."),
        "police": "What the police and the jail will and will not do",
        "police_no_jail": "What the police will and will not do",
        "residents": "What changes for residents",
        "enforcement": "How the rules are enforced",
        "limits": "What it cannot stop",
        "limits_items": [
            "Federal immigration agents can still make arrests on their own, in public places. "
            "This {instrument_lower} mostly controls what local officials do; any rule in it that "
            "also reaches federal agents can be challenged in court.",
            "Fingerprints taken when someone is booked into jail still go to the FBI, which "
            "shares them with immigration authorities.",
            "It does not change anyone's immigration status or federal immigration law.",
        ],
        "state": ("State law in {state} limits what a local government may do. This draft "
                  "includes only measures that remain open there."),
        "involved": "How to get involved",
        "involved_items": [
            "Come to the {body} meeting where the {instrument_lower} is discussed, and speak "
            "during public comment.",
            "Call or write to the members of the {body}: tell them why these protections "
            "matter to your family and neighbors.",
            "Share your story with the organizers: real experiences persuade more than "
            "statistics.",
            "Know your rights: you may stay silent and decline to speak with immigration agents.",
        ],
        "footer": ("Draft of {date}. This sheet summarizes a draft prepared for review by a "
                   "licensed attorney; it is not legal advice."),
    },
    "es": {
        "title": "Qué haría la {instrument_es} propuesta para {full_es}",
        "intro": ("{El_body} está considerando una {instrument_es} que mantendría a la policía "
                  "local, la cárcel y las oficinas públicas al margen de la aplicación de las "
                  "leyes federales de inmigración, y que haría menos peligrosos los encuentros "
                  "cotidianos con la policía. Esto es lo que haría, en palabras sencillas."),
        "intro_no_jail": ("{El_body} está considerando una {instrument_es} que mantendría a la "
                          "policía local y las oficinas públicas al margen de la aplicación de las "
                          "leyes federales de inmigración, y que haría menos peligrosos los "
                          "encuentros cotidianos con la policía. Esto es lo que haría, en palabras "
                          "sencillas."),
        "intro_policing": ("{El_body} está considerando una {instrument_es} que haría menos "
                           "peligrosos los encuentros cotidianos con la policía y evitaría que las "
                           "faltas menores terminen en arrestos. Esto es lo que haría, en palabras "
                           "sencillas."),
        "police": "Lo que la policía y la cárcel harán y no harán",
        "police_no_jail": "Lo que la policía hará y no hará",
        "residents": "Qué cambia para los vecinos",
        "enforcement": "Cómo se hacen cumplir estas reglas",
        "limits": "Lo que no puede impedir",
        "limits_items": [
            "Los agentes federales de inmigración todavía pueden hacer arrestos por su cuenta en "
            "lugares públicos. La {instrument_es} controla sobre todo lo que hacen los "
            "funcionarios locales; cualquier regla que también se dirija a los agentes federales "
            "puede ser impugnada en los tribunales.",
            "Las huellas digitales que se toman al fichar a una persona en la cárcel siguen "
            "llegando al FBI, que las comparte con las autoridades de inmigración.",
            "No cambia el estatus migratorio de nadie ni la ley federal de inmigración.",
        ],
        "state": ("La ley del estado de {state} limita lo que puede hacer un gobierno local. "
                  "Este borrador incluye solo las medidas que todavía se permiten allí."),
        "involved": "Cómo participar",
        "involved_items": [
            "Venga a la reunión {del_body} donde se hable de la {instrument_es} y tome la "
            "palabra durante los comentarios del público.",
            "Llame o escriba a los miembros {del_body}: cuénteles por qué estas protecciones "
            "son importantes para su familia y sus vecinos.",
            "Comparta su historia con los organizadores: las experiencias reales convencen más "
            "que las cifras.",
            "Conozca sus derechos: usted puede guardar silencio y negarse a hablar con agentes "
            "de inmigración.",
        ],
        "footer": ("Borrador del {date}. Esta hoja resume un borrador preparado para que lo "
                   "revise un abogado con licencia; no es asesoría legal."),
    },
}
# Spanish names of governing bodies, with their grammatical gender ("la Junta", "el Concejo").
# The legal vocabulary the sheets use is listed, with reasons, in docs/glossary-es.md.
BODY_ES = {"City Council": ("Concejo Municipal", "m"), "Board of Supervisors": ("Junta de Supervisores", "f"),
           "Board of Commissioners": ("Junta de Comisionados", "f"), "Town Council": ("Concejo del Pueblo", "m"),
           "Board of Trustees": ("Junta de Síndicos", "f"), "Selectboard": ("Junta de Selectos", "f"),
           "Legislature": ("Poder Legislativo", "m"),
           "Board of County Commissioners": ("Junta de Comisionados del Condado", "f"),
           "Commissioners Court": ("Corte de Comisionados", "f"), "County Commission": ("Comisión del Condado", "f"),
           "City Commission": ("Comisión Municipal", "f"), "Board of Aldermen": ("Junta de Concejales", "f"),
           "County Council": ("Concejo del Condado", "m"), "Metropolitan Council": ("Concejo Metropolitano", "m")}
# A body not in the map is named generically rather than left in English.
BODY_ES_FALLBACK = ("órgano de gobierno local", "m")
# Renderings a Spanish fact sheet must never use (see docs/glossary-es.md and tests/test_spanish.py).
BANNED_ES = ("orden de detención migratoria", "libertad condicional", "alguacil", "se borran las condenas",
             "El Junta", "del Junta")


def spanish_body(form: Any, body: str) -> tuple[str, bool]:
    """The governing body's name in Spanish and whether it is feminine, from the
    jurisdiction form (``body_es``, ``body_es_gender``; the answers file may override both).
    A body the form does not name (an English override) is looked up in BODY_ES, else given
    a generic Spanish name rather than left in English."""
    if form.body_es and form.body_es != body:
        return form.body_es, form.body_es_gender == "f"
    name, gender = BODY_ES.get(body, BODY_ES_FALLBACK)
    return name, gender == "f"


def factsheet_document(library: Library, selection: Selection, ordinance: Document,
                       lang: str) -> Document:
    """The fact sheet as a document (written with the same writers as a draft)."""
    words = TEXT[lang]
    j = selection.source.answers.jurisdiction
    form = selection.form
    body = j.governing_body or form.governing_body
    body_es, feminine = spanish_body(form, body)
    values = {
        "instrument": form.instrument.lower() if lang == "es" else form.instrument.lower(),
        "instrument_lower": form.instrument.lower(),
        "instrument_es": "ley" if form.instrument == "Act" else "ordenanza",
        "full": form.full_name.format(name=j.name),
        "full_es": form.full_name_es.format(name=j.name),
        "body": body_es if lang == "es" else body,
        "El_body": ("La " if feminine else "El ") + body_es,
        "del_body": ("de la " if feminine else "del ") + body_es,
        "state": US_STATES[j.state],
        "date": _spanish_date(ordinance.properties.get("date", "")) if lang == "es"
        else ordinance.date,
    }

    def fill(text: str) -> str:
        return text.format(**values)

    sections: list[Section] = []
    for part in ("police", "residents", "enforcement"):
        bullets = [Para([Run(s)], "bullet") for s in _summaries(selection, part, lang)]
        if bullets:
            heading = words["police_no_jail"] if part == "police" and not j.runs_jail else words[part]
            sections.append(Section(f"fs-{part}", "", "", heading, bullets))
    limits = [Para([Run(fill(t))], "bullet") for t in words["limits_items"]]
    limits[:0] = [Para([Run(text)], "bullet") for text in _state_items(selection, lang, fill)]
    sections.append(Section("fs-limits", "", "", words["limits"], limits))
    sections.append(Section("fs-involved", "", "", words["involved"],
                            [Para([Run(fill(t))], "bullet") for t in words["involved_items"]]))
    title = fill(words["title"])
    title = title[0].upper() + title[1:]
    return Document(
        number_line="", title=title, draft_notice=fill(words["footer"]), warnings=[],
        recitals=[fill(words["intro_policing"] if not _keeps_out(selection)
                       else words["intro"] if j.runs_jail else words["intro_no_jail"])],
        enacting_clause="", sections=sections, signature=None,
        jurisdiction=values["full"], date=ordinance.date, header=title,
        properties={**ordinance.properties, "title": title,
                    "subject": "Fact sheet" if lang == "en" else "Hoja informativa",
                    "language": "en-US" if lang == "en" else "es-US"},
        commentary="none")


MONTHS_ES = ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
             "diciembre").split()


def _spanish_date(iso: str) -> str:
    """'2026-11-22' -> '22 de noviembre de 2026'."""
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} de {MONTHS_ES[month - 1]} de {year}"


def _candidates(selection: Selection, part: str) -> list:  # noqa: ANN401
    found, seen = [], set()
    for provision in PRIORITY[part]:
        for clause in selection.clauses:
            if provision in clause.meta.provisions and clause.id not in seen:
                seen.add(clause.id)
                found.append(clause)
                break
    return found


def _summaries(selection: Selection, part: str, lang: str) -> list[str]:
    """The part's summaries, most important first, taken in turns with the other parts
    until the page's word budget is spent (Spanish runs longer, so it gets fewer)."""
    queues = {p: _candidates(selection, p) for p in PRIORITY}
    chosen: dict[str, list[str]] = {p: [] for p in PRIORITY}
    words = 0
    while any(queues.values()):
        for name, queue in queues.items():
            if not queue:
                continue
            summary = _summary(selection, queue.pop(0), lang)
            if summary is None:
                continue
            if words + len(summary.split()) > WORD_BUDGET:
                queue.clear()
                continue
            chosen[name].append(summary)
            words += len(summary.split())
    return chosen[part]


STATE_TEXT = {
    "en": {"limits": "State law in {state} limits what a local government may do. This draft leaves "
                     "out {count} that state law forbids or that would contradict a state mandate.",
           "mandate": "State law still requires, whatever this {instrument_lower} says: {duty}",
           "mandate_generic": "State law in {state} places duties on local officials that this "
                              "{instrument_lower} cannot change; ask a lawyer which ones apply.",
           "floor": "State law in {state} already gives some of these protections; the draft "
                    "repeats them so they stay in local law.",
           "pending": "A state law that changes what this draft may contain takes effect on {date}.",
           "one": "one protection", "many": "{n} protections"},
    "es": {"limits": "La ley del estado de {state} limita lo que puede hacer un gobierno local. Este "
                     "borrador deja fuera {count} que la ley estatal prohíbe o que contradiría una "
                     "obligación impuesta por el estado.",
           "mandate": "Diga lo que diga la {instrument_es}, la ley estatal sigue exigiendo lo "
                      "siguiente: {duty}",
           "mandate_generic": "La ley del estado de {state} impone a los funcionarios locales "
                              "obligaciones que la {instrument_es} no puede cambiar; pregunte a un "
                              "abogado cuáles se aplican.",
           "floor": "La ley del estado de {state} ya da algunas de estas protecciones; el borrador "
                    "las repite para que queden también en la ley local.",
           "pending": "El {date} entra en vigor una ley estatal que cambia lo que este borrador "
                      "puede incluir.",
           "one": "una protección", "many": "{n} protecciones"},
}


# The draft "keeps local police and the jail out of immigration enforcement" only when it
# refuses detainers and joint operations and no state mandate requires cooperation.
KEEPS_OUT = {"detainer.no-hold", "detainer.no-joint-operations"}


def _keeps_out(selection: Selection) -> bool:
    carried = {c.meta.provisions[0] for c in selection.clauses if c.meta.provisions}
    mandated = selection.state is not None and bool(selection.state.mandates)
    return carried >= KEEPS_OUT and not mandated


def _state_items(selection: Selection, lang: str, fill) -> list[str]:  # noqa: ANN001
    """What state law means for this draft, in plain words (never promising what it lacks)."""
    state = selection.state
    if state is None:
        return []
    words = STATE_TEXT[lang]
    items: list[str] = []
    removed = len(selection.withheld_why) + len(selection.changes)
    if removed or state.rule.stance in ("restrictive", "mixed"):
        count = words["one"] if removed == 1 else words["many"].format(n=removed)
        items.append(fill(words["limits"].replace("{count}", count)))
    for mandate in state.mandates:
        duty = mandate.duty if lang == "en" else mandate.duty_es
        items.append(fill(words["mandate"].replace("{duty}", duty)) if duty
                     else fill(words["mandate_generic"]))
    if state.covered:
        items.append(fill(words["floor"]))
    if state.pending:
        first = min(p.effective for p in state.pending)
        shown = f"{first:%B} {first.day}, {first.year}" if lang == "en" else _spanish_date(first.isoformat())
        items.append(fill(words["pending"].replace("{date}", shown)))
    return items


def _summary(selection: Selection, clause, lang: str) -> str | None:  # noqa: ANN001
    """A clause's plain summary as the draft carries it: the passage-free summary when state
    law removed a passage, and nothing when it removed a part with no such summary."""
    barred = set(selection.barred)
    summary = clause.meta.summary
    for name, passage in clause.meta.passages.items():
        if f"{clause.id}#{name}" in barred:
            if passage.summary is None:
                return None
            summary = passage.summary
    if any(pid in barred for pid in clause.meta.provisions[1:]):
        return None
    return getattr(summary, lang)

