"""The web application behind ``drafter serve``.

Everything a page shows comes from ``drafter.core`` (the same build as the CLI, so the same
bytes) and from the library; every word of the interface comes from the message catalogs in
``locales/`` (English and Spanish).

Safe by default (docs/cli.md, "drafter serve"):
- it listens on 127.0.0.1; on any other address it requires a token (``--token``, or one it
  makes up and prints), and on 127.0.0.1 it answers only requests addressed to this machine
  (a web page elsewhere cannot reach it by pointing a name at 127.0.0.1);
- each browser gets its own session, kept in memory on the server under a random id; one
  session never sees another's answers or drafts; sessions expire;
- uploads are size-limited and parsed with the CLI's limits; answers that name files on the
  machine (``library:``, ``code.current``) are refused; forms carry a CSRF token;
- templates are Jinja2 with autoescaping; clause templates run in drafter's sandbox; the draft
  preview is served with a Content-Security-Policy that allows no scripts, in a sandboxed frame.
"""

from __future__ import annotations

import hmac
import json
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, url_for

from drafter import core
from drafter.errors import DrafterError, Problem
from drafter.lookup import find_state, plain_name, state_choices

HERE = Path(__file__).resolve().parent
LANGS = ("en", "es")
MAX_UPLOAD = 2_000_000  # bytes in one request (an answers file or a policy)
MAX_POLICY_CHARS = 400_000
SESSION_COOKIE = "drafter_session"
TOKEN_COOKIE = "drafter_token"
COMMENTARY_MODES = ("annotated", "comments", "memo", "none")
DOWNLOADS = {  # name -> (what, language, format)
    "draft.docx": ("draft", "", "docx"), "draft.pdf": ("draft", "", "pdf"),
    "draft.md": ("draft", "", "md"), "draft.html": ("draft", "", "html"),
    "memo.docx": ("memo", "", "docx"), "factsheet-en.docx": ("factsheet", "en", "docx"),
    "factsheet-es.docx": ("factsheet", "es", "docx"),
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
OFFICE_FIELD = "office-"  # form field of an office a clause names: office-<clause id>.<parameter>


@cache
def catalog(lang: str) -> dict[str, str]:
    """The interface's words in one language (drafter/web/locales/LANG.json)."""
    return json.loads((HERE / "locales" / f"{lang}.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- sessions


@dataclass
class Session:
    """One browser's answers and what was built from them."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    answers: dict[str, Any] = field(default_factory=dict)
    analysis: dict[str, Any] | None = None
    draft_key: str = ""
    draft: Any = None
    touched: float = field(default_factory=time.monotonic)


class Sessions:
    """Sessions in memory, by random id; the oldest go first past ``limit`` or ``ttl``."""

    def __init__(self, limit: int = 500, ttl: float = 12 * 3600) -> None:
        self.limit, self.ttl = limit, ttl
        self._items: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sid: str | None) -> tuple[str, Session]:
        now = time.monotonic()
        with self._lock:
            for old in [k for k, s in self._items.items() if now - s.touched > self.ttl]:
                del self._items[old]
            session = self._items.get(sid or "")
            if session is None:
                sid = secrets.token_urlsafe(32)
                session = self._items[sid] = Session()
                while len(self._items) > self.limit:
                    self._items.popitem(last=False)
            else:
                self._items.move_to_end(sid)
            session.touched = now
            return sid, session


# ---------------------------------------------------------------- the app


def create_app(*, library: Any = None, token: str | None = None, host: str = "127.0.0.1",
               port: int | None = None) -> Flask:
    """The Flask application. ``library``: a loaded library, a folder, or None (built-in)."""
    app = Flask(__name__, template_folder=str(HERE / "templates"),
                static_folder=str(HERE / "static"))
    app.config.update(MAX_CONTENT_LENGTH=MAX_UPLOAD, TEMPLATES_AUTO_RELOAD=False)
    lib = core.get_library(library)
    sessions = Sessions()
    build_lock = threading.Lock()
    loopback = host in LOOPBACK

    @app.before_request
    def _guard() -> Response | None:
        if loopback:
            allowed = {f"{name}:{port}" if port else name for name in ("127.0.0.1", "localhost", "[::1]")}
            if port is None:
                allowed |= {"127.0.0.1", "localhost", "[::1]"}
            if request.host not in allowed and not app.testing:
                abort(403)
        if token:
            given = request.args.get("token") or request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(given.encode(), token.encode()):
                return Response(catalog(_lang())["token_needed"], status=401, mimetype="text/plain")
        g.lang = _lang()
        g.t = catalog(g.lang)
        sid, g.session = sessions.get(request.cookies.get(SESSION_COOKIE))
        g.sid = sid
        if request.method == "POST" and not hmac.compare_digest(
                request.form.get("csrf", "").encode(), g.session.csrf.encode()):
            abort(400)
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.set_cookie(SESSION_COOKIE, g.get("sid", ""), httponly=True, samesite="Lax",
                            max_age=12 * 3600) if g.get("sid") else None
        if token and request.args.get("token"):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
        if request.args.get("lang") in LANGS:
            response.set_cookie("drafter_lang", request.args["lang"], samesite="Lax",
                                max_age=365 * 24 * 3600)
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
            "object-src 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(413)
    def _too_big(_exc: Exception) -> tuple[str, int]:
        return page("message.html", title=g.t["too_big_title"], message=g.t["too_big"]), 413

    def page(template: str, **values: Any) -> str:
        return render_template(template, t=g.t, lang=g.lang, csrf=g.session.csrf,
                               other_lang="es" if g.lang == "en" else "en",
                               answers=g.session.answers, **values)

    # ------------------------------------------------------------ pages

    @app.get("/")
    def start() -> str:
        return page("start.html", title=g.t["app_title"])

    @app.route("/place", methods=["GET", "POST"])
    def place() -> Any:
        j = g.session.answers.get("jurisdiction", {})
        form = {"name": j.get("name", ""), "kind": j.get("kind", "city"),
                "state": j.get("state", "")}
        errors: dict[str, str] = {}
        suggestions: list[tuple[str, str]] = []
        if request.method == "POST":
            form = {k: request.form.get(k, "").strip()[:200] for k in ("name", "kind", "state")}
            form["state"] = request.form.get("state_pick", "").strip()[:2] or form["state"]
            match = find_state(form["state"])
            if not form["name"]:
                errors["name"] = g.t["need_name"]
            if form["kind"] not in lib.forms:
                errors["kind"] = g.t["need_kind"]
            if not match.code:
                errors["state"] = g.t["need_state"]
                suggestions = [(c, core_state_name(c)) for c in match.suggestions]
            if not errors:
                from drafter.models import normalize_jurisdiction

                name, said = plain_name(form["name"])
                kind = said if said and form["kind"] == "city" else form["kind"]
                try:
                    fixed = normalize_jurisdiction({"name": name, "kind": kind, "state": match.code})
                except ValueError as exc:
                    errors["name"] = str(exc)
                else:
                    _set_place(g.session, lib, fixed)
                    return redirect(url_for("government"))
        return page("place.html", title=g.t["step_place"], form=form, errors=errors,
                    suggestions=suggestions, kinds=[k for k in lib.forms],
                    states=state_choices(), law=_law(lib, form.get("state", ""), g.lang))

    @app.get("/state-law")
    def state_law() -> str:
        """The state's law in a few lines, for the place page (fetched as the person types)."""
        match = find_state(request.args.get("state", "")[:60])
        return render_template("_law.html", t=g.t, law=_law(lib, match.code, g.lang),
                               suggestions=[(c, core_state_name(c)) for c in match.suggestions])

    @app.route("/government", methods=["GET", "POST"])
    def government() -> Any:
        j = g.session.answers.get("jurisdiction")
        if not j:
            return redirect(url_for("place"))
        official = lib.forms[j["kind"]].for_state(j["state"], j.get("name"))
        if request.method == "POST":
            body = request.form.get("governing_body", "").strip()[:200]
            j = {**j, "police": request.form.get("police", "").strip()[:200],
                 "sheriff": request.form.get("sheriff", "").strip()[:200],
                 "runs_jail": request.form.get("runs_jail") == "yes"}
            j.pop("governing_body", None)
            if body and body != official.governing_body:
                j["governing_body"] = body
            code = {k: request.form.get(k, "").strip()[:80] for k in ("title", "chapter", "chapter_title")}
            j.pop("code", None)
            if code["title"] and code["chapter"]:
                code["chapter_title"] = code["chapter_title"] or "Sanctuary and Community Safety"
                from drafter.models import normalize_jurisdiction

                j["code"] = normalize_jurisdiction({"code": code})["code"]
            g.session.answers["jurisdiction"] = {k: v for k, v in j.items() if v not in ("", None)}
            return redirect(url_for("protections"))
        return page("government.html", title=g.t["step_government"], j=j, official=official,
                    law=_law(lib, j["state"], g.lang))

    @app.route("/protections", methods=["GET", "POST"])
    def protections() -> Any:
        answers = g.session.answers
        j = answers.get("jurisdiction")
        if not j:
            return redirect(url_for("place"))
        from drafter.wizard import default_preset, ordered_presets

        groups = _variant_groups(lib, j["kind"], g.lang, j.get("state", ""), bool(j.get("runs_jail")))
        if request.method == "POST":
            preset = request.form.get("preset", "")
            if preset in lib.presets:
                answers["preset"] = preset
            include = [request.form.get(f"group-{gid}", "") for gid, _ in groups]
            allowed = {c["id"] for _, members in groups for c in members if not c["default"]}
            answers["include"] = [cid for cid in include if cid in allowed]
            if not answers["include"]:
                answers.pop("include")
            mode = request.form.get("commentary", "annotated")
            answers["output"] = {"commentary": mode if mode in COMMENTARY_MODES else "annotated"}
            return redirect(url_for("review"))
        chosen = answers.get("preset") or default_preset(lib, j["state"])
        return page("protections.html", title=g.t["step_protections"], presets=ordered_presets(lib),
                    chosen=chosen, groups=groups, included=set(answers.get("include", [])),
                    commentary=answers.get("output", {}).get("commentary", "annotated"),
                    modes=COMMENTARY_MODES)

    @app.get("/review")
    def review() -> Any:
        if not g.session.answers.get("jurisdiction"):
            return redirect(url_for("place"))
        try:
            draft = _draft(g.session)
        except DrafterError as exc:
            return page("review.html", title=g.t["step_review"], problems=exc.problems, draft=None)
        card = draft.scorecard()
        offices = [{"field": f"{clause.id}.{name}", "label": param.prompt, "title": clause.meta.title,
                    "suggested": param.default} for clause, name, param in draft.selection.offices_by_default()]
        return page("review.html", title=g.t["step_review"], problems=[], draft=draft, card=card,
                    taxonomy=lib.taxonomy, warnings=draft.warnings, pdf=_has_pdf(),
                    slug=_slug(g.session.answers), offices=offices)

    @app.post("/offices")
    def offices() -> Any:
        """The names of offices the draft would otherwise take from the library's suggestion."""
        answers = g.session.answers
        if not answers.get("jurisdiction"):
            return redirect(url_for("place"))
        for key, value in request.form.items():
            cid, _, name = key.removeprefix(OFFICE_FIELD).rpartition(".")
            clause = lib.clauses.get(cid) if key.startswith(OFFICE_FIELD) else None
            param = clause.meta.params.get(name) if clause else None
            value = value.strip()[:200]
            if param is not None and param.names_office and value:
                answers.setdefault("params", {}).setdefault(cid, {})[name] = value
        return redirect(url_for("review"))

    @app.get("/preview")
    def preview() -> Response:
        try:
            html = _draft(g.session).render("html")
        except DrafterError:
            abort(404)
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; "
                                                       "img-src data:; frame-ancestors 'self'")
        return response

    @app.get("/download/<name>")
    def download(name: str) -> Response:
        if name == "answers.yaml":
            return _attachment(answers_yaml(_buildable(lib, g.session.answers)).encode("utf-8"),
                               f"{_slug(g.session.answers)}.yaml", "text/yaml; charset=utf-8")
        if name not in DOWNLOADS:
            abort(404)
        what, lang, fmt = DOWNLOADS[name]
        try:
            draft = _draft(g.session)
            with build_lock:
                data = (draft.render(fmt) if what == "draft" else draft.memo(fmt) if what == "memo"
                        else draft.factsheet(lang, fmt))
        except DrafterError as exc:
            return Response("\n".join(str(p) for p in exc.problems), status=422, mimetype="text/plain")
        suffix = {"draft": "", "memo": "-memo", "factsheet": f"-factsheet-{lang}"}[what]
        return _attachment(data, f"{_slug(g.session.answers)}{suffix}.{fmt}", core.MEDIA_TYPES[fmt])

    @app.route("/resume", methods=["GET", "POST"])
    def resume() -> Any:
        problems: list[Problem] = []
        if request.method == "POST":
            upload = request.files.get("answers")
            text = request.form.get("answers_text", "")
            if upload is not None and upload.filename:
                raw = upload.read(MAX_UPLOAD + 1)
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    problems = [Problem("answers.yaml", message=g.t["not_utf8"])]
            if text and not problems:
                try:
                    source = core.parse_answers(text, name="answers.yaml")
                    data = source.answers.model_dump(mode="json", exclude_defaults=True)
                    for key, where in (("library", ("library",)),):
                        if data.get(key):
                            raise DrafterError([Problem.at(source.where(*where), g.t["no_paths"])])
                    if (data["jurisdiction"].get("code") or {}).get("current"):
                        raise DrafterError([Problem.at(source.where("jurisdiction", "code", "current"),
                                                       g.t["no_paths"])])
                    g.session.answers = data
                    return redirect(url_for("review"))
                except DrafterError as exc:
                    problems = exc.problems
            elif not problems:
                problems = [Problem("answers.yaml", message=g.t["need_file"])]
        return page("resume.html", title=g.t["resume_title"], problems=problems)

    @app.route("/analyze", methods=["GET", "POST"])
    def analyze() -> Any:
        problems: list[Problem] = []
        result = None
        if request.method == "POST":
            try:
                text, name = _policy_text(request)
                from drafter.analyze import analyze_text

                analysis = analyze_text(text, lib)
                describe = {**lib.taxonomy.provisions, **lib.taxonomy.loopholes} if lib.taxonomy else {}
                result = {
                    "name": name,
                    "protections": [{"id": f.id, "what": describe.get(f.id, f.id), "quote": f.evidence,
                                     "where": f.location, "by_reader": f.by_reader}
                                    for f in analysis.provisions],
                    "loopholes": [{"id": f.id, "what": describe.get(f.id, f.id), "why": f.why,
                                   "quote": f.evidence, "where": f.location, "by_reader": f.by_reader}
                                  for f in analysis.loopholes],
                    "missing": [describe.get(m["id"], m["id"]) for m in analysis.missing],
                    "mandates": bool(analysis.mandates_cooperation),
                }
                g.session.analysis = result
            except DrafterError as exc:
                problems = exc.problems
        return page("analyze.html", title=g.t["analyze_title"], problems=problems, result=result)

    @app.post("/analyze/start")
    def analyze_start() -> Any:
        # the strongest draft closes every loophole the analyzer names; the interview goes on
        g.session.answers = {"preset": "strongest"}
        return redirect(url_for("place"))

    @app.post("/reset")
    def reset() -> Any:
        g.session.answers, g.session.analysis, g.session.draft = {}, None, None
        return redirect(url_for("start"))

    def _draft(session: Session) -> Any:
        key = json.dumps(session.answers, sort_keys=True)
        if session.draft is None or session.draft_key != key:
            with build_lock:
                source = core.answers_from_mapping(_buildable(lib, session.answers), name="answers")
                session.draft = core.build(source, library=lib)  # no base_dir: names no files
                session.draft_key = key
        return session.draft

    return app


# ---------------------------------------------------------------- helpers


def _buildable(lib: Any, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without the params of clauses the draft leaves out (an office named before
    the preset changed): the session keeps them in case the clause comes back; a build and the
    saved answers file, where they would be an error, do not."""
    params = answers.get("params")
    if not params:
        return answers
    rest = {key: value for key, value in answers.items() if key != "params"}
    from drafter.resolve import resolve

    try:
        chosen = {c.id for c in resolve(lib, core.answers_from_mapping(rest, name="answers")).clauses}
    except DrafterError:
        return answers  # the build reports the problem
    kept = {cid: values for cid, values in params.items() if cid in chosen}
    return {**rest, "params": kept} if kept else rest


def _lang() -> str:
    wanted = request.args.get("lang") or request.cookies.get("drafter_lang")
    if wanted in LANGS:
        return wanted
    return request.accept_languages.best_match(LANGS) or "en"


def core_state_name(code: str) -> str:
    from drafter.models import US_STATES

    return US_STATES.get(code, code)


def _set_place(session: Session, lib: Any, fixed: dict[str, Any]) -> None:
    """Name, kind and state; the agencies' usual names when the place changed."""
    from drafter.wizard import defaults

    old = session.answers.get("jurisdiction", {})
    plan = defaults(lib, fixed["name"], fixed["kind"], str(fixed["state"]).upper())
    same = (old.get("name"), old.get("kind"), old.get("state")) == (plan.name, plan.kind, plan.state)
    j = dict(old) if same else {}
    j.update(name=plan.name, kind=plan.kind, state=plan.state)
    if not same:
        j.update({k: v for k, v in (("police", plan.police), ("sheriff", plan.sheriff),
                                    ("runs_jail", plan.runs_jail)) if v})
    session.answers["jurisdiction"] = j


def _law(lib: Any, code: str, lang: str) -> dict[str, Any] | None:
    """What the state's law allows, for the interview (None for no state)."""
    if not code or len(code) != 2:
        return None
    rule = lib.states.get(code.upper())
    if rule is None:
        return {"name": core_state_name(code.upper()), "summary": "", "stance": "unknown",
                "open": [], "requires": []}
    summary = rule.summary_es if lang == "es" and rule.summary_es else rule.summary
    return {"name": rule.name, "summary": summary, "stance": rule.stance, "as_of": rule.as_of.isoformat(),
            "open": list((rule.open_es if lang == "es" and len(rule.open_es) == len(rule.open)
                          else rule.open)[:4]),
            "requires": [m.duty_es if lang == "es" and m.duty_es else m.duty for m in rule.mandates],
            "english_only": lang == "es" and not rule.summary_es}


def _variant_groups(lib: Any, kind: str, lang: str, state: str = "",
                    runs_jail: bool = False) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each provision with alternatives the state's law allows: its variants, strongest first,
    with summaries and what each weaker one gives up."""
    import datetime as dt

    from drafter import statelaw
    from drafter.resolve import STRENGTH_RANK, kinds_like

    rule = lib.states.get(state.upper()) if state else None
    law = statelaw.outcome(lib, rule, kinds=kinds_like(lib, kind, state.upper()), runs_jail=runs_jail,
                           as_of=dt.date.today()) if rule is not None else None
    taxonomy = lib.taxonomy
    out = []
    for group, members in sorted(lib.variant_groups().items()):
        applicable = sorted((c for c in members if kind in c.meta.applies_to
                             and statelaw.available(lib, law, c.id)),
                            key=lambda c: (STRENGTH_RANK[c.meta.strength], c.id))
        if len(applicable) < 2:
            continue
        out.append((group, [{
            "id": c.id, "title": c.meta.title, "strength": c.meta.strength, "default": c.meta.default,
            "summary": c.meta.summary.es if lang == "es" else c.meta.summary.en,
            "gives_up": [taxonomy.loopholes.get(o, o) if taxonomy else o for o in c.meta.opens],
        } for c in applicable]))
    return out


def _policy_text(req: Any) -> tuple[str, str]:
    """The pasted or uploaded policy as text (.txt, .md or .docx), within the size limits."""
    upload = req.files.get("policy")
    if upload is not None and upload.filename:
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in (".txt", ".md", ".docx", ".text", ".markdown"):
            raise DrafterError([Problem(upload.filename[:80], message=catalog(_lang())["policy_types"])])
        raw = upload.read(MAX_UPLOAD + 1)
        with tempfile.TemporaryDirectory(prefix="drafter-") as folder:
            # a name of our own: nothing the browser sends becomes a path
            path = Path(folder) / f"policy{suffix}"
            path.write_bytes(raw)
            from drafter.analyze import read_policy

            text = read_policy(path)
        return text[:MAX_POLICY_CHARS], upload.filename[:80]
    text = req.form.get("policy_text", "")
    if not text.strip():
        raise DrafterError([Problem("policy", message=catalog(_lang())["need_policy"])])
    return text[:MAX_POLICY_CHARS], ""


def answers_yaml(answers: dict[str, Any]) -> str:
    """The session's answers as an answers file (drafter build or drafter serve read it back)."""
    from io import StringIO

    from ruamel.yaml import YAML

    out = StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(answers, out)
    return ("# drafter answers file, saved from drafter serve.\n"
            "# Open it again in drafter serve (Continue a saved draft), or: drafter build THIS-FILE\n"
            + out.getvalue())


def _slug(answers: dict[str, Any]) -> str:
    from drafter.wizard import Plan, default_filename

    j = answers.get("jurisdiction", {})
    return default_filename(Plan(name=j.get("name", "draft"), kind="", state=j.get("state", ""))
                            ).removesuffix(".yaml")


def _attachment(data: bytes, filename: str, media: str) -> Response:
    response = Response(data, mimetype=media.split(";")[0])
    if "charset" in media:
        response.headers["Content-Type"] = media
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@lru_cache(maxsize=1)
def _has_pdf() -> bool:
    from drafter.writers.pdf import soffice

    return soffice() is not None


def serve(*, host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
          library: Any = None, threads: int = 4) -> None:
    """Run the application with waitress until interrupted."""
    from waitress import serve as waitress_serve

    app = create_app(library=library, token=token, host=host, port=port)
    waitress_serve(app, host=host, port=port, threads=threads, ident="drafter",
                   max_request_body_size=MAX_UPLOAD)
