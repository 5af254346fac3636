from __future__ import annotations

import pytest

from drafter.docmodel import Item, Para
from drafter.markdown import MarkdownError, parse_blocks
from drafter.numbering import Labeler

LABEL = Labeler(["(a)", "(1)", "(A)", "(i)", "(I)"])


def test_nested_lists_become_labeled_items() -> None:
    text = "Lead *in*.\n\n1. First.\n   1. One.\n   2. Two.\n      1. Deep.\n2. Second.\n\n   More.\n"
    lead, first, second = parse_blocks(text, LABEL)
    assert isinstance(lead, Para) and lead.runs[1].italic
    assert isinstance(first, Item) and first.label == "(a)" and first.text == "First."
    assert [c.label for c in first.children] == ["(1)", "(2)"]
    assert first.children[1].children[0].label == "(A)"
    assert second.label == "(b)" and second.after[0].text == "More."


def test_ref_links_become_link_runs() -> None:
    [para] = parse_blocks("See [Section 4](#ref:detainers.no-holds).", LABEL)
    assert para.runs[1].link == "detainers.no-holds" and para.runs[1].text == "Section 4"


def test_bullets_rejected_in_clause_text_but_allowed_in_commentary() -> None:
    with pytest.raises(MarkdownError):
        parse_blocks("- a\n- b\n", LABEL)
    blocks = parse_blocks("- a\n- b\n", LABEL, allow_bullets=True)
    assert [b.kind for b in blocks] == ["bullet", "bullet"]
