"""Property tests: any text a user can type into an answers file builds or fails cleanly,
and any valid parameter value renders."""

from __future__ import annotations

import io
import re

from docx import Document as open_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.core import answers_from_mapping
from drafter.errors import DrafterError
from drafter.library import load_library
from drafter.models import Answers
from drafter.render import build_document
from drafter.resolve import resolve
from drafter.writers.docx import DocxWriter
from drafter.writers.markdown import MarkdownWriter

LIBRARY = load_library()
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
# Names Word can hold (control characters and U+FFFE/U+FFFF are located errors: test_bad_inputs).
names = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
                min_size=1, max_size=40).filter(lambda s: s.strip())


def build(data: dict, commentary: str = "none"):
    source = answers_from_mapping(data, name="(property)")
    selection = resolve(LIBRARY, source)
    return selection, build_document(LIBRARY, selection, commentary=commentary)


@SETTINGS
@given(name=names, police=names)
def test_any_name_builds_and_stays_literal(name: str, police: str) -> None:
    data = {"jurisdiction": {"name": name, "kind": "city", "state": "NM", "police": police},
            "preset": "strongest"}
    selection, document = build(data)
    markdown = MarkdownWriter().render(document)
    clean = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", name)
    assert clean.strip()[:1] in document.title or not clean.strip()
    word = open_docx(io.BytesIO(DocxWriter(selection.profile,
                                           LIBRARY.templates_dir / "reference.docx").render(document)))
    assert word.paragraphs  # the package is valid XML whatever the name held
    assert "{{" not in markdown


@SETTINGS
@given(days=st.integers(min_value=0, max_value=365))
def test_every_valid_parameter_value_renders(days: int) -> None:
    data = {"jurisdiction": {"name": "X", "kind": "county", "state": "OR"}, "preset": "strongest",
            "params": {"structure.effective-date": {"effective_days": days}}}
    _, document = build(data)
    text = " ".join(b.text for s in document.sections for b in s.blocks if hasattr(b, "text"))
    assert ("immediately" in text) if days == 0 else (f"({days})" in text)


@SETTINGS
@given(days=st.one_of(st.integers(max_value=-1), st.integers(min_value=366), st.text(max_size=5),
                      st.booleans(), st.lists(st.integers(), max_size=2)))
def test_invalid_parameter_values_are_clear_errors(days: object) -> None:
    data = {"jurisdiction": {"name": "X", "kind": "town", "state": "VT"}, "preset": "strongest",
            "params": {"structure.effective-date": {"effective_days": days}}}
    try:
        build(data)
    except DrafterError as exc:
        assert "effective_days" in str(exc)
    else:
        raise AssertionError(f"{days!r} was accepted")


@SETTINGS
@given(kind=st.text(max_size=12), state=st.text(max_size=3))
def test_bad_jurisdiction_fields_never_crash(kind: str, state: str) -> None:
    from pydantic import ValidationError

    try:
        Answers.model_validate({"jurisdiction": {"name": "X", "kind": kind, "state": state}})
    except ValidationError as exc:
        assert exc.errors()
