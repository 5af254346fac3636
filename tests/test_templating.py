from __future__ import annotations

import pytest

from drafter.templating import (
    Markdown,
    RenderError,
    escape_markdown,
    join_and,
    join_or,
    number_words,
    render,
    undeclared_variables,
)

ATTACKS = [
    ("{{ ''.__class__.__mro__ }}", "sandbox"),
    ("{{ cycler.__init__.__globals__ }}", "undefined"),
    ("{% include '/etc/passwd' %}", "may not include"),
    ("{% import 'x.md' as x %}", "may not include"),
    ("{% extends '../../secret' %}", "may not include"),
    ("{{ 'a' * 100000000 }}", "repetition"),
    ("{{ [1] * 100000000 }}", "repetition"),
    ("{{ 9 ** 99999 }}", "exponent"),
    ("{{ 'a'.center(1000000000) }}", "sandbox"),
    ("{{ '{:>999999999}'.format(1) }}", "sandbox"),
    ("{{ '%999999999d' % 1 }}", "formatting"),
    ("{{ range(10**7) | list }}", "Range too big"),
    ("{{ lipsum(10000) }}", "undefined"),
    ("{{ x | wordwrap(5) }}", "filter"),
]


@pytest.mark.parametrize(("source", "expected"), ATTACKS)
def test_sandbox_refuses_attacks(source: str, expected: str) -> None:
    with pytest.raises(RenderError) as info:
        render(source, {"x": "y"}, display="evil.md", first_line=7)
    problem = info.value.problem
    assert problem.path == "evil.md" and problem.line == 7
    assert expected.lower() in str(problem).lower()


def test_error_line_is_the_file_line() -> None:
    with pytest.raises(RenderError) as info:
        render("one\ntwo\n{{ missing }}\n", {}, display="c.md", first_line=10)
    assert info.value.problem.line == 12
    assert "'missing' is undefined" in info.value.problem.message


def test_values_are_escaped_but_markdown_passes() -> None:
    out = render("{{ a }} {{ b }}", {"a": "*x*_[y]", "b": Markdown("*ok*")}, display="t")
    assert out == r"\*x\*\_\[y\] *ok*"


def test_xml_illegal_characters_are_removed() -> None:
    assert escape_markdown("a\x00b\x1fc") == "abc"


def test_filters() -> None:
    assert number_words(30) == "thirty (30)"
    assert number_words(121) == "one hundred twenty-one (121)"
    assert number_words(0) == "zero (0)"
    assert join_and(["a", "b", "c"]) == "a, b, and c"
    assert join_and(["a", "b"]) == "a and b"
    assert join_or(["a", "b", "c"]) == "a, b, or c"


def test_ordinary_arithmetic_still_works() -> None:
    assert render("{{ 3 * 4 }} {{ 'ab' * 2 }} {{ 2 ** 10 }} {{ 7 % 3 }}", {}, display="t") \
        == "12 abab 1024 1"


def test_undeclared_variables() -> None:
    assert undeclared_variables("{{ a }}{% if b %}{{ c.d }}{% endif %}") == {"a", "b", "c"}


def test_text_without_a_tag_is_not_compiled(monkeypatch) -> None:  # noqa: ANN001
    """Plain text renders to itself without a compile; a tag, or a carriage return Jinja would
    rewrite, still goes through Jinja."""
    from drafter import templating

    compiled: list[str] = []
    real = templating._compile
    monkeypatch.setattr(templating, "_compile",
                        lambda env, padded, disk: compiled.append(padded) or real(env, padded, disk))
    monkeypatch.setattr(templating, "_live", type(templating._live)())
    monkeypatch.setenv("DRAFTER_NO_CACHE", "1")
    plain = "The City shall not honor a civil detainer.\n\nSee { the } commentary.\n"
    assert templating.render(plain, {}, display="x.md") == plain
    assert templating.undeclared_variables(plain) == set()
    assert compiled == []
    assert templating.render("One\r\nTwo", {}, display="x.md") == "One\nTwo"
    assert templating.render("{{ city }} shall", {"city": "Oakland"}, display="x.md") == "Oakland shall"
    assert len(compiled) == 2
