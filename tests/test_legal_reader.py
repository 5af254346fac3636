"""drafter/legal_reader.py: every input an organizer has, cleaned; legislative structure read as
a lawyer reads it; limits that keep hostile files from hanging or exhausting memory; and the
analyzer rules as data (a user library adds a phrasing without touching Python)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from drafter.analyze import analyze_file, analyze_text
from drafter.cli import cli
from drafter.errors import DrafterError
from drafter.legal_reader import decode_bytes, normalize, read_document, units

from .conftest import ROOT

HOLD = "The Sheriff shall not detain any person on the basis of an immigration detainer."

CHICAGO_STYLE = """2-173-020 Immigration enforcement prohibited.
   (a)   No agent or agency shall participate in civil immigration enforcement operations, unless required
   to disclose information as addressed in Section 2-173-030(a). Specifically, no agency or agent shall:
      (1)   stop, arrest, detain, or continue to detain a person
         (A)   solely on the belief that the person has committed a civil immigration violation.
         (B)   based upon an immigration detainer.
      (2)   permit ICE agents
         (A)   access to a person being detained by the agency.
2-173-030 Disclosing information.
   (a)   An agency may disclose information when required by a court order.
"""


def ids(result) -> set[str]:  # noqa: ANN001
    return {f.id for f in result.provisions} | {f.id for f in result.loopholes}


# ------------------------------------------------------------------ structure

def test_lead_ins_carry_down_every_level_and_findings_cite_the_path() -> None:
    parts = {u.location: u for u in units(CHICAGO_STYLE)}
    unit = parts["§ 2-173-020(a)(1)(B)"]
    assert unit.text == ("Specifically, no agency or agent shall: stop, arrest, detain, or continue to detain a "
                         "person based upon an immigration detainer.")
    assert parts["§ 2-173-020(a)(1)"].lead and parts["§ 2-173-020(a)(2)"].lead
    result = analyze_text(CHICAGO_STYLE)
    found = {f.id: f.location for f in result.provisions}
    assert found["detainer.no-hold"] == "§ 2-173-020(a)(1)(B)"
    assert found["access.detainee-interviews"] == "§ 2-173-020(a)(2)(A)"


def test_provisos_and_cross_references_are_followed() -> None:
    parts = units(CHICAGO_STYLE)
    first = next(u for u in parts if u.location == "§ 2-173-020(a)" and "participate" in u.text)
    assert "unless" in first.provisos and first.refs == ["§ 2-173-030(a)"]
    target = next(u for u in parts if u.location == "§ 2-173-030(a)")
    assert "§ 2-173-020(a)" in target.limited_by
    text = ("Sec. 5. Limits.\n(1) No officer shall stop any person for a civil immigration violation.\n"
            "(2) Notwithstanding subsection (1), an officer may exchange information with ICE.\n")
    limited = next(u for u in units(text) if u.location == "§ 5(1)")
    assert limited.limited_by == ["§ 5(2)"]
    finding = next(f for f in analyze_text(text).provisions if f.id == "detainer.no-civil-arrest")
    assert finding.limited_by == ["§ 5(2)"]


def test_numbering_styles_and_prohibition_lead_ins() -> None:
    text = ("SECTION 3. Use of funds.\nA. No department shall use city funds to assist federal immigration "
            "enforcement. The prohibition set forth in this section shall include:\n"
            "1. Requesting information about the immigration status of any individual.\n")
    parts = {u.location: u for u in units(text)}
    assert "§ 3(A)(1)" in parts
    assert "info.no-status-inquiry" in ids(analyze_text(text))


def test_a_lead_in_naming_a_prohibition_in_another_subsection_carries_it() -> None:
    # "Actions with a purpose described in subsection (1) include:" lists acts that (1) prohibits.
    text = ("State Statutes 99.100\n"
            "(1) Public moneys, equipment or personnel may not be used for the purpose of detecting or "
            "apprehending persons for immigration enforcement.\n"
            "(2) Actions with a purpose described in subsection (1) of this section include, but are not limited "
            "to, the following:\n"
            "(a) Supporting a federal agency in immigration enforcement, including any of the following:\n"
            "(A) Providing information, including a person's release date or home address, to a federal "
            "immigration authority; or\n"
            "(B) Establishing traffic perimeters for immigration enforcement.\n")
    parts = {u.location: u for u in units(text)}
    assert parts["line 5(2)(a)(A)"].text.startswith("The following is prohibited:")
    found = ids(analyze_text(text))
    assert {"info.no-release-info", "info.no-personal-data", "detainer.no-joint-operations"} <= found
    allowed = text.replace("may not be used", "may be used")
    assert not ids(analyze_text(allowed)) & {"info.no-release-info", "info.no-personal-data"}


def test_definitions_are_read_not_counted_as_rules() -> None:
    text = ('Sec. 1. Definitions.\n"Hold request" means a request to keep a person in custody for ICE.\n'
            '"Agency" means any department of the City.\nSec. 2. Rules.\nNo agency shall honor a hold request.\n')
    result = analyze_text(text)
    assert "structure.definitions" in ids(result)
    assert next(f for f in result.provisions if f.id == "detainer.no-hold").location == "§ 2"


def test_list_items_run_together_on_one_line_are_split() -> None:
    """A pasted statute often loses its line breaks: "shall not:(1) ...:(A) ....(B) ..."."""
    text = ("Sec. 4. Limits. (a) County officers shall not:(1) Use county staff to question, detain or arrest "
            "anyone for immigration enforcement purposes, including any of the following:(A) Asking about a "
            "person's immigration status.(B) Keeping a person in custody on a hold request.(2) Give release "
            "dates to immigration agents.\n")
    parts = {u.location: u for u in units(text)}
    assert {"§ 4(a)(1)(A)", "§ 4(a)(1)(B)", "§ 4(a)(2)"} <= set(parts)
    assert parts["§ 4(a)(1)(B)"].text.startswith("County officers shall not:")
    found = {f.id: f.location for f in analyze_text(text).provisions}
    assert found["detainer.no-hold"] == "§ 4(a)(1)(B)"
    assert found["info.no-status-inquiry"] == "§ 4(a)(1)(A)"
    assert "info.no-release-info" in found and "detainer.no-civil-arrest" in found


def test_glossaries_and_definitions_sections_are_definitions() -> None:
    glossary = ("Terms used in this chapter\n"
                "  \u2022 Hold request: means a written request to keep a person in custody for ICE.\n"
                "  \u2022 Covered agency: means any department of the county.\n\n"
                "No covered agency shall honor a hold request.\n")
    result = analyze_text(glossary)
    assert {"structure.definitions", "detainer.no-hold"} <= ids(result)
    colon = ('Sec. 10. Definitions. In this Act: "Hold request" means a request to keep a person in custody.'
             '"Agency" means any department of the State.\nSec. 15. No agency shall honor a hold request.\n')
    assert "structure.definitions" in ids(analyze_text(colon))
    section = ("1.0 POLICY\n\nDeputies shall treat every person alike.\n\n2.0 DEFINITIONS\n\n"
               "ICE Access Means any of the following:\n\nGiving ICE a person's release date.\n\n"
               "Immigration Hold\n\nA request to keep a person in custody for ICE.\n\n3.0 PROCEDURES\n\n"
               "Deputies shall not ask any person about immigration status.\n")
    parts = units(section)
    assert all(u.definition for u in parts if u.section == "2.0" and not u.heading)
    result = analyze_text(section)
    assert "structure.definitions" in ids(result) and "info.no-status-inquiry" in ids(result)
    assert "info.no-release-info" not in ids(result)  # a definition's words are not a rule


def test_department_manuals_and_numbered_orders_are_administrative() -> None:
    manual = ("Police Manual, Volume 2, Section 410 (policy statement of the Police Commission):\n\n"
              "410.10 IMMIGRATION. Officers shall not stop any person to discover the person's alien status.\n")
    result = analyze_text(manual)
    assert {"info.no-status-inquiry", "loophole.non-binding", "loophole.no-enforcement"} <= ids(result)
    assert "structure.no-reversal" not in ids(result)
    order = ("General Order 3.07 Page 2 of 5\n\nC. IMMIGRATION HOLDS\n\n1. The Sheriff's Office no longer "
             "honors immigration detainers.\n")
    result = analyze_text(order)
    assert {"detainer.no-hold", "loophole.non-binding"} <= ids(result)
    assert "structure.no-reversal" not in ids(result)
    code = ("Chapter 2.90\nCOMMUNITY TRUST\nSections:\n2.90.010 County policy.\n2.90.010 County policy.\n"
            "(1) County deputies may not inquire into an individual's immigration status.\n")
    assert "structure.no-reversal" in ids(analyze_text(code))  # a code section titled "policy" still binds


def test_commitments_stated_only_in_recitals_are_non_binding() -> None:
    text = ("RESOLUTION NO. 2019-4\nA RESOLUTION OF THE TOWN COUNCIL DECLARING A WELCOMING TOWN\n"
            "WHEREAS, the Town has long welcomed residents of every background; and\n"
            "WHEREAS, the Town will not use town funds or staff to enforce federal immigration law; and\n"
            "WHEREAS, the Town Council wishes to state its values;\n"
            "NOW, THEREFORE, BE IT RESOLVED that the Town Council declares the Town a welcoming town.\n")
    result = analyze_text(text)
    assert {f.id for f in result.provisions} == {"structure.findings"}
    assert {"loophole.non-binding", "loophole.no-enforcement"} <= ids(result)
    plain = ("RESOLUTION NO. 2019-5\nWHEREAS, the Town has long welcomed residents of every background;\n"
             "NOW, THEREFORE, BE IT RESOLVED that the Town Council declares the Town a welcoming town.\n")
    assert not any(i.startswith("loophole.") for i in ids(analyze_text(plain)))


def test_a_complaint_route_or_discipline_enforces_a_policy() -> None:
    rule = "Section 2. No city employee shall inquire into the immigration status of any person.\n"
    assert "loophole.no-enforcement" in ids(analyze_text(rule))
    for route in ("Section 3. Allegations of violations of this chapter may be filed with the City Manager, who "
                  "shall investigate the complaint.\n",
                  "Section 3. Any violation of this chapter by an employee shall be grounds for discipline.\n",
                  "Section 3. Each agency shall adopt an administrative action for officers found not in "
                  "compliance with this chapter.\n",
                  "Section 3. The agency's policy must include a procedure the agency will use to address "
                  "complaints of violations.\n"):
        found = ids(analyze_text(rule + route))
        assert "loophole.no-enforcement" not in found
    assert "structure.independent-complaints" in found  # the taxonomy's "discipline for willful violations"


def test_sections_run_together_on_one_line_are_split() -> None:
    """A stored page that lost every line break: each "Sec. N." opens its own section, so a definition's
    last item does not swallow the sections after it."""
    text = ('A bill to prohibit sanctuary policies. Sec. 3. As used in this act, "county" includes any of the '
            "following: (a) The county board. (b) An officer of a county. Sec. 5. A county shall not enact or "
            "enforce any law, ordinance, policy, or rule that limits or prohibits a peace officer from "
            "communicating or cooperating with federal officials concerning the immigration status of an "
            "individual. Any such rule is void, as provided in Sec. 3.\n")
    parts = units(text)
    ban = next(u for u in parts if u.own.startswith("A county shall not"))
    assert ban.location == "§ 5" and not ban.definition
    assert [u.own for u in parts if u.definition][-1] == "An officer of a county."
    result = analyze_text(text)
    assert result.mandates_cooperation and "structure.definitions" in ids(result)


def test_a_prohibited_activities_heading_carries_its_list() -> None:
    """A list with no lead-in under "Prohibited activities of law enforcement" lists prohibited acts."""
    text = ("Sec. 4. Prohibited activities of law enforcement\n(1) Inquiring into a person's immigration status;\n"
            "(2) Detaining a person on the basis of a hold request;\n")
    found = ids(analyze_text(text))
    assert {"info.no-status-inquiry", "detainer.no-hold"} <= found
    allowed = text.replace("Prohibited activities", "Permitted activities")
    assert not {"info.no-status-inquiry", "detainer.no-hold"} & ids(analyze_text(allowed))


def test_a_bill_synopsis_is_read_like_its_long_title() -> None:
    """A bill print's digest says what the bill does; it is not the enacted text, but a synopsis that
    requires a 287(g) agreement marks the bill a mandate."""
    text = ("Introduced Version\nHOUSE BILL No. 1158\nDIGEST OF INTRODUCED BILL\nCitations Affected: IC 36-2-13-20.\n"
            "Synopsis: Participation in the 287(g) program. "
            "Requires each sheriff with regard to a county jail to: (1) enter into a written agreement with the "
            "United States Immigration and Customs Enforcement to participate in the immigration program "
            "established under Section 287(g) of the Immigration and Nationality Act; and (2) report "
            "quarterly.\n")
    parts = units(text)
    assert all(u.preamble for u in parts)
    assert analyze_text(text).mandates_cooperation
    assert not analyze_text(text.replace("Requires", "Prohibits")).mandates_cooperation


def test_a_definitions_lead_in_whose_terms_were_cut_off_defines_nothing() -> None:
    text = ("Sec. 2. Definitions\nAs used in this chapter, unless the context otherwise indicates, the following "
            "terms have the following meanings.\nSec. 3. Duty to report\nEach official shall report a violation "
            "to the Attorney General.\n")
    assert "structure.definitions" not in ids(analyze_text(text))
    whole = text.replace("meanings.\n", 'meanings.\n1. "Agency" means any department of the State.\n')
    assert "structure.definitions" in ids(analyze_text(whole))


def test_self_executing_measures_need_no_enforcement_clause() -> None:
    vending = ("Sec. 9.40.080. Penalty.\n(A) A violation of this chapter by a sidewalk vendor shall not be "
               "punishable as an infraction or misdemeanor, and no person shall be subject to arrest for a "
               "vending violation.\n")
    result = analyze_text(vending)
    assert {"policing.street-vending", "structure.no-reversal"} <= ids(result)
    assert "loophole.no-enforcement" not in ids(result)
    savings = ("Sec. 5. Purpose. Nothing in this Act shall be construed to prohibit any entity from sending "
               "information regarding the citizenship or immigration status of any individual under 8 U.S.C. "
               "1373.\n")
    result = analyze_text(savings)
    assert "info.narrow-1373-savings" in ids(result) and "loophole.no-enforcement" not in ids(result)


# ------------------------------------------------------------------ inputs

def test_utf16_bom_nbsp_soft_hyphen_curly_quotes_and_hyphenation(tmp_path: Path) -> None:
    text = ("The Sheriff shall\u00a0not detain any per\u00adson on the basis of an immigra-\ntion "
            "detainer. \u201cAgency\u201d means the Sheriff.")
    for encoding in ("utf-16", "utf-8-sig", "utf-16-be"):
        path = tmp_path / f"p-{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        source = read_document(path)
        assert "shall not detain any person" in source.text and "immigration detainer" in source.text
        assert '"Agency"' in source.text
        assert "detainer.no-hold" in ids(analyze_file(path))
    assert decode_bytes("caf\xe9 d\u00e9tention".encode("cp1252"))[1] == "cp1252"


def test_a_quotation_that_goes_on_in_lower_case_is_one_sentence() -> None:
    from drafter.legal_reader import _sentences

    text = ('"Staff shall not share release dates," ... "unless ICE agents have a criminal warrant." '
            '"Next rule." Officers shall act.')
    first = '"Staff shall not share release dates," ... "unless ICE agents have a criminal warrant."'
    assert _sentences(text) == [first, '"Next rule."', "Officers shall act."]


def test_a_not_sign_used_as_a_discretionary_hyphen_is_removed() -> None:
    # Some PDF exports write the hidden hyphen as "¬" ("de¬tainer"); a "¬" between words stays.
    text = normalize("The jail shall decline all de\u00actainer requests; p \u00ac q.")[0]
    assert "detainer requests" in text and "p \u00ac q" in text


def test_scanned_spellings_of_287g_are_read_as_287g() -> None:
    # FOIA scans of request letters read the section as "287 [g)" or "287(9)"; a real "287(10)" stays.
    text = normalize("pursuant to 287 [g) of the Act, a 287(9) program and section 287(10).")[0]
    assert text == "pursuant to 287(g) of the Act, a 287(g) program and section 287(10)."


def test_a_scanned_u_s_is_read_as_us() -> None:
    # "decline U S. Immigration and Customs Enforcement requests" is one sentence, not two.
    assert normalize("to decline U S. Immigration and Customs Enforcement requests")[0] == (
        "to decline U.S. Immigration and Customs Enforcement requests")
    # A scanned portal glues words to commas ("invalid,inoperative"); numbers keep theirs.
    assert normalize("be declared invalid,inoperative or void; $345,000.00")[0] == \
        "be declared invalid, inoperative or void; $345,000.00"


def test_unreadable_text_is_an_error_never_zero_findings(tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("binary.txt", bytes(range(256)) * 40), ("blank.md", b"\n\n  \n")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DrafterError):
            read_document(path)


def test_page_headers_footers_and_numbers_are_removed() -> None:
    body = "\n".join(f"Line {w} of the body, which differs from page to page." for w in "abcdefgh")
    titles = ["Purpose", "Definitions", "Detainers", "Reports"]
    pages = [f"CITY OF ALDER ORDINANCE 12\nSection {n}. {titles[n - 1]}.\n{body.replace('body', f'body {n}')}"
             f"\nPage {n} of 4" for n in range(1, 5)]
    text, notes = normalize("\f".join(pages))
    assert "CITY OF ALDER ORDINANCE" not in text and "Page 2 of 4" not in text
    assert "Section 3. Detainers." in text and notes


def test_docx_list_numbering_becomes_labels(tmp_path: Path) -> None:
    word = Document()
    word.add_paragraph("Sec. 4. Detainers.")
    word.add_paragraph("No officer shall:")
    word.add_paragraph("hold any person on an immigration detainer;", style="List Number")
    word.add_paragraph("give ICE a person's release date.", style="List Number")
    path = tmp_path / "policy.docx"
    word.save(str(path))
    text = read_document(path).text
    assert "1. hold any person" in text and "2. give ICE" in text
    result = analyze_file(path)
    assert {"detainer.no-hold", "info.no-release-info"} <= ids(result)
    assert next(f for f in result.provisions if f.id == "detainer.no-hold").location == "§ 4(1)"


def _pdf(lines: list[str] | None) -> bytes:
    """A one-page PDF: with a text layer when ``lines`` is given, else an empty (scanned-like) page."""
    stream = b""
    if lines:
        body = "BT /F1 11 Tf 50 750 Td 14 TL " + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
        stream = body.encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_pdf_with_text_and_a_scan_without(tmp_path: Path, runner: CliRunner) -> None:
    text_pdf = tmp_path / "county-detainer-policy.pdf"
    text_pdf.write_bytes(_pdf(["COUNTY JAIL DETAINER POLICY", "Sec. 1. Holds.",
                               "The Sheriff shall not detain any person on the basis of an",
                               "immigration detainer."]))
    result = runner.invoke(cli, ["analyze", str(text_pdf)])
    assert result.exit_code == 0, result.output
    assert "No detention or prolonged custody" in result.output and "§ 1" in result.output
    assert "detainer.no-hold" not in result.output  # plain words; ids only in --json
    assert "Loopholes that weaken it" in result.output and "release dates" in result.output
    assert "loophole." not in result.output
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_pdf(None))
    bad = runner.invoke(cli, ["analyze", str(scan)])
    assert bad.exit_code == 1 and "no text layer" in bad.stderr


def test_pasted_web_page(tmp_path: Path, runner: CliRunner) -> None:
    page = tmp_path / "ordinance.html"
    page.write_text("<html><head><script>var x = 'shall not detain';</script></head><body><nav>Home</nav>"
                    "<h2>Sec. 2-10. Immigration detainers.</h2><p>No city officer shall:</p><ol type='a'>"
                    "<li>hold any person on an ICE detainer;</li><li>ask about immigration status.</li></ol>"
                    "<footer>Copyright</footer></body></html>", encoding="utf-8")
    text = read_document(page).text
    assert "(a) hold any person" in text and "var x" not in text and "Copyright" not in text
    result = runner.invoke(cli, ["analyze", str(page)])
    assert result.exit_code == 0
    assert "§ 2-10(a)" in result.output and "Protections it contains" in result.output
    # an organizer reads plain words: the protections, the loopholes and where each is; ids only in --json
    assert "No asking about or recording immigration status" in result.output and "§ 2-10(b)" in result.output
    assert "Loopholes that weaken it" in result.output and "no enforcement mechanism" in result.output
    assert "detainer." not in result.output and "loophole." not in result.output
    data = runner.invoke(cli, ["analyze", str(page), "--json"]).output
    assert '"detainer.no-hold"' in data and '"loophole.no-enforcement"' in data


def test_zip_bomb_named_docx_fails_cleanly(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 200_000_000)  # ~200 KB compressed
    bomb = tmp_path / "policy.docx"
    bomb.write_bytes(buffer.getvalue())
    start = time.perf_counter()
    with pytest.raises(DrafterError, match="inflate"):
        read_document(bomb)
    assert time.perf_counter() - start < 5


def test_input_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter import legal_reader

    monkeypatch.setattr(legal_reader, "MAX_INPUT_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text(HOLD * 100)
    with pytest.raises(DrafterError, match="too large"):
        read_document(path)


def test_analyze_is_linear_in_its_input() -> None:
    """Two sizes, four times apart: super-linear growth (the old glue-and-re-search reading was
    quadratic) shows as a ratio far above 4."""
    base = (ROOT / "tests" / "corpus" / "policies" / "01-welcoming-city-strong.txt").read_text()

    def timed(copies: int) -> float:
        text = "\n\n".join(base.replace("Section", f"Section {n}") for n in range(copies))
        start = time.perf_counter()
        analyze_text(text)
        return time.perf_counter() - start

    analyze_text(base)  # load the rules first
    small, large = timed(8), timed(32)
    assert large / small < 8, (small, large)
    for hostile in ("x\n" * 40_000, "neither " * 40_000):
        start = time.perf_counter()
        analyze_text(hostile)
        assert time.perf_counter() - start < 15
    # Cleaning too: a long run of blank lines (a bill print's furniture is removed with the blank
    # lines around it, which a backtracking pattern once did in time quadratic in the run).
    # So does a long run of spaces inside lines (a right-margin line number once backtracked over it).
    for hostile in ("a\n" + "\n" * 20_000 + "x", "a\n" + " \n" * 20_000 + "LBD11364-01-3\nx",
                    ("a" + " " * 20_000 + "x\n") * 12):
        start = time.perf_counter()
        normalize(hostile)
        assert time.perf_counter() - start < 2


# ------------------------------------------------------------------ rules as data

USER_RULES = """\
vocabulary:
  agents: "\\\\bla migra\\\\b"
rules:
  detainer.no-hold:
    - why: a promise in everyday words not to keep anyone for immigration agents
      concepts:
        - "\\\\bwill not keep\\\\b"
        - "{agents}"
      modality: any
      examples:
        match:
          - The jail will not keep anyone one extra hour for la migra.
        no_match:
          - The jail will keep records of every request from la migra.
"""


def test_a_user_library_adds_a_phrasing_without_python(tmp_path: Path, runner: CliRunner) -> None:
    from drafter.library import load_library

    library = tmp_path / "mylib"
    (library / "analyzer").mkdir(parents=True)
    (library / "analyzer" / "local-phrasings.yaml").write_text(USER_RULES)
    policy = tmp_path / "memo.txt"
    policy.write_text("The jail will not keep anyone one extra hour for la migra.\n")
    assert "detainer.no-hold" not in ids(analyze_file(policy))
    assert "detainer.no-hold" in ids(analyze_file(policy, load_library(library)))
    data = runner.invoke(cli, ["analyze", str(policy), "--library", str(library), "--json"]).output
    assert '"detainer.no-hold"' in data
    (library / "analyzer" / "local-phrasings.yaml").write_text(
        USER_RULES.replace("keep records of every request", "not keep anyone for"))
    checked = runner.invoke(cli, ["check", "--library", str(library)])
    assert "should not match but does" in checked.output + checked.stderr


def test_every_builtin_rule_has_examples_that_pass() -> None:
    from drafter.analyzer_rules import builtin_rules, check_examples
    from drafter.errors import Problems

    problems = Problems()
    ran = check_examples(builtin_rules(), None, problems)
    assert ran > 250 and not problems.items, [p.message for p in problems.items]


def test_state_law_is_added_to_the_report(runner: CliRunner, tmp_path: Path) -> None:
    policy = tmp_path / "p.txt"
    policy.write_text(HOLD + "\n")
    result = runner.invoke(cli, ["analyze", str(policy), "--state", "TX"])
    assert result.exit_code == 0 and "What TX state law says" in result.output
    assert runner.invoke(cli, ["analyze", str(policy), "--state", "ZZ"]).exit_code == 1


def test_numbered_subsections_after_a_definitions_list_are_not_nested_in_it() -> None:
    # A statute whose section line opens subsection 1 ("12.345. 1. As used in this section ...")
    # and whose subsection 2 follows the lettered parts of the last definition.
    text = ("12.345. 1. As used in this section, the following terms mean:\n\n"
            '(1) "Town", any city, town or village;\n\n'
            '(2) "Shelter rule", any town\'s order or ordinance that:\n\n'
            "(a) Bars town staff from speaking with federal officers; or\n\n"
            "(b) Grants a local identity card.\n\n"
            "2. No town shall enact a shelter rule. A town that does so shall report it to the state.\n")
    parts = {u.own: u for u in units(text)}
    second = parts["No town shall enact a shelter rule."]
    assert second.location == "§ 12.345(2)" and not second.definition
    assert "Town" not in second.text  # not read as completing the definition's lead-in
    assert parts['"Town", any city, town or village;'].definition


def test_a_glossary_under_a_bare_definitions_line_is_definitions() -> None:
    text = ("POLICY\n\nIt is the policy of the department to follow the law.\n\nDEFINITIONS\n\n"
            "Task force agreement: An arrangement under which federal agents deputize local officers to perform "
            "immigration enforcement functions.\n\nPROCEDURES\n\n1. Officers will not join a task force agreement.\n")
    parts = {u.own: u for u in units(text)}
    assert parts[next(k for k in parts if k.startswith("Task force agreement:"))].definition
    assert not parts["Officers will not join a task force agreement."].definition


def test_a_rule_after_a_definitions_list_is_not_a_definition() -> None:
    # A page whose sections were pulled apart: a lettered rule follows the glossary under its heading.
    text = ("2.129.030 - DEFINITIONS\nICE. The federal agency known as U.S. Immigration and Customs Enforcement.\n"
            "a. Equal treatment. The City will serve the public without consideration of immigration status.\n"
            "Allegations of violations of this Ordinance may be filed with the City Manager, who shall "
            "investigate the complaint.\n")
    parts = units(text)
    assert next(u for u in parts if u.own.startswith("ICE.")).definition
    assert not any(u.definition for u in parts if "City" in u.own)


def test_a_preamble_section_is_read_as_findings() -> None:
    text = ("2.129.020 - PREAMBLE\nIt is not the City's role to enforce federal immigration law, nor should the "
            "City's resources be spent toward that end.\n2.129.040 - RULES\nNo City employee shall inquire "
            "into the immigration status of any person.\n")
    assert all(u.recital for u in units(text) if "should" in u.own)
    assert "loophole.non-binding" not in ids(analyze_text(text))


def test_a_numbered_definitions_item_and_titled_entries_are_a_glossary() -> None:
    text = ("1. Definitions.\n(a) Civil Immigration Detainer Request. A request by an immigration officer to "
            "keep a person in custody.\n(b) Convicted. Proved guilty, unless the conviction has been vacated.\n"
            "2. Prohibitions.\n(a) No officer shall detain a person on a civil immigration detainer request.\n")
    parts = units(text)
    assert all(u.definition for u in parts if u.path.startswith("(1)") and u.own)
    assert not any(u.definition for u in parts if u.path.startswith("(2)"))
    result = analyze_text(text)
    assert "structure.definitions" in ids(result) and "loophole.conviction-carveout" not in ids(result)
    glossary = ("DEFINITIONS\n\nSection 287(g) Agreement: Partnership between ICE and a local agency that "
                "delegates immigration enforcement functions.\n\nPROCEDURES\n\n1. DPD will refrain from "
                "entering into these agreements.\n")
    assert "structure.definitions" in ids(analyze_text(glossary))


def test_a_definitions_subsection_on_the_section_line_ends_at_the_next_subsection() -> None:
    text = ("§ 5-101 Immigration matters. a. Definitions. As used in this section, the following terms have the "
            "following meanings:\nCounty facility. The term \u201ccounty facility\u201d means any building the county "
            "owns or leases.\nb. No agency shall honor an immigration detainer.\nc. No county resources shall be "
            "used for immigration enforcement.\n")
    parts = {u.own: u for u in units(text)}
    defined = next(k for k in parts if k.startswith("The term"))
    assert parts[defined].definition
    assert not parts["No agency shall honor an immigration detainer."].definition
    assert parts["No agency shall honor an immigration detainer."].location == "§ 5-101(b)"
    found = {f.id for f in analyze_text(text).provisions}
    assert {"detainer.no-hold", "detainer.no-joint-operations", "structure.definitions"} <= found


@pytest.mark.parametrize("mark", ["* \u00a7 28.", "\u00a7\u00a7 28.", "*\u00a7 28."])
def test_a_mark_before_a_section_number_still_opens_the_section(mark: str) -> None:
    text = (f"Civil Rights Law\nChapter 6, Article 3\n{mark} Civil arrest near courts. 1. A person attending a "
            "court proceeding is privileged from civil arrest while going to, remaining at and returning from "
            "the court.\n2. No officer shall make a civil arrest in a courthouse without a judicial warrant.\n")
    parts = units(text)
    assert any(u.section == "28" and u.heading for u in parts)
    rule = next(u for u in parts if u.own.startswith("No officer shall"))
    assert rule.location == "\u00a7 28(2)" and not rule.preamble


def test_a_lead_in_ends_with_its_list() -> None:
    # A page that starts mid-sentence: the list under the lead-in ends at (b); "(3)" continues an outer list.
    text = ("any county funds or staff, unless required by contract, for the following:\n"
            "(a) Immigration enforcement;\n(b) Registration programs based on religion.\n"
            "(3) Reporting: The County will publish a report every year on requests from ICE.\n"
            "(4) Training: The County will train every officer on this resolution within 90 days.\n")
    parts = {u.own: u for u in units(text)}
    later = parts["Reporting: The County will publish a report every year on requests from ICE."]
    assert "for the following" not in later.text
    assert later.location.endswith("(3)") and "(b)" not in later.location


def test_the_purpose_field_of_an_agency_policy_is_not_findings() -> None:
    text = ("COUNTY SHERIFF'S OFFICE JAIL DIVISION POLICIES AND PROCEDURES\nTITLE: IMMIGRATION HOLDS NO: J-12\n"
            "EFFECTIVE DATE: 03-01-19 REVISED: 04-02-20\nAUTHORITY: Sheriff\nPURPOSE:\n"
            "The purpose of this policy is to set out how jail staff respond to ICE.\nPOLICY:\n"
            "Staff will not honor ICE detainers unless they are accompanied by a judicial warrant.\n")
    found = {f.id for f in analyze_text(text).provisions}
    assert {"detainer.no-hold", "structure.effective-date"} <= found  # the policy's date is its effective date
    assert "structure.findings" not in found
    enacted = ("Section 1. Purpose. The purpose of this ordinance is to keep county staff out of civil immigration "
               "enforcement.\nSection 2. No county officer shall honor an immigration detainer.\n"
               "Section 3. Effective date. This ordinance takes effect on July 1, 2020.\n")
    found = {f.id for f in analyze_text(enacted).provisions}
    assert {"structure.findings", "structure.effective-date"} <= found


def test_a_section_catchline_without_a_period_stays_a_title() -> None:
    code = ("Section 31-12 Immigration detainers\n"
            "No officer of the city shall hold a person on an immigration detainer.\n")
    ids = {f.id for f in analyze_text(code).provisions}
    assert {"detainer.no-hold", "structure.no-reversal"} <= ids
    wrapped = ("Sec. 2-90. Use of city resources for federal\nimmigration enforcement prohibited.\n"
               "(a) No agency shall hold anyone on a detainer.\n")
    assert "detainer.no-hold" in {f.id for f in analyze_text(wrapped).provisions}


@pytest.mark.parametrize("title", ["SECTION 12-40\nDetainers", "Chapter 3.15 IMMIGRATION", "ORS 999.820 Detainers",
                                   "Code of Ordinances, Section 12-4"])
def test_a_short_title_line_is_not_glued_to_the_rule_below(title: str) -> None:
    text = title + "\nNo officer of the city shall hold a person on an immigration detainer.\n"
    ids = {f.id for f in analyze_text(text).provisions}
    assert {"detainer.no-hold", "structure.no-reversal"} <= ids


def test_a_wrapped_sentence_is_still_glued() -> None:
    text = "Sec. 5. The Riverton Police\nDepartment shall not hold a person on an immigration detainer.\n"
    assert "detainer.no-hold" in {f.id for f in analyze_text(text).provisions}
    text = "Section 5. Officers of the\nCity shall not hold a person on an immigration detainer.\n"
    assert "detainer.no-hold" in {f.id for f in analyze_text(text).provisions}


def test_a_bill_print_reads_as_its_text(tmp_path: Path) -> None:
    """Margin line numbers, struck-out (deleted) words, the print's key to its type faces, its job
    number and running heads are not the bill's text; new matter in capitals reads on across lines."""
    page_one = "\n".join(f"{n} {line}" for n, line in enumerate([
        "AN ACT concerning immigration enforcement agreements.",
        "SECTION 1. BE IT ENACTED BY THE GENERAL ASSEMBLY, That the Laws read as follows:",
        "5\u2013104.1.",
        '(A) IN THIS SECTION, "IMMIGRATION ENFORCEMENT AGREEMENT" MEANS A',
        "CONTRACT OR AN INTERGOVERNMENTAL SERVICE AGREEMENT WITH THE FEDERAL",
        "GOVERNMENT THAT AUTHORIZES A COUNTY SHERIFF OR ANY AGENCY OF THE STATE",
        "TO ENFORCE CIVIL IMMIGRATION LAW.",
        "(B) THE STATE, A UNIT OF LOCAL GOVERNMENT, A COUNTY SHERIFF, OR",
        "ANY AGENCY, OFFICER, OR EMPLOYEE OF THE STATE MAY NOT ENTER INTO AN",
        "IMMIGRATION ENFORCEMENT AGREEMENT.",
        "~~SECTION~~ ~~2.~~ ~~AND~~ ~~this~~ ~~Act~~ ~~shall~~ ~~take~~ ~~effect~~ ~~June~~ ~~1,~~ ~~2026.~~",
        "SECTION 2. AND BE IT FURTHER ENACTED, That this Act shall take effect July 1, 2026.",
    ], start=1))
    text = page_one + "\nEXPLANATION: CAPITALS INDICATE MATTER ADDED TO EXISTING LAW.\nLBD11364-01-3\n S. 444  2\n"
    clean, notes = normalize(text)
    assert "June" not in clean and "EXPLANATION" not in clean and "LBD" not in clean and "S. 444" not in clean
    assert "\nCONTRACT OR AN" in clean and "\n5-104.1." in clean  # numbers gone, the section's own kept
    assert any("line numbers" in note for note in notes) and any("struck" in note for note in notes)
    parts = units(clean)
    sentence = next(u for u in parts if "MAY NOT ENTER INTO" in u.text)
    assert sentence.text.startswith("THE STATE, A UNIT") and sentence.location == "§ 5-104.1(B)"
    result = analyze_text(clean)
    # The defined term's meaning (an agreement authorizing immigration enforcement; an IGSA) is read in.
    assert {"detainer.no-287g", "detainer.no-detention-contract"} <= ids(result)
    found = next(f for f in result.provisions if f.id == "detainer.no-287g")
    assert found.location == "§ 5-104.1(B)"
    # The report says which definition completed the ban.
    assert found.read_with == "the definition of \u201cimmigration enforcement agreement\u201d (§ 5-104.1(A))"
    bill = tmp_path / "hb444.txt"
    bill.write_text(text)
    report = CliRunner().invoke(cli, ["analyze", str(bill)])
    assert report.exit_code == 0
    assert "read with the definition of \u201cimmigration enforcement agreement\u201d" in report.output


def test_numbers_at_line_starts_that_are_not_a_margin_stay() -> None:
    text = "Sec. 2. Fees.\n" + "\n".join(f"{n} dollars is the fee for permit class {n}." for n in (5, 10, 25, 50))
    assert normalize(text)[0] == text


def test_only_defined_terms_that_name_things_carry_their_meaning() -> None:
    """An agreement, warrant or record's definition says what a rule about it covers; a term for an
    activity ("immigration enforcement") is defined too widely to read into every sentence."""
    defined = ('Sec. 1. Definitions. "Immigration enforcement" means any effort to investigate, detain or '
               'arrest a person for a civil immigration violation, or to assist in such an effort.\n'
               'Sec. 2. Early learning sites. A provider may not allow a person engaged in immigration '
               'enforcement into a nonpublic area without a judicial warrant.\n')
    assert "detainer.no-civil-arrest" not in ids(analyze_text(defined))
    agreement = ('Sec. 1. Definitions. "Detention services agreement" means an intergovernmental service '
                 'agreement with ICE.\nSec. 2. The County shall not enter into a detention services agreement.\n')
    assert "detainer.no-detention-contract" in ids(analyze_text(agreement))


def test_line_numbers_by_page_and_line_or_at_the_line_end_are_removed() -> None:
    """Minnesota prints "1.10authority within ..."; Arkansas prints the number at the right margin."""
    words = ["no government entity", "may prohibit, or in any way", "restrict, any official from",
             "sending to a federal", "immigration agency information", "regarding the immigration",
             "status of any individual", "for the purpose of", "complying with federal", "immigration laws and",
             "regulations."]
    minnesota = "\n".join(f"1.{number}{line}" for number, line in enumerate(words, start=1)) + "\n"
    arkansas = "\n".join(f"{line} {number}" for number, line in enumerate(words, start=1)) + "\n"
    for text in (minnesota, arkansas):
        cleaned, _ = normalize(text)
        assert not any(ch.isdigit() for ch in cleaned), cleaned
        assert "entity may prohibit" in " ".join(cleaned.split())


def test_a_bill_analysis_is_not_enacted_text_but_says_what_the_bill_requires() -> None:
    """The Legislative Reference Bureau's analysis of a Wisconsin bill, up to the enacting clause."""
    protective = ("AN ACT to create 20.932 of the statutes.\nAnalysis by the Legislative Reference Bureau\n"
                  "Under this bill, no official of a local governmental unit may aid in the detention of an "
                  "individual on the sole basis of an immigration detainer.\n")
    parts = units(protective)
    assert all(u.preamble for u in parts[1:]) and "detainer.no-hold" not in ids(analyze_text(protective))
    enacted = protective + ("The people of the state of Wisconsin, represented in senate and assembly, do enact "
                            "as follows:\nSECTION 1. No official of a local governmental unit may detain an "
                            "individual on the basis of an immigration detainer.\n")
    assert "detainer.no-hold" in ids(analyze_text(enacted))
    mandate = ("AN ACT to create 66.0414 of the statutes.\nAnalysis by the Legislative Reference Bureau\n"
               "This bill prohibits a city, village, town, or county from enacting an ordinance. The bill also "
               "requires a political subdivision to comply with a lawful detainer that is issued by U.S. "
               "Immigration and Customs Enforcement.\n")
    assert analyze_text(mandate).mandates_cooperation
    assert not analyze_text(mandate.replace("requires", "forbids")).mandates_cooperation


def test_a_flattened_resolution_reads_its_recitals_as_recitals() -> None:
    """A resolution stored on one line: each WHEREAS and RESOLVED clause starts its own unit, and a
    duty stated in a recital ("must comply with Federal Law, including lawful requests") is no mandate."""
    text = ("RESOLUTION NO. 18-4 A RESOLUTION OF THE CITY COUNCIL TO CONDEMN STATE LAW THAT RESTRICTS LAW "
            "ENFORCEMENT WHEREAS, the State enacted Senate Bill 54; and WHEREAS, the City, when accepting federal "
            "grants, must comply with federal law, including lawful requests for access to premises; and "
            "WHEREAS, the act may conflict with federal law. NOW, THEREFORE, BE IT RESOLVED, that the Council "
            "rejects Senate Bill 54 and urges its repeal; and BE IT FURTHER RESOLVED, that the Council renews its "
            "commitment to comply with federal immigration laws.")
    parts = units(text)
    assert sum(u.text.startswith("WHEREAS") for u in parts) == 3
    assert any(u.text.startswith("BE IT FURTHER RESOLVED") for u in parts)
    result = analyze_text(text)
    assert not result.mandates_cooperation
    assert not result.loopholes  # urging the repeal of a protective law protects no one


def test_terms_defined_as_pennsylvania_and_stored_pages_write_them() -> None:
    """'"Commission." The Pennsylvania Commission ...' and single-quoted terms are definitions; so is a
    definitions lead-in run into the previous subsection, or headed "DEFINITIONS Whenever used ..."."""
    pennsylvania = ('\u00a7 2102. Definitions. The following words and phrases when used in this chapter shall '
                    'have the meanings given to them in this section: "Commission." The Pennsylvania Commission '
                    'on Crime and Delinquency. "Corrections officer." As defined in 61 Pa.C.S. \u00a7 102.')
    nevada = ("1. Whenever any person is halted by a peace officer for a misdemeanor, the person must be given a "
              "traffic citation unless the violation is a repeat offense. 2. As used in this section: (a) "
              "'Prohibited offense' means a crime of violence. (b) 'Repeat offense' means an offense for which the "
              "person has previously been convicted.")
    hazleton = ('SECTION 3. DEFINITIONS Whenever used in this chapter, the following terms shall have the following '
                'meanings: "City"means the City of Hazleton. "Illegal Alien"means any person not lawfully present.')
    for text in (pennsylvania, nevada, hazleton):
        assert "structure.definitions" in ids(analyze_text(text)), text[:40]
    assert "policing.cite-release" in ids(analyze_text(nevada))


def test_new_hampshire_sections_and_its_general_court_finding() -> None:
    """'248:1 Statement of Purpose.' opens a section; 'The general court finds that:' is a finding, not a
    court's finding in a case and not part of the title."""
    text = ("AN ACT relative to the penalties for possession of marijuana.\n"
            "Be it Enacted by the Senate and House of Representatives in General Court convened:\n"
            "248:1  Statement of Purpose.  The general court finds that:\n"
            "I.  Reducing the penalty for possessing marijuana to a violation will save police time.\n")
    parts = units(text)
    assert any(u.section == "248:1" and not u.heading and u.text.startswith("The general court") for u in parts)
    assert "structure.findings" in ids(analyze_text(text))


def test_a_compare_views_doubled_line_numbers_are_removed() -> None:
    """A tracker's compare view glues its line number to the bill's ("1212 2 sheriff to enter into")."""
    lines = ["2025", "STATE OF WYOMING", "HOUSE BILL NO. HB0276", "State agreements.", "Sponsored by: Lawley",
             "A BILL", "for", "1 AN ACT relating to county sheriffs; requiring each county",
             "2 sheriff to enter into an agreement with the United States", "3 attorney general for the performance",
             "4 of immigration officer functions.", "5", "6 Section 1. W.S. 18-3-612 is created to read:",
             "7 (a) Each county sheriff shall negotiate the terms of", "8 and enter into a written agreement between",
             "9 the county and the United States attorney general, as", "10 provided by 8 U.S.C. 1357(g), for the "
             "enforcement of immigration laws."]
    text = "\n".join(f"{n}{n} {line}" for n, line in enumerate(lines, 1))
    cleaned, _ = normalize(text)
    assert "requiring each county\nsheriff to enter into" in cleaned and "1212" not in cleaned
    assert analyze_text(cleaned).mandates_cooperation  # (a) requires a 287(g) agreement
    # A text whose lines merely begin with numbers like "2020" keeps them.
    assert "2020 census" in normalize("2020 census figures\n" + "More text here.\n" * 12)[0]


def test_a_chapters_table_of_sections_is_not_its_sections() -> None:
    """'Sections: 5.30.010 Definitions. ... 5.30.060 Severability.' lists what follows; the entries say nothing."""
    text = ("Chapter 5.30 Employment of Undocumented Workers Sections:\n5.30.010\nDefinitions.\n5.30.060\n"
            "Severability.\n5.30.010 Definitions.\nThe following words shall have the following meanings:\n"
            '"Employer" means any person that employs one or more employees in the city.\n'
            '"Employee" means any person who works for an employer for wages.\n')
    found = ids(analyze_text(text))
    assert "structure.severability" not in found and "structure.definitions" in found
    assert "structure.severability" in ids(analyze_text(text + "5.30.060 Severability.\nIf any part of this "
                                                              "chapter is held invalid, the rest stays in effect.\n"))


def test_a_resolving_clause_run_into_the_last_recital_is_its_own_operative_unit() -> None:
    text = ("WHEREAS, the City would benefit from cooperation in the action proposed, therefore, BE IT RESOLVED BY "
            "THE CITY COUNCIL: The City Manager is hereby authorized to execute the attached agreement.\n")
    recital, resolved = units(text)
    assert recital.recital and recital.text.startswith("WHEREAS")
    assert not resolved.recital and resolved.text.startswith("BE IT RESOLVED")
    wrapped = "WHEREAS, the City would benefit,\nBE IT RESOLVED: The Manager shall sign the agreement.\n"
    assert [u.recital for u in units(wrapped)] == [True, False]


def test_a_stack_of_title_lines_does_not_swallow_the_first_sentence_below_it() -> None:
    text = ("Sheriff's Office Statement on Immigration Concerns\nAlexandria Sheriff's Office Statement Regarding ICE\n"
            "Overview\nThe Sheriff's Office does not collaborate with Immigration and Customs Enforcement (ICE). "
            "Our involvement with ICE is limited to what the law requires.\n")
    rule = next(u for u in units(text) if "does not collaborate" in u.text)
    assert not rule.preamble and rule.line == 4
    assert "detainer.no-joint-operations" in {f.id for f in analyze_text(text).provisions}


def test_a_staff_explanation_above_an_ordinance_is_not_its_text() -> None:
    text = ("Explanation\nThis ordinance enacts new section 161.11. At this time, the Division of Police does not "
            "enter into 287(g) agreements with Immigration and Customs Enforcement.\n"
            "Title\nTo enact new section 161.11 of the City Codes.\nWHEREAS, the city is a welcoming city; and\n")
    assert "detainer.no-287g" not in {f.id for f in analyze_text(text).provisions}
    assert "detainer.no-287g" in {f.id for f in analyze_text(text.replace("Explanation\n", "")).provisions}


def test_recitals_run_together_without_a_resolving_clause_stay_recitals() -> None:
    """A resolution stored without its resolving clause, its recitals in one paragraph: the sentences after
    a WHEREAS continue that recital."""
    text = ("A Resolution authorizing the City Attorney to challenge Senate Bill 168. Whereas, the state has "
            "passed a law; and Whereas, other states have too. Eight states have passed laws mandating local "
            "participation in immigration enforcement.\n")
    parts = units(text)
    assert [u.recital for u in parts if u.text.startswith("Eight states")] == [True]
    resolved = text.replace("enforcement.\n", "enforcement. NOW, THEREFORE, BE IT RESOLVED that the city sues.\n")
    assert not any(u.recital for u in units(resolved) if u.text.startswith("NOW"))
