"""Reading a policy as a lawyer reads it: every input an organizer has, cleaned, then cut into
units that know where they sit in the law's structure.

Input (``read_document``):

- ``.txt``/``.md``/``.text`` in any common encoding (a BOM is honoured, UTF-16 and UTF-32
  included; without one, UTF-8, then UTF-16 by its zero bytes, then Windows-1252);
- ``.html``/``.htm`` (a saved or pasted web page: scripts, navigation and page furniture dropped,
  ordered lists keep their numbers);
- ``.docx`` read straight from its XML, with Word's automatic list numbering turned back into
  labels ("(a)", "1.", "(iv)") so the structure survives;
- ``.pdf`` with a text layer (pypdf); a scan without one is reported as such, never read as empty.

Every text is normalised: non-breaking and other odd spaces, soft hyphens, zero-width marks,
curly quotes, ligatures, words hyphenated across lines, and page headers, footers and page
numbers repeated on every page. Text that could not be read is an error, never "0 findings".
Sizes are bounded (``MAX_*`` below) and a .docx or .pdf is inflated only up to a limit, so a
zip bomb named .docx fails cleanly instead of filling memory.

Structure (``units``): section numbers and headings; nested subdivisions of every common
style, (a)/(1)/(A)/(i), 1./a./i., A./1., with each lead-in carried down every level (Chicago's
"no agency shall: (1) stop, arrest, detain ... (C) based upon an immigration detainer" is read as
one rule at § 2-173-020(a)(1)(C)); definitions (a defined term is remembered with its meaning);
exceptions and provisos ("unless", "except as", "provided that", "notwithstanding") attached to
the unit they limit; internal cross-references ("except as provided in subsection (3)",
"Notwithstanding 2-173-030") followed to the unit they name. Everything here is linear in the
length of the text: long paragraphs are cut into bounded units before any pattern runs on them.
"""

from __future__ import annotations

import codecs
import contextlib
import html
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import DrafterError, Problem
from drafter.resources import display_path

# ------------------------------------------------------------------ limits

MAX_INPUT_BYTES = 20_000_000  # any input file on disk (a long state code chapter as PDF is a few MB)
MAX_TEXT_CHARS = 3_000_000  # characters of text after reading (about 1,000 pages)
MAX_ZIP_ENTRIES = 2_000  # parts in a .docx
MAX_ZIP_TOTAL = 60_000_000  # bytes all .docx parts may inflate to
MAX_ZIP_PART = 30_000_000  # bytes one .docx part (document.xml) may inflate to
MAX_ZIP_RATIO = 200  # inflated / compressed size of one part; ordinary XML is 5-20
MAX_PDF_PAGES = 2_000
MAX_PDF_STREAM = 20_000_000  # bytes one PDF content stream may inflate to
MAX_UNIT_CHARS = 1_500  # a sentence longer than this is cut at word boundaries before matching
MAX_PARAGRAPHS = 400_000

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", "")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SUPPORTED = ".txt, .md, .docx, .pdf or .html"


def _error(shown: str, message: str, hint: str) -> DrafterError:
    return DrafterError([Problem(shown, message=message, hint=hint)])


# ------------------------------------------------------------------ reading

@dataclass
class SourceText:
    """A policy's text and how it was read."""

    text: str
    kind: str  # text | markdown | html | docx | pdf
    encoding: str = ""
    notes: list[str] = field(default_factory=list)  # what reading had to do ("2 page headers removed")


def read_document(path: Path) -> SourceText:
    """Read any supported input into clean text, or raise a DrafterError that says why not."""
    shown = display_path(path)
    if not path.is_file():
        raise _error(shown, "file not found", "check the path")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise _error(shown, f"file too large ({size:,} bytes; the limit is {MAX_INPUT_BYTES:,})",
                     "split the policy, or give only the sections to analyze")
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".docx":
        source = SourceText(docx_text(data, shown), "docx")
    elif suffix == ".pdf":
        source = SourceText(pdf_text(data, shown), "pdf")
    elif suffix in HTML_SUFFIXES:
        text, encoding = decode_bytes(data, shown)
        source = SourceText(html_text(text), "html", encoding)
    elif suffix in TEXT_SUFFIXES:
        text, encoding = decode_bytes(data, shown)
        if suffix in (".md", ".markdown"):
            text = markdown_text(text)
        source = SourceText(text, "markdown" if suffix in (".md", ".markdown") else "text", encoding)
    else:
        raise _error(shown, f"unsupported file type '{suffix}'", f"give a {SUPPORTED} file")
    source.text, notes = normalize(source.text)
    source.notes += notes
    check_readable(source, shown)
    return source


def check_readable(source: SourceText, shown: str) -> None:
    """Refuse text that is not a policy in words: empty, a scan, binary or absurdly long."""
    text = source.text
    if len(text) > MAX_TEXT_CHARS:
        raise _error(shown, f"text too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})",
                     "give only the sections to analyze")
    letters = sum(1 for ch in text[:200_000] if ch.isalpha())
    words = len(re.findall(r"[A-Za-z]{2,}", text[:200_000]))
    if source.kind == "pdf" and words < 20:
        raise _error(shown, "this PDF has no text layer (it is a scan or a picture of pages), so there "
                     "is nothing to read", "run it through OCR (for example, 'Save as text' in a PDF "
                     "reader with text recognition), or paste the policy's text into a .txt file")
    if words < 5:
        raise _error(shown, "no readable text found", "check that this is the policy itself, saved as text, "
                     ".docx, .pdf or .html")
    sample = text[:200_000]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\t\f")
    if odd > 0.02 * max(1, len(sample)) or letters < 0.3 * max(1, len(sample.replace(" ", "").replace("\n", ""))):
        raise _error(shown, "this does not read as text (it looks like binary data or a wrong encoding)",
                     "save the policy as UTF-8 text, .docx or .pdf and try again")


def decode_bytes(data: bytes, shown: str = "") -> tuple[str, str]:
    """Text from bytes: a BOM decides; else UTF-8; else UTF-16 by its zero bytes; else Windows-1252."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.replace("-sig", "")), encoding
            except UnicodeDecodeError as exc:
                raise _error(shown, f"the file says it is {encoding} but is not ({exc.reason})",
                             "save it again as UTF-8 text") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4000]
    if len(sample) >= 4:
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        half = len(sample) / 2
        for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
            if zeros > 0.3 * half:
                try:
                    return data.decode(encoding), encoding
                except UnicodeDecodeError:
                    break
    return data.decode("cp1252", errors="replace"), "cp1252"


def markdown_text(text: str) -> str:
    """Markdown without its marks: headings, emphasis, links, tables and code fences."""
    text = re.sub(r"\[([^\]\n]*)\]\([^)\n]*\)", r"\1", text)  # [text](url)
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", text)
    text = re.sub(r"(?m)^\s{0,3}>\s?", "", text)
    text = re.sub(r"(?m)^\s*```.*$", "", text)
    text = re.sub(r"(?m)^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", "", text)  # table rules
    text = re.sub(r"(?m)^\s*[-*+]\s+(?=\S)", "- ", text)
    text = re.sub(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return text


BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "blockquote", "pre", "table", "dt", "dd", "ol", "ul", "hr", "td", "th"}
DROP_TAGS = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "button", "svg",
             "select", "iframe", "template"}


def html_text(source: str) -> str:
    """The visible text of a web page, one line per block, ordered-list items numbered."""
    from lxml import etree
    from lxml import html as lxml_html

    if not source.strip():
        return ""
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml_html.document_fromstring(source.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return html.unescape(re.sub(r"<[^>]+>", "\n", source))
    for bad in list(root.iter(*DROP_TAGS)):
        if bad.getparent() is not None:
            bad.drop_tree()
    for ol in root.iter("ol"):
        style = (ol.get("type") or "1")
        try:
            start = int(ol.get("start") or 1)
        except ValueError:
            start = 1
        for index, li in enumerate((c for c in ol if c.tag == "li"), start=start):
            li.text = f"{_list_label(style, index)} " + (li.text or "")
    for ul in root.iter("ul"):
        for li in (c for c in ul if c.tag == "li"):
            li.text = "- " + (li.text or "")
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in BLOCK_TAGS
        if block:
            out.append("\n")
        if element.text and tag:
            out.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if block:
            out.append("\n")

    body = root.find("body")
    walk(body if body is not None else root)
    text = "".join(out)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\n\s*\n\s*(?:\n\s*)+", "\n\n", text)


def _list_label(style: str, number: int) -> str:
    if style == "a":
        return f"({_letters(number).lower()})"
    if style == "A":
        return f"({_letters(number)})"
    if style == "i":
        return f"({_roman(number).lower()})"
    if style == "I":
        return f"({_roman(number)})"
    return f"{number}."


def _letters(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out or "A"


def _roman(number: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out += numeral
            number -= value
    return out or "I"


# ------------------------------------------------------------------ .docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open_zip(data: bytes, shown: str, kind: str) -> zipfile.ZipFile:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _error(shown, f"cannot read this {kind} (it is not a valid {kind} file: {exc})",
                     "save it again from Word, or as .txt") from exc
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _error(shown, f"cannot read this {kind}: it has {len(infos):,} parts (the limit is {MAX_ZIP_ENTRIES:,})",
                     "save it again from Word, or as .txt")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > MAX_ZIP_PART or total > MAX_ZIP_TOTAL or (info.file_size > 1_000_000
                                                                       and ratio > MAX_ZIP_RATIO):
            raise _error(shown, f"cannot read this {kind}: it would inflate to more than the limit "
                         f"({info.filename}: {info.file_size:,} bytes from {info.compress_size:,})",
                         "this looks like a compression bomb, not a policy; save the policy again as .docx or .txt")
    return archive


def _read_part(archive: zipfile.ZipFile, name: str, shown: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    with archive.open(info) as handle:
        data = handle.read(MAX_ZIP_PART + 1)  # never more than the limit, whatever the header says
    if len(data) > MAX_ZIP_PART:
        raise _error(shown, f"cannot read this .docx: {name} inflates past the limit",
                     "this looks like a compression bomb, not a policy")
    return data


def _xml(data: bytes, shown: str):  # noqa: ANN202 - lxml element
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise _error(shown, f"cannot read this .docx ({exc})", "save it again from Word, or as .txt") from exc


def _numbering(archive: zipfile.ZipFile, shown: str) -> dict[str, dict[int, tuple[str, str, int]]]:
    """numId -> level -> (format, level text such as "(%1)", start)."""
    data = _read_part(archive, "word/numbering.xml", shown)
    if not data:
        return {}
    root = _xml(data, shown)
    abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
    for node in root.iter(f"{W}abstractNum"):
        levels = {}
        for lvl in node.iter(f"{W}lvl"):
            fmt = lvl.find(f"{W}numFmt")
            text = lvl.find(f"{W}lvlText")
            start = lvl.find(f"{W}start")
            levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                text.get(f"{W}val", "") if text is not None else "",
                int(start.get(f"{W}val", "1")) if start is not None else 1)
        abstract[node.get(f"{W}abstractNumId", "")] = levels
    out = {}
    for num in root.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is not None:
            out[num.get(f"{W}numId", "")] = abstract.get(ref.get(f"{W}val", ""), {})
    return out


def _format_number(fmt: str, value: int) -> str:
    if fmt in ("lowerLetter",):
        return _letters(value).lower()
    if fmt in ("upperLetter",):
        return _letters(value)
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperRoman":
        return _roman(value)
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


def _style_numbering(archive: zipfile.ZipFile, shown: str) -> dict[str, tuple[str, int]]:
    """Paragraph style id -> (numId, level) for styles that number their paragraphs."""
    data = _read_part(archive, "word/styles.xml", shown)
    if not data:
        return {}
    out = {}
    for style in _xml(data, shown).iter(f"{W}style"):
        num = style.find(f"{W}pPr/{W}numPr")
        if num is not None:
            num_id = num.find(f"{W}numId")
            level = num.find(f"{W}ilvl")
            if num_id is not None:
                out[style.get(f"{W}styleId", "")] = (num_id.get(f"{W}val", ""),
                                                     int(level.get(f"{W}val", "0")) if level is not None else 0)
    return out


def docx_text(data: bytes, shown: str = "") -> str:
    """A .docx's paragraphs as lines, Word's list numbers written back as labels."""
    archive = _open_zip(data, shown, ".docx")
    body = _read_part(archive, "word/document.xml", shown)
    if body is None:
        raise _error(shown, "cannot read this .docx (it has no document part)", "save it again from Word")
    numbering = _numbering(archive, shown)
    styles = _style_numbering(archive, shown)
    root = _xml(body, shown)
    counters: dict[str, list[int]] = {}
    lines: list[str] = []
    for count, para in enumerate(root.iter(f"{W}p")):
        if count > MAX_PARAGRAPHS:
            raise _error(shown, f"this .docx has more than {MAX_PARAGRAPHS:,} paragraphs", "give only the policy")
        parts = []
        for node in para.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
            if node.tag == f"{W}t":
                parts.append(node.text or "")
            elif node.tag == f"{W}noBreakHyphen":
                parts.append("-")
            else:
                parts.append(" " if node.tag == f"{W}tab" else "\n")
        text = "".join(parts)
        label = ""
        num = para.find(f"{W}pPr/{W}numPr")
        style = para.find(f"{W}pPr/{W}pStyle")
        num_id, level = None, 0
        if num is not None and num.find(f"{W}numId") is not None:
            num_id = num.find(f"{W}numId").get(f"{W}val", "")
            ilvl = num.find(f"{W}ilvl")
            level = int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0
        elif style is not None and style.get(f"{W}val", "") in styles:
            num_id, level = styles[style.get(f"{W}val", "")]
        if num_id and num_id != "0" and num_id in numbering:
            levels = numbering[num_id]
            state = counters.setdefault(num_id, [0] * 10)
            level = min(max(level, 0), 9)
            fmt, pattern, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
            state[level] = state[level] + 1 if state[level] else start
            for deeper in range(level + 1, 10):
                state[deeper] = 0
            if fmt == "bullet":
                label = "-"
            elif pattern:
                def number(match: re.Match[str], levels: dict = levels, state: list[int] = state) -> str:
                    at = int(match.group(1)) - 1
                    lvl_fmt = levels.get(at, ("decimal", "", 1))[0]
                    value = state[at] or levels.get(at, ("decimal", "", 1))[2]
                    return _format_number(lvl_fmt, value)
                label = re.sub(r"%(\d)", number, pattern).strip()
        if label and text.strip():
            text = f"{label} {text}"
        lines.append(text)
    return "\n".join(lines)


# ------------------------------------------------------------------ .pdf

def pdf_text(data: bytes, shown: str = "") -> str:
    """The text layer of a PDF, pages separated by form feeds, with inflation bounded."""
    import logging

    try:
        import pypdf
    except ImportError as exc:  # pragma: no cover - a dependency
        raise _error(shown, "reading PDFs needs the pypdf package", "pip install pypdf") from exc
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    limits = {name: MAX_PDF_STREAM for name in (
        "maximum_declared_stream_length", "array_based_stream_maximum_output_length", "jbig2_maximum_output_length",
        "lzw_maximum_output_length", "run_length_maximum_output_length", "zlib_maximum_output_length",
        "brotli_maximum_output_length", "image_maximum_buffer_size")}
    configure = getattr(pypdf, "apply_configuration", None)  # pypdf 7: inflation caps, lowered to ours
    with configure(**limits) if configure else contextlib.nullcontext():
        return _pdf_pages(pypdf, data, shown)


def _pdf_pages(pypdf, data: bytes, shown: str) -> str:  # noqa: ANN001 - the pypdf module
    import io

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - any failure means we cannot read it
                raise _error(shown, "this PDF is password-protected", "save an unprotected copy") from exc
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise _error(shown, f"this PDF has {len(pages):,} pages (the limit is {MAX_PDF_PAGES:,})",
                         "give only the pages of the policy")
        texts = []
        total = 0
        for page in pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > MAX_TEXT_CHARS:
                raise _error(shown, "this PDF's text is longer than the limit", "give only the pages of the policy")
            texts.append(text)
    except DrafterError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken or hostile files
        raise _error(shown, f"cannot read this PDF ({type(exc).__name__}: {str(exc)[:120]})",
                     "save it again as PDF, or paste the policy's text into a .txt file") from exc
    return "\f".join(texts)


# ------------------------------------------------------------------ normalising

SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\u1680]")
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                        "\u00ab": '"', "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-",
                        "\u2212": "-", "\u2028": "\n", "\u2029": "\n", "\u0085": "\n", "\u000b": "\n"})
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
             "\ufb06": "st"}
MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?=\S)", re.M)
PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?\s*$", re.I)


def normalize(text: str) -> tuple[str, list[str]]:
    """Clean text: spaces, invisible marks, quotes, ligatures, hyphenation, page furniture."""
    notes: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = SPACES.sub(" ", text)
    text = INVISIBLE.sub("", text)
    # Some PDF and desktop-publishing exports write a discretionary hyphen as "¬" ("de¬tainer").
    text = re.sub("(?<=[A-Za-z])\u00ac(?=[a-z])", "", text)
    text = text.translate(QUOTES)
    text = re.sub(r"(?<=[a-z]),(?=[A-Za-z])", ", ", text)  # a scanned portal's "invalid,inoperative or void"
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    text = re.sub("(?<=\\d)[\u2013\u2014](?=\\d)", "-", text)  # Maryland's "§ 5–104.1" is § 5-104.1
    # Scanned 287(g) letters read the section as "287 [g)", "287(9)" or "287 (q)"; one spelling for the rules.
    text = re.sub(r"\b287\s?[(\[{]\s?[g9q]\s?[)\]}]", "287(g)", text)
    text = re.sub(r"\bU S\. (?=[A-Z])", "U.S. ", text)  # a scan's "U S. Immigration": no sentence ends there
    text = PAGE_MARKER.sub("\f", text)
    text, struck = STRUCK.subn("", text)
    if struck:
        notes.append(f"{struck} struck-out passages (deleted matter) removed")
    text, numbered = _strip_line_numbers(text)
    if numbered:
        notes.append(f"line numbers removed from {numbered} lines")
    text, removed = _strip_page_furniture(text)
    if removed:
        notes.append(f"{removed} page header, footer or page-number lines removed")
    # A word broken across a line end: "enforce-\nment" -> "enforcement", "FURTH-\nERANCE" ->
    # "FURTHERANCE" (not "non-\nPublic").
    text = re.sub(r"(?<=[a-z])-\n[ \t]*(?=[a-z])|(?<=[A-Z]{2})-\n[ \t]*(?=[A-Z]{2})", "", text)
    # A code copied from a Markdown page into plain text keeps its heading marks ("###### Sec. 10-101.
    # Purpose."): the heading is the words after them.
    text = MARKDOWN_HEADING.sub("", text)
    # Justified print's runs of spaces between words ("SHALL  ADOPT  ANY"); indentation is kept.
    text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)
    text = text.replace("\f", "\n")
    return text, notes


# A bill print's page markers as some text dumps of bill PDFs write them.
PAGE_MARKER = re.compile(r"^[ \t]*(?:START|END) OF PAGE \d+[ \t]*$", re.M)
# Deleted matter struck out in Markdown ("~~take effect~~"): the bill no longer says it.
STRUCK = re.compile(r"~~[^~\s](?:[^~\n]{0,200}?[^~\s])?~~")
LINE_NUMBER = re.compile(r"^[ \t]*(\d{1,2})(?:[ \t]+(?=\S)|[ \t]*$)")
# Arkansas prints them at the right margin: "AN ACT TO CREATE THE DEFENSE AGAINST CRIMINAL 12".
TRAILING_LINE_NUMBER = re.compile(r"(?<![^ \t])(\d{1,2})[ \t]*$")  # no leading [ \t]+: it backtracks
PAGE_LINE_NUMBER = re.compile(r"^[ \t]*\d{1,3}\.(\d{1,2})(?:[ \t]+(?=\S)|[ \t]*$|(?=[A-Za-z(\[]))")
# A tracker's compare view prints its own line number glued to the bill's: "1212 2 sheriff to enter into".
DOUBLED_LINE_NUMBER = re.compile(r"^[ \t]*(\d{1,2})\1(?:[ \t]+\d{1,2}(?=[ \t]|$))?(?:[ \t]+(?=\S)|[ \t]*$)")


def _strip_line_numbers(text: str) -> tuple[str, int]:
    """A bill's margin line numbers ("12 ANY AGENCY, OFFICER ...", page and line as Minnesota prints
    them: "1.10authority within ...", or at the line's end), when most lines carry them in sequence; a number out of
    sequence (a page's running head, a list) is left alone."""
    lines = text.split("\n")
    filled = sum(1 for line in lines if line.strip())
    for pattern in (LINE_NUMBER, PAGE_LINE_NUMBER, TRAILING_LINE_NUMBER, DOUBLED_LINE_NUMBER):
        previous = 0
        in_sequence = []
        for index, line in enumerate(lines):
            found = pattern.search(line)
            if found and int(found.group(1)) in (previous + 1, 1):
                previous = int(found.group(1))
                in_sequence.append(index)
        if len(in_sequence) >= 10 and len(in_sequence) >= 0.3 * filled:
            for index in in_sequence:
                lines[index] = pattern.sub("", lines[index], count=1)
            return "\n".join(lines), len(in_sequence)
    return text, 0


# What a bill print puts on every page whatever its text: the key to its type faces ("EXPLANATION:
# CAPITALS INDICATE MATTER ADDED ...", "EXPLANATION--Matter in ITALICS ... is new"), a drafting
# office's job number ("LBD11364-01-3") and the running head ("S. 6964 2", "HOUSE BILL 444 3").
BILL_FURNITURE = re.compile(r"[ \t]*(?:EXPLANATION\s*(?::|--|\u2014)[^\n]{0,160}|\[Brackets\] indicate[^\n]{0,120}"
                            r"|Underlining indicates[^\n]{0,160}|[^\n]{0,60}\bold law to be omitted\.?"
                            r"|[A-Z]{3}\d{5}-\d{2}-\d"
                            r"|\d{0,3}[ \t]*(?:[SAH]\.|S\.B\.|H\.B\.|SB|HB|(?:SENATE|HOUSE|ASSEMBLY) BILL(?: NO\.)?)"
                            r"[ \t]*\d{1,5}[ \t]+\d{1,3})[ \t]*")


def _strip_bill_furniture(text: str) -> tuple[str, int]:
    """A bill print's furniture lines, with the blank lines around them, so that a sentence broken by
    a page end reads on. One pass over the lines: a long run of blank lines costs no more than its length."""
    def blank(line: str) -> bool:
        return not line.strip() and "\f" not in line  # a page break is kept

    kept: list[str] = []
    removed = 0
    after_furniture = False
    for line in text.split("\n"):
        if BILL_FURNITURE.fullmatch(line):
            removed += 1
            while kept and blank(kept[-1]):
                kept.pop()
            after_furniture = True
        elif not (after_furniture and blank(line)):
            kept.append(line)
            after_furniture = False
    return ("\n".join(kept), removed) if removed else (text, 0)


def _strip_page_furniture(text: str) -> tuple[str, int]:
    """Lines repeated at the top or bottom of most pages, a bill print's furniture and bare page
    numbers."""
    text, furniture = _strip_bill_furniture(text)
    pages = text.split("\f")
    if len(pages) < 3:
        lines = text.split("\n")
        kept = [line for line in lines if not (PAGE_NUMBER.match(line) and line.strip() and
                                               re.search(r"page", line, re.I))]
        return "\n".join(kept), len(lines) - len(kept) + furniture
    def keys(line: str) -> set[str]:
        """The line with its numbers as "#", also without a page number at either end, so that
        "HOUSE BILL 444", "2 HOUSE BILL 444" and "HOUSE BILL 444 3" are one running head."""
        line = line.strip().lower()
        return {re.sub(r"\d+", "#", variant) for variant in
                (line, re.sub(r"^\d{1,4}\s+", "", line), re.sub(r"\s+\d{1,4}$", "", line))}

    edges: Counter[str] = Counter()
    for page in pages:
        lines = [line for line in page.split("\n") if line.strip()]
        for line in set().union(*(keys(x) for x in lines[:3] + lines[-3:])):
            edges[line] += 1
    repeated = {line for line, count in edges.items() if count >= max(3, int(0.6 * len(pages))) and line}
    removed = 0
    out_pages = []
    for page in pages:
        lines = page.split("\n")
        content = [i for i, line in enumerate(lines) if line.strip()]
        edge = set(content[:3] + content[-3:])
        kept = []
        for index, line in enumerate(lines):
            if index in edge and (keys(line) & repeated or PAGE_NUMBER.match(line)) and line.strip():
                removed += 1
                continue
            kept.append(line)
        out_pages.append("\n".join(kept))
    return "\f".join(out_pages), removed + furniture


# ------------------------------------------------------------------ structure

def _p(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.I)


WHEREAS = _p(r"^\W*whereas\b")
DELETED = re.compile(r"\[\s*(?:DELETE|DELETED|Deleted|deleted|STRIKE|Strike|stricken|REPEALED)\b[^\]]*\]")
ENACTING = _p(r"\bbe it (?:hereby |further )?(?:ordained|enacted|resolved)\b|\b(?:do|does|hereby) (?:hereby )?(?:ordain"
              r"|enact|resolve|order)\b|\bnow,? therefore\b")



@dataclass
class Unit:
    """A sentence, or a list item with the lead-ins it completes, and where it sits."""

    text: str
    location: str  # a citation: "§ 2-173-020(a)(1)(C)", or "line 12" where there are no sections
    line: int
    definition: bool = False  # part of the definition of a term
    heading: bool = False  # a section heading (number and title)
    item: bool = False  # a list item
    title: str = ""  # the heading of the section it sits in
    own: str = ""  # the unit's own words, without the lead-in it inherits
    paragraph: str = ""  # the whole paragraph (list item) it comes from
    recital: bool = False  # a WHEREAS clause or a findings section
    lead: bool = False  # a lead-in ("No officer shall:") whose list items follow
    preamble: bool = False  # title, notes and recitals before the enacting clause
    plain: str = ""  # the text with abbreviation and decimal points taken out, for matching
    meant: str = ""  # plain, with the meaning of each defined term it uses in brackets (if any)
    meant_from: str = ""  # where those meanings are: "the definition of “X” (§ 2(a))"
    section: str = ""  # the section number alone ("2-173-020")
    path: str = ""  # the subdivision labels ("(a)(1)(C)")
    provisos: list[str] = field(default_factory=list)  # "unless ...", "except as ...", "provided that ..."
    refs: list[str] = field(default_factory=list)  # locations this unit's provisos point to
    limited_by: list[str] = field(default_factory=list)  # other units whose provisos limit this one


HEADING = re.compile(
    r"^\s*(?:\*+\s*)?"  # "* § 28.": a note mark before the number (New York's consolidated laws)
    r"(?:(?:NEW SECTION\.\s*)?(?:SECTION|Section|SEC\.|Sec\.|§+|ARTICLE|Article|Art\.)\s*([\w.\-]+?)\.?(?=\s|$)"
    r"|(\d{1,5}[A-Za-z]?(?:[.\-]\d+[A-Za-z]?)+|\d{1,4}:\d{1,3}[A-Za-z]?(?=\s+[A-Z][a-z]))\.?(?=\s|$)"
    # 2.19.005, 9-140, 7283.1. (alone on its line too); New Hampshire's "248:1 Statement of Purpose."
    r"|(\d{3,6})\.(?=\s)"  # 51040.
    r"|([IVX]{1,5})\.(?=\s))")  # I. POLICY
# A label is a letter or two, a roman numeral or a number: "(ICE)" opening a wrapped line is not one.
ITEM = re.compile(r"^\s*(?:\(([a-zA-Z]{1,2}|[ivxlcIVXLC]{1,5}|\d{1,3})\)(?:\s+|$|(?=[A-Z\"\u201c]))"
                  r"|([a-zA-Z]|\d{1,2})[.)](?:\s+|$)"
                  r"|([-\u2022\u2013\u25aa\u25e6])\s+)")
ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x{1,3})$", re.I)
MEMO_FIELD = re.compile(r"^(?:To|From|Subject|Re|Date|Cc|Memo(?:randum)?(?: No\.?)?)\s*:", re.I)
TERMINAL = re.compile(r"[.;:!?\u2014]\)?\s*$")
DEFINITION = re.compile(r'^\W{0,3}(?:[Tt]he (?:term|phrase|words?)\s+)?(?:["\u201c\u2018\']([^"\u201d\u2019\']{1,80})'
                        r'["\u201d\u2019\']|(?!(?:This|These|That|Those|Such|It|The|A|An|Each|Every|Any|No|Nothing)\b)'
                        r'[A-Z][\w\-]*(?: [\w\-]+){0,5}?)(?:\s*\([^)]*\))?'
                        r'(?:\s+or\s+["\u201c][^"\u201d]+["\u201d])?[,:]?'
                        r'\s*(?i:means|includes|shall mean|has the meaning|refers to|(?:does|shall) not include'
                        r'|(?:is|shall be) defined as)\b')
# The heading of a section (or glossary) whose entries are all definitions.
DEFINITIONS_TITLE = re.compile(r"\b(?:definitions?|glossary|terms used|defined terms|meaning of (?:certain )?terms)\b",
                               re.I)
# A pointer to a glossary kept elsewhere ("Specific meanings of bold terms ... can be found within the
# University's policy definition glossary"): the section it heads goes on to rules, not definitions.
GLOSSARY_ELSEWHERE = re.compile(r"\b(?:can be found|are found|are listed|see|refer to)\b[^.]{0,80}"
                                r"\b(?:glossary|definitions)\b", re.I)


# Pennsylvania's statutes define a term as a heading in quotes: '"Commission." The Pennsylvania Commission ...';
# a stored page may put a term in single quotes ("'Repeat offense' means ...").
DEFINES = re.compile(r'["\u201c][^"\u201d]{1,80}["\u201d](?:\s*\([^)]*\))?\s*(?:means|includes|shall mean'
                     r'|has the (?:same )?meaning|(?:does|shall) not include|(?:is|shall be) defined as)\b'
                     r'|["\u201c][A-Z][^"\u201d]{0,60}\.["\u201d]\s+(?-i:The|A|An|As defined|Any)\b'
                     r"|(?<!\w)['\u2018][^'\u2019\n]{1,60}['\u2019]\s*(?:means|includes|shall mean)\b", re.I)


def _defines_terms_below(title: str) -> bool:
    """Whether a heading's words open a definitions section (not only point to a glossary elsewhere)."""
    return bool(DEFINITIONS_TITLE.search(title)) and not GLOSSARY_ELSEWHERE.search(title)


PROVISO = re.compile(r"(?:^|[,;:(]\s*|\s)(unless\b|except\b|excepting\b|other than\b"
                     r"|provided(?:,)? (?:however,? )?that\b|notwithstanding\b|but not\b|subject to\b)", re.I)
CROSS_REF = re.compile(r"\b(?:sub)?(?:section|subsection|subdivision|paragraph|§+|sec\.?)\s*"
                       r"((?:\d[\w.\-]*)?(?:\([\w]{1,4}\))*)", re.I)


@dataclass
class _Para:
    text: str
    line: int
    indent: int
    heading: str | None = None  # the section number if this paragraph opens a section
    label: str | None = None  # an item label such as "(a)" or "1."


def _tail(text: str, size: int = 24) -> str:
    return text[-size:]


TITLE_LINE_WORDS = 8  # a line of a title block: a name, a heading, a page's section label
SENTENCE_OPENING = re.compile(r"(?:No|The|A|An|Any|Each|Every|All|Nothing|Unless|Except|If|When|Notwithstanding|Upon"
                              r"|This|These|Officers|Members|Employees|Personnel|Staff|Law enforcement)\s")


def _paragraphs(text: str) -> list[_Para]:
    """Physical lines joined into paragraphs: hard-wrapped lines are glued back together.

    Each decision looks only at the end of the paragraph so far (a bounded tail), so a text of
    single-character lines or one enormous line costs time in proportion to its length.
    """
    out: list[_Para] = []
    open_para = False
    pieces: list[str] = []  # the open paragraph's lines, joined when it closes
    last_capital = ""  # the last "A." style label, to tell "I." the letter from "I." the numeral

    def close() -> None:
        if out and pieces:
            out[-1].text = "".join(pieces)
        pieces.clear()

    has_lower = False  # whether the open paragraph has a lower-case letter anywhere
    # whether the open paragraph is only short lines so far: a stack of title lines ("Statement on ICE" /
    # "Overview"), after which a line that opens as a sentence starts the text, not a wrapped line
    short_lines = False
    after_blank = False
    field_line = False  # the open paragraph is a memo field ("To: Jail Staff")
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            if open_para:
                after_blank = True
            open_para = False
            continue
        blank_before, after_blank = after_blank, False
        stripped_start = line.strip()
        if MEMO_FIELD.match(stripped_start) or field_line:
            open_para = False  # "To:", "From:", "Subject:" lines and the line after them stand alone
        field_line = bool(MEMO_FIELD.match(stripped_start))
        if blank_before and out and pieces and not field_line and not HEADING.match(stripped_start) and \
                not ITEM.match(stripped_start) and re.match(r"[a-z0-9]", stripped_start) and \
                not TERMINAL.search(_tail(pieces[-1])) and has_lower:
            open_para = True  # "... detainer request pursuant to\n\n8 C.F.R. 287.7, nor shall ...": one sentence
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        heading = HEADING.match(stripped)
        item = ITEM.match(stripped)
        if heading and heading.group(4):
            core = heading.group(4)
            follows_letter = len(core) == 1 and last_capital and ord(core) == ord(last_capital) + 1
            if follows_letter or not re.match(r"[IVX]+\.\s+[A-Z]", stripped):
                heading = None  # "I." after "H." is a lettered item
            else:
                item = None
        titled = heading and re.match(r"\.\s+[A-Z]", stripped[heading.end() - 1:])  # "§ 28. Civil arrest"
        if heading and open_para and out and pieces and (stripped[:1] == "§" or heading.end() >= len(stripped)) \
                and not titled and has_lower and not TERMINAL.search(_tail(pieces[-1])):
            heading = None  # "(Cal. Civ. Code\n§ 1670.9 (Stats. ...))": a citation wrapped onto a new line
        if item and re.match(r"^[A-Z]\.$", item.group(0).strip()):
            last_capital = item.group(0).strip()[0]
        if out and not (heading or item) and out[-1].label and not out[-1].text and not pieces:
            out[-1].text = stripped  # "(1)" on its own line, its words on the next
            pieces.append(stripped)
            has_lower = bool(re.search(r"[a-z]", stripped))
            open_para = True
            continue
        if open_para and out and not (heading or item):
            last = out[-1]
            tail = _tail(pieces[-1] if pieces else last.text)
            # A line in capitals is a heading, unless it continues a full line of capitals (a bill's
            # new matter: "(B) THE STATE, A UNIT OF LOCAL GOVERNMENT, A COUNTY SHERIFF, OR\nANY AGENCY").
            caps_prose = len(pieces[-1].split()) >= 5 and len(pieces[-1]) >= 40 and not HEADING.match(stripped)
            caps = (not has_lower and not caps_prose) or re.match(r"^[A-Z][A-Z .]{1,20}:", stripped)
            listed = re.search(r"(?:[:;]|;\s*(?:and|or))\s*$", tail)  # a list entry ends, or a list begins
            abbreviated = ABBREVIATION.search(tail[-8:]) and tail.endswith(".")  # "... U.S."
            # "Section 54-28 Summons instead of arrest" then a sentence: a catchline with no period is a title
            catchline = bool(last.heading) and len(pieces) == 1 and stripped[:1].isupper() \
                and len(tail.split()) <= 14 and len(stripped.split()) >= 6 \
                and not re.search(r"\b(?:shall|must|may|will)\b", tail)
            # "Chapter 2.15 IMMIGRATION" or "Detainers" on a line of its own, then a rule that opens as rules
            # do ("No officer ...", "The Sheriff ..."): a title, not a wrapped sentence.
            titled_line = short_lines and len(tail.split()) <= 6 and not TERMINAL.search(tail) \
                and not re.search(r"\b(?:of|the|and|or|to|a|an|for|in|on|by|with|from|that|which|who|shall|must|may"
                                  r"|will)\s*$", tail, re.I) \
                and SENTENCE_OPENING.match(stripped) and len(stripped.split()) >= 6
            # a recital, and a resolving or enacting clause, open their own paragraph
            recital = stripped.startswith(("WHEREAS", "Whereas,")) or bool(RESOLVING_CLAUSE.match(stripped))
            glue = not caps and not listed and not catchline and not titled_line and not recital and (
                not TERMINAL.search(tail) or stripped[:1].islower() or abbreviated
                or (indent > 0 and indent >= last.indent and bool(last.label or last.indent > 0)))
            if glue:
                joiner = "" if re.search(r"[a-z]-$", tail) and stripped[:1].islower() else " "
                pieces.append(joiner + stripped)  # "non-" + "public" -> "non-public"
                short_lines = short_lines and len(stripped.split()) <= TITLE_LINE_WORDS
                has_lower = has_lower or bool(re.search(r"[a-z]", stripped))
                continue
        close()
        para = _Para(stripped, number, indent)
        if heading:
            para.heading = next(g for g in heading.groups() if g)
            rest = stripped[heading.end():].strip()
            inline = re.search(r"(?:^|[.:\u2014]\s*)\(([a-z]|\d{1,2})\)\s?", rest)
            if inline:  # "Section 2. Title. (a) No agency shall ..." or "7283.1. (a) Before ..."
                cut = inline.start() if rest[inline.start()] == "(" else rest.index("(", inline.start())
                out.append(_Para((stripped[: heading.end()] + " " + rest[:cut]).strip(), number, indent,
                                 para.heading))
                body = _Para(rest[cut:][len(inline.group(1)) + 2:].strip(), number, indent + 1,
                             None, f"({inline.group(1)})")
                out.append(body)
                pieces.append(body.text)
                has_lower = bool(re.search(r"[a-z]", body.text))
                open_para = True
                continue
        elif item:
            para.label = item.group(0).strip()
            para.text = stripped[item.end():]
            inner = re.match(r"^\(([a-zA-Z]{1,4}|\d{1,3})\)\s*(?=\S)", para.text)
            if inner and para.label.startswith("("):  # "(3)(a) For purposes ..." -> two levels
                out.append(_Para("", number, indent, None, para.label))
                para.label = f"({inner.group(1)})"
                para.text = para.text[inner.end():]
                para.indent = indent + 1
        out.append(para)
        pieces.append(para.text)
        has_lower = bool(re.search(r"[a-z]", para.text))
        short_lines = len(para.text.split()) <= TITLE_LINE_WORDS
        open_para = True
    close()
    return [p for p in out if p.text or p.label]


def _defines(sentence: str) -> bool:
    """A sentence that defines a term: '"X" means ...' or 'As used in this section, "X" means ...'."""
    lead = re.match(r"(?:definitions?\W+)?(?:as used in|(?:whenever|when) used in|in this|for (?:the )?purposes of)\b"
                    r"[^,:]{0,60}[,:]", sentence, re.I)
    return bool(DEFINITION.match(sentence) or (lead and DEFINES.search(sentence)))


def _kind(label: str, previous: dict[str, str]) -> str:
    """The numbering style of a list label: (a), (1), (i), (A), a., 1., ..."""
    core = label.strip("().")
    if not core.isalnum():
        return "bullet"
    wrap = "(" if label.startswith("(") else "."
    if core.isdigit():
        return wrap + "1"
    if ROMAN.match(core):
        letter = "a" if core.islower() else "A"
        before = previous.get(wrap + letter)
        if not (len(core) == 1 and before and ord(core) == ord(before) + 1):
            return wrap + ("i" if core.islower() else "I")
    return wrap + ("a" if core.islower() else "A")


def _heading_sentences(text: str) -> list[tuple[str, bool]]:
    """A heading line's sentences, marking which are the number and title rather than a rule."""
    out = []
    for index, sentence in enumerate(_sentences(text)):
        modal = re.search(r"\b(?:shall|may|must|will)\b", sentence)
        # "248:1 Statement of Purpose. The general court finds that:": a short lead-in is not the title
        short = len(sentence.split()) <= 9 and not modal and not sentence.rstrip().endswith("that:") \
            and not DEFINES.search(sentence)
        rule = bool(modal) and len(sentence.split()) > 7  # "428.3 Members shall not honor ..." is a rule
        out.append((sentence, (index == 0 and not rule) or short))
    return out


def _incomplete(text: str) -> bool:
    """A lead-in: it ends with a colon or dash, or stops without closing its sentence."""
    tail = text.rstrip()[-3:]
    return tail.endswith((":", "\u2014", "-", ",")) or not re.search(r"[.;!?]\)?[\"']?$", tail)


# "... except under the following two circumstances ...;" before its items: a lead-in closed by a
# semicolon typed for a colon
FOLLOWING_LEAD = re.compile(r"\b(?:the following|as follows)\b[^.:]*;\s*$", re.I)


DEFINITIONS_LEAD = re.compile(r"\bas used in\b[^.]{0,80}:\s*$|\bthe following (?:terms|words)\b[^.]{0,40}\bmean"
                              r"|\bdefinitions? (?:apply|in this)\b", re.I)


# A list item that is only a definitions title ("1. Definitions.", "A. DEFINITIONS").
DEFINITIONS_ITEM = re.compile(r"^\W*(?:definitions?|glossary|terms used|defined terms)\W*$", re.I)
# A sentence that commands someone ("The City will treat ...", "No officer shall ..."), not a defined
# term's meaning ("A request that the agency shall hold ..." is a definition's relative clause).
COMMANDS = re.compile(r"(?:^|[.:]\s+)(?:The|No|Each|Every|All|Any|An?)\s+"
                      r"(?:(?!\b(?:that|which|who|whose|whom|where|when|if)\b)[^.;:]){0,60}?"
                      r"\b(?:shall|must|will|may not)\b"
                      r"(?!\s+(?:mean|include|have the meaning|refer|be deemed|be construed))")


def _bare_heading(text: str) -> bool:
    """A short line in capitals with no number, standing for a heading ("DEFINITIONS", "II. PROCEDURES")."""
    words = text.split()
    return 0 < len(words) <= 5 and text.upper() == text and bool(re.search(r"[A-Z]{4}", text)) \
        and not TERMINAL.search(text.rstrip(".")) and not re.search(r"\b(?:SHALL|MAY|MUST|WILL)\b", text)


PROHIBITION_LEAD = re.compile(r"\b(?:prohibitions?|prohibited (?:acts|conduct))\b[^.:]{0,80}\binclude", re.I)
# "Actions with a purpose described in subsection (1) of this section include ...": the items are acts
# of a kind another subsection names; they are prohibited when that subsection prohibits them.
REFERRED_LEAD = re.compile(r"\b(?:actions?|acts?|activit(?:y|ies)|conduct|uses?|assistance|cooperation|purposes?)\b"
                           r"[^.:]{0,60}\b(?:described|prohibited|set forth|referred to|listed|specified)\s+in\s+"
                           r"(?:this\s+)?(?:sub)?(?:section|paragraph|subdivision)\s*((?:\([\w]{1,4}\))+)"
                           r"[^.:]{0,60}\binclude", re.I)
REFERRED_PROHIBITS = re.compile(r"\b(?:shall not|may not|must not|is prohibited|are prohibited|prohibited from)\b"
                                r"|^\W*no\b[^.;:]{0,200}\b(?:shall|may)\b", re.I)


PROHIBITED_TITLE = re.compile(r"\b(?:prohibited (?:acts|activities|actions|conduct|practices)|prohibitions)\b", re.I)
GERUND = re.compile(r"^\W*[A-Z][a-z]+ing\b")


def _lead_text(lead: str, referred: list[Unit] | None = None, section: str = "") -> str:
    """A lead-in as its items inherit it. "The prohibition set forth in this section shall include
    but not be limited to:" makes each item a prohibited act, so it is carried as such; so does
    "Actions described in subsection (1) include:" when subsection (1) prohibits them."""
    if PROHIBITION_LEAD.search(lead):
        return "The following is prohibited:"
    named = REFERRED_LEAD.search(lead)
    if named and referred is not None:
        path = named.group(1)
        if any(u.section == section and u.path == path and REFERRED_PROHIBITS.search(u.own or u.text)
               for u in referred):
            return "The following is prohibited:"
    return lead


def _where(section: str, line: int) -> str:
    return f"§ {section}" if section else f"line {line}"


# A list label run into the line before it: "shall not:(1) Use ...", "... status.(B) Detaining ...".
INLINE_ITEM = re.compile(r"(?<=[:;.])[ \t]*(?=\((?:[a-zA-Z]{1,4}|\d{1,3})\)[ \t]*[A-Z\"\u201c])")
# "... of a county. Sec. 5. A county shall not ...": a section that a flattened text ran into the
# previous one (a cross-reference is not preceded by a sentence's end: "as provided in Sec. 5.").
INLINE_SECTION = re.compile(r"(?<=[.;:][ \t])[ \t]*(?=(?:SECTION|Section|SEC\.|Sec\.)[ \t]+\d{1,4}[A-Za-z]?\.[ \t]+"
                            r"[A-Z\"\u201c(])")


# A resolving or enacting clause opens its own paragraph; in a resolution flattened onto one line, each
# recital and resolving clause starts its own line.
BE_IT = r"BE IT (?:FURTHER )?(?:RESOLVED|ORDAINED|ENACTED)\b"
RESOLVING_CLAUSE = re.compile(rf"NOW,? THEREFORE\b|{BE_IT}")
INLINE_RECITAL = re.compile(rf"(?:(?<=[.;:][ \t])|(?<=[ \t]and[ \t]))[ \t]*(?=WHEREAS\b|{RESOLVING_CLAUSE.pattern})"
                            r"|(?<=[A-Z][ \t])(?=WHEREAS ?,)"  # after a title in capitals
                            rf"|(?<=,[ \t])(?={BE_IT})")  # "therefore, BE IT"


def split_inline_items(text: str) -> str:
    """Put each section and list item that a pasted or scraped text ran into the previous line on its own line.

    A label counts when it follows a colon, or when the line holds at least two such labels (a whole
    list flattened onto one line), and not after an abbreviation ("U.S.C. (a)" is a citation)."""
    out = []
    for line in INLINE_RECITAL.sub("\n", INLINE_SECTION.sub("\n", text)).split("\n"):
        cuts = [m.start() for m in INLINE_ITEM.finditer(line)
                if not ABBREVIATION.search(line[max(0, m.start() - 8):m.start()].rstrip() + " ")]
        if not cuts or (len(cuts) < 2 and not line[:cuts[0]].rstrip().endswith(":")):
            out.append(line)
            continue
        start = 0
        for cut in cuts:
            out.append(line[start:cut].rstrip() if start == 0 else line[start:cut].strip())
            start = cut
        out.append(line[start:].strip())
    return "\n".join(out)


# A code chapter's table of its sections, whose entries are headings with nothing under them.
# After a chapter's title it needs its colon ("... Workers Sections:"); alone on its line it need not.
TABLE_OF_SECTIONS = re.compile(r"(?:^\W*|\s)(?:sections|table of contents|contents)\s*:\s*$"
                               r"|^\W*(?:sections|table of contents|contents)\s*$", re.I)


def units(text: str) -> list[Unit]:
    """Split a policy into units, each with its citation (section and subdivision path)."""
    text = split_inline_items(DELETED.sub(" ", text))
    out: list[Unit] = []
    section = ""
    title = ""
    stack: list[tuple[str, str, int]] = []  # (kind, label, index into out of the item's last unit)
    root_lead: str | None = None
    last_label: dict[str, str] = {}
    in_definition: int | None = None  # list depth at which a definition opened
    findings_section = False
    definitions_section = False  # a section titled "Definitions": every entry in it defines a term
    definitions_until: str | None = None  # the kind of label that ends a definitions subsection ("b.")
    listed: set[str] | None = None  # the sections a chapter's table ("Sections:") lists, until the first comes
    for para in _paragraphs(text):
        if listed is not None:
            if para.heading is not None and para.heading not in listed:
                listed.add(para.heading)  # "5.30.060 Severability." in the table says nothing yet
                continue
            if para.heading is None and listed and len(para.text.split()) <= 8:
                continue  # an entry's title on the line below its number
            listed = None
        if TABLE_OF_SECTIONS.search(para.text):
            listed = set()  # "Chapter 5.30 Employment of Undocumented Workers Sections:"
            if len(para.text.split()) <= 3:
                continue
        if para.heading is not None:
            section, title = para.heading, para.text
            stack, root_lead, last_label, in_definition = [], None, {}, None
            findings_section = bool(re.search(r"\b(?:findings|whereas|recitals|preamble)\b", title, re.I))
            sentences = _heading_sentences(para.text)
            definitions_section = _defines_terms_below(" ".join(s for s, is_title in sentences if is_title))
            rest = HEADING.match(para.text)
            # "§ 10-178 Immigration enforcement. a. Definitions. As used ...": only subsection a defines
            # terms; its definitions end where the next subsection of the same kind ("b.") begins.
            sub = re.match(r"\s*(?:[^.]{1,80}\.\s+)?\(?([a-z]|\d{1,3})[.)]\s+definitions?\b",
                           para.text[rest.end():], re.I) if rest else None
            definitions_until = _kind(sub.group(1) + ".", {}) if sub else None
            definitions_section = definitions_section or bool(sub)
            for sentence, is_title in sentences:
                for piece in _bounded(sentence):
                    out.append(Unit(piece, _where(section, para.line), para.line, heading=is_title, title=title,
                                    own=piece, paragraph=_context(para.text), recital=findings_section and not is_title,
                                    definition=_defines(piece) or (definitions_section and not is_title),
                                    section=section))
            if out and not out[-1].heading and out[-1].text.rstrip().endswith(":"):
                root_lead = out[-1].text
                if DEFINITIONS_LEAD.search(root_lead):  # "Sec. 3. As used in this act, ... the following:"
                    in_definition = -1
            opened = re.match(r"\s*(\d{1,3})\.\s", para.text[rest.end():]) if rest else None
            if opened and out:  # "67.307. 1. As used ...": the section line opens numbered subsection 1
                stack = [(".1", f"({opened.group(1)})", len(out) - 1)]
                last_label = {".1": opened.group(1)}
                if DEFINITIONS_LEAD.search(para.text):
                    in_definition = 0  # its list defines terms; subsection 2 ends the definitions
            continue
        if not para.label and _bare_heading(para.text):  # "DEFINITIONS", "PROCEDURES" alone on a line
            definitions_section = _defines_terms_below(para.text)
        if definitions_section and in_definition is None and not _defines(para.text) and COMMANDS.search(para.text):
            definitions_section = False  # "a. Equal treatment. The City will ...": a rule, the glossary has ended
        where = _where(section, para.line)
        recital = findings_section or bool(WHEREAS.match(para.text))
        if para.label:
            kind = _kind(para.label, last_label)
            if definitions_until is not None and kind == definitions_until:
                definitions_section, definitions_until = False, None
            if DEFINITIONS_ITEM.match(para.text):  # "1. Definitions.": its sub-items define terms, until "2."
                definitions_section, definitions_until = True, kind
            depth = next((i for i, (k, _, _) in enumerate(stack) if k == kind), len(stack))
            core = para.label.strip("().")
            if depth == len(stack) and stack and core.isalnum() and core.lower() not in ("1", "a", "i"):
                # A new kind of label that does not start a list ("(3)" after "(d)") continues an outer
                # list whose start is not in the text (a page that begins mid-list): the lead-in and the
                # list it opened end here.
                depth, root_lead = 0, None
            stack = stack[:depth]
            if in_definition is not None and depth <= in_definition:
                in_definition = None
            last_label[kind] = para.label.strip("().")
            leads = []
            for _, _, index in stack:  # every open level whose words the item completes
                parent = out[index] if 0 <= index < len(out) else None
                if parent is not None and (_incomplete(parent.own) or FOLLOWING_LEAD.search(parent.own)):
                    parent.lead = True
                    leads.append(_lead_text(parent.own, out, section))
            prefix = " ".join(([_lead_text(root_lead, out, section)] if root_lead else []) + leads)
            if not prefix and PROHIBITED_TITLE.search(title) and GERUND.match(para.text):
                # "§ 4724. Prohibited activities of law enforcement (1) Inquiring into ...": a list with
                # no lead-in whose section heading says its items are prohibited
                prefix = "The following is prohibited:"
            labels = "".join(label for _, label, _ in stack)
            label = para.label if para.label.startswith("(") else f"({para.label.strip('.)') or '-'})"
            if not label.strip("()").isalnum():
                label = "(-)"
            sentences = _sentences(para.text) if para.text else []
            if _defines(para.text) or re.match(r'^as used in\b[^.]*,\s*["\u201c]', para.text, re.I):
                in_definition = depth
            for index, sentence in enumerate(sentences):
                body = f"{prefix} {sentence}".strip() if index == 0 and prefix else sentence
                if index and (_defines(sentence) or DEFINITIONS_LEAD.search(sentence)):
                    in_definition = depth  # "1. Whenever ... 2. As used in this section: (a) ..." run together
                for piece in _bounded(body):
                    out.append(Unit(piece, f"{where}{labels}{label}", para.line,
                                    definition=in_definition is not None or definitions_section, title=title,
                                    item=True, own=sentence,
                                    paragraph=_context(para.text), recital=recital, section=section,
                                    path=f"{labels}{label}"))
            if not sentences:  # a bare label ("(3)") whose text is in the items below it
                out.append(Unit("", f"{where}{labels}{label}", para.line, title=title, item=True, own="",
                                paragraph="", recital=recital, section=section, path=f"{labels}{label}",
                                lead=True))
            stack.append((kind, label, len(out) - 1))
            continue
        sentences = _sentences(para.text)
        if root_lead and not stack and sentences and (para.text[:1].islower() or re.search(
                r"(?:;|; (?:and|or)|,)\s*$", para.text)):
            # a list whose numbers were lost (a .docx list): each entry completes the lead-in
            out.append(Unit(f"{root_lead} {sentences[0]}", where, para.line,
                            definition=in_definition is not None or definitions_section, title=title, item=True,
                            own=sentences[0], paragraph=_context(para.text), recital=recital, section=section))
            for sentence in sentences[1:]:
                for piece in _bounded(sentence):
                    out.append(Unit(piece, where, para.line, title=title, own=piece, paragraph=_context(para.text),
                                    recital=recital, section=section))
            continue
        if para.indent == 0 or not stack:
            stack, last_label, in_definition = [], {}, None
            root_lead = sentences[-1] if sentences and sentences[-1].rstrip().endswith(":") else None
            if root_lead and re.search(r"\bdefinitions? (?:apply|in this)|\bas used in\b|\bfor (?:the )?purposes of"
                                       r" this\b[^.]{0,30}:$", root_lead, re.I):
                in_definition = -1
        definition = bool(DEFINITION.match(para.text)) or in_definition is not None or definitions_section
        for sentence in sentences:
            for piece in _bounded(sentence):
                out.append(Unit(piece, where, para.line, definition=definition or _defines(piece), title=title,
                                own=piece, paragraph=_context(para.text), recital=recital, section=section))
    for index, unit in enumerate(out[:-1]):
        if unit.text.rstrip().endswith((":", "\u2014")) and out[index + 1].item and \
                unit.own.rstrip() and unit.own.rstrip() in out[index + 1].text:
            unit.lead = True
    out = [u for u in out if u.text.strip() or u.lead]
    for unit in out:
        unit.plain = _plain(unit.text)
        unit.provisos = [m.group(1).lower() for m in PROVISO.finditer(unit.own or unit.text)]
    _follow_references(out)
    enacting = next((i for i, u in enumerate(out) if ENACTING.search(u.text)), None)
    if enacting is not None:  # a clause that enacts what follows, not a closing "the foregoing is adopted"
        def rules(part: list[Unit]) -> int:
            return sum(1 for u in part if not u.recital and not WHEREAS.match(u.text)
                       and re.search(r"\b(?:shall|must|may)\b", u.text))
        if rules(out[enacting + 1:]) < rules(out[:enacting]):
            enacting = None
    title_end = _title_lines(text)
    for index, unit in enumerate(out):
        if (enacting is not None and index < enacting) or unit.line <= title_end:
            unit.preamble = True
    if enacting is None:
        # A resolution stored without its resolving clause, its recitals run together in one paragraph:
        # the sentences after a WHEREAS continue that recital ("Whereas, ...; and Whereas, .... In just the
        # past four years, eight states have passed laws ..."), not operative text.
        recital_line = None
        for unit in out:
            if WHEREAS.match(unit.text):
                recital_line = unit.line
            elif unit.line == recital_line:
                unit.recital = True
    analysis = False  # a bill's analysis runs from its heading to the enacting clause or first section
    for unit in out:
        if SYNOPSIS.match(unit.paragraph) or SYNOPSIS.match(unit.text):
            analysis = True
        elif analysis and (unit.heading or ENACTING.search(unit.text)):
            analysis = False
        unit.preamble = unit.preamble or analysis
    return out


# A bill print's synopsis or analysis ("Synopsis: Immigration notice. Requires each sheriff to ...",
# "Analysis by the Legislative Reference Bureau"): the legislature's summary of the bill, read like its
# long title, not as enacted text. So is a clerk's or staff "Explanation" above an ordinance's title in a
# council's legislative record ("Explanation / This ordinance enacts new section 161.11 ...").
SYNOPSIS = re.compile(r"^\W*(?:(?:synopsis|digest)\s*:|analysis by the legislative reference bureau\b"
                      r"|legislative counsel'?s digest\b|explanation\s*:?\s*$)", re.I)


def _context(paragraph: str) -> str:
    """The paragraph a unit is read in, bounded like the unit (a giant paragraph is not re-read per unit)."""
    return paragraph if len(paragraph) <= 4 * MAX_UNIT_CHARS else paragraph[: 4 * MAX_UNIT_CHARS]


def _bounded(sentence: str) -> list[str]:
    """A sentence, cut at word boundaries into pieces no longer than MAX_UNIT_CHARS."""
    if len(sentence) <= MAX_UNIT_CHARS:
        return [sentence]
    pieces = []
    rest = sentence
    while len(rest) > MAX_UNIT_CHARS:
        cut = rest.rfind(" ", MAX_UNIT_CHARS // 2, MAX_UNIT_CHARS)
        cut = cut if cut > 0 else MAX_UNIT_CHARS
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _follow_references(parts: list[Unit]) -> None:
    """Attach each proviso's cross-reference ("except as provided in subsection (3)",
    "Notwithstanding subsection (1)") to the unit it names, both ways."""
    by_location: dict[str, list[Unit]] = {}
    for unit in parts:
        by_location.setdefault(unit.location, []).append(unit)
    for unit in parts:
        if not unit.provisos:
            continue
        own = unit.own or unit.text
        for proviso in PROVISO.finditer(own):
            window = own[proviso.end():proviso.end() + 120]
            ref = CROSS_REF.search(window)
            if not ref or not ref.group(1) or ref.start() > 80:
                continue
            target = ref.group(1)
            if target.startswith("("):  # a subsection of the same section: "(1)" -> § 181.850(1)
                wanted = f"{_where(unit.section, unit.line) if unit.section else ''}{target}"
                candidates = [loc for loc in by_location if loc == wanted or
                              (not unit.section and loc.endswith(target))]
            else:
                wanted = f"§ {target.rstrip('.')}"
                candidates = [loc for loc in by_location if loc == wanted or loc.startswith(wanted + "(")]
            for loc in candidates[:3]:
                if loc == unit.location:
                    continue
                unit.refs.append(loc)
                for other in by_location[loc]:
                    if unit.location not in other.limited_by:
                        other.limited_by.append(unit.location)


# A quoted term and the words that give its meaning: '"Immigration enforcement agreement" means'.
MEANING = re.compile(r'["\u201c]([^"\u201d]{3,80})["\u201d](?:\s*\([^)]*\))?,?\s+(?:means|includes|shall mean'
                     r'|refers to|shall include)\b\s*:?\s*', re.I)
MAX_TERMS = 200  # defined terms read into the text; a code's glossary is rarely longer
MAX_MEANING_CHARS = 600


def read_defined_terms(parts: list[Unit], carried: re.Pattern[str]) -> None:
    """Read each quoted, defined term's meaning into the operative units that use it, as a lawyer does.

    "May not enter into an immigration enforcement agreement" means nothing to a rule until the
    definition says such an agreement is one under 8 U.S.C. 1357. The meanings of the terms a unit
    uses follow its text in brackets, in ``unit.meant``: a rule's concepts read that, while the
    unit's modality and a rule's exceptions read the unit's own words. Only terms of two words or
    more that ``carried`` finds (the library's ``carried_term`` pattern: agreements, programs): a
    warrant, a detainer or a place is defined by what it allows or asks, not by what a text refuses.
    """
    meanings: dict[str, str] = {}
    defined_at: dict[str, str] = {}
    for unit in parts:
        if not unit.definition:
            continue
        text = unit.plain or unit.text
        found = MEANING.search(text[:200])
        term = " ".join(found.group(1).lower().split()) if found else ""
        if len(term.split()) < 2 or not carried.search(term):
            continue
        if term not in meanings and len(meanings) >= MAX_TERMS:
            continue
        body = re.sub(r"[.;]+(?:\s+|$)", ", ", text[found.end():]).strip(" ,")
        defined_at.setdefault(term, unit.location)
        known = meanings.get(term, "")
        if body not in known:  # list items repeat their lead-in
            meanings[term] = (known + " " + body)[:MAX_MEANING_CHARS].strip()
    if not meanings:
        return
    used = re.compile(r"\b(" + "|".join(re.escape(term).replace(r"\ ", r"\s+")
                                         for term in sorted(meanings, key=len, reverse=True)) + r")\b", re.I)
    for unit in parts:
        if unit.definition or unit.heading:
            continue
        text = unit.plain or unit.text
        terms = dict.fromkeys(" ".join(m.group(1).lower().split()) for m in used.finditer(text))
        if terms:
            unit.meant = text + " (" + "; ".join(f"{term}: {meanings[term]}" for term in terms) + ")"
            unit.meant_from = "; ".join(f"the definition of \u201c{term}\u201d ({defined_at[term]})" for term in terms)


# States abbreviated in citations ("22 Pa. Code", "Tenn. Code Ann."): no sentence ends at their point.
STATE_ABBREVIATIONS = "Pa|Ga|Va|Md|Mich|Minn|Ariz|Colo|Conn|Mass|Wis|Tenn|Okla|Nev|Ky"
ABBREVIATION = re.compile(r"\b(?:U\.S\.C|C\.F\.R|U\.S|Sec|No|Nos|Stat|Ann|Gov|Code|Cal|Rev|Proc|Crim|Civ|Admin|Dept"
                          r"|Art|Ch|ch|Inc|Co|Corp|v|e\.g|i\.e|a\.m|p\.m|Mr|Ms|Mrs|Dr|St|Tex|Fla|Ill|Wash"
                          rf"|{STATE_ABBREVIATIONS})\.")


def _plain(text: str) -> str:
    """Text without the points of abbreviations and decimals, so "[^.]" spans stay in the sentence,
    and without the colon of a lead-in that ends on its verb ("shall: (1) comply with" reads as
    "shall comply with")."""
    text = ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    text = re.sub(r"\b(shall|must|may|will|shall not|may not|must not|will not)\s*:\s+", r"\1 ", text)
    return re.sub(r"(?<=\d)\.(?=\d)", "_", text)


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\b(U\.S\.C|C\.F\.R|Stat|Sec|No|Nos|Gov|Code|Ord|Res|Cal|Ill|Or|Wash|Tex|Fla|v|Inc|St|Ann"
                  r"|Rev|Proc|Crim|Civ|Admin|Dept|Art|Subd|Subch|Ch|ch|cl|p|pp|et seq|e\.g|i\.e|U\.S|a\.m|p\.m"
                  rf"|Mr|Ms|Mrs|Dr|Jr|Co|Corp|approx|art|ss?|{STATE_ABBREVIATIONS})\.",
                  lambda m: m.group(0).replace(".", "\u2024"), text)
    text = re.sub(r"\b([A-Z])\.(?=\s?[A-Z]\.)", "\\1\u2024", text)  # initials such as "U. S."
    # A sentence ends at a point, or at a point inside a closing quote or bracket ("release.' Under").
    # A quotation that opens in lower case ("... while on duty," ... "unless ICE agents have") goes on.
    parts = re.split(r"(?:(?<=\.)|(?<=\.[\"')]))\s+(?=[A-Z(]|[\"\u201c](?![a-z]))"
                     r"|(?<=;)\s+(?=(?:[A-Z][a-z]|WHEREAS)\b)", text)
    return [p.replace("\u2024", ".").strip() for p in parts if p.strip()]


# A labelled field at the start of a line ("TITLE: IMMIGRATION STATUS", "Implementation Date: May 15, 2014").
FIELD_LABEL = re.compile(r"^\W{0,3}[A-Z][A-Za-z'&/]*(?:[ \-][A-Za-z'&/]+){0,3}\s?:(?:\s|$)")


def form_header(text: str) -> bool:
    """Whether a text opens with a form's header: at least three labelled fields in its first fifteen
    lines (a department's policy, directive or memo: "TITLE:", "NO:", "EFFECTIVE DATE:", "Scope:").
    Such a text is an agency's own policy: its "Purpose:" field or "PURPOSE" heading says what the
    document is for; it is not findings or recitals (its "Effective Date:" still is an effective date)."""
    lines = [line for line in text.splitlines() if line.strip()][:15]
    return sum(1 for line in lines if FIELD_LABEL.match(line.strip())) >= 3


def _title_lines(text: str) -> int:
    """How many opening lines form the title block (names, numbers, a capitalized long title)."""
    last = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if HEADING.match(stripped) or ITEM.match(stripped) or WHEREAS.match(stripped):
            break
        if re.search(r"[a-z]", stripped) and (len(stripped) > 60 or re.search(r"\b(?:shall|may|must|will)\b"
                                                                             r"|[.;]$", stripped)):
            break
        last = number
    return last


def _title_block(text: str) -> str:
    """The lines that name the instrument: capitals or short lines, up to the first running text."""
    lines = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        if stripped and re.search(r"[a-z]", stripped) and len(stripped) > 60:
            break
        lines.append(stripped)
    return "\n".join(lines[:12])
