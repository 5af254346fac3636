"""Regenerate templates/reference.docx: the lean style sheet every draft starts from.

Run after changing a style:  python scripts/make_reference_docx.py
Clerks may also restyle the file in Word; drafter only relies on the style ids below.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

KEEP = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "Footer",
        "TableGrid"}

# style id -> (name, base, settings)
PARAGRAPH_STYLES = {
    "OrdNumber": ("Ord Number", "Normal", dict(align="center", bold=True, after=12)),
    "OrdTitle": ("Ord Title", "Normal", dict(align="center", bold=True, caps=True, after=12,
                                              indent=0.5, right=0.5)),
    "OrdNotice": ("Ord Notice", "Normal", dict(size=9, italic=True, after=12, border=True)),
    "OrdWarning": ("Ord Warning", "Normal", dict(size=10, bold=False, after=6, border=True,
                                                  color="9C0006")),
    "OrdRecital": ("Ord Recital", "Normal", dict(first=0.5, after=12, align="justify")),
    "OrdEnacting": ("Ord Enacting", "Normal", dict(bold=True, after=12, first=0.5)),
    # outline: the heading's level in Word's Navigation Pane and the PDF's bookmarks (0 = Level 1)
    "OrdSection": ("Ord Section", "Normal", dict(bold=True, after=6, before=6, keep=True, outline=0)),
    "OrdChapter": ("Ord Chapter", "Normal", dict(bold=True, align="center", after=12,
                                                  before=6, keep=True, outline=1)),
    "OrdCodeSection": ("Ord Code Section", "Normal", dict(bold=True, after=6, before=6,
                                                          keep=True, outline=2)),
    "OrdBody": ("Ord Body", "Normal", dict(first=0.5, after=12, align="justify")),
    "OrdCodeBody": ("Ord Code Body", "Normal", dict(first=0.5, after=12, align="justify")),
    "OrdLevel1": ("Ord Level 1", "Normal", dict(after=12, align="justify")),
    "OrdLevel2": ("Ord Level 2", "Normal", dict(after=12, align="justify")),
    "OrdLevel3": ("Ord Level 3", "Normal", dict(after=12, align="justify")),
    "OrdLevel4": ("Ord Level 4", "Normal", dict(after=12, align="justify")),
    "OrdLevel5": ("Ord Level 5", "Normal", dict(after=12, align="justify")),
    "OrdCommentHead": ("Ord Commentary Heading", "Normal",
                       dict(size=10, bold=True, italic=True, indent=0.5, right=0.5, after=3,
                            before=3, keep=True, shade=True, color="1F3864")),
    "OrdComment": ("Ord Commentary", "Normal", dict(size=10, indent=0.5, right=0.5, after=6,
                                                    shade=True, color="1F3864")),
    "OrdCommentBullet": ("Ord Commentary Bullet", "Normal",
                         dict(size=10, indent=0.75, right=0.5, after=3, shade=True,
                              hanging=0.25, color="1F3864")),
    "OrdSignature": ("Ord Signature", "Normal", dict(after=0, keep=True)),
    "OrdBullet": ("Ord Bullet", "Normal", dict(indent=0.5, hanging=0.25, after=4)),
    "OrdVote": ("Ord Vote", "Normal", dict(after=0, indent=0.5, keep=True)),
}


def main(out: Path) -> None:
    doc = Document()
    styles_el = doc.styles.element
    for style in list(styles_el.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEEP:
            styles_el.remove(style)
    latent = styles_el.find(qn("w:latentStyles"))
    if latent is not None:
        styles_el.remove(latent)
    # Drop the default template's thumbnail and marketing metadata.
    for rel_id, rel in list(doc.part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del doc.part.package.rels[rel_id]
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            del doc.part.rels[rel_id]
    # Lists are defined per draft by the docx writer; start from an empty numbering part.
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)
    for style_id, (name, base, opts) in PARAGRAPH_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = doc.styles[base]
        style.quick_style = True
        _apply(style, opts)
    # Styles Word expects for footnotes and comments (the default template lacks them).
    for style_id, name, size in (("FootnoteText", "footnote text", 10),
                                 ("CommentText", "annotation text", 10)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), style_id)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(0)
        ppr = style.element.get_or_add_pPr()
        ppr.append(ppr.makeelement(qn("w:suppressLineNumbers"), {}))  # LO numbers notes otherwise
        _sort_ppr(ppr)
    for style_id, name in (("FootnoteReference", "footnote reference"),
                           ("CommentReference", "annotation reference")):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.element.set(qn("w:styleId"), style_id)
        if style_id == "FootnoteReference":
            style.font.superscript = True
        else:
            style.font.size = Pt(8)
    link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.element.set(qn("w:styleId"), "Hyperlink")
    link.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
    link.font.underline = True
    props = doc.core_properties
    props.author = "drafter"
    props.title = "drafter reference styles"
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.last_modified_by = "drafter"
    props.revision = 1
    doc.save(str(out))
    print(f"wrote {out}")


def _apply(style, opts: dict) -> None:  # noqa: ANN001 - python-docx style object
    fmt = style.paragraph_format
    font = style.font
    if "align" in opts:
        fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER,
                         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[opts["align"]]
    fmt.space_after = Pt(opts.get("after", 0))
    fmt.space_before = Pt(opts.get("before", 0))
    if "first" in opts:
        fmt.first_line_indent = Inches(opts["first"])
    if "indent" in opts:
        fmt.left_indent = Inches(opts["indent"])
    if "hanging" in opts:
        fmt.first_line_indent = Inches(-opts["hanging"])
    if "right" in opts:
        fmt.right_indent = Inches(opts["right"])
    if opts.get("keep"):
        fmt.keep_with_next = True
    font.bold = opts.get("bold")
    font.italic = opts.get("italic")
    if opts.get("caps"):
        font.all_caps = True
    if "size" in opts:
        font.size = Pt(opts["size"])
    if "color" in opts:
        font.color.rgb = RGBColor.from_string(opts["color"])
    ppr = style.element.get_or_add_pPr()
    if opts.get("border"):
        borders = ppr.makeelement(qn("w:pBdr"), {})
        for side in ("top", "left", "bottom", "right"):
            borders.append(borders.makeelement(qn(f"w:{side}"), {
                qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "4",
                qn("w:color"): "808080"}))
        ppr.append(borders)
    if "outline" in opts:
        ppr.append(ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(opts["outline"])}))
    if opts.get("shade"):
        shade = ppr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto",
                                               qn("w:fill"): "EEF2F7"})
        ppr.append(shade)
    _sort_ppr(ppr)


# ECMA-376 order of pPr children we use (Word rejects out-of-order elements).
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
             "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange"]


def _sort_ppr(ppr) -> None:  # noqa: ANN001
    children = list(ppr)
    rank = {qn(f"w:{name}"): i for i, name in enumerate(PPR_ORDER)}
    children.sort(key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        ppr.remove(child)
        ppr.append(child)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "templates" / "reference.docx"
    main(target)
