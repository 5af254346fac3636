from __future__ import annotations

from drafter.numbering import Labeler, code_section_number, letters, roman


def test_letters_follow_word() -> None:
    assert [letters(n) for n in (1, 2, 26, 27, 28, 53)] == ["a", "b", "z", "aa", "bb", "aaa"]


def test_roman() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["i", "iv", "ix", "xiv", "xl", "mcmxcix"]


def test_labeler_levels() -> None:
    label = Labeler(["(a)", "(1)", "(A)", "(i)", "(I)"])
    assert [label(0, 0), label(1, 1), label(2, 2), label(3, 3), label(4, 4)] == \
        ["(a)", "(2)", "(C)", "(iv)", "(V)"]
    assert label(7, 0) == "(I)"  # deeper levels reuse the last format


def test_code_section_number() -> None:
    assert code_section_number("2.90", 3, 10) == "2.90.030"
