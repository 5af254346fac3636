"""The one Jinja environment: sandboxed, strict, and safe for shared clause libraries.

Clause files come from other organizations, so templates are untrusted: no includes or
imports, no access to internals, and no way to blow up strings or numbers. Errors come
back as located problems naming the clause file and the line in that file.
"""

from __future__ import annotations

import operator
import re
import traceback
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, Template, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from drafter.errors import Problem

MAX_OUTPUT = 200_000  # characters one clause may render to
MAX_REPEAT = 10_000  # largest repetition of a string or list
MAX_INT = 10**12
UNSAFE_METHODS = frozenset({"format", "format_map", "center", "ljust", "rjust", "zfill",
                            "expandtabs", "mro"})
SAFE_FILTERS = frozenset({
    "abs", "capitalize", "default", "d", "first", "int", "join", "last", "length", "count",
    "list", "lower", "max", "min", "replace", "reverse", "round", "select", "reject", "sort",
    "string", "sum", "title", "trim", "unique", "upper", "wordcount", "float", "batch", "map",
})
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Markdown(str):
    """Text that is already Markdown and must not be escaped (e.g. a formatted citation)."""


class _NoLoader(BaseLoader):
    def get_source(self, environment: Any, template: str) -> Any:
        raise TemplateNotFound(
            f"{template} (clause files cannot include or import other files)")


class LibrarySandbox(SandboxedEnvironment):
    """A sandbox that also refuses resource blow-ups."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if not (isinstance(left, int) and isinstance(right, int)) or abs(right) > 64:
                raise SecurityError("exponents above 64 are not allowed in clause files")
            return _bounded(left**right)
        if operator_name == "*":
            for seq, times in ((left, right), (right, left)):
                if (isinstance(seq, (str, list, tuple)) and isinstance(times, int)
                        and times * max(len(seq), 1) > MAX_REPEAT):
                    raise SecurityError("repetition larger than 10,000 items is not allowed")
            return _bounded(operator.mul(left, right))
        if operator_name == "%":
            if isinstance(left, str):
                raise SecurityError("%-formatting is not allowed in clause files")
            return operator.mod(left, right)
        if (isinstance(left, (str, list)) and isinstance(right, (str, list))
                and len(left) + len(right) > MAX_OUTPUT):
            raise SecurityError("text grew beyond the size limit")
        return _bounded(operator.add(left, right))

    def wrap_str_format(self, value: Any) -> None:
        # Jinja's sandbox hands str.format to its own formatter before checking the
        # attribute; widths like '{:>999999999}' would allocate gigabytes. Refuse it.
        if getattr(value, "__name__", None) in ("format", "format_map") and isinstance(
                getattr(value, "__self__", None), str):
            raise SecurityError("str.format is not allowed in clause files")
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in UNSAFE_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)


def _bounded(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise SecurityError("numbers larger than a trillion are not allowed in clause files")
    return value


def escape_markdown(value: Any) -> str:
    """A value as literal text in Markdown; ``Markdown`` values pass through."""
    if value is None:
        return ""
    if isinstance(value, Markdown):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = _XML_ILLEGAL.sub("", str(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", text, flags=re.M)


def strip_illegal(text: str) -> str:
    """Remove characters that cannot appear in XML (and so would corrupt a .docx)."""
    return _XML_ILLEGAL.sub("", text)


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens - 2] + ("-" + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" " + _words(rest) if rest else "")
    thousands, rest = divmod(n, 1000)
    return _words(thousands) + " thousand" + (" " + _words(rest) if rest else "")


def number_words(value: Any) -> str:
    """30 -> 'thirty (30)': the legal convention for numbers in operative text."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1_000_000:
        return str(value)
    return f"{_words(value)} ({value})"


def _join(items: Iterable[Any], word: str) -> str:
    parts = [str(i) for i in items]
    if len(parts) <= 2:
        return f" {word} ".join(parts)
    return ", ".join(parts[:-1]) + f", {word} " + parts[-1]


def join_and(items: Iterable[Any]) -> str:
    """['a', 'b', 'c'] -> 'a, b, and c'."""
    return _join(items, "and")


def join_or(items: Iterable[Any]) -> str:
    """['a', 'b', 'c'] -> 'a, b, or c'."""
    return _join(items, "or")


def make_environment() -> LibrarySandbox:
    """The sandbox every clause, definition and finding is rendered in."""
    env = LibrarySandbox(loader=_NoLoader(), undefined=StrictUndefined, autoescape=False,
                         keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                         finalize=escape_markdown)
    env.filters = {name: f for name, f in env.filters.items() if name in SAFE_FILTERS}
    env.filters.update(number_words=number_words, join_and=join_and, join_or=join_or)
    env.globals = {"range": env.globals["range"]}
    return env


_ENV: LibrarySandbox | None = None


def environment() -> LibrarySandbox:
    """The shared environment (templates are compiled per call; the environment is reused)."""
    global _ENV
    if _ENV is None:
        _ENV = make_environment()
    return _ENV


class RenderError(Exception):
    """A template failed; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def render(source: str, context: Mapping[str, Any], *, display: str, first_line: int = 1,
           what: str = "template") -> str:
    """Render ``source`` (which starts at ``first_line`` of ``display``) in the sandbox."""
    try:
        template = _compiled(source, display, first_line)
        text = template.render(**context)
        padding = "\n" * (first_line - 1)
        if text.startswith(padding):
            text = text[len(padding):]
    except TemplateSyntaxError as exc:
        raise RenderError(Problem(display, exc.lineno or first_line, 0,
                                  f"{what} syntax error: {exc.message}",
                                  "check the {{ }} and {% %} tags on this line")) from exc
    except SecurityError as exc:
        raise RenderError(Problem(display, _template_line(exc, first_line), 0,
                                  f"{what} refused by the sandbox: {exc}",
                                  "clause files may only use their parameters and documented "
                                  "variables")) from exc
    except UndefinedError as exc:
        raise RenderError(Problem(display, _template_line(exc, first_line), 0,
                                  f"{what} uses an undefined variable: {exc.message}",
                                  "declare it under 'params' or use a documented variable")) from exc
    except TemplateNotFound as exc:
        raise RenderError(Problem(display, _template_line(exc, first_line), 0,
                                  f"{what} may not include or import: {exc.message}",
                                  "remove the {% include %} or {% import %} tag")) from exc
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        hint = ""
        if isinstance(exc, LookupError) and not isinstance(exc, TemplateError):
            hint = "a ref() or cite() names an id that does not exist"
        raise RenderError(Problem(display, _template_line(exc, first_line), 0,
                                  f"{what} error: {message}", hint)) from exc
    if len(text) > MAX_OUTPUT:
        raise RenderError(Problem(display, first_line, 0,
                                  f"{what} renders to {len(text):,} characters",
                                  f"the limit is {MAX_OUTPUT:,}"))
    return text


@lru_cache(maxsize=8192)
def _compiled(source: str, display: str, first_line: int) -> Template:
    """Compile once per (source, file, line): a build renders each clause more than once."""
    padded = "\n" * (first_line - 1) + source  # so Jinja's line numbers are the file's
    template = environment().from_string(padded)
    template.filename = display
    template.name = display
    return template


def _template_line(exc: BaseException, default: int) -> int:
    """The line of the innermost template frame in the exception's traceback."""
    line = default
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and frame.filename.startswith("<template>") and frame.lineno:
            line = frame.lineno
    for frame in traceback.extract_tb(exc.__traceback__):
        if (frame.name in {"top-level template code", "<module>"} and frame.lineno
                and frame.filename and not frame.filename.endswith(".py")):
            line = frame.lineno
    return line


def undeclared_variables(source: str) -> set[str]:
    """Top-level names a template reads (for the 'undeclared parameter' check)."""
    from jinja2 import meta

    return set(meta.find_undeclared_variables(environment().parse(source)))

