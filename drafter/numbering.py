"""Labels for subdivisions and sections, computed from position (never typed by hand).

The same level formats drive the Word numbering definitions, so what Word prints equals
what drafter computed.
"""

from __future__ import annotations

LEVEL_FORMATS = {
    # profile pattern -> (Word numFmt, Word lvlText template)
    "(a)": ("lowerLetter", "({})"),
    "(1)": ("decimal", "({})"),
    "(A)": ("upperLetter", "({})"),
    "(i)": ("lowerRoman", "({})"),
    "(I)": ("upperRoman", "({})"),
    "a.": ("lowerLetter", "{}."),
    "1.": ("decimal", "{}."),
    "A.": ("upperLetter", "{}."),
    "i.": ("lowerRoman", "{}."),
}

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def roman(n: int) -> str:
    """4 -> 'iv'."""
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def letters(n: int) -> str:
    """1 -> 'a', 26 -> 'z', 27 -> 'aa', 28 -> 'bb' (Word's lowerLetter sequence)."""
    repeat, index = divmod(n - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def format_number(fmt: str, n: int) -> str:
    """The n-th (1-based) value in a Word number format."""
    if fmt == "decimal":
        return str(n)
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerRoman":
        return roman(n)
    if fmt == "upperRoman":
        return roman(n).upper()
    raise ValueError(f"unknown number format {fmt}")


class Labeler:
    """Labels of the subdivision levels of a profile, e.g. (a) / (1) / (A) / (i) / (I)."""

    def __init__(self, levels: list[str]) -> None:
        self.levels = levels

    def __call__(self, level: int, index: int) -> str:
        pattern = self.levels[min(level, len(self.levels) - 1)]
        fmt, template = LEVEL_FORMATS[pattern]
        return template.format(format_number(fmt, index + 1))


def code_section_number(chapter: str, position: int, step: int) -> str:
    """Chapter 2.90, third section, step 10 -> '2.90.030'."""
    return f"{chapter}.{position * step:03d}"
