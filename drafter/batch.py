"""``drafter batch``: one draft per row of a CSV file, built in parallel.

Columns ``name``, ``kind`` and ``state`` are required; any answers-file field may be a
column, by its dotted path (``jurisdiction.police``, ``code.chapter``, ``output.commentary``,
``params.structure.effective-date.effective_days``) or by the short names below.

No row is ever lost (issue 16): a bad row (any content: a 300-character name, a ragged
row, text Word cannot hold) fails alone, with the line where it starts in the CSV file
(physical lines, newlines inside quoted fields counted); the report has exactly one entry
per data row and is written even when the run fails or is interrupted (Ctrl-C, SIGTERM),
with rows that never ran marked ``interrupted``. Output names are ASCII slugs of any Unicode
name (``slug``), unique within a run (a ``-2``, ``-3`` suffix in CSV order).
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import re
import signal
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Problem, Problems
from drafter.resources import display_path

SHORT = {"name": "jurisdiction.name", "kind": "jurisdiction.kind", "state": "jurisdiction.state",
         "governing_body": "jurisdiction.governing_body", "police": "jurisdiction.police",
         "sheriff": "jurisdiction.sheriff", "agencies": "jurisdiction.agencies",
         "runs_jail": "jurisdiction.runs_jail", "commentary": "output.commentary",
         "profile": "output.profile", "layout": "output.layout"}
LISTS = {"jurisdiction.agencies", "include", "exclude", "output.formats"}
BOOLEANS = {"jurisdiction.runs_jail", "allow_preempted"}
TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0", ""}


@dataclass
class RowResult:
    """What happened to one row."""

    row: int  # line number in the CSV file where the row starts
    name: str
    kind: str
    state: str
    status: str  # built | warned | failed | interrupted
    output: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class CsvRow:
    """One data row: the line it starts on, its cells by column, and why it cannot be used."""

    line: int
    values: dict[str, str]
    error: str = ""

    def __iter__(self):  # noqa: ANN204 - (line, values), as read_rows returned before
        return iter((self.line, self.values))


def read_rows(path: Path, problems: Problems) -> list[CsvRow]:
    """The data rows with the line each starts on. A problem with the whole file (unreadable,
    missing or duplicate columns, columns that overlap) is recorded in ``problems``; a row
    with more or fewer cells than the header keeps its line and carries its own error."""
    shown = display_path(path)
    text = _read_csv_text(path, shown, problems)
    if text is None:
        return []
    # csv over the text itself (not splitlines): only \n, \r and \r\n end a record, a newline
    # inside quotes stays in its field, and reader.line_num counts physical lines
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header: list[str] | None = None
    rows: list[CsvRow] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                if not _header_ok(header, shown, start, problems):
                    return []
                continue
            values = {column: cell.strip() for column, cell in zip(header, record, strict=False)}
            error = ""
            if len(record) != len(header):
                error = (f"this row has {len(record)} fields but the header has {len(header)} "
                         "(quote a value that contains a comma; give every row every column)")
            rows.append(CsvRow(start, values, error))
    except csv.Error as exc:
        problems.add(shown, reader.line_num, message=f"not a readable CSV file: {exc}",
                     hint="save it as CSV (comma-separated, UTF-8)")
        return []
    if header is None:
        _header_ok([], shown, 1, problems)
    return rows


MAX_CSV_BYTES = 50_000_000  # about 500,000 rows


def _read_csv_text(path: Path, shown: str, problems: Problems) -> str | None:
    """The CSV file's text: a regular file only (a FIFO would block), UTF-8, bounded."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(21, "Is a directory")
            if not stat.S_ISREG(mode):
                problems.add(shown, message="cannot read: not a regular file (a device, pipe or "
                             "socket)", hint="name a CSV file")
                return None
            data = handle.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            problems.add(shown, message=f"cannot read: larger than {MAX_CSV_BYTES:,} bytes",
                         hint="split it into smaller files")
            return None
        return data.decode("utf-8")
    except OSError as exc:
        problems.add(shown, message=f"cannot read: {exc.strerror or exc}", hint="save it as UTF-8 CSV")
    except UnicodeDecodeError as exc:
        problems.add(shown, message=f"cannot read: not UTF-8 text ({exc.reason} at byte {exc.start})",
                     hint="save it as UTF-8 CSV")
    return None


def _header_ok(header: list[str], shown: str, line: int, problems: Problems) -> bool:
    missing = [c for c in ("name", "kind", "state") if c not in header]
    if missing:
        problems.add(shown, line, 1, message="missing column(s): " + ", ".join(missing),
                     hint="the first row must name the columns, at least name,kind,state")
        return False
    paths: dict[str, str] = {}
    for column in header:
        if not column:
            continue
        path = _column_path(column)
        if path in paths:
            problems.add(shown, line, message=f"columns '{paths[path]}' and '{column}' both set {path}",
                         hint="keep one of them")
            return False
        paths[path] = column
    for path, column in paths.items():
        for other, other_column in paths.items():
            if other.startswith(path + ".") and not path.startswith("params"):
                problems.add(shown, line, message=f"column '{column}' sets {path}, which column "
                             f"'{other_column}' sets a part of", hint="keep one of them")
                return False
    return True


def _column_path(column: str) -> str:
    path = SHORT.get(column, column)
    return "jurisdiction." + path if path.startswith("code.") else path


def row_answers(row: dict[str, str], base: dict[str, Any], preset: str | None) -> dict[str, Any]:
    """The answers data for one row: the base answers, then the row's columns."""
    data: dict[str, Any] = copy.deepcopy(dict(base))  # dates stay dates
    if preset:
        data["preset"] = preset
    for column, value in row.items():
        if not column:
            continue
        path = _column_path(column)
        if value == "" and path not in ("jurisdiction.name", "jurisdiction.kind",
                                        "jurisdiction.state"):
            continue
        _set(data, path, _typed(path, value))
    return data


def _typed(path: str, value: str) -> Any:
    if path in LISTS:
        return [item.strip() for item in re.split(r"[;|]", value) if item.strip()]
    if path in BOOLEANS:
        lowered = value.lower()
        return True if lowered in TRUE else False if lowered in FALSE else value
    if path.startswith("params."):
        if re.fullmatch(r"-?\d+", value):
            return int(value)
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        if ";" in value:
            return [item.strip() for item in value.split(";") if item.strip()]
    return value


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    if path.startswith("params."):
        # params.<clause id with dots>.<param>: the clause id is everything but the last part
        rest = path[len("params."):]
        clause, _, name = rest.rpartition(".")
        data.setdefault("params", {}).setdefault(clause, {})[name] = value
        return
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):  # e.g. --answers gave a text where a column wants a mapping
            raise DrafterError([Problem("columns", message=f"column {path} goes inside "
                                        f"'{part}', which is not a mapping", field=path)])
    node[parts[-1]] = value


_LATIN_EXTRA = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l",
               "þ": "th", "ı": "i", "ŋ": "n", "ħ": "h", "ŧ": "t", "ĸ": "k", "ſ": "s"}
MAX_SLUG = 80  # characters of a name kept in a file name (with kind, state, suffix: well under 255)


def transliterate(text: str) -> tuple[str, bool]:
    """``text`` in lower-case ASCII letters, digits and hyphens, and whether any letter or
    digit had no Latin form and was left out (東京). São Paulo -> sao-paulo, Straße -> strasse."""
    out, dropped = [], False
    for char in unicodedata.normalize("NFKD", text.lower()):
        char = _LATIN_EXTRA.get(char, char)
        if char.isascii():
            out.append(char if char.isalnum() else "-")
        elif unicodedata.category(char) == "Mn":
            continue  # an accent, split off by NFKD
        elif char.isalnum():
            dropped = True
        else:
            out.append("-")
    return re.sub(r"-+", "-", "".join(out)).strip("-"), dropped


def slug(data: dict[str, Any]) -> str:
    """A stable file name for a row's draft: name-kind-state in ASCII.

    A name with letters that have no Latin form, or too long to keep whole, gets a short hash
    of the whole name, so 東京 and 大阪 never share a name (``2a1e0c-city-ca`` and ``…``)."""
    j = data.get("jurisdiction", {})
    j = j if isinstance(j, dict) else {}
    name = unicodedata.normalize("NFC", str(j.get("name", "")))
    base, dropped = transliterate(name)
    if dropped or len(base) > MAX_SLUG:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
        base = "-".join(part for part in (base[:MAX_SLUG].strip("-"), digest) if part)
    rest, _ = transliterate(f"{j.get('kind', '')} {j.get('state', '')}")
    return "-".join(part for part in (base, rest[:40]) if part) or "draft"


def unique_slugs(datas: list[dict[str, Any]]) -> list[str]:
    """``slug`` of each row, with -2, -3 ... on the second and later rows that would share one
    (in CSV order, so the same CSV always gives the same names)."""
    seen: dict[str, int] = {}
    taken = set()
    out = []
    for data in datas:
        name = slug(data)
        candidate = name
        while candidate in taken:
            seen[name] = seen.get(name, 1) + 1
            candidate = f"{name}-{seen[name]}"
        taken.add(candidate)
        out.append(candidate)
    return out


# ---------------------------------------------------------------- workers

_LIBRARY = None


def _init_worker(library_path: str | None, worker: bool = True) -> None:
    global _LIBRARY
    from drafter.library import load_library

    if worker:
        # Ctrl-C goes to the whole process group: the main process stops the run and writes
        # the report; a worker just finishes its row
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _LIBRARY = load_library(Path(library_path) if library_path else None)


Task = tuple[int, "dict[str, Any] | None", str, str, list[str], bool, str, str]


def build_row(task: Task) -> RowResult:
    """Build one row's draft (runs in a worker process). Never raises for a row, whatever it
    holds: a ``DrafterError`` is the row's errors, anything else an internal error of the row."""
    line, data, csv_name, out_dir, formats, force, stem, row_error = task
    from drafter import core
    from drafter.output import write_all

    j = data.get("jurisdiction", {}) if isinstance(data, dict) else {}
    j = j if isinstance(j, dict) else {}
    result = RowResult(line, _shown(j.get("name", "")), _shown(j.get("kind", "")),
                       _shown(j.get("state", "")), "failed")
    where = f"{csv_name}: row {line}"
    try:
        if row_error:
            raise DrafterError([Problem(where, message=row_error)])
        assert _LIBRARY is not None and data is not None
        draft = core.build(core.answers_from_mapping(data, name=where), library=_LIBRARY)
        payloads = [(Path(out_dir) / f"{stem}.{fmt}", draft.render(fmt)) for fmt in formats]
        write_all(payloads, force=force)  # every format or none
        result.output = ", ".join(path.name for path, _ in payloads)
        result.warnings = [_row_message(p, where) for p in draft.warnings]
        result.status = "warned" if result.warnings else "built"
    except DrafterError as exc:
        result.errors = [_row_message(p, where) for p in exc.problems]
    except Exception as exc:  # noqa: BLE001 - one row must never end the batch
        result.errors = [f"{where}: internal error: {type(exc).__name__}: {_shown(str(exc))} "
                         "(please report it, with this row)"]
    return result


def _shown(value: Any) -> str:
    """Text for the report: characters no file can hold shown as escapes."""
    from drafter.sources import UNWRITABLE

    return UNWRITABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value))


def _row_message(problem: Problem, where: str) -> str:
    """One line per problem: the row, the field when known, what is wrong and the fix."""
    text = problem.message + (f" ({problem.hint})" if problem.hint else "")
    field = f"{problem.field}: " if problem.field and not text.startswith(problem.field) else ""
    return f"{where}: {field}{text}"


def run_batch(*, csv_path: Path, out_dir: Path, base: dict[str, Any], preset: str | None,
              formats: list[str], jobs: int, force: bool, library: Path | None,
              progress: Callable[[RowResult], None] | None = None) -> list[RowResult]:
    """Build every row; results in row order, one per data row. The output folder is made
    only once the CSV has been read; report.json and report.txt are written there however
    the run ends (an interrupt is raised again once they are)."""
    from drafter.output import terminate_raises

    problems = Problems()
    rows = read_rows(csv_path, problems)
    problems.raise_errors()
    if not rows:
        raise DrafterError([Problem(display_path(csv_path), message="no rows",
                                    hint="add one row per jurisdiction under the header")])
    _make_folder(out_dir)
    csv_name = display_path(csv_path)
    datas: list[dict[str, Any] | None] = []
    errors: list[str] = []
    for row in rows:
        error = row.error
        try:
            data: dict[str, Any] | None = row_answers(row.values, base, preset)
        except DrafterError as exc:
            data, error = None, error or "; ".join(p.message for p in exc.problems)
        datas.append(data)
        errors.append(error)
    stems = unique_slugs([d if d is not None else {"jurisdiction": row.values.get("name", "")}
                          for d, row in zip(datas, rows, strict=True)])
    tasks: list[Task] = [(row.line, data, csv_name, str(out_dir), formats, force, stem, error)
                         for row, data, stem, error in zip(rows, datas, stems, errors, strict=True)]
    results: list[RowResult | None] = [None] * len(tasks)
    library_arg = str(library) if library else None
    try:
        with terminate_raises():
            if jobs <= 1:
                _init_worker(library_arg, worker=False)
                for index, task in enumerate(tasks):
                    results[index] = build_row(task)
                    if progress:
                        progress(results[index])  # type: ignore[arg-type]
            else:
                _run_pool(tasks, results, jobs, library_arg, progress)
    finally:
        final = [result if result is not None else _not_run(task)
                 for task, result in zip(tasks, results, strict=True)]
        write_reports(final, out_dir)
    return final


def _run_pool(tasks: list[Task], results: list[RowResult | None], jobs: int,
              library_arg: str | None, progress: Callable[[RowResult], None] | None) -> None:
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(library_arg,))
    pending: dict[Future[RowResult], int] = {}
    try:
        for index, task in enumerate(tasks):
            pending[pool.submit(build_row, task)] = index
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                try:
                    results[index] = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker that died fails its row only
                    line, _, csv_name = tasks[index][:3]
                    results[index] = _not_run(tasks[index], status="failed", why=(
                        f"{csv_name}: row {line}: internal error: the worker process failed "
                        f"({type(exc).__name__}: {_shown(str(exc))})"))
                if progress:
                    progress(results[index])  # type: ignore[arg-type]
    finally:
        # interrupted: rows not started are cancelled, rows running finish (their files are
        # written whole) and are reported as what they are
        pool.shutdown(wait=True, cancel_futures=True)
        for future, index in pending.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                results[index] = future.result()


def _not_run(task: Task, *, status: str = "interrupted", why: str = "") -> RowResult:
    line, data, csv_name = task[:3]
    j = data.get("jurisdiction", {}) if isinstance(data, dict) else {}
    j = j if isinstance(j, dict) else {}
    return RowResult(line, _shown(j.get("name", "")), _shown(j.get("kind", "")),
                     _shown(j.get("state", "")), status,
                     errors=[why or f"{csv_name}: row {line}: not built: the run was interrupted"])


def _make_folder(out_dir: Path) -> None:
    from drafter.output import OutputError

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError([Problem(display_path(out_dir), message="is a file, not a folder",
                                   hint="-o names the folder the drafts go in")])
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([Problem(display_path(out_dir), message=f"cannot make this folder: "
                                   f"{exc.strerror}", hint="choose another -o")]) from None


def write_reports(results: list[RowResult], out_dir: Path) -> tuple[Path, Path]:
    """report.json and report.txt in the output folder (always rewritten)."""
    from drafter.output import write_atomic

    counts = {status: sum(r.status == status for r in results)
              for status in ("built", "warned", "failed")}
    interrupted = sum(r.status == "interrupted" for r in results)
    if interrupted:
        counts["interrupted"] = interrupted
    data = {"summary": counts, "rows": [asdict(r) for r in results]}
    json_path, text_path = out_dir / "report.json", out_dir / "report.txt"
    write_atomic(json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", force=True)
    lines = [f"{counts['built']} built, {counts['warned']} built with warnings, "
             f"{counts['failed']} failed" + (f", {interrupted} not built (interrupted)"
                                             if interrupted else ""), ""]
    for r in results:
        lines.append(f"row {r.row}: {r.name} ({r.kind}, {r.state}): {r.status}"
                     + (f" -> {r.output}" if r.output else ""))
        lines += [f"    warning: {w}" for w in r.warnings]
        lines += [f"    error: {e}" for e in r.errors]
    write_atomic(text_path, "\n".join(lines) + "\n", force=True)
    return json_path, text_path
