"""``drafter batch``: one draft per row of a CSV file, built in parallel.

Columns ``name``, ``kind`` and ``state`` are required; any answers-file field may be a
column, by its dotted path (``jurisdiction.police``, ``code.chapter``, ``output.commentary``,
``params.structure.effective-date.effective_days``) or by the short names below. A bad row
fails alone, with its row number; the rest still build.
"""

from __future__ import annotations

import copy
import csv
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
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

    row: int  # line number in the CSV file
    name: str
    kind: str
    state: str
    status: str  # built | warned | failed
    output: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_rows(path: Path, problems: Problems) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; a missing required column is a problem for the whole file."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(shown, message=f"cannot read: {exc}", hint="save it as UTF-8 CSV")
        return []
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in ("name", "kind", "state") if c not in columns]
    if missing:
        problems.add(shown, 1, 1, message="missing column(s): " + ", ".join(missing),
                     hint="the first row must name the columns, at least name,kind,state")
        return []
    rows = []
    for row in reader:
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    return rows


def row_answers(row: dict[str, str], base: dict[str, Any], preset: str | None) -> dict[str, Any]:
    """The answers data for one row: the base answers, then the row's columns."""
    data: dict[str, Any] = copy.deepcopy(dict(base))  # dates stay dates
    if preset:
        data["preset"] = preset
    for column, value in row.items():
        if not column:
            continue
        path = SHORT.get(column, column)
        if path.startswith("code."):
            path = "jurisdiction." + path
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
    node[parts[-1]] = value


def slug(data: dict[str, Any]) -> str:
    """A file name for a row's draft: name-kind-state."""
    j = data.get("jurisdiction", {})
    text = f"{j.get('name', '')} {j.get('kind', '')} {j.get('state', '')}".lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "draft"


# ---------------------------------------------------------------- workers

_LIBRARY = None


def _init_worker(library_path: str | None) -> None:
    global _LIBRARY
    from drafter.library import load_library

    _LIBRARY = load_library(Path(library_path) if library_path else None)


def build_row(task: tuple[int, dict[str, Any], str, str, list[str], bool]) -> RowResult:
    """Build one row's draft (runs in a worker process; never raises for bad input)."""
    line, data, csv_name, out_dir, formats, force = task
    from drafter import core
    from drafter.output import check_writable, write_atomic

    j = data.get("jurisdiction", {})
    result = RowResult(line, str(j.get("name", "")), str(j.get("kind", "")),
                       str(j.get("state", "")), "failed")
    where = f"{csv_name}: row {line}"
    try:
        assert _LIBRARY is not None
        draft = core.build(core.answers_from_mapping(data, name=where), library=_LIBRARY)
        stem = Path(out_dir) / slug(data)
        paths = []
        for fmt in formats:
            path = stem.with_suffix("." + fmt)
            check_writable(path, force=force)
            write_atomic(path, draft.render(fmt), force=force)
            paths.append(path.name)
        result.output = ", ".join(paths)
        result.warnings = [_row_message(p, where) for p in draft.warnings]
        result.status = "warned" if result.warnings else "built"
    except DrafterError as exc:
        result.errors = [_row_message(p, where) for p in exc.problems]
    return result


def _row_message(problem: Problem, where: str) -> str:
    """One line per problem: the row, the field when known, what is wrong and the fix."""
    text = problem.message + (f" ({problem.hint})" if problem.hint else "")
    field = f"{problem.field}: " if problem.field and not text.startswith(problem.field) else ""
    return f"{where}: {field}{text}"


def run_batch(*, csv_path: Path, out_dir: Path, base: dict[str, Any], preset: str | None,
              formats: list[str], jobs: int, force: bool, library: Path | None,
              progress: Callable[[RowResult], None] | None = None) -> list[RowResult]:
    """Build every row; results in row order."""
    problems = Problems()
    rows = read_rows(csv_path, problems)
    problems.raise_errors()
    if not rows:
        raise DrafterError([Problem(display_path(csv_path), message="no rows",
                                    hint="add one row per jurisdiction under the header")])
    tasks = [(line, row_answers(row, base, preset), display_path(csv_path), str(out_dir),
              formats, force) for line, row in rows]
    results: list[RowResult] = []
    library_arg = str(library) if library else None
    if jobs <= 1:
        _init_worker(library_arg)
        iterator: Iterator[RowResult] = map(build_row, tasks)
        for result in iterator:
            results.append(result)
            if progress:
                progress(result)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(library_arg,)) as pool:
            for result in pool.map(build_row, tasks, chunksize=max(1, len(tasks) // (jobs * 8))):
                results.append(result)
                if progress:
                    progress(result)
    return results


def write_reports(results: list[RowResult], out_dir: Path) -> tuple[Path, Path]:
    """report.json and report.txt in the output folder (always rewritten)."""
    from drafter.output import write_atomic

    counts = {status: sum(r.status == status for r in results)
              for status in ("built", "warned", "failed")}
    data = {"summary": counts, "rows": [asdict(r) for r in results]}
    json_path, text_path = out_dir / "report.json", out_dir / "report.txt"
    write_atomic(json_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", force=True)
    lines = [f"{counts['built']} built, {counts['warned']} built with warnings, "
             f"{counts['failed']} failed", ""]
    for r in results:
        lines.append(f"row {r.row}: {r.name} ({r.kind}, {r.state}): {r.status}"
                     + (f" -> {r.output}" if r.output else ""))
        lines += [f"    warning: {w}" for w in r.warnings]
        lines += [f"    error: {e}" for e in r.errors]
    write_atomic(text_path, "\n".join(lines) + "\n", force=True)
    return json_path, text_path
