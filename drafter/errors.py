"""Problems a user can cause, reported all at once with their location.

Errors carry data and never print: the CLI decides how to show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "info"]


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

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
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
        }


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

    def add(self, path: str | Path, line: int = 0, col: int = 0, *, message: str,
            hint: str = "", severity: Severity = "error", rule: str = "") -> None:
        self.items.append(Problem(str(path), line, col, message, hint, severity, rule))

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
