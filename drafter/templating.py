"""The one Jinja environment: sandboxed, immutable, bounded, and safe for shared clause libraries.

Clause files come from other organizations, so templates are untrusted (docs/security.md):
no includes or imports, no access to internals, no way to change any value a template can
reach (so one clause cannot alter another's text), and limits on every resource a template
can spend: loop steps, output, value sizes, call depth, nesting and time. Every failure
comes back as a located problem naming the clause file and the line in that file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import operator
import re
import time
import traceback
import types
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jinja2 import (
    BaseLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    nodes,
    pass_context,
    pass_environment,
    pass_eval_context,
)
from jinja2.exceptions import SecurityError, TemplateRuntimeError, UndefinedError
from jinja2.filters import make_attrgetter
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from drafter import limits, parse_cache
from drafter.errors import Problem

# Methods that build strings far larger than their inputs; the bounded filters do the same job.
UNSAFE_METHODS = frozenset({"format", "format_map", "center", "ljust", "rjust", "zfill",
                            "expandtabs", "mro", "replace", "join", "translate", "maketrans"})
# Methods that change a list, dict or set: refused on any container, read-only views included,
# so a template gets a clear "unsafe" refusal rather than a missing attribute.
MUTATORS = frozenset({"append", "extend", "insert", "pop", "popitem", "remove", "clear", "update",
                      "setdefault", "add", "discard", "sort", "reverse", "difference_update",
                      "intersection_update", "symmetric_difference_update"})
SAFE_FILTERS = frozenset({
    "abs", "capitalize", "default", "d", "first", "int", "join", "last", "length", "count",
    "list", "lower", "max", "min", "replace", "reverse", "round", "select", "reject", "sort",
    "string", "sum", "title", "trim", "unique", "upper", "wordcount", "float", "batch", "map",
})
# Names a template cannot type (they are not identifiers): the guards the compiler inserts.
_LOOP_GUARD = "drafter loop guard"
_CONCAT_GUARD = "drafter concat guard"
_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
_CONTAINERS = (Mapping, Sequence, Set)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SEE = "limits: docs/security.md"


class Markdown(str):
    """Text that is already Markdown and must not be escaped (e.g. a formatted citation)."""


class ResourceLimit(TemplateRuntimeError):
    """A template went over one of the limits in drafter/limits.py."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = f"{hint}; {_SEE}"


@dataclass
class _Budget:
    """What one render has spent so far (one per render; renders never share one)."""

    deadline: float
    iterations: int = 0
    output: int = 0
    depth: int = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ResourceLimit(f"took longer than {limits.MAX_RENDER_SECONDS:g} seconds to render",
                                "simplify its loops and filters")

    def step(self) -> None:
        self.iterations += 1
        if self.iterations > limits.MAX_LOOP_ITERATIONS:
            raise ResourceLimit(f"loops ran more than {limits.MAX_LOOP_ITERATIONS:,} times",
                                "loop over the short lists a clause needs, not large ranges")
        self.check_time()

    def write(self, size: int) -> None:
        self.output += size
        if self.output > limits.MAX_OUTPUT:
            raise ResourceLimit(f"writes more than {limits.MAX_OUTPUT:,} characters",
                                "a clause is a few pages at most: check its loops and repeated text")


_BUDGET: ContextVar[_Budget | None] = ContextVar("drafter_render_budget", default=None)


def _check_size(size: int, what: str = "a value") -> None:
    if size > limits.MAX_VALUE:
        raise ResourceLimit(f"builds {what} of more than {limits.MAX_VALUE:,} characters or items",
                            "check join, replace, ~ and + on large values")


def _bounded(value: Any) -> Any:
    """``value`` if it is within the size and number limits (a filter or call result)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limits.MAX_INT:
        raise SecurityError("numbers larger than a trillion are not allowed in clause files")
    if isinstance(value, _SIZED):
        _check_size(len(value))
    return value


class _NoLoader(BaseLoader):
    def get_source(self, environment: Any, template: str) -> Any:
        raise TemplateNotFound(
            f"{template} (clause files cannot include or import other files)")


class _Guards(NodeTransformer):
    """Route every loop and every ``~`` through a guard filter, so each step is counted."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, _LOOP_GUARD, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        items = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(items, _CONCAT_GUARD, [], [], None, None, lineno=node.lineno)


@pass_context
def _loop_guard(context: Any, iterable: Any) -> Iterator[Any]:
    # pass_context keeps Jinja from evaluating it at compile time
    budget = _BUDGET.get()
    for item in iterable:
        if budget is not None:
            budget.step()
        yield item


@pass_context
def _concat_guard(context: Any, parts: list[Any]) -> str:
    texts = [str(part) for part in parts]
    _check_size(sum(map(len, texts)), "joined text")
    return "".join(texts)


class LibrarySandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with every resource a template can spend bounded."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        _spend_time()
        if operator_name == "**":
            if not (isinstance(left, int) and isinstance(right, int)) or abs(right) > 64:
                raise SecurityError("exponents above 64 are not allowed in clause files")
            return _bounded(left**right)
        if operator_name == "*":
            for seq, times in ((left, right), (right, left)):
                if (isinstance(seq, _SIZED) and isinstance(times, int)
                        and times * max(len(seq), 1) > limits.MAX_REPEAT):
                    raise SecurityError(f"repetition larger than {limits.MAX_REPEAT:,} items is not allowed")
            return _bounded(operator.mul(left, right))
        if operator_name == "%":
            if isinstance(left, (str, bytes)):
                raise SecurityError("%-formatting is not allowed in clause files")
            return operator.mod(left, right)
        if isinstance(left, _SIZED) and isinstance(right, _SIZED):
            _check_size(len(left) + len(right))
        return _bounded(operator.add(left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # Every call a template makes (macros, methods, ref, cite, range) passes here.
        budget = _BUDGET.get()
        if budget is None:
            return _bounded(super().call(__context, __obj, *args, **kwargs))
        budget.check_time()
        budget.depth += 1
        try:
            if budget.depth > limits.MAX_CALL_DEPTH:
                raise ResourceLimit(f"calls nested more than {limits.MAX_CALL_DEPTH} deep",
                                    "a macro that calls itself must stop: remove the recursion")
            return _bounded(super().call(__context, __obj, *args, **kwargs))
        finally:
            budget.depth -= 1

    def concat(self, parts: Iterable[str]) -> str:  # type: ignore[override]
        # Jinja joins every rendered, captured ({% set %}, macro) or filtered block here.
        out: list[str] = []
        total = 0
        for part in parts:
            total += len(part)
            if total > limits.MAX_OUTPUT:
                raise ResourceLimit(f"writes more than {limits.MAX_OUTPUT:,} characters",
                                    "a clause is a few pages at most: check its loops and repeated text")
            out.append(part)
        _spend_time()
        return "".join(out)

    def wrap_str_format(self, value: Any) -> None:
        # Jinja's sandbox hands str.format to its own formatter before checking the
        # attribute; widths like '{:>999999999}' would allocate gigabytes. Refuse it.
        if getattr(value, "__name__", None) in ("format", "format_map") and isinstance(
                getattr(value, "__self__", None), str):
            raise SecurityError("str.format is not allowed in clause files")
        return None

    def getattr(self, obj: Any, attribute: str) -> Any:
        if attribute in MUTATORS and isinstance(obj, _CONTAINERS):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in UNSAFE_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)


def _spend_time() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.check_time()


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that checks the clock before it runs and the size of what it returns."""

    @functools.wraps(func)  # keeps Jinja's pass_context/pass_eval_context marker
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _spend_time()
        return _bounded(func(*args, **kwargs))

    return guarded


def _bounded_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """The whitelisted filters, with the ones that can multiply their input checked first."""
    base_join, base_replace = filters["join"], filters["replace"]
    base_sum, base_batch = filters["sum"], filters["batch"]

    @pass_eval_context
    def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
        items = list(value)
        if attribute is not None:
            getter = make_attrgetter(eval_ctx.environment, attribute)
            items = [getter(item) for item in items]
        _check_size(sum(len(str(item)) for item in items) + len(str(d)) * max(len(items) - 1, 0),
                    "joined text")
        return base_join(eval_ctx, items, d)

    @pass_eval_context
    def replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: Any = None) -> str:
        text, old_text, new_text = str(s), str(old), str(new)
        times = text.count(old_text) if old_text else len(text) + 1
        if isinstance(count, int) and count >= 0:
            times = min(times, count)
        _check_size(len(text) + times * (len(new_text) - len(old_text)), "replaced text")
        return base_replace(eval_ctx, s, old, new, count)

    @pass_environment
    def sum_numbers(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
        # summing lists or strings is quadratic; clauses only ever add numbers
        if isinstance(start, bool) or not isinstance(start, (int, float)):
            raise SecurityError("the sum filter adds numbers only")
        return base_sum(environment, iterable, attribute, start)

    def batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
        if not isinstance(linecount, int) or linecount > limits.MAX_REPEAT:
            raise SecurityError(f"batch sizes above {limits.MAX_REPEAT:,} are not allowed")
        return base_batch(value, linecount, fill_with)

    bounded = {name: filters[name] for name in SAFE_FILTERS}
    bounded.update(join=join, replace=replace, sum=sum_numbers, batch=batch,
                   number_words=number_words, join_and=join_and, join_or=join_or)
    bounded = {name: _guarded(f) for name, f in bounded.items()}
    bounded[_LOOP_GUARD] = _loop_guard
    bounded[_CONCAT_GUARD] = _concat_guard
    return bounded


_SCALARS = frozenset({str, int, float, bool, type(None)})


def read_only(value: Any) -> Any:
    """A deep read-only copy: mappings become ``MappingProxyType``, lists and sets tuples and
    frozensets, so nothing a template is handed can be changed, whatever its methods."""
    if type(value) in _SCALARS:  # most values; an ABC check costs more than the copy
        return value
    if isinstance(value, Mapping):
        return MappingProxyType({key: read_only(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(read_only(item) for item in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(read_only(item) for item in value)
    return value


def _finalize(value: Any) -> str:
    """Every ``{{ }}`` passes here: escape it, refuse printing a function, count the output."""
    if callable(value) and not isinstance(value, (str, Undefined)):
        raise SecurityError("a function cannot be printed (call it, e.g. ref(\"clause.id\"))")
    text = escape_markdown(value)
    budget = _BUDGET.get()
    if budget is not None:
        budget.write(len(text))
    return text


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
    """30 -> 'thirty (30)', 1000 -> 'one thousand (1,000)': the legal convention in operative text."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1_000_000:
        return str(value)
    return f"{_words(value)} ({value:,})"


def _join(items: Iterable[Any], word: str) -> str:
    parts = [str(i) for i in items]
    _check_size(sum(map(len, parts)) + (len(word) + 3) * len(parts), "joined text")
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
                         finalize=_finalize)
    env.filters = _bounded_filters(env.filters)
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


# Renders shared by many builds of one library (drafter check builds every preset for three
# sample places): (template, data) -> [(the calls it made to ref()/cite() and what they
# returned, its text)]. A template is deterministic given its data and what its calls
# return, so a render whose recorded calls, made again now, return the same is the same text.
_Call = tuple[str, tuple, tuple, Any]  # name, positional and keyword arguments, result
_SHARED: dict[tuple[Any, ...], list[tuple[tuple[_Call, ...], str]]] | None = None


@contextmanager
def shared_renders() -> Iterator[None]:
    """While active, a render of the same template with equal data and equal ref()/cite()
    results is done once (drafter check's preset builds)."""
    global _SHARED
    outer = _SHARED
    _SHARED = {} if outer is None else outer
    try:
        yield
    finally:
        _SHARED = outer


def _plain(source: str) -> bool:
    """True for text with no Jinja tag, which renders to itself (no line statements are set,
    trailing newlines are kept, and only a carriage return would be rewritten): much of the
    commentary is such text, and needs no compile."""
    return ("{" not in source or not any(mark in source for mark in ("{{", "{%", "{#"))) \
        and "\r" not in source


def render(source: str, context: Mapping[str, Any], *, display: str, first_line: int = 1,
           what: str = "template") -> str:
    """Render ``source`` (which starts at ``first_line`` of ``display``) in the sandbox.

    The context is handed over read-only and each render has its own budget, so a render
    sees the same values and limits whatever any earlier render did.
    """
    if _plain(source):
        return source
    shared = _SHARED
    if shared is None:
        return _render(source, context, display=display, first_line=first_line, what=what)
    calls = {name: value for name, value in context.items() if callable(value)}
    data = tuple((name, value) for name, value in context.items() if name not in calls)
    try:
        key: tuple[Any, ...] = (source, display, first_line, what, repr(data))
    except Exception:  # noqa: BLE001 - data without a faithful repr is simply not shared
        return _render(source, context, display=display, first_line=first_line, what=what)
    for made, text in shared.get(key, ()):
        if _same_calls(made, calls):
            return text
    log: list[_Call] = []
    recording = {**context, **{name: _recorder(name, func, log) for name, func in calls.items()}}
    text = _render(source, recording, display=display, first_line=first_line, what=what)
    shared.setdefault(key, []).append((tuple(log), text))
    return text


def _same_calls(made: tuple[_Call, ...], calls: Mapping[str, Any]) -> bool:
    for name, args, kwargs, result in made:
        func = calls.get(name)
        try:
            if func is None or func(*args, **dict(kwargs)) != result:
                return False
        except Exception:  # noqa: BLE001 - a call that fails now did not fail then
            return False
    return True


def _recorder(name: str, func: Callable[..., Any], log: list[_Call]) -> Callable[..., Any]:
    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        log.append((name, args, tuple(sorted(kwargs.items())), result))
        return result

    return recorded


def _render(source: str, context: Mapping[str, Any], *, display: str, first_line: int,
            what: str) -> str:
    def problem(line: int, message: str, hint: str = "") -> RenderError:
        return RenderError(Problem(display, line, 0, f"{what} {message}", hint))

    try:
        template = _compiled(source, display, first_line)
        frozen = {key: read_only(value) for key, value in context.items()}
        token = _BUDGET.set(_Budget(time.monotonic() + limits.MAX_RENDER_SECONDS))
        try:
            text = template.render(**frozen)
        finally:
            _BUDGET.reset(token)
        padding = "\n" * (first_line - 1)
        if text.startswith(padding):
            text = text[len(padding):]
    except ResourceLimit as exc:
        raise problem(_template_line(exc, first_line), f"exceeds a limit: {exc.message}", exc.hint) from None
    except TemplateSyntaxError as exc:
        raise problem(exc.lineno or first_line, f"syntax error: {exc.message}",
                      "check the {{ }} and {% %} tags on this line") from exc
    except SecurityError as exc:
        raise problem(_template_line(exc, first_line), f"refused by the sandbox: {exc}",
                      "clause files may only use their parameters, documented variables and "
                      "filters, and cannot change them") from exc
    except UndefinedError as exc:
        raise problem(_template_line(exc, first_line), f"uses an undefined variable: {exc.message}",
                      "declare it under 'params' or use a documented variable") from exc
    except TemplateNotFound as exc:
        raise problem(_template_line(exc, first_line), f"may not include or import: {exc.message}",
                      "remove the {% include %} or {% import %} tag") from exc
    except (RecursionError, MemoryError, SyntaxError) as exc:
        # A last line of defence: the limits should stop a template long before Python does.
        raise problem(_template_line(exc, first_line), "is nested too deeply or too large to run",
                      f"simplify it; {_SEE}") from None
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        hint = ""
        if isinstance(exc, LookupError) and not isinstance(exc, TemplateError):
            hint = "a ref() or cite() names an id that does not exist"
        raise problem(_template_line(exc, first_line), f"error: {message}", hint) from exc
    if len(text) > limits.MAX_OUTPUT:
        raise problem(first_line, f"renders to {len(text):,} characters", f"the limit is {limits.MAX_OUTPUT:,}")
    return text


# ------------------------------------------------------------------ compiled templates
#
# A template is parsed once, its shape checked, its variables read (the 'undeclared parameter'
# check) and its guarded tree (_Guards) compiled; the result is kept in memory and, as marshal
# bytes signed with the parse cache's key, in the parse cache's private folder
# (parse_cache.put_blob). The disk key covers everything the bytes depend on: the padded
# source, this module's own text (the guards and the environment's options), Jinja's and
# Python's versions and the shape limits, so cached code is always of the rewritten template
# the current code would make, and an entry that fails its MAC is never loaded.

_CODE_KIND = "jinja-code-2"  # 2: marshal bytes stored as they are (decompressing cost more than reading)


@dataclass(frozen=True)
class _Compiled:
    template: Template
    names: frozenset[str]  # top-level names the template reads (before the guard rewrite)
    size: int  # estimated bytes in memory


_live: OrderedDict[tuple[str, str, int], _Compiled] = OrderedDict()  # least recently used first
_live_bytes = 0
_names: dict[str, frozenset[str]] = {}  # sha256 of an unpadded source -> its names
_salt: str | None = None


def _code_salt() -> str:
    global _salt
    if _salt is None:
        import sys

        import jinja2

        try:
            own = Path(__file__).read_bytes()
        except OSError:  # no source to key on: never trust a stored compile
            own = secrets_token()
        _salt = hashlib.sha256(b"".join([
            _CODE_KIND.encode(), jinja2.__version__.encode(), sys.version.encode(),
            str(sys.implementation.cache_tag).encode(), own])).hexdigest()
    return _salt


def secrets_token() -> bytes:
    import secrets

    return secrets.token_bytes(32)


def _disk_key(padded: str) -> str:
    limits_text = f"{limits.MAX_TEMPLATE_NODES} {limits.MAX_NESTING} {limits.MAX_LOOP_NESTING}\n"
    return hashlib.sha256((_code_salt() + limits_text + padded).encode("utf-8", "surrogatepass")).hexdigest()


def _standard(env: LibrarySandbox) -> bool:
    """Only the shared environment's compiles go to disk (absorb's marked one folds its own
    finalize into constant output)."""
    return type(env) is LibrarySandbox and env.finalize is _finalize


def _entry(source: str, display: str, first_line: int) -> _Compiled:
    env = environment()
    live_key = (source, display, first_line)
    found = _live.get(live_key)
    if found is not None and found.template.environment is env:
        _live.move_to_end(live_key)
        return found
    padded = "\n" * (first_line - 1) + source  # so Jinja's line numbers are the file's
    disk = _disk_key(padded) if _standard(env) and parse_cache.enabled() else None
    compiled = _load(env, disk) if disk else None
    if compiled is None:
        compiled = _compile(env, padded, disk)
    compiled.template.filename = display
    compiled.template.name = display
    _remember(live_key, compiled)
    if len(_names) > 100_000:  # names are small; keep the map from growing without end
        _names.clear()
    _names[_source_key(source)] = compiled.names
    return compiled


def _source_key(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def _compile(env: LibrarySandbox, padded: str, disk: str | None) -> _Compiled:
    from jinja2 import meta

    try:
        tree = env.parse(padded)
    except RecursionError:
        raise ResourceLimit(f"is nested more than {limits.MAX_NESTING} deep",
                            "simplify the expression (fewer brackets or filters inside one another)") from None
    _check_shape(tree)
    names = frozenset(meta.find_undeclared_variables(tree))  # the one parse serves both
    code = env.compile(_Guards().visit(tree))
    payload = marshal.dumps(code)
    if disk:
        header = json.dumps(sorted(names)).encode("utf-8")
        parse_cache.put_blob(_CODE_KIND, disk, len(header).to_bytes(4, "big") + header
                             + payload)
    return _Compiled(_template(env, code), names, len(payload) * 2)


def _load(env: LibrarySandbox, disk: str) -> _Compiled | None:
    """A compile stored by an earlier run, or None. Only bytes whose MAC matched get here."""
    blob = parse_cache.get_blob(_CODE_KIND, disk)
    if blob is None:
        return None
    try:
        size = int.from_bytes(blob[:4], "big")
        names = json.loads(blob[4:4 + size].decode("utf-8"))
        payload = blob[4 + size:]
        code = marshal.loads(payload)
        if not (isinstance(names, list) and all(isinstance(n, str) for n in names)
                and isinstance(code, types.CodeType)):
            raise ValueError("not a compiled template")
    except (ValueError, TypeError, EOFError):
        return None
    return _Compiled(_template(env, code), frozenset(names), len(payload) * 2)


def _template(env: LibrarySandbox, code: types.CodeType) -> Template:
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _remember(key: tuple[str, str, int], compiled: _Compiled) -> None:
    global _live_bytes
    old = _live.pop(key, None)
    if old is not None:
        _live_bytes -= old.size
    _live[key] = compiled
    _live_bytes += compiled.size
    while _live_bytes > limits.MAX_COMPILED_MEMORY_BYTES and len(_live) > 1:
        _live_bytes -= _live.popitem(last=False)[1].size


def clear_memory() -> None:
    """Forget the compiled templates held in memory (the disk copies stay)."""
    global _live_bytes
    _live.clear()
    _names.clear()
    _live_bytes = 0


def _compiled(source: str, display: str, first_line: int) -> Template:
    """The compiled template for (source, file, line): compiled once, kept between runs."""
    return _entry(source, display, first_line).template


_compiled.cache_clear = clear_memory  # type: ignore[attr-defined]  # (drafter.absorb swaps environments)


def _check_shape(tree: nodes.Template) -> None:
    """Refuse trees Python cannot compile or that cost too much to, before compiling them."""
    count = 0
    stack: list[tuple[nodes.Node, int, int]] = [(tree, 0, 0)]
    while stack:  # iterative: a deep tree must not exhaust the stack here
        node, depth, loops = stack.pop()
        count += 1
        line = getattr(node, "lineno", 1) or 1
        if count > limits.MAX_TEMPLATE_NODES:
            raise _at(line, ResourceLimit(f"has more than {limits.MAX_TEMPLATE_NODES:,} template elements",
                                          "split the text or remove repeated tags"))
        if depth > limits.MAX_NESTING:
            raise _at(line, ResourceLimit(f"is nested more than {limits.MAX_NESTING} deep",
                                          "simplify the blocks and expressions inside one another"))
        if loops > limits.MAX_LOOP_NESTING:
            raise _at(line, ResourceLimit(f"has loops nested more than {limits.MAX_LOOP_NESTING} deep",
                                          "use fewer loops inside one another"))
        inner = loops + isinstance(node, nodes.For)
        stack.extend((child, depth + 1, inner) for child in node.iter_child_nodes())


def _at(line: int, exc: ResourceLimit) -> ResourceLimit:
    exc.at_line = line  # read by render() through _template_line
    return exc


def _template_line(exc: BaseException, default: int) -> int:
    """The line of the innermost template frame in the exception's traceback."""
    line = getattr(exc, "at_line", None) or default
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and frame.filename.startswith("<template>") and frame.lineno:
            line = frame.lineno
    for frame in traceback.extract_tb(exc.__traceback__):
        if (frame.name in {"top-level template code", "<module>"} and frame.lineno
                and frame.filename and not frame.filename.endswith(".py")):
            line = frame.lineno
    return line


def undeclared_variables(source: str) -> set[str]:
    """Top-level names a template reads (for the 'undeclared parameter' check): read when the
    template was compiled for rendering, so it is not parsed a second time."""
    if _plain(source):
        return set()
    names = _names.get(_source_key(source))
    if names is None:
        names = _entry(source, "<template>", 1).names
    return set(names)
