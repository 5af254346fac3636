"""Read built .docx files back with independent readers: python-docx XML and mammoth."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import mammoth
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from drafter import api
from drafter.errors import DrafterError

from .conftest import SAMPLES


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docx")
    paths = {}
    for sample in SAMPLES:
        target = out / f"{sample.stem}.docx"
        api.build(answers=sample, output=target, formats=["docx"])
        paths[sample.stem] = target
    return paths


def test_mammoth_reads_every_clause_text(built: dict[str, Path]) -> None:
    from drafter.errors import Problems
    from drafter.library import load_library
    from drafter.render import build_document
    from drafter.resolve import load_answers, resolve

    library = load_library()
    for sample in SAMPLES:
        problems = Problems()
        source = load_answers(sample, problems)
        document = build_document(library, resolve(library, source))
        with built[sample.stem].open("rb") as handle:
            result = mammoth.convert_to_html(handle)
        html = re.sub(r"\s+", " ", result.value)
        # Amendment markup strikes the current code's words inside a changed paragraph: the
        # draft's text is what is not struck.
        text = re.sub(r"<[^>]+>", "", re.sub(r"<s>.*?</s>", "", html))
        text = text.replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'")
        for section in document.all_sections():
            for block in section.blocks:
                stack = [block]
                while stack:
                    node = stack.pop()
                    words = re.sub(r"\s+", " ", node.text).strip()
                    assert words[:60] in text, (sample.stem, section.key, words[:60])
                    stack.extend(getattr(node, "children", []))
        assert "<ol>" in html  # style-linked numbering is read as real lists
        # mammoth names custom styles it has no HTML mapping for; anything else is a defect
        # (e.g. a style referenced but not defined).
        other = [m for m in result.messages if "Unrecognised paragraph style" not in m.message]
        assert not other, other


def test_numbering_is_style_linked_and_restarts(built: dict[str, Path]) -> None:
    word = open_docx(str(built["oakland-ca"]))
    numbering = word.part.numbering_part.element
    [abstract] = numbering.findall(qn("w:abstractNum"))
    formats = [lvl.find(qn("w:numFmt")).get(qn("w:val")) for lvl in abstract.findall(qn("w:lvl"))][:5]
    texts = [lvl.find(qn("w:lvlText")).get(qn("w:val")) for lvl in abstract.findall(qn("w:lvl"))][:5]
    assert formats == ["lowerLetter", "decimal", "upperLetter", "lowerRoman", "upperRoman"]
    assert texts == ["(%1)", "(%2)", "(%3)", "(%4)", "(%5)"]
    styles = {s.get(qn("w:val")) for s in abstract.iter(qn("w:pStyle"))}
    assert styles == {"OrdLevel1", "OrdLevel2", "OrdLevel3", "OrdLevel4", "OrdLevel5"}
    nums = numbering.findall(qn("w:num"))
    assert len(nums) > 10  # one restart per section
    assert all(n.find(qn("w:lvlOverride")) is not None for n in nums[1:])


def test_footer_has_page_x_of_y_and_header_says_draft(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["cook-county-il"]) as z:
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
        headers = "".join(z.read(n).decode() for n in z.namelist() if "header" in n)
    assert " PAGE " in footers and " NUMPAGES " in footers
    assert "DRAFT" in headers


def test_bookmarks_and_internal_links_match(built: dict[str, Path]) -> None:
    xml = zipfile.ZipFile(built["oakland-ca"]).read("word/document.xml").decode()
    names = set(re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    anchors = set(re.findall(r'w:hyperlink w:anchor="([^"]+)"', xml))
    assert names and anchors <= names
    ids = re.findall(r'w:bookmarkStart w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))


def test_core_properties(built: dict[str, Path]) -> None:
    props = open_docx(str(built["oakland-ca"])).core_properties
    assert props.title.startswith("An Ordinance of the City Council of the City of Oakland")
    assert props.author == "drafter" and "licensed attorney" in props.comments


def test_illegal_xml_characters_never_corrupt(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text('jurisdiction:\n  name: "Spring\\x01field \\u0007<&>"\n  kind: city\n'
                       "  state: IL\n", encoding="utf-8")
    out = tmp_path / "a.docx"
    # Characters Word cannot hold are a located error (issue 16), never a corrupt package.
    with pytest.raises(DrafterError) as caught:
        api.build(answers=answers, output=out, formats=["docx"])
    problem = caught.value.problems[0]
    assert problem.line == 2 and "name" in str(problem)
    assert not out.exists()
    answers.write_text('jurisdiction:\n  name: "Springfield <&>"\n  kind: city\n  state: IL\n',
                       encoding="utf-8")
    api.build(answers=answers, output=out, formats=["docx"])
    word = open_docx(io.BytesIO(out.read_bytes()))
    assert any("Springfield <&>" in p.text for p in word.paragraphs)


def test_plain_paragraphs_written_as_text_are_the_same_xml(monkeypatch) -> None:  # noqa: ANN001
    """The writer's batch path for plain paragraphs gives exactly the XML its element path
    gives (footnotes, hyperlinks, bookmarks, list levels and all)."""
    import drafter
    from drafter.writers import docx as writer

    def parts() -> dict[str, bytes]:
        draft = drafter.build(Path(__file__).resolve().parents[1] / "samples" / "oakland-ca.yaml",
                              options={"date": "2026-11-29"})
        with zipfile.ZipFile(io.BytesIO(draft.render("docx"))) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("word/")}

    batched = parts()
    monkeypatch.setattr(writer, "_plain_line", lambda line: False)
    assert parts() == batched
