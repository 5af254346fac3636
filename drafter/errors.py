"""Problems a user can cause, reported all at once with their location.

Errors carry data and never print: the CLI decides how to show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "info"]


class Location(NamedTuple):
    """Where an input problem is: a file's line and column, and the field when known.

    Answers from a mapping or a web form have no lines (0, 0): the field names the place.
    """

    path: str
    line: int = 0
    col: int = 0
    field: str = ""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    hint: str = ""
    severity: Severity = "error"
    rule: str = ""
    field: str = ""  # the answers field at fault, e.g. "jurisdiction.state" (a form names it)

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        elif self.field:
            # answers from a mapping or a form have no lines: name the field instead
            where += f":{self.field}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.rule:
            text = f"{where}: {self.severity}[{self.rule}]: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self) -> dict[str, object]:
        """The stable JSON form used by ``--json`` output."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
            **({"field": self.field} if self.field else {}),
        }

    @classmethod
    def at(cls, where: Location, message: str, hint: str = "", severity: Severity = "error",
           rule: str = "") -> Problem:
        """A problem at a location (see ``Location``)."""
        return cls(where.path, where.line, where.col, message, hint, severity, rule, where.field)


class DrafterError(Exception):
    """Bad input: one or more problems, each with file, line and a way to fix it."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(path="drafter", message=problems)]
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.path, problem.line, problem.col, problem.message)


@dataclass
class Problems:
    """A collector: code that can find many problems appends here and raises once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str | Path | Location, line: int = 0, col: int = 0, *, message: str,
            hint: str = "", severity: Severity = "error", rule: str = "", field: str = "") -> None:
        if isinstance(path, Location):
            path, line, col, field = path
        self.items.append(Problem(str(path), line, col, message, hint, severity, rule, field))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_errors(self) -> None:
        """Raise every error collected so far, if there is any."""
        if self.errors:
            raise DrafterError(self.errors)
