"""The command line. Thin: parse options, call ``drafter.api``, show results.

Heavy libraries (pydantic, Jinja, python-docx, rich) are imported inside commands so
that ``drafter --help`` starts fast.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from drafter import __version__
from drafter.kinds import KINDS

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INVALID = 1  # bad input or a failed check (click uses 2 for usage errors)


def _console(stderr: bool = False):  # noqa: ANN202 - rich imported lazily
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True,
                   no_color="NO_COLOR" in os.environ)


def print_problems(console, problems, *, show_info: bool = True) -> None:  # noqa: ANN001
    """One colored line per problem (errors red, warnings yellow, style notes dim)."""
    for problem in problems:
        if problem.severity == "info" and not show_info:
            continue
        style = {"error": "red", "warning": "yellow"}.get(problem.severity, "dim")
        console.print(str(problem), style=style, markup=False)


def handle_errors(func: F) -> F:
    """Show a DrafterError's problems on stderr and exit 1: no traceback for bad input."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from drafter.errors import DrafterError

        try:
            return func(*args, **kwargs)
        except DrafterError as exc:
            console = _console(stderr=True)
            print_problems(console, exc.problems)
            count = len(exc.problems)
            console.print(f"{count} problem{'s' if count != 1 else ''}; nothing was written.",
                          style="bold red", markup=False)
            sys.exit(EXIT_INVALID)

    return wrapper  # type: ignore[return-value]


def state_law_options(command: Callable) -> Callable:
    """--allow-preempted, --as-of and --below-floor: how state law applies to the draft."""
    command = click.option(
        "--below-floor", is_flag=True,
        help="Keep an included clause that goes below a protective state law (with a boxed warning)."
    )(command)
    command = click.option(
        "--as-of", type=click.DateTime(formats=["%Y-%m-%d"]),
        callback=lambda _ctx, _param, value: value.date() if value else None,
        help="Apply the state law in force on this date (YYYY-MM-DD). Default: today.")(command)
    return click.option(
        "--allow-preempted", is_flag=True, default=None,
        help="Keep protections that the state's law forbids or a state mandate contradicts "
             "(with a boxed warning).")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drafter")
def cli() -> None:
    """Draft local ordinances that limit cooperation with federal civil immigration
    enforcement and decriminalize minor offenses, with commentary, as Word documents.

    Start with `drafter build samples/oakland-ca.yaml -o draft.docx`.
    """


@cli.command()
@click.argument("answers", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file (its suffix picks the format) or stem. "
                   "Default: next to ANSWERS.")
@click.option("-f", "--format", "formats", multiple=True,
              type=click.Choice(["docx", "md", "html", "txt", "pdf"]),
              help="Output format; repeat for several. Default: the answers file's output.formats.")
@click.option("--commentary", type=click.Choice(["annotated", "comments", "memo", "none"]),
              help="annotated: a Commentary block after each section, citations as footnotes; "
                   "comments: commentary as Word comments; memo: a clean copy plus a separate "
                   "commentary memo; none: clean council copy.")
@click.option("--preset", help="Override the answers file's preset (e.g. strongest, baseline).")
@click.option("--profile", help="Override the document profile (e.g. standard, plain).")
@click.option("--library", type=click.Path(path_type=Path),
              help="A clause library folder that overlays the built-in one.")
@click.option("--reference-doc", type=click.Path(path_type=Path),
              help="A Word .docx whose styles the draft takes (fonts, headings, spacing), as "
                   "pandoc's --reference-doc. Default: output.reference_doc, else drafter's own.")
@state_law_options
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def build(answers: Path, output: Path | None, formats: tuple[str, ...], commentary: str | None,
          preset: str | None, profile: str | None, library: Path | None,
          reference_doc: Path | None, allow_preempted: bool | None, as_of: dt.date | None,
          below_floor: bool, force: bool, quiet: bool) -> None:
    """Build the draft ordinance an ANSWERS file describes."""
    from drafter import api

    result = api.build(answers=answers, output=output, formats=list(formats) or None,
                       commentary=commentary, preset=preset, profile=profile, library=library,
                       allow_preempted=allow_preempted, as_of=as_of, below_floor=below_floor,
                       force=force, reference_doc=reference_doc)
    if result.warnings:
        print_problems(_console(stderr=True), result.warnings)
    if not quiet:  # plain lines: no need to load rich for them
        for path in result.outputs:
            click.echo(f"wrote {api.display_path(path)} ({len(result.clauses)} clauses)")


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path), required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The redline .docx to write.")
@click.option("--library", type=click.Path(path_type=Path), help="Library overlay for NEW (and OLD).")
@click.option("--library-old", type=click.Path(path_type=Path),
              help="Build OLD against this library instead (compare two library versions).")
@click.option("--against-builtin", is_flag=True,
              help="Compare the draft OLD describes built with --library (new) against the same "
                   "draft built with the built-in library alone (old).")
@click.option("--commentary", type=click.Choice(["none", "annotated", "comments"]), default=None,
              help="Commentary in the compared drafts. Default: none (for an earlier .docx, "
                   "whatever it has).")
@click.option("--force", is_flag=True, help="Overwrite the output file.")
@handle_errors
def redline(old: Path, new: Path | None, output: Path, library: Path | None,
            library_old: Path | None, against_builtin: bool, commentary: str | None,
            force: bool) -> None:
    """Word tracked changes showing how NEW's draft differs from OLD.

    OLD is an answers file, or an earlier .docx of the draft (what was circulated). With
    --against-builtin, OLD is the one answers file and the comparison is your --library
    overlay against the built-in library.
    """
    from drafter import api
    from drafter.errors import DrafterError, Problem

    if against_builtin:
        if new is not None or library_old is not None:
            raise click.UsageError("--against-builtin takes one answers file and --library DIR")
        from drafter.redlines import redline_builtin

        warnings = redline_builtin(answers=old, output=output, library=library,
                                   commentary=commentary or "none", force=force)
    elif new is None:
        raise click.UsageError("give OLD and NEW (or one answers file with --against-builtin)")
    elif old.suffix.lower() == ".docx":
        from drafter.redlines import redline_docx

        if library_old is not None:
            raise DrafterError([Problem("--library-old", message="an earlier .docx needs no library",
                                        hint="remove --library-old")])
        warnings = redline_docx(old=old, new=new, output=output, library=library,
                                commentary=commentary, force=force)
    else:
        warnings = api.redline(old=old, new=new, output=output, library=library,
                               library_old=library_old, commentary=commentary or "none",
                               force=force).warnings
    for warning in warnings:
        _console(stderr=True).print(str(warning), style="yellow", markup=False)
    _console().print(f"wrote {api.display_path(output)}", markup=False)


@cli.command("new")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The answers file to write (default: NAME-STATE.yaml here).")
@click.option("--no-input", is_flag=True, help="Ask nothing: use --name, --kind, --state and defaults.")
@click.option("--name", help="Jurisdiction name, without 'City of'.")
@click.option("--kind", type=click.Choice(list(KINDS), case_sensitive=False),
              help="Kind of jurisdiction.")
@click.option("--state", "state_code", help="State: two-letter code or name.")
@click.option("--preset", help="Preset (with --no-input).")
@click.option("--build/--no-build", "build_now", default=None,
              help="Build the draft right after writing the answers file.")
@click.option("--from-policy", "from_policy", type=click.Path(path_type=Path),
              help="Start from an existing policy (.txt, .md, .docx): keep what it does well, "
                   "close its loopholes.")
@click.option("--resume", type=click.Path(path_type=Path),
              help="Continue an interview that was stopped (Ctrl-C saves the answers given so far).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@handle_errors
def new(output: Path | None, no_input: bool, name: str | None, kind: str | None,
        state_code: str | None, preset: str | None, build_now: bool | None,
        from_policy: Path | None, resume: Path | None, force: bool) -> None:
    """Answer a few questions and get an answers file (and a draft).

    Ctrl-C saves the answers given so far; `drafter new --resume FILE` continues.
    """
    from drafter import api, wizard
    from drafter.library import load_library
    from drafter.output import check_writable, write_atomic

    library = load_library()
    progress: dict = {}
    if resume is not None:
        progress = _resumed(resume)
        output, force = resume, True
    elif output is not None:
        check_writable(output, force=force)  # before the first question
    if no_input:
        missing = [flag for flag, value in (("--name", name), ("--kind", kind),
                                            ("--state", state_code)) if not value]
        if missing:
            raise click.UsageError("--no-input needs " + ", ".join(missing))
        plan = wizard.plan_from_flags(library, name, kind, state_code, preset)
    else:
        click.echo("drafter: a draft ordinance in a few questions. Press Enter to accept a default; "
                   "Ctrl-C saves your answers so far.\n")
        chosen: dict[str, Path] = {}

        def place(plan: wizard.Plan) -> None:
            target = output or _free_target(Path(wizard.default_filename(plan)), force)
            chosen["target"] = target

        try:
            plan = wizard.interview(library, name, progress=progress, on_place=place)
        except click.Abort:
            _save_partial(progress, output or chosen.get("target"), force=force or resume is not None)
            sys.exit(130)
        output = output or chosen["target"]
    analysis = None
    if from_policy is not None:
        from drafter.analyze import analyze_file

        analysis = analyze_file(from_policy, library)
        click.echo(f"{from_policy.name}: {len(analysis.provisions)} protections kept, "
                   f"{len(analysis.loopholes)} loopholes closed, {len(analysis.missing)} added")
    target = output or Path(wizard.default_filename(plan))
    check_writable(target, force=force)
    write_atomic(target, wizard.answers_yaml(plan, library, analysis,
                                             from_policy.name if from_policy else ""), force=force)
    click.echo(f"wrote {api.display_path(target)}")
    if build_now is None:
        build_now = False if no_input else wizard.yes_no("Build the draft now?", True)
    if build_now:
        result = api.build(answers=target, force=force)
        for warning in result.warnings:
            _console(stderr=True).print(str(warning), style="yellow", markup=False)
        for path in result.outputs:
            click.echo(f"wrote {api.display_path(path)}")
        click.echo(f"Next: drafter factsheet {api.display_path(target)} --lang es")


def _free_target(target: Path, force: bool) -> Path:
    """The answers file's name, asked about as soon as it is known: overwrite, or a free name."""
    from drafter import wizard

    if force or not target.exists():
        return target
    if wizard.yes_no(f"{target} already exists. Overwrite it?", False):
        return target
    number = 2
    while (free := target.with_name(f"{target.stem}-{number}{target.suffix}")).exists():
        number += 1
    click.echo(f"The answers will go to {free}.")
    return free


def _resumed(path: Path) -> dict:
    """The answers an interrupted ``drafter new`` saved in ``path``."""
    from drafter import wizard
    from drafter.errors import DrafterError, Problem, Problems
    from drafter.resources import display_path
    from drafter.sources import load_yaml_file

    problems = Problems()
    doc = load_yaml_file(path, problems, display_path(path))
    problems.raise_errors()
    assert doc is not None
    progress = wizard.read_partial(doc.text or "", doc.data)
    if progress is None:
        raise DrafterError([Problem(display_path(path), message="this answers file is complete; "
                                    "there is no interview to resume",
                                    hint=f"build it with 'drafter build {display_path(path)}', or edit it")])
    return progress


def _save_partial(progress: dict, target: Path | None, *, force: bool) -> None:
    """Ctrl-C: keep what was answered, marked incomplete, and say how to go on."""
    from drafter import wizard
    from drafter.output import write_atomic

    click.echo("")
    if not progress:
        click.echo("Stopped; nothing was answered, so nothing was saved. "
                   "(Without a terminal, use drafter new --no-input.)", err=True)
        return
    if target is None:
        name = progress.get("name", "draft")
        target = Path(wizard.default_filename(wizard.Plan(name=name, kind="", state="")))
    if target.exists() and not force:  # never over a file the person did not agree to replace
        stem, number = target.stem + "-incomplete", 1
        while (target := target.with_name(f"{stem}{'' if number == 1 else f'-{number}'}.yaml")).exists():
            number += 1
    write_atomic(target, wizard.partial_yaml(progress), force=True)
    click.echo(f"Stopped. Your answers so far are saved in {target}; continue with:\n"
               f"  drafter new --resume {target}", err=True)


@cli.command("batch")
@click.argument("jurisdictions", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Folder for the drafts and report.json / report.txt (created if missing).")
@click.option("--preset", help="Preset for every row (a 'preset' column overrides it).")
@click.option("--answers", "base", type=click.Path(path_type=Path),
              help="An answers file whose values every row starts from.")
@click.option("-f", "--format", "formats", multiple=True,
              type=click.Choice(["docx", "md", "html", "txt", "pdf"]),
              help="Output format(s); default docx.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Parallel workers (default: the number of cores).")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@click.option("--force", is_flag=True, help="Overwrite existing drafts.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or table; problems only.")
@handle_errors
def batch_command(jurisdictions: Path, out_dir: Path, preset: str | None, base: Path | None,
                  formats: tuple[str, ...], jobs: int | None, library: Path | None, force: bool,
                  quiet: bool) -> None:
    """One draft per row of a CSV file (columns: name, kind, state, and any answers field)."""
    from drafter import api, core
    from drafter.batch import run_batch, write_reports
    from drafter.errors import Problems

    base_data: dict = {}
    if base is not None:
        # python values (dates stay dates): every row is validated from this mapping
        base_data = core.read_answers(base).answers.model_dump(exclude_defaults=True)
    console = _console()  # the -o folder is made once the CSV has been read (run_batch)
    err = _console(stderr=True)
    kwargs = dict(csv_path=jurisdictions, out_dir=out_dir, base=base_data, preset=preset,
                  formats=list(formats) or ["docx"], jobs=jobs or os.cpu_count() or 1,
                  force=force, library=library)
    if quiet:
        results = run_batch(**kwargs)
    else:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        from drafter.batch import read_rows

        total = len(read_rows(jurisdictions, Problems()))
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      disable=not err.is_terminal) as bar:
            task = bar.add_task("building drafts", total=total)
            results = run_batch(**kwargs, progress=lambda _: bar.advance(task))
    json_path, text_path = write_reports(results, out_dir)
    failed = [r for r in results if r.status == "failed"]
    for result in results:
        for line in result.errors:
            err.print(line, style="red", markup=False)
        for line in result.warnings if not quiet else []:
            err.print(line, style="yellow", markup=False)
    if not quiet:
        from rich.table import Table

        table = Table(title=f"{len(results)} jurisdictions")
        for column in ("built", "with warnings", "failed"):
            table.add_column(column, justify="right")
        table.add_row(str(sum(r.status == "built" for r in results)),
                      str(sum(r.status == "warned" for r in results)), str(len(failed)))
        console.print(table)
        console.print(f"report: {api.display_path(json_path)}, {api.display_path(text_path)}",
                      markup=False)
    if failed:
        sys.exit(EXIT_INVALID)


@cli.command("analyze")
@click.argument("policy", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Also write a memo: report.md, report.docx (or .html, .txt, .pdf).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (with taxonomy ids).")
@click.option("--state", help="Add what this state's law says (two-letter code, e.g. TX).")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@click.option("--force", is_flag=True, help="Overwrite the memo.")
@handle_errors
def analyze_command(policy: Path, output: Path | None, as_json: bool, state: str | None,
                    library: Path | None, force: bool) -> None:
    """Read an existing policy (.txt, .md, .docx, .pdf, .html): its protections, loopholes and gaps."""
    from drafter import api

    analysis, written = api.analyze(policy=policy, output=output, library=library, force=force,
                                    state=state)
    if as_json:
        click.echo(json.dumps(analysis.as_dict(), indent=2, ensure_ascii=False))
        return
    from drafter.analysis_report import terminal_lines
    from drafter.library import load_library

    console = _console()
    for text, style in terminal_lines(analysis, load_library(library), policy.name):
        console.print(text, style=style or None, markup=False)
    for path in written:
        console.print(f"\nwrote {api.display_path(path)}", markup=False)
    console.print("\nThe analysis reads the text with rules and word statistics, not judgment: check each finding "
                  "against the policy.", style="dim", markup=False)


@cli.command("factsheet")
@click.argument("answers", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
              help="Language of the fact sheet.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file (.md, .docx, .html, .txt, .pdf). Default: ANSWERS-factsheet-LANG.docx and .md.")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@state_law_options
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def factsheet_command(answers: Path, lang: str, output: Path | None, library: Path | None,
                      allow_preempted: bool | None, as_of: dt.date | None, below_floor: bool,
                      force: bool, quiet: bool) -> None:
    """A one-page plain-language summary of the draft for community meetings."""
    from drafter import api

    result = api.factsheet(answers=answers, lang=lang, output=output, library=library, force=force,
                           allow_preempted=allow_preempted, as_of=as_of, below_floor=below_floor)
    for path in result.outputs if not quiet else []:
        _console().print(f"wrote {api.display_path(path)}", markup=False)


@cli.command("score")
@click.argument("answers", type=click.Path(path_type=Path))
@click.option("--preset", help="Score the draft with this preset instead.")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@state_law_options
@click.option("--json", "as_json", is_flag=True, help="Print the scorecard as JSON.")
@handle_errors
def score_command(answers: Path, preset: str | None, library: Path | None,
                  allow_preempted: bool | None, as_of: dt.date | None, below_floor: bool,
                  as_json: bool) -> None:
    """Protection scorecard: what the draft carries, by area, against the strongest model."""
    from drafter import api

    card = api.score(answers=answers, preset=preset, library=library,
                     allow_preempted=allow_preempted, as_of=as_of, below_floor=below_floor)
    if as_json:
        click.echo(json.dumps(card, indent=2))
        return
    from rich.table import Table

    overall = card["overall"]
    table = Table(title=f"{card['jurisdiction']} · preset {card['preset']} · "
                        f"{overall['present']}/{overall['total']} protections ({overall['percent']}%)")
    for column in ("area", "score", "present", "missing"):
        table.add_column(column, overflow="fold")
    for key, area in card["areas"].items():
        table.add_row(key, f"{len(area['present'])}/{area['total']}",
                      "\n".join(area["present"]) or "-", "\n".join(area["missing"]) or "-")
    console = _console()
    console.print(table)
    for loophole in card["loopholes"]:
        where = f" ({loophole['clause']})" if loophole["clause"] else ""
        console.print(f"opens {loophole['id']}{where}: {loophole['description']}", style="yellow",
                      markup=False)
    if card["withheld_by_state_law"]:
        console.print("withheld by state law: " + ", ".join(card["withheld_by_state_law"]),
                      style="yellow", markup=False)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this computer needs a token.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--token", envvar="DRAFTER_TOKEN",
              help="Access token (or DRAFTER_TOKEN). With --host and no token, one is made up "
                   "and printed in the link.")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@click.option("--open/--no-open", "open_browser", default=None,
              help="Open the page in a browser (default: when run in a terminal).")
@handle_errors
def serve_command(host: str, port: int, token: str | None, library: Path | None,
                  open_browser: bool | None) -> None:
    """The guided interview in your web browser: drafts, fact sheets, the analyzer."""
    import secrets

    try:
        from drafter.web import serve
    except ImportError as exc:
        raise click.ClickException(f"drafter serve needs Flask and waitress ({exc.name} is missing): "
                                   "pip install 'drafter[web]'") from exc
    local = host in ("127.0.0.1", "localhost", "::1")
    if not local and not token:
        token = secrets.token_urlsafe(18)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"drafter is running at {url}\nOpen that address in your web browser. "
               "Press Ctrl-C here to stop it.")
    if not local:
        click.echo("It is reachable from other computers: share the link (with its token) only "
                   "with people who may see these drafts.", err=True)
    if open_browser is None:
        open_browser = sys.stdout.isatty() and local
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    serve(host=host, port=port, token=token, library=library)


@cli.group()
def clauses() -> None:
    """Browse the clause library."""


@clauses.command("list")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@click.option("--area", type=click.Choice(["detainers", "information", "access", "policing",
                                           "structure"]), help="Only this area.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one array of clauses).")
@handle_errors
def clauses_list(library: Path | None, area: str | None, as_json: bool) -> None:
    """List the clauses, in the order a draft uses them."""
    from drafter.library_index import list_clauses

    records = list_clauses(library=library, area=area)  # an unchanged library's index: no loading
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=f"{len(records)} clauses", show_lines=False)
    table.add_column("id", no_wrap=True)
    for column in ("title", "strength", "variant of", "provisions"):
        table.add_column(column)
    for r in records:
        strength = r["strength"] + (" (default)" if r["default"] else "")
        table.add_row(r["id"], r["title"], strength, r["variant_of"] or "",
                      ", ".join(r["provisions"]))
    _console().print(table)


@clauses.command("show")
@click.argument("clause_id")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_errors
def clauses_show(clause_id: str, library: Path | None, as_json: bool) -> None:
    """Show one clause: its fields, text and commentary."""
    from drafter import api

    record = api.show_clause(clause_id, library=library)
    if as_json:
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    console = _console()
    console.print(f"{record['id']}: {record['title']}", style="bold", markup=False)
    for key in ("area", "strength", "variant_of", "provisions", "opens", "authorities",
                "sources", "path"):
        value = record[key]
        if value:
            shown = ", ".join(value) if isinstance(value, list) else value
            console.print(f"  {key}: {shown}", markup=False)
    console.print(f"  summary (en): {record['summary']['en']}", markup=False)
    console.print(f"  summary (es): {record['summary']['es']}", markup=False)
    console.print("\nText", style="bold")
    console.print(record["text"], markup=False)
    console.print("\nCommentary", style="bold")
    console.print(record["commentary"], markup=False)


@cli.group(invoke_without_command=True)
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per state).")
@click.pass_context
@handle_errors
def states(ctx: click.Context, library: Path | None, as_json: bool) -> None:
    """What each state's law lets a city or county do: bans, mandates, floors."""
    if ctx.invoked_subcommand is not None:
        return
    from drafter import api

    rows = api.list_states(library=library)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} state rules ('drafter states show XX' for one)")
    for column in ("state", "name", "stance", "bans", "mandates", "floors", "checked"):
        table.add_column(column, no_wrap=column in ("state", "checked"))
    for r in rows:
        table.add_row(r["state"], r["name"], r["stance"], r["bans"], r["mandates"], r["floors"],
                      r["as_of"])
    _console().print(table)


@states.command("show")
@click.argument("state")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@handle_errors
def states_show(state: str, library: Path | None) -> None:
    """One state's rule: laws, penalties, bans, mandates, floors, effective dates, sources."""
    from drafter import api

    click.echo(api.show_state(state, library=library))


@cli.command()
@click.option("--library", type=click.Path(path_type=Path),
              help="Check this library folder (overlaid on the built-in one). Default: the "
                   "library you are in (the nearest folder with clauses/, walking up).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--info", "show_info", is_flag=True,
              help="Also show style notes (severity info), which never fail a check.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes to use for a large library (200 clauses or more).")
@click.option("--no-cache", is_flag=True,
              help="Check every clause and build every preset again, rather than reuse what an "
                   "earlier run found for the ones whose inputs have not changed.")
def check(library: Path | None, strict: bool, as_json: bool, show_info: bool, jobs: int,
          no_cache: bool) -> None:
    """Validate a clause library in one pass: files that would not load, schema, references,
    templates, lint, and every preset built for a city, a county and a state."""
    from drafter import api
    from drafter.checks import find_library

    if library is None:
        library = find_library(Path.cwd())
    result = api.check(library=library, jobs=jobs, cache=not no_cache)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    checked = getattr(result, "checked", "")
    if as_json:
        click.echo(json.dumps({"ok": not failed, "library": checked, "counts": result.counts,
                               "errors": len(result.errors), "warnings": len(result.warnings),
                               "problems": [p.as_dict() for p in result.problems]}, indent=2))
    else:
        console = _console(stderr=True)
        console.print(f"checking {checked}", markup=False)
        print_problems(console, result.problems, show_info=show_info)
        counts = ", ".join(f"{n} {k}" for k, n in result.counts.items())
        infos = len(result.problems) - len(result.errors) - len(result.warnings)
        errors, warnings = len(result.errors), len(result.warnings)
        summary = (f"{errors} error{'s' if errors != 1 else ''}, {warnings} "
                   f"warning{'s' if warnings != 1 else ''} ({infos} style notes: --info) in {counts}")
        console.print(summary, style="bold red" if failed else "bold green", markup=False)
    sys.exit(EXIT_INVALID if failed else 0)


@cli.command("absorb")
@click.argument("reviewed", type=click.Path(path_type=Path))
@click.option("--answers", type=click.Path(path_type=Path),
              help="The answers file the draft was built from. Default: found by the hash and "
                   "name the draft carries, next to it or in the current folder.")
@click.option("--library", type=click.Path(path_type=Path),
              help="The library overlay the draft was built with.")
@click.option("--into", type=click.Path(path_type=Path),
              help="Write the changed clauses into this overlay folder instead of the clause files.")
@click.option("--preset", help="The preset the draft was built with (default: read from the draft).")
@click.option("--profile", help="The profile the draft was built with.")
@click.option("--write", is_flag=True, help="Write the changes (without it, only show them).")
@click.option("--review", "review_out", type=click.Path(path_type=Path),
              help="Also write the comments as a Markdown review list to this file.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes, manual edits and comments as JSON.")
@handle_errors
def absorb_command(reviewed: Path, answers: Path | None, library: Path | None, into: Path | None,
                   preset: str | None, profile: str | None, write: bool, review_out: Path | None,
                   as_json: bool) -> None:
    """Bring a draft edited in Word (tracked changes, direct edits, comments) back into the
    clause files. Shows the changes and the diff; writes nothing without --write."""
    from drafter.absorb import absorb, is_builtin
    from drafter.errors import DrafterError, Problem
    from drafter.output import write_atomic
    from drafter.resources import display_path

    result = absorb(reviewed, answers=answers, library=library, into=into, preset=preset,
                    profile=profile, write=False)
    if write and into is None:
        installed = [p for p in result.files if is_builtin(p)]
        if installed:
            raise DrafterError([Problem(display_path(installed[0]), message="is the installed "
                                        "built-in library, not a copy you edit",
                                        hint="pass --into DIR to write the changes to your overlay")])
    if write:
        for path, (_old, new) in result.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, new.encode("utf-8"), force=True)
    review = _review_list(result)
    if review_out is not None:
        write_atomic(review_out, review.encode("utf-8"), force=True)
    err = _console(stderr=True)
    for warning in result.warnings:
        err.print(str(warning), style="yellow", markup=False)
    if as_json:
        def record(item: Any) -> dict[str, Any]:
            data = dict(vars(item))
            if "path" in data:
                data["path"] = display_path(data["path"])
            return data

        click.echo(json.dumps({"written": write, "changes": [record(c) for c in result.changes],
                               "manual": [record(m) for m in result.manual],
                               "comments": [record(c) for c in result.comments],
                               "files": [display_path(p) for p in result.files]}, indent=2))
        return
    out = _console()
    out.print(f"{len(result.changes)} change(s) placed in {len(result.files)} clause file(s); "
              f"{len(result.manual)} to place by hand; {len(result.comments)} comment(s)",
              markup=False)
    for change in result.changes:
        out.print(f"  {display_path(change.path)}:{change.line}: {change.kind}: "
                  f"{change.old!r} -> {change.new!r}  [{change.section}]", markup=False)
    for item in result.manual:
        out.print(f"  by hand: {item.clause} [{item.section}]: {item.old!r} -> {item.new!r} "
                  f"({item.reason})", style="yellow", markup=False)
    if result.comments:
        out.print(review, markup=False)
    diff = result.diff()
    if diff:
        out.print(diff, markup=False, highlight=False)
    if not write and result.files:
        out.print("nothing written (pass --write to write these changes)", markup=False)
    elif write:
        for path in result.files:
            out.print(f"wrote {display_path(path)}", markup=False)


def _review_list(result: Any) -> str:
    lines = ["# Review comments", ""] if result.comments else []
    for comment in result.comments:
        who = f" ({comment.author})" if comment.author else ""
        lines.append(f"- [ ] **{comment.section}** (`{comment.clause}`){who}: {comment.text}"
                     f"  \n  on: \"{comment.anchor}\"")
    return "\n".join(lines) + ("\n" if lines else "")


@cli.command("lint")
@click.argument("answers", type=click.Path(path_type=Path))
@click.option("--preset", help="Override the answers file's preset.")
@click.option("--profile", help="Override the document profile.")
@click.option("--library", type=click.Path(path_type=Path), help="A library overlay folder.")
@state_law_options
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--info", "show_info", is_flag=True, help="Also show style notes (severity info).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@handle_errors
def lint_command(answers: Path, preset: str | None, profile: str | None, library: Path | None,
                 allow_preempted: bool | None, as_of: dt.date | None, below_floor: bool,
                 strict: bool, show_info: bool, as_json: bool) -> None:
    """Drafting-style lint of the draft an ANSWERS file describes."""
    from drafter import api

    found = api.lint(answers=answers, preset=preset, profile=profile, library=library,
                     allow_preempted=allow_preempted, as_of=as_of, below_floor=below_floor)
    errors = [p for p in found if p.severity == "error"]
    warnings = [p for p in found if p.severity == "warning"]
    failed = bool(errors) or (strict and bool(warnings))
    if as_json:
        click.echo(json.dumps({"ok": not failed, "errors": len(errors), "warnings": len(warnings),
                               "findings": [p.as_dict() for p in found]}, indent=2))
    else:
        console = _console()
        print_problems(console, found, show_info=show_info)
        console.print(f"{len(errors)} errors, {len(warnings)} warnings, "
                      f"{len(found) - len(errors) - len(warnings)} style notes",
                      style="bold red" if failed else "bold green", markup=False)
    sys.exit(EXIT_INVALID if failed else 0)


def main() -> None:
    """Console-script entry point."""
    cli()
