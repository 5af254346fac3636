"""drafter analyze: accuracy on the labelled corpus, agreement with drafter score on
drafter's own drafts, and the command's outputs."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from drafter.analyze import analyze_file, analyze_text, units
from drafter.cli import cli

from .conftest import ROOT

CORPUS = ROOT / "tests" / "corpus" / "policies"


def _eval_module():
    spec = importlib.util.spec_from_file_location("analyzer_eval", ROOT / "scripts" / "analyzer_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def evaluation():
    return _eval_module()


def test_corpus_is_big_and_covers_every_id() -> None:
    from ruamel.yaml import YAML

    texts = sorted(CORPUS.glob("*.txt"))
    assert len(texts) >= 25
    labels = [YAML(typ="safe").load(t.with_suffix(".yaml").read_text()) for t in texts]
    seen = {i for label in labels for i in label["provisions"] + label["loopholes"]}
    taxonomy = YAML(typ="safe").load((ROOT / "clauses" / "taxonomy.yaml").read_text())
    every = {p for a in taxonomy["areas"].values() for p in a["provisions"]} | set(taxonomy["loopholes"])
    assert every <= seen


def test_precision_and_recall_per_id(evaluation) -> None:  # noqa: ANN001
    scores = evaluation.corpus_scores()
    report = {pid: (round(scores.precision(pid), 2), round(scores.recall(pid), 2))
              for pid in scores.failing()}
    assert not report, f"below 0.9 (provisions) / 0.85 (loopholes): {report}"
    assert not scores.mandate_errors


def test_analyze_agrees_with_score_on_drafters_own_drafts(evaluation) -> None:  # noqa: ANN001
    assert evaluation.draft_disagreements() == []


def test_units_join_list_items_to_their_lead_in() -> None:
    text = "Sec. 5. Limits.\n(a) No officer shall:\n(1) hold a person on an immigration detainer;\n"
    parts = units(text)
    assert parts[-1].text.startswith("No officer shall:") and "detainer" in parts[-1].text
    assert parts[-1].location == "§ 5(a)(1)"


def test_negation_and_permission_are_not_protections() -> None:
    allowed = analyze_text("The sheriff may honor immigration detainers at the sheriff's discretion.")
    assert "detainer.no-hold" not in {f.id for f in allowed.provisions}
    banned = analyze_text("The sheriff shall not hold any person on an ICE detainer.")
    assert "detainer.no-hold" in {f.id for f in banned.provisions}


def test_mandate_is_recognized() -> None:
    result = analyze_text("Each county jail shall comply with any immigration detainer request issued "
                          "by the Department of Homeland Security.")
    assert result.mandates_cooperation and result.mandate_evidence


MANDATE_KINDS = {
    "warrant-service agreement": "The Agency agrees that designated officers shall serve and execute ICE "
                                 "administrative warrants on persons in its custody and shall detain them for "
                                 "transfer to ICE.",
    "ban on limiting policies": "Section 5. No official or agency of a political subdivision may adopt a policy or "
                                "practice that limits or restricts the enforcement of federal immigration laws.",
    "ban on restricting communication": "A governmental body may not enact or implement an ordinance, a rule or a "
                                        "policy that prohibits or in any way restricts another body from "
                                        "communicating with federal officials about a person's immigration status.",
    "status checks at the jail": "When a person charged with a felony is confined in a jail, a reasonable effort "
                                 "must be made to determine the nationality of the person and to verify the "
                                 "person's immigration status with the federal government.",
    "mandatory 287(g)": "Each agency operating a county jail must enter into a written agreement with United States "
                        "Immigration and Customs Enforcement under 8 U.S.C. 1357(g).",
    "ban listing every kind of rule": "A local agency shall not adopt or keep an ordinance, rule, directive or "
                                      "practice, written or unwritten, which bars or materially limits its staff "
                                      "from assisting in the enforcement of immigration laws.",
    "penalty for a sanctuary policy": "A county that adopts a sanctuary policy shall be ineligible for state grants "
                                      "until the policy is repealed.",
    "heading requires agreements": "AN ACT\nrelating to agreements between sheriffs and federal immigration "
                                   "authorities.\nSECTION 1. The Code is amended to read as follows:\n"
                                   "SUBCHAPTER B. IMMIGRATION ENFORCEMENT AGREEMENTS REQUIRED\n"
                                   "Sec. 9.051. AGREEMENTS. (a)\n",
    "catchline names a duty to cooperate": "Revised Statutes\n\nChapter 12\n\nLocal powers\n\n"
                                           "Duty of peace officers to cooperate in immigration enforcement.\n\n"
                                           "12.345. 1. The governing body of each town",
    "287(g) memorandum of agreement": "MEMORANDUM OF AGREEMENT\nThis agreement is made between U.S. Immigration "
                                      "and Customs Enforcement and the Pine County Sheriff, under which ICE allows "
                                      "trained deputies to carry out some duties of immigration officers.\n"
                                      "I. PURPOSE\nThe purpose of this agreement is to set the terms on which "
                                      "deputies will be trained.\nII. AUTHORITY\nSection 287(g) of the "
                                      "Immigration and Nationality Act, 8 U.S.C. 1357(g), authorizes the Secretary "
                                      "to enter into written agreements with a State or political subdivision. "
                                      "This agreement is such a written agreement.\n",
    "duty to try to negotiate a 287(g) agreement": "The Commissioner of Public Safety shall endeavor to negotiate a "
                                                   "memorandum of agreement with the United States Department of "
                                                   "Homeland Security under 8 U.S.C. 1357(g) so that troopers may "
                                                   "enforce federal immigration law.",
    "arresting officer asks for status verification": "When a person arrested for a felony cannot produce "
                                                      "identification, the arresting deputy shall request "
                                                      "verification of the person's citizenship or immigration "
                                                      "status from the federal government.",
    "reasonable effort, where practicable, at booking": "Upon booking any person into the county detention center, "
                                                        "the jailer shall make a reasonable effort, where "
                                                        "practicable, to ascertain whether the person is lawfully "
                                                        "present in the United States.",
    "query of a federal immigration database": "The booking officer shall query the federal immigration status "
                                               "database for every arrestee born outside the country.",
    "order to notify ICE and place holds": "Procedure 4.\nIf the subject is booked on state charges, the deputy will "
                                           "notify ICE of the facility where the subject is held and will place a "
                                           "hold whenever ICE asks for one.",
    "release dates on a DHS request": "Whenever Homeland Security submits a written request for the release date of "
                                      "an inmate, the records clerk will see that the date is provided.",
    "forfeiture of office for a sanctuary policy": "An elected county official who adopts or enforces a sanctuary "
                                                   "policy forfeits the office and may be removed by quo warranto.",
    "sheriff's order to honor detainers": ("CUSTODY BUREAU ORDER 12\nSUBJECT: Immigration holds\n\n"
                                          "1. Deputies will honor every immigration detainer "
                                          "and keep the person up to 48 hours so that ICE can take custody."),
    "board asks the sheriff to check status and allows ICE partnership": "The Board asks the Sheriff to check the "
                                          "immigration status of every person booked into the jail, and authorizes "
                                          "the Sheriff to work with ICE officers to identify and detain persons "
                                          "for deportation.",
    "detention-bed agreement with ICE": "INTERGOVERNMENTAL SERVICE AGREEMENT\nbetween U.S. Immigration and Customs "
                                        "Enforcement and Pine County\nThis agreement sets the daily rate.\n",
    "county agrees to house immigration detainees": "The County agrees to house ICE detainees at the county jail "
                                                    "and to accept them at any hour.",
    "jail access for ICE agents": "The jail administrator shall allow ICE officers access to the jail to interview "
                                  "any inmate believed to be a foreign national.",
    "inquiry into status at arrest": "Every arresting officer shall inquire into the immigration status of a person "
                                     "arrested for a felony.",
    "reports of arrests to DHS": "The chief of police shall report each arrest of a foreign national to the "
                                 "Department of Homeland Security within 24 hours.",
    "hold until ICE takes custody": "Upon receipt of a detainer, the facility shall keep the inmate until ICE takes "
                                    "custody, for up to 48 hours.",
    "state grants withheld for limiting cooperation": "The state treasurer shall withhold state grant funds from any "
                                                      "municipality that prohibits its police from cooperating with "
                                                      "federal immigration officers.",
    "order to transport to ICE": "Deputies will transport the inmate to the ICE field office when ICE asks.",
    "order to cooperate in removals": "Officers will cooperate fully with ICE agents in identifying and detaining "
                                      "persons subject to removal.",
    "hold past release on a detainer": "The jail shall hold any inmate subject to an ICE detainer for up to 48 hours "
                                       "after the inmate would otherwise be released.",
    "booking sheets to ICE": "If the arrestee is a foreign national, the booking officer shall fax the booking sheet "
                             "to ICE.",
    "lists of foreign-born inmates": "A county jail shall provide ICE with a list of all foreign-born inmates each "
                                     "week.",
    "Secure Communities participation": "The department shall participate in the ICE Secure Communities program.",
    "required to notify DHS of arrests": "Officers are required to notify the Department of Homeland Security "
                                         "whenever they arrest a person who is unlawfully present.",
    "assist immigration officers on request": "Law enforcement officers shall assist federal immigration officers "
                                              "in the enforcement of immigration laws when requested.",
    "removal from office under a cited anti-sanctuary statute": "Tex. Gov't Code § 752.0565\nREMOVAL FROM OFFICE\n"
                                          "(a) An officer of a political subdivision who violates Section 752.053 "
                                          "forfeits the office.\n",
}


def test_a_glossary_entry_for_287g_is_not_a_mandate() -> None:
    order = ("Pine Police Department\nGeneral Order No. 12.0\n\nDEFINITIONS\n\nTask force agreement: A "
             "partnership that delegates authority to local officers to perform immigration enforcement "
             "functions.\n\nPROCEDURES\n\n1. Section 287(g) agreements are voluntary. The Department will "
             "refrain from entering into these agreements.\n")
    result = analyze_text(order)
    assert not result.mandates_cooperation
    assert "detainer.no-287g" in {f.id for f in result.provisions}


def test_a_person_described_as_not_a_citizen_does_not_negate_the_duty() -> None:
    # "who is not a citizen" says who the duty reaches; "No officer shall ..." still negates it.
    duty = ("Section 4. An officer who arrests a person who is not a citizen shall report the arrest to the "
            "Department of Homeland Security.")
    assert analyze_text(duty).mandates_cooperation
    refusal = ("Section 4. No officer shall report a person who is not a citizen to the Department of Homeland "
               "Security.")
    assert not analyze_text(refusal).mandates_cooperation


@pytest.mark.parametrize("kind", sorted(MANDATE_KINDS))
def test_anti_sanctuary_laws_of_other_shapes_are_flagged(kind: str) -> None:
    result = analyze_text(MANDATE_KINDS[kind])
    assert result.mandates_cooperation, kind
    assert not result.loopholes and not [f for f in result.provisions if f.id.startswith("detainer.")]


def test_a_state_directive_and_a_department_policy() -> None:
    directive = ("ATTORNEY GENERAL LAW ENFORCEMENT DIRECTIVE NO. 2030-1\nII. LIMITS\n"
                 "A. Except as provided in Section II.C, no state, county or local officer shall:\n"
                 "1. Stop, question or detain any person based solely on suspected immigration status;\n"
                 "2. Continue to detain a person past the time of release based solely on a civil immigration "
                 "detainer.\n")
    result = analyze_text(directive)
    found = {f.id for f in result.provisions}
    assert {"detainer.no-civil-arrest", "detainer.no-hold"} <= found and "info.no-release-info" not in found
    # Whether the directive is "easily reversed" is not asserted: it binds every officer, but a later
    # attorney general can withdraw it, which docs/analyzer-labels.md (b) counts as non-binding; the
    # rules do not say so and the statistical reader, trained on those labels, may.
    assert not [f for f in result.loopholes if f.id == "loophole.non-binding" and not f.by_reader]
    policy = ("Policy 612 Immigration Matters\n612.1 PURPOSE. This policy guides members.\n"
              "612.2 Members shall not honor ICE detainer requests without a judicial warrant.\n")
    result = analyze_text(policy)
    assert next(f for f in result.provisions if f.id == "detainer.no-hold").location == "§ 612.2"
    assert "loophole.non-binding" in {f.id for f in result.loopholes}


def test_enacted_law_in_mandatory_words_is_no_reversal_and_model_policies_are_not() -> None:
    def found(text: str) -> set[str]:
        result = analyze_text(text)
        return {f.id for f in result.provisions} | {f.id for f in result.loopholes}

    ordinance = ("ORDINANCE NO. 2031-12\nAN ORDINANCE relating to county services\n"
                 "BE IT ORDAINED BY THE COUNCIL OF THE COUNTY:\nSECTION 1. K.C.C. 2.15.010 is amended to read as "
                 "follows:\nA. No county employee shall inquire into the immigration status of any person.\n")
    assert "structure.no-reversal" in found(ordinance)  # an ordinance that writes itself into the code
    assert "structure.no-reversal" not in found(ordinance.replace("K.C.C. 2.15.010 is amended to read as follows",
                                                                  "The following is the county's rule"))
    statute = ("Maryland Code, Criminal Procedure 5-104\n(b) A law enforcement agent may not inquire about an "
               "individual's citizenship or immigration status during a stop.\n")
    assert "structure.no-reversal" in found(statute)
    encouraged = ("State Statutes 180.810 Model policies\n(1) The Attorney General shall publish model policies "
                  "limiting immigration enforcement at public schools, health facilities and shelters.\n"
                  "(2) All public bodies are encouraged to adopt policies based on the model policies.\n")
    assert "structure.no-reversal" not in found(encouraged)
    assert {"access.sensitive-locations", "loophole.non-binding"} <= found(encouraged)
    required = encouraged.replace("are encouraged to adopt policies based on", "shall adopt")
    assert "structure.no-reversal" in found(required) and "loophole.non-binding" not in found(required)


def test_a_resolution_declaring_protective_intent_only_in_its_title_and_recitals() -> None:
    text = ("RESOLUTION 31999\nA RESOLUTION affirming the City as a welcoming city that serves its residents "
            "regardless of their immigration status.\n"
            "WHEREAS, one in five residents of the City was born abroad; and\n"
            "WHEREAS, the City values the contributions of every resident;\n")
    result = analyze_text(text)
    assert {f.id for f in result.loopholes} == {"loophole.non-binding", "loophole.no-enforcement"}
    opposed = text.replace("affirming the City as a welcoming city that serves its residents regardless of "
                           "their immigration status", "opposing sanctuary policies")
    assert not analyze_text(opposed).loopholes


def test_a_protection_found_first_in_loose_words_counts_as_binding_where_it_binds() -> None:
    text = ("Chapter 2.129 Welcoming community\n2.129.040 Rules.\n"
            "a. Equal treatment. The City will treat all persons equally and serve the public without consideration "
            "of immigration status.\n")
    found = {f.id: f for f in analyze_text(text).provisions}
    assert "structure.no-reversal" in found and "will treat" in found["policing.fair-impartial"].evidence


def test_express_exclusions_of_agencies_are_coverage_gaps() -> None:
    rule = "(2) A law enforcement agent may not inquire about an individual's immigration status during a stop.\n"
    defined = ('(1) "Law enforcement agent" does not include an employee of a local correctional facility.\n' + rule)
    assert "loophole.coverage-gap" in {f.id for f in analyze_text(defined).loopholes}
    booking = ('(1) "Arrest" does not include a routine booking procedure.\n' + rule)
    assert "loophole.coverage-gap" not in {f.id for f in analyze_text(booking).loopholes}
    carved = (rule + "(3) For purposes of subsection (2), the Bureau of Labor is not a law enforcement agency.\n")
    assert "loophole.coverage-gap" in {f.id for f in analyze_text(carved).loopholes}
    program = (rule + "(3) This subsection does not apply to any program whose primary purpose is providing "
               "benefits.\n")
    assert "loophole.coverage-gap" in {f.id for f in analyze_text(program).loopholes}


def test_cli_json_shape(runner: CliRunner) -> None:
    policy = CORPUS / "01-welcoming-city-strong.txt"
    data = json.loads(runner.invoke(cli, ["analyze", str(policy), "--json"]).output)
    assert set(data) == {"provisions", "loopholes", "mandates_cooperation", "missing"}
    assert {"id", "evidence", "location"} == set(data["provisions"][0])
    assert all({"id", "clause"} == set(m) for m in data["missing"])
    assert data["mandates_cooperation"] is False


def test_cli_human_report_and_memos(runner: CliRunner, tmp_path: Path) -> None:
    policy = CORPUS / "22-welcoming-city-with-carveouts.txt"
    result = runner.invoke(cli, ["analyze", str(policy), "-o", str(tmp_path / "memo.md")])
    assert result.exit_code == 0
    assert "Protections it contains" in result.output and "Loopholes that weaken it" in result.output
    assert "What to ask for" in result.output and "add “" in result.output
    assert "loophole." not in result.output and "detainer." not in result.output  # plain words, no ids
    memo = (tmp_path / "memo.md").read_text()
    assert "Loopholes that weaken it" in memo and "Protections it lacks" in memo
    assert runner.invoke(cli, ["analyze", str(policy), "-o", str(tmp_path / "memo.docx")]).exit_code == 0
    assert (tmp_path / "memo.docx").exists()


def test_docx_policy_and_bad_inputs(runner: CliRunner, tmp_path: Path) -> None:
    word = Document()
    for line in (CORPUS / "23-state-detainer-mandate.txt").read_text().splitlines():
        word.add_paragraph(line)
    word.save(str(tmp_path / "law.docx"))
    data = json.loads(runner.invoke(cli, ["analyze", str(tmp_path / "law.docx"), "--json"]).output)
    assert data["mandates_cooperation"] is True
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    bad = runner.invoke(cli, ["analyze", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 1 and "PDF" in bad.stderr
    (tmp_path / "x.xyz").write_text("text")
    unknown = runner.invoke(cli, ["analyze", str(tmp_path / "x.xyz")])
    assert unknown.exit_code == 1 and "unsupported file type" in unknown.stderr
    missing = runner.invoke(cli, ["analyze", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "file not found" in missing.stderr


def test_new_from_policy(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "a.yaml"
    result = runner.invoke(cli, ["new", "--no-input", "--name", "Alder", "--kind", "county",
                                 "--state", "WA", "--from-policy",
                                 str(CORPUS / "18-sheriff-jail-memo.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Started from the existing policy" in text and "closes its loopholes" in text
    assert "preset: strongest" in text


PASTED = """MARION COUNTY SHERIFF'S OFFICE
POLICY 512 - IMMIGRATION HOLD REQUESTS

1. Jail staff shall not detain an inmate beyond the inmate's release date solely because ICE
has lodged an immigration hold (Form I-247A), unless the inmate has a prior felony conviction
or is listed in the regional gang database.

2. When ICE requests notification of an inmate's release, the jail may provide the release
date and time to ICE.

3. Nothing in this policy prohibits any deputy from exchanging information with federal
immigration authorities.
"""


def test_a_pasted_county_policy() -> None:
    result = analyze_text(PASTED)
    assert {f.id for f in result.provisions} == {"detainer.no-hold"}
    assert {"loophole.conviction-carveout", "loophole.notification-gap",
            "loophole.broad-savings-clause", "loophole.no-enforcement"} <= {f.id for f in result.loopholes}
    carveout = next(f for f in result.loopholes if f.id == "loophole.conviction-carveout")
    assert "prior felony conviction" in carveout.evidence and carveout.location.endswith("(1)")


REAL = ROOT / "tests" / "corpus" / "real"


def test_real_text_labels_are_complete() -> None:
    """The committed part of the real-text evaluation: a source address, kind, split and valid
    labels for each of at least 30 enacted texts, 30 or more held out, anti-sanctuary laws among both."""
    from ruamel.yaml import YAML

    taxonomy = YAML(typ="safe").load((ROOT / "clauses" / "taxonomy.yaml").read_text())
    every = {p for a in taxonomy["areas"].values() for p in a["provisions"]} | set(taxonomy["loopholes"])
    labels = [YAML(typ="safe").load(p.read_text()) for p in sorted(REAL.glob("*.yaml"))]
    assert len(labels) >= 30
    for label in labels:
        assert label["source"].startswith("http") and label["kind"] and label["split"] in ("tune", "holdout", "sealed")
        assert set(label["provisions"]) | set(label["loopholes"]) <= every
    held = [label for label in labels if label["split"] == "holdout"]
    # Each evaluation holds out a fresh set (the first, a third of 34 texts), measures it once,
    # then tunes on it (its split line then says "held out in the ... evaluation"). Every text but
    # the first set's tuning two thirds was held out once: far more than the third the issue asks.
    # The current held-out set, or one still sealed, is at least 15 texts (the stored pages of
    # enacted texts not yet in the corpus ran short at the tenth set; the fifteenth set found 19).
    unseen = held + [label for label in labels if label["split"] == "sealed"]
    assert len(unseen) >= 15
    once_held = [p for p in REAL.glob("*.yaml") if re.search(r"^split: (?:holdout|sealed|tune  # held out in)",
                                                                 p.read_text(), re.M)]
    assert len(once_held) * 3 >= len(labels)
    assert any(label["mandates_cooperation"] for label in unseen)
    assert any(label["mandates_cooperation"] for label in labels if label["split"] == "tune")


def test_a_rewrite_without_the_real_texts_keeps_their_tables(evaluation, monkeypatch) -> None:  # noqa: ANN001
    """The real texts are not committed, so a new machine lacks them: --write must keep the measured
    tables, not replace them with 'not measured'."""
    monkeypatch.setattr(evaluation, "real_texts_present", lambda: False)
    previous = ("# top\n\n" + evaluation.REAL_HEADING + "\n\n| id | precision |\n| a | 0.91 |\n\n"
                + evaluation.NOTES + "\nhand notes\n")
    assert evaluation.real_sections(previous) == [evaluation.REAL_HEADING + "\n\n| id | precision |\n| a | 0.91 |", ""]
    assert "Not measured in this run" in "\n".join(evaluation.real_sections(""))


@pytest.mark.skipif(not (ROOT / "tests" / "realtexts").is_dir(),
                    reason="the real texts are not committed (tests/corpus/real/ has their sources)")
def test_real_texts_are_read_and_measured(evaluation) -> None:  # noqa: ANN001
    if not evaluation.real_texts_present():
        pytest.skip("some real texts are missing from tests/realtexts/")
    tune = evaluation.corpus_scores(evaluation.REAL_LABELS, "tune")
    # Known misses among the tuning texts: an order that mixes protections with a duty to notify immigration
    # authorities (r150); a police order whose labeller read it as protective though it restates Arizona's
    # status-check law (r200, a judgement call); a protective ordinance's record page whose summary says it
    # sets guidelines by which the county "will comply" (r241). Fourteen more that no rule reads (texts
    # stored as a title or recitals, Marshals Service jail agreements, digests) the statistical reader's
    # mandate model now flags; it was trained on them, so that says nothing of unseen text
    # (docs/analyzer-accuracy.md).
    known = {"r150-phoenix-pd-operations-order-1-4-3-ins", "r200-gilbert-az-pd-1102-immigration-contacts-non-citizens",
             "r241-cook-county-ord-2011-ice-detainers-recitals"}
    assert {e.split(".txt")[0] for e in tune.mandate_errors} <= known
    assert evaluation.grouped(tune, loopholes=False)[2] >= 0.8
    assert evaluation.grouped(tune, loopholes=True)[2] >= 0.8


def test_protective_words_about_verification_notice_and_agreements_are_not_mandates() -> None:
    text = ("Sec. 3-14. Limits on immigration enforcement.\n"
            "(a) No officer shall request verification of a person's immigration status.\n"
            "(b) The jail will notify ICE of a release only when presented with a judicial warrant.\n"
            "(c) Deputies will honor a detainer only if it is accompanied by a judicial warrant.\n"
            "(d) The county shall not enter into an intergovernmental service agreement with ICE to house "
            "immigration detainees.\n"
            "(e) Officers shall not contact ICE to ask whether it wants a person held.\n"
            "(f) No employee shall make any effort to ascertain whether a person is lawfully present.\n"
            "(g) The jail shall not allow ICE officers access to the jail without a judicial warrant.\n"
            "(h) No officer shall inquire into the immigration status of a witness.\n"
            "(i) No employee shall report an arrest to the Department of Homeland Security.\n"
            "(j) The facility shall not keep any inmate until ICE takes custody.\n"
            "(k) Officers will not transport any person to ICE custody.\n"
            "(l) Officers will cooperate with ICE agents only in criminal investigations.\n"
            "(m) The jail shall not provide ICE with a list of inmates.\n"
            "(n) No officer shall participate in the Secure Communities program.\n"
            "(o) The jail shall inform the inmate that the inmate may decline an interview with ICE.\n"
            "(p) The Sheriff shall notify the person in writing when ICE asks for an interview.\n"
            "(q) If ICE asks for notice of a release, the jail shall give a copy of the request to the inmate.\n"
            "(r) The state shall withhold funds from any agency that fails to comply with this act's limits on "
            "immigration enforcement.\n"
            "(s) Staff shall keep the person advised until ICE takes custody.\n")
    result = analyze_text(text)
    assert not result.mandates_cooperation, result.mandate_evidence


def test_an_order_that_refuses_holds_but_still_calls_ice_is_not_a_mandate() -> None:
    text = ("COUNTY JAIL OPERATIONS BULLETIN 7\nSUBJECT: Detainers\n\n"
            "1. Staff will not hold any inmate past the release date on an immigration detainer.\n"
            "2. The booking deputy will contact ICE when a foreign-born person is booked.\n")
    result = analyze_text(text)
    assert not result.mandates_cooperation
    assert "detainer.no-hold" in {f.id for f in result.provisions}


def _ids(result) -> set[str]:  # noqa: ANN001
    return {f.id for f in result.provisions} | {f.id for f in result.loopholes}


def test_an_operations_order_on_summonses_is_non_binding() -> None:
    order = ("RIVERTON POLICE DEPARTMENT\nOPERATIONS ORDER\nNUMBER: 12\n\n"
             "1. Officers will issue a criminal court summons in lieu of a custodial arrest to adults found "
             "with a small amount of cannabis.\n")
    ids = _ids(analyze_text(order))
    assert {"policing.cite-release", "loophole.non-binding"} <= ids
    assert "structure.no-reversal" not in ids


def test_a_procedural_order_citing_a_state_code_is_still_an_order() -> None:
    order = ("PINE COUNTY SHERIFF'S OFFICE CORRECTIONS DIVISION SECTION: C 4.10 RELATED STANDARDS: Government "
             "Code 7282 PROCEDURAL ORDER SUBJECT: IMMIGRATION HOLDS\n"
             "I. POLICY\nA. Staff shall not hold any inmate past release on an immigration detainer.\n")
    ids = _ids(analyze_text(order))
    assert "loophole.non-binding" in ids and "structure.no-reversal" not in ids


def test_a_directive_that_names_itself_gives_civil_notices_instead_of_arrest() -> None:
    order = ("Lakeside Police Department\nIssue Date:1 May 2020Effective Date:1 May 2020\n"
             "I. Purpose\nThis directive sets out how members handle small amounts of cannabis.\n"
             "II. Policy\nA. Members will issue an administrative notice of violation rather than a physical "
             "arrest to persons found with small amounts of cannabis.\n")
    ids = _ids(analyze_text(order))
    assert {"policing.cite-release", "policing.civil-infractions", "structure.effective-date",
            "loophole.non-binding", "loophole.no-enforcement"} <= ids


def test_an_executive_order_declaring_a_sanctuary_city_in_recitals_is_non_binding() -> None:
    order = ("EXECUTIVE ORDER OF THE COUNTY EXECUTIVE DECLARING PINE COUNTY A WELCOMING COUNTY\n\n"
             "WHEREAS, the county is home to families from every nation; and\n"
             "WHEREAS, trust between residents and the police keeps everyone safe;\n")
    ids = _ids(analyze_text(order))
    assert {"loophole.non-binding", "loophole.no-enforcement"} <= ids


def test_a_resolution_remaining_a_sanctuary_city_in_recitals_is_non_binding() -> None:
    text = ("Resolution No. 44\n\nWHEREAS, the town assures its residents that it is and will remain a sanctuary "
            "town; and\nWHEREAS, the council wishes to reaffirm its support;\n")
    ids = _ids(analyze_text(text))
    assert {"loophole.non-binding", "loophole.no-enforcement"} <= ids


def test_a_school_board_ending_its_police_contract() -> None:
    text = ("WHEREAS, the district is responsible for the climate in its schools; and\n"
            "NOW, THEREFORE, BE IT RESOLVED that the Board of Education ends the agreement with the county "
            "sheriff for school resource officers at the end of the school year.\n")
    ids = _ids(analyze_text(text))
    assert {"policing.schools", "loophole.non-binding"} <= ids


def test_a_code_section_on_summonses_with_exceptions() -> None:
    code = ("§ 12-40. Summons in place of arrest.\n"
            "(1) A police officer shall issue a summons and may not make a custodial arrest for a violation of "
            "this article, except when any of the following applies:\n"
            "a. The person refuses to sign the summons; or\n"
            "b. The person has three or more prior convictions for felonies; or\n"
            "c. The person is named in an outstanding criminal warrant.\n"
            "(2) This section does not apply when an officer cites a person for a violation of article IV of "
            "this chapter.\n")
    ids = _ids(analyze_text(code))
    assert {"policing.cite-release", "structure.no-reversal", "loophole.conviction-carveout",
            "loophole.coverage-gap"} <= ids


def test_a_statute_that_makes_court_goers_privileged_from_civil_arrest_binds() -> None:
    statute = ("(12 ILCS 40/5-10)\n    Sec. 5-10. Civil arrest at courthouses.\n"
               "    (a) A person attending a court proceeding as a party or witness is privileged from civil arrest "
               "while going to, remaining at and returning from the proceeding.\n")
    ids = _ids(analyze_text(statute))
    assert {"access.courthouses", "structure.no-reversal"} <= ids


def test_exceptions_listed_after_a_colon_in_run_together_text_are_a_carveout() -> None:
    order = ("PINE COUNTY SHERIFF'S OFFICE PROCEDURAL ORDER SUBJECT: DETAINERS I. POLICY: A. Staff shall not hold "
             "a person on an immigration detainer after the person is eligible for release unless one of the "
             "following exceptions applies: 1. The person is held on a charge of a violent felony. 2. The person "
             "has been convicted of a serious felony within ten years.\n")
    ids = _ids(analyze_text(order))
    assert "loophole.conviction-carveout" in ids


def test_no_stops_on_a_belief_that_a_person_is_not_present_legally() -> None:
    text = ("Section 2. No county officer shall stop, question or arrest a person solely based on the belief that "
            "the person is not present legally in the United States.\n")
    assert "detainer.no-civil-arrest" in _ids(analyze_text(text))
    text = "Sec. 4. Deputies shall not undertake immigration-related investigations.\n"
    assert "detainer.no-civil-arrest" in _ids(analyze_text(text))


def test_a_prohibition_that_does_not_preclude_cooperation_on_request() -> None:
    text = ("1. Officers shall not inquire into the immigration status of crime victims. This prohibition does "
            "not preclude the Department from assisting federal immigration officials when requested.\n")
    ids = _ids(analyze_text(text))
    assert {"loophole.broad-savings-clause", "loophole.voluntary-cooperation"} <= ids


def test_a_statute_barring_officers_from_facial_coverings_with_exclusions() -> None:
    statute = ("Public Safety Code section 44.2\n(a)\nA peace officer shall not wear a facial covering that hides "
               "the officer's identity while on duty, except as this section allows.\n(b)\nThis section does not "
               "apply to any of the following:(1)\nAn officer working undercover.(2)\nAn officer on a tactical "
               "team during an operation.\n")
    ids = _ids(analyze_text(statute))
    assert {"access.officer-identification", "structure.no-reversal", "loophole.coverage-gap"} <= ids


def test_express_limits_on_who_a_cannabis_measure_covers() -> None:
    text = ("(a) Officers shall issue a summons in lieu of arrest to adults found with small amounts of cannabis.\n"
            "(b) This policy shall not apply to the following:\n(1) Sales to minors;\n(2) Driving while impaired.\n")
    assert "loophole.coverage-gap" in _ids(analyze_text(text))
    text = ("1. Officers will issue a summons in lieu of arrest to adults found with small amounts of cannabis. "
            "2. This procedure will apply only to persons found in a public place.\n")
    assert "loophole.coverage-gap" in _ids(analyze_text(text))


@pytest.mark.parametrize("text", [
    "WHEREAS, the village values every resident;\nNOW, THEREFORE, THE VILLAGE BOARD RESOLVES that village police "
    "shall not hold any person on an immigration detainer.\n",
    "RESOLVED, that the officers of the district shall not hold any person on an immigration detainer.\n",
    "EXECUTIVE DIRECTIVE NO. 4\nCity departments shall not hold any person on an immigration detainer.\n",
    "PROCLAMATION\nThe officers of the city shall not hold any person on an immigration detainer.\n",
])
def test_resolutions_directives_and_proclamations_by_their_form(text: str) -> None:
    ids = _ids(analyze_text(text))
    assert "loophole.non-binding" in ids and "structure.no-reversal" not in ids


def test_an_ordinance_that_resolves_nothing_is_not_non_binding() -> None:
    text = ("ORDINANCE NO. 12\nNOW, THEREFORE, THE CITY COUNCIL ORDAINS:\nSection 1. No city officer shall hold any "
            "person on an immigration detainer.\n")
    assert "loophole.non-binding" not in _ids(analyze_text(text))


@pytest.mark.parametrize(("text", "pid"), [
    ("Sec. 4-2. Possession of an ounce or less of cannabis by an adult is a civil infraction and not a crime.",
     "policing.civil-infractions"),
    ("Sec. 4-2. Deputies shall enforce this section by issuing a notice of violation and shall not arrest the "
     "offender.", "policing.civil-infractions"),
    ("Sec. 4-2. Loitering shall be enforced only through a civil citation heard by the hearing examiner.",
     "policing.civil-infractions"),
    ("Sec. 4-2. The officer shall release the person on a written promise to appear rather than take the person "
     "into custody.", "policing.cite-release"),
    ("Sec. 4-2. Officers shall issue a field citation in place of a custodial arrest for any misdemeanor.",
     "policing.cite-release"),
])
def test_decriminalization_in_more_words(text: str, pid: str) -> None:
    assert pid in _ids(analyze_text(text))


@pytest.mark.parametrize("text", [
    "No officer shall hold a person on an ICE detainer. This section shall not apply to persons previously convicted "
    "of a violent felony.",
    "Deputies will not honor ICE detainers. Exceptions: inmates with a serious felony conviction in the past five "
    "years.",
    "No officer shall hold a person on an ICE detainer, with the exception of persons identified as active gang "
    "members.",
    "No officer shall hold a person on an ICE detainer unless the person is a registered sex offender.",
    "The jail may tell ICE when it releases an inmate who is required to register as a sex offender.",
])
def test_conviction_carveouts_in_more_words(text: str) -> None:
    assert "loophole.conviction-carveout" in _ids(analyze_text(text))


def test_a_savings_clause_in_interpretation_words() -> None:
    text = ("No officer shall hold a person on an ICE detainer. This policy shall not be interpreted to restrict "
            "the exchange of information with federal immigration agencies.")
    assert "loophole.broad-savings-clause" in _ids(analyze_text(text))


def test_words_that_only_look_like_joint_operations_or_287g() -> None:
    text = ("Sec. 3-1. (a) The county may not pay any cost related to the operation of an immigration detention "
            "facility run by a private company.\n(b) Officers shall not ask about the immigration status of people "
            "they meet during routine police operations.\n(c) No city officer shall accept deputization by a "
            "federal agency to enforce marijuana laws.\n")
    ids = _ids(analyze_text(text))
    assert "detainer.no-joint-operations" not in ids and "detainer.no-287g" not in ids


@pytest.mark.parametrize("header", [
    "ORDER NUMBER: 2017-03\nSUBJECT: IMMIGRATION",
    "Policy\n428\nImmigration Violations",
    "TRAINING BULLETIN\nVol. 12 Issue 3\nImmigration detainers",
    "Administrative Regulation 3.14\nImmigration detainers",
    "Office of the Mayor\nMayoral Order 2017-1\nImmigration detainers",
    "INTERIM POLICY\nImmigration detainers",
    "Jail Operations Manual\nChapter 12\nImmigration detainers",
])
def test_department_instruments_known_by_their_headers(header: str) -> None:
    text = header + "\n\n1. Officers shall not hold any person on an immigration detainer.\n"
    ids = _ids(analyze_text(text))
    assert "loophole.non-binding" in ids and "structure.no-reversal" not in ids


@pytest.mark.parametrize("duty", [
    "Each agency is required to adopt each component of this model policy.",
    "All personnel shall receive training on this policy.",
])
def test_duties_to_adopt_model_policies_and_to_train(duty: str) -> None:
    text = "Sec. 3. (a) No officer shall hold a person on an immigration detainer. (b) " + duty
    assert "structure.implementation" in _ids(analyze_text(text))


@pytest.mark.parametrize("text", [
    "Sec. 2-1. It is the policy of the City that its officers not hold any person on an immigration detainer.",
    "Sec. 2-1. The Board expresses its intent that county staff not assist ICE with civil immigration enforcement.",
])
def test_policy_statements_without_a_binding_verb_are_non_binding(text: str) -> None:
    ids = _ids(analyze_text(text))
    assert {"loophole.non-binding", "loophole.no-enforcement"} <= ids


@pytest.mark.parametrize("gap", [
    "This section shall not be applicable to the county jail.",
    "The Department of Corrections is exempt from this section.",
    "The provisions of this chapter shall not apply within the airport.",
    "This prohibition does not extend to the state police.",
    "Nothing in this section applies to probation officers.",
])
def test_express_exclusions_in_more_words(gap: str) -> None:
    text = "Sec. 2-1. (a) No officer shall hold a person on an immigration detainer. (b) " + gap
    assert "loophole.coverage-gap" in _ids(analyze_text(text))


def test_a_known_anti_sanctuary_citation_needs_its_state_or_subject() -> None:
    """A penalty section of a state's sanctuary ban need not name immigration, so its citation
    flags it; the same number in a city's own code, with nothing about immigration, does not."""
    penalty = ("Texas Government Code Sec. 752.0565. REMOVAL FROM OFFICE.\n"
               "(a) A person holding an elective office forfeits that office on a final judgment "
               "finding a violation of the preceding section.\n")
    city = ("Sec. 27A.2. Parking of vehicles on sidewalks.\n"
            "(a) No person shall park a vehicle on a sidewalk within the city.\n")
    assert analyze_text(penalty).mandates_cooperation
    assert not analyze_text(city).mandates_cooperation


@pytest.mark.parametrize("text", [
    # a unit's order that names itself
    "PURPOSE OF ORDER:\nThe purpose of this order is to set procedures for warrants at the jail.\nORDER:\n"
    "Deputies shall not transfer inmates to ICE on civil detainers alone.\n",
    # a manual section that calls itself a policy
    "12.040 - Detainers\n\nEffective Date: 01/02/2020\n\nThis policy applies to all sworn members.\n\n"
    "Officers shall not hold any person on an immigration detainer.\n",
    # a prosecutor's program policy
    "Pine County District Attorney\nEffective Date June 1, 2021\n\nPolicy Statement. This Office will use its "
    "discretion to divert adults found with small amounts of cannabis before any charge is filed.\n",
    # an executive order on a mayor's letterhead, recitals only
    "The City of Elm\nThe Honorable Jane Roe, Mayor\n\nWHEREAS, the City seeks to protect the rights of all "
    "residents to be free from abuse;\n\nWHEREAS, the City welcomes every resident regardless of national origin "
    "or immigration status;\n",
    # a board resolution known only by its recitals
    "title\nLimiting the use of county lots for civil immigration enforcement\nbody\nWHEREAS, the Board is "
    "committed to ensuring the safety, the dignity and the rights of every resident, including immigrants; and\n",
    # a school board resolution that would end its own police force, recitals only
    "Board of Education RESOLUTION NO. 7 A Resolution to Eliminate the District Police Department WHEREAS, the "
    "district must keep its students safe; WHEREAS, other districts have ended their police contracts;",
])
def test_instruments_known_by_their_form_are_non_binding(text: str) -> None:
    ids = _ids(analyze_text(text))
    assert {"loophole.non-binding", "loophole.no-enforcement"} <= ids
    assert "structure.no-reversal" not in ids


def test_a_code_chapter_with_a_policy_statement_catchline_is_codified_law() -> None:
    text = ("CHAPTER 19. - EMPLOYEE AUTHORITY IN IMMIGRATION MATTERS 19.10. - Purpose and policy statement.\n\n"
            "This chapter sets out how city employees deal with federal immigration authorities.\n\n"
            "19.20. - Detainers.\n(a) No city employee shall hold any person on an immigration detainer.\n")
    ids = _ids(analyze_text(text))
    assert "loophole.non-binding" not in ids and "structure.no-reversal" in ids


def test_an_ordinance_with_recitals_is_not_an_instrument() -> None:
    text = ("WHEREAS, the city welcomes every resident regardless of immigration status; and\n"
            "NOW, THEREFORE, THE CITY COUNCIL ORDAINS:\nSection 1. No city officer shall hold any person on an "
            "immigration detainer.\n")
    assert "loophole.non-binding" not in _ids(analyze_text(text))


def test_an_addendum_extending_an_agreement_that_delegates_immigration_functions_mandates() -> None:
    text = ("Memorandum of Agreement\n\n7\nADDENDUM TO EXTEND MEMORANDUM OF AGREEMENT Immigration and Customs "
            "Enforcement (ICE) and the Pine County Sheriff's Office agree to extend the MOA under which ICE delegates "
            "trained and certified deputies to perform certain immigration enforcement functions as follows: the "
            "end date is replaced with a date one year later. All other provisions remain in force.\n")
    assert analyze_text(text).mandates_cooperation


@pytest.mark.parametrize("text", [
    "4-22-10: PENALTIES:\n(A) A violation of the sidewalk vending rules shall not be punished as a misdemeanor "
    "and may only be punished by an administrative fine.\n",
    "4-22-10: PENALTIES:\n(A) A violation of the sidewalk vending rules may only be punished by an administrative "
    "fine.\n",
    "A. No law-enforcement officer, as defined in § 9.1-101, shall inquire into the immigration status of a "
    "person who reports a crime.\n",
])
def test_code_sections_known_by_their_numbers_are_codified(text: str) -> None:
    assert "structure.no-reversal" in _ids(analyze_text(text))


def test_recitals_naming_local_law_enforcement_enact_nothing() -> None:
    text = ("title\nCounty lots and civil immigration enforcement\nbody\nWHEREAS, state law bars local law "
            "enforcement from holding people on civil immigration detainers; and\nWHEREAS, the Board is "
            "committed to the safety of all residents, including immigrants; and\n")
    assert {"loophole.non-binding", "loophole.no-enforcement"} <= _ids(analyze_text(text))


def test_recitals_protecting_everyone_from_discrimination_by_the_police() -> None:
    text = ("The Honorable Jane Roe, Mayor\n\nWHEREAS, the City has long sought to protect the rights of all its "
            "residents to be free from abuse and exploitation.\n\nWHEREAS, no member of the Police Department "
            "shall discriminate against any person because of race or national origin.\n")
    assert {"loophole.non-binding", "loophole.no-enforcement"} <= _ids(analyze_text(text))


def test_an_agreement_stating_the_parties_intent_has_findings() -> None:
    text = ("MEMORANDUM OF AGREEMENT\n"
            "This Memorandum of Agreement (MOA) is made between U.S. Immigration and Customs Enforcement (ICE) and "
            "the Pine County Sheriff's Office, under which ICE authorizes trained deputies to perform certain "
            "functions of an immigration officer. It is the intent of the parties that this delegated authority "
            "will let the Sheriff's Office identify and process removable aliens in its jail.\n"
            "I. PURPOSE\n"
            "The purpose of this MOA is to set forth the terms under which deputies will be nominated and trained. "
            "Section 287(g) of the Immigration and Nationality Act authorizes such agreements.\n")
    result = analyze_text(text)
    assert result.mandates_cooperation
    assert "structure.findings" in _ids(result)


def test_a_parenthesised_abbreviation_opening_a_wrapped_line_is_not_a_list_label() -> None:
    text = ("8. Immigration Laws\n"
            "The Police Department will work with U.S. Immigration and Customs Enforcement\n"
            "(ICE) as it would with any other law enforcement agency. Officers shall not arrest any person solely "
            "for a suspected violation of immigration law.\n")
    assert any("(ICE) as it would" in u.text for u in units(text))
    assert not analyze_text(text).mandates_cooperation


@pytest.mark.parametrize("text, mandates", [
    ("Marlow County Sheriff's Office Intergovernmental Service Agreement (IGSA) with ICE\n"
     "This agreement is for the housing, safekeeping and subsistence of federal detainees.\n", True),
    ("Marlow County Sheriff ends Intergovernmental Service Agreement with ICE\n"
     "From the first of next month the jail will no longer house ICE detainees.\n", False),
    ("The Sheriff announced that the county jail will no longer house ICE detainees after December 1.\n", False),
])
def test_detention_agreements_by_their_title_line(text: str, mandates: bool) -> None:
    assert analyze_text(text).mandates_cooperation is mandates


@pytest.mark.parametrize("text", [
    "ENROLLED ACT NO. 12\nHOUSE OF REPRESENTATIVES\nSTATE OF MARLOW\n"
    "2026 Session AN ACT relating to local government; prohibiting the adoption of sanctuary policies by cities "
    "and counties; providing penalties.\nBe it enacted by the Legislature:\nSection 1. Definitions.\n"
    "(a) \"Local entity\" means a city or county.\n",
    "HOUSE BILL 90\nAN ACT relative to federal immigration authorities.\nANALYSIS\nThis bill:\n"
    "I. Requires county jails to comply with immigration detainers of inmates if it is safe to do so, and "
    "prohibits state and local government entities from adopting sanctuary policies that limit or impede the "
    "enforcement of federal immigration law.\n"
    "II. Sets penalties.\nBe it Enacted by the Senate and House of Representatives:\n1 New Chapter.\n",
])
def test_a_bill_known_by_its_long_title_or_analysis_mandates(text: str) -> None:
    assert analyze_text(text).mandates_cooperation


def test_a_citation_code_needs_no_enforcement_clause_but_an_order_does() -> None:
    code = ("§ 9-14. Citation in lieu of arrest.\n"
            "A police officer shall issue a citation in lieu of a custodial arrest to any person who violates "
            "this article, and shall release the person upon the person's written promise to appear.\n")
    order = ("GENERAL ORDER NO. 4-12\nSUBJECT: Field citations\n"
             "Officers shall issue a citation in lieu of a custodial arrest to any person found committing a "
             "misdemeanor, and shall release the person upon a written promise to appear.\n")
    assert "policing.cite-release" in _ids(analyze_text(code))
    assert "loophole.no-enforcement" not in _ids(analyze_text(code))
    assert "loophole.no-enforcement" in _ids(analyze_text(order))


def test_honoring_detainers_as_the_exception_to_a_refusal_is_no_mandate() -> None:
    text = ("COUNTY POLICY REGARDING IMMIGRATION AND CUSTOMS ENFORCEMENT (\"ICE\")\n"
            "A. Therefore, it shall be the general policy of the County to decline 48 hour civil detainer requests "
            "from ICE for any individual held in the Correction Center except under the following two "
            "circumstances in which circumstances the County will honor the detainer requests;\n"
            "1. When the subject of a detainer request has been previously convicted of a first or second degree "
            "offense.\n")
    result = analyze_text(text)
    assert not result.mandates_cooperation
    assert "detainer.no-hold" in _ids(result)
    assert "loophole.conviction-carveout" in _ids(result)


def test_a_scanned_detention_agreement_is_known_through_its_ocr_damage() -> None:
    text = ("U\"!S. Department ('if JusticeUnited States Marshals Service Modification of Intergovernmental "
            "A : . ~ r e e m e n t\n"
            "10. TERMS OF THIS MODIFICATION: The purpose of this modification is to include Immigration and "
            "Naturalization Service (INS) as a federal user agency.\n")
    assert analyze_text(text).mandates_cooperation
    assert not analyze_text("A resolution opposing the Intergovernmental A : . ~ r e e m e n t with ICE.\n"
                            "The Council opposes the detention of immigrants.\n").mandates_cooperation


@pytest.mark.parametrize("text, defined", [
    ('Sec. 13-30. Discrimination based on immigration status prohibited.\n'
     'a) For the purposes of this section,the term"city employee"shall mean all city employees and officials.\n'
     '(b) No city employee shall inquire into the immigration status of any person.\n', True),
    ('Sec. 13-30. Arrests.\n(a) As used in this section, "warrant of arrest" has the meaning given that term '
     'in ORS 131.005.\n(b) No officer shall arrest any person on a civil immigration warrant.\n', False),
])
def test_one_term_defined_inline_in_its_own_words_is_a_definition(text: str, defined: bool) -> None:
    assert ("structure.definitions" in _ids(analyze_text(text))) is defined


def test_an_ordinance_amending_the_city_code_in_capitals_is_codified() -> None:
    text = ("ORDINANCE NO. 119\nAMENDING CHAPTER 13 OF THE CITY CODE TO ADD A NEW ARTICLE III\n"
            "BE IT ORDAINED BY THE COUNCIL OF THE CITY as follows:\n"
            "No city employee shall inquire into the immigration status of any person.\n")
    assert "structure.no-reversal" in _ids(analyze_text(text))


def test_protections_only_permitted_bind_no_one() -> None:
    """A code that lets an officer cite instead of arresting ('may'), and requires nothing, is non-binding
    and cannot be reversed only by law; one that says 'shall' binds."""
    may = ("D.C. Code \u00a7 23-584. Field arrest and release on citation.\n(a) In lieu of taking a person into "
           "custody, a law enforcement officer may issue a field arrest form to a person whom he or she has "
           "arrested without a warrant, and the person may be released on citation.\n")
    found = {f.id for f in analyze_text(may).provisions + analyze_text(may).loopholes}
    assert "policing.cite-release" in found and "loophole.non-binding" in found
    assert "structure.no-reversal" not in found
    shall = may.replace("may issue", "shall issue").replace("may be released", "shall be released")
    found = {f.id for f in analyze_text(shall).provisions + analyze_text(shall).loopholes}
    assert "loophole.non-binding" not in found


def test_a_long_title_mandate_cites_the_clause_that_says_so() -> None:
    """Mississippi SB 2511's title requires county jails to enter 287(g) agreements far into its clauses;
    the evidence is that clause, not the bill's first words."""
    title = ("AN ACT TO ENACT THE IMMIGRATION ENFORCEMENT ACT OF 2025; TO IMPOSE A FEE ON CERTAIN LICENSEES; TO "
             "CREATE A SPECIAL FUND WITHIN THE STATE TREASURY; TO SET FORTH THE PURPOSES OF THE FUND; TO REQUIRE "
             "EACH LAW ENFORCEMENT AGENCY OPERATING A COUNTY DETENTION FACILITY MUST ENTER INTO A WRITTEN "
             "AGREEMENT WITH THE UNITED STATES IMMIGRATION AND CUSTOMS ENFORCEMENT TO PARTICIPATE IN THE "
             "PROGRAM ESTABLISHED UNDER SECTION 287(G) OF THE IMMIGRATION AND NATIONALITY ACT; AND FOR RELATED "
             "PURPOSES.")
    result = analyze_text(title)
    assert result.mandates_cooperation
    assert result.mandate_evidence[0].evidence.startswith("TO REQUIRE EACH LAW ENFORCEMENT AGENCY")
    preempting = ("AN ACT Amending Title 29 of the Pennsylvania Consolidated Statutes, providing for immigration "
                  "preemption and cooperation; and establishing the Immigration Cooperation Fund.")
    assert analyze_text(preempting).mandates_cooperation


def test_the_enforcement_of_a_ban_on_sanctuary_policies_is_a_mandate() -> None:
    """Idaho Code 19-6103: a complaint to the attorney general and a writ of mandamus against an entity whose
    policy discourages the enforcement of immigration laws. A complaint route for people harmed by
    immigration enforcement is not one."""
    idaho = ("19-6103. COMPLAINT - EQUITABLE RELIEF. (1) Any person may file a complaint with the attorney general "
             "if the person offers evidence that a governmental entity has adopted, enforced, or endorsed a policy "
             "under which the entity prohibits or discourages the enforcement of immigration laws.")
    assert analyze_text(idaho).mandates_cooperation
    protective = ("Any person may file a complaint with the police auditor alleging that an officer assisted in the "
                  "enforcement of immigration laws in violation of this chapter.")
    assert not analyze_text(protective).mandates_cooperation


def test_a_title_that_bars_local_bodies_from_adopting_sanctuary_policies_is_a_mandate() -> None:
    title = ('HOUSE BILL NO. 205 "An Act prohibiting a municipality from adopting or enforcing a policy or ordinance '
             'relating to sanctuary jurisdictions; and providing for an effective date."')
    assert analyze_text(title).mandates_cooperation
    assert not analyze_text(title.replace("prohibiting", "allowing")).mandates_cooperation


def test_a_mandate_laws_duty_to_adopt_rules_implements_no_protection() -> None:
    mandate = ("Section 1. Each county sheriff shall enter into a written agreement with U.S. Immigration and Customs "
               "Enforcement under section 287(g).\nSection 2. The department shall adopt rules and provide training "
               "to carry out this act.\n")
    result = analyze_text(mandate)
    assert result.mandates_cooperation and "structure.implementation" not in {f.id for f in result.provisions}


def test_a_detention_agreement_scanned_a_word_a_line_is_a_mandate() -> None:
    """An OCR that put one or two words on each line still opens with the agreement's title."""
    words = ("DROIGSA-08-0034 INTER-GOVERNMENTAL SERVICE AGREEMENT BETWEEN THE UNITED STATES DEPARTMENT OF HOMELAND "
             "SECURITY U.S. IMMIGRATION AND CUSTOMS ENFORCEMENT AND WAKE COUNTY This Inter-Governmental Service "
             "Agreement is entered into between ICE and Wake County for the detention and care of aliens.").split()
    scanned = "\n".join(words)
    assert analyze_text(scanned).mandates_cooperation
    marshals = ("USMS-08-0034 INTER-GOVERNMENTAL SERVICE AGREEMENT BETWEEN THE UNITED STATES MARSHALS SERVICE AND "
                "WAKE COUNTY This agreement is entered into between the Marshals Service and Wake County for the "
                "detention and care of federal prisoners.").split()
    assert not analyze_text("\n".join(marshals)).mandates_cooperation


def test_a_287g_agreement_scanned_a_word_a_line_that_names_no_statute_mandates() -> None:
    """The opening of a 287(g) agreement whose scan broke its title over lines and glued words together:
    ICE authorizes local personnel to perform immigration enforcement functions."""
    scanned = ("Pine County Sheriff's Office\nMEMORANDUM\nOF\nAGREEMENT\nThis Memorandum\nof\nAgreement (MOA) "
               "constitutes an agreement between United StatesImmigration and Customs Enforcement (ICE) and the "
               "Pine County Sheriff's Office, pursuant to which ICE authorizes up to a maximum of 12 nominated, "
               "trained, and certified personnel to perform certain immigration enforcementfunctions as specified "
               "herein.\n")
    assert analyze_text(scanned).mandates_cooperation
    ended = scanned.replace("ICE authorizes", "the parties end the authority of")
    assert not analyze_text(ended).mandates_cooperation


@pytest.mark.parametrize(("text", "mandates"), [
    ("A bill\n\nTO AMEND THE CODE OF LAWS BY ADDING SECTION 23-1-260 SO AS TO PROVIDE LAW ENFORCEMENT AGENCIES "
     "OPERATING CORRECTIONAL FACILITIES SHALL ENTER INTO WRITTEN AGREEMENTS WITH FEDERAL IMMIGRATION ENFORCEMENT "
     "AGENCIES TO PARTICIPATE IN THE IMMIGRATION PROGRAMS.\n\nBe it enacted by the General Assembly:\n"
     "SECTION 1. Definitions.\n", True),
    ("A bill\n\nTO AMEND THE CODE OF LAWS BY ADDING SECTION 23-1-260 SO AS TO PROVIDE THAT NO LAW ENFORCEMENT "
     "AGENCY SHALL ENTER INTO AN AGREEMENT WITH FEDERAL IMMIGRATION ENFORCEMENT AGENCIES.\n\n"
     "Be it enacted by the General Assembly:\nSECTION 1. Definitions.\n", False),
])
def test_a_long_title_to_amend_a_code_so_as_to_require_immigration_agreements(text: str, mandates: bool) -> None:
    assert analyze_text(text).mandates_cooperation is mandates


@pytest.mark.parametrize("text", [
    "The Sheriff will not honor voluntary detainer requests. Nothing in this statement will preclude county "
    "offices from assisting in lawful criminal investigations.\n",
    "The Board of Selectmen hereby adopts the following policies.\nI. No officer shall hold any person on an "
    "immigration detainer.\n",
    "Type: Resolution Status: ADOPTED\nTitle: Calling on the Mayor to issue an Executive Order prohibiting all "
    "City departments from asking about the citizenship or immigration status of any person.\n",
])
def test_statements_policy_votes_and_calls_on_others_bind_no_one(text: str) -> None:
    assert "loophole.non-binding" in _ids(analyze_text(text))


def test_markdown_heading_marks_do_not_hide_a_codes_sections(tmp_path: Path) -> None:
    path = tmp_path / "code.txt"  # a code copied from a Markdown page into plain text
    path.write_text("##### ARTICLE IV. PROHIBITION ON BIASED POLICING\n\n###### Sec. 10-103. Prohibitions.\n\n"
                    "(a) Racial profiling is prohibited in the enforcement of the law by any employee.\n")
    result = analyze_file(path)
    assert {"policing.fair-impartial", "structure.no-reversal"} <= _ids(result)
    assert next(f for f in result.provisions if f.id == "policing.fair-impartial").location.startswith("§ 10-103")


def test_staff_who_do_not_assist_or_admit_agents_in_a_memo_about_immigration_enforcement() -> None:
    memo = ("About Immigration Enforcement and Patient Privacy\n\nDear team,\n\nAt our clinics, our mission is to "
            "provide health care. Our staff do not assist with enforcement actions. We do not allow access to "
            "nonpublic areas of our facilities without a valid judicial warrant.\n")
    assert {"detainer.no-joint-operations", "access.facilities-judicial-warrant"} <= _ids(analyze_text(memo))
    other = memo.replace("Immigration Enforcement", "Fire Safety")
    assert not {"detainer.no-joint-operations", "access.facilities-judicial-warrant"} & _ids(analyze_text(other))


@pytest.mark.parametrize(("sentence", "pid"), [
    ("The Police Department will only inquire into an individual's immigration status under the circumstances "
     "described in this section.", "info.no-status-inquiry"),
    ("The University will not enter into agreements with any federal agency for the enforcement of federal "
     "immigration law.", "detainer.no-287g"),
    ("Personal health information will not be shared with local police or Immigration and Customs Enforcement "
     "unless a valid court order requires it.", "info.no-personal-data"),
])
def test_limits_in_the_words_of_police_campus_and_hospital_policies(sentence: str, pid: str) -> None:
    assert pid in _ids(analyze_text(f"Sec. 1. {sentence}\n"))


def test_a_departments_policy_to_assist_immigration_authorities_mandates() -> None:
    text = ("Department Immigration Policy\n\nIt is the Department's policy to assist immigration authorities when "
            "requested. This usually involves prisoners in our custody who are the subject of detainers.\n")
    assert analyze_text(text).mandates_cooperation
    assert not analyze_text(text.replace("policy to assist", "policy not to assist")).mandates_cooperation


LAWYERS_MEMO = (
    "Memorandum\nTO: City Manager\nFROM: Assistant City Attorney\nRE: Sanctuary Cities\n\n"
    "The purpose of this memo is to provide a general overview of federal law on immigration information. "
    "One federal statute, 8 U.S.C. 1373, is directly on point. It states, in relevant part, that "
    "\u201cNotwithstanding any other provision of Federal, State, or local law, a Federal, State, or local "
    "government entity or official may not prohibit, or in any way restrict, any government entity or official "
    "from sending to, or receiving from, the Immigration and Naturalization Service information regarding the "
    "citizenship or immigration status, lawful or unlawful, of any individual.\u201d The statute was enacted in "
    "1996 and remains in force. A recent executive order cites it several times.\n")


def test_a_lawyers_memo_quoting_a_federal_statute_mandates_nothing(library) -> None:
    """A memo that explains federal law to a city requires nothing of anyone: the quoted statute is
    another law's words (the rules skip it), and the memo's own words are advice (the reader skips it)."""
    assert not analyze_text(LAWYERS_MEMO, library).mandates_cooperation
    unattributed = LAWYERS_MEMO.replace("It states, in relevant part, that \u201c", "\u201c")
    assert analyze_text(unattributed, library).mandates_cooperation  # the same words as the text's own
    from drafter.analyze import builtin_rules

    advisory = builtin_rules().pattern("advisory")
    assert advisory.search(LAWYERS_MEMO)
    assert not advisory.search("The purpose of this policy is to set the rules for detainers.")


def test_a_pointer_to_a_glossary_elsewhere_does_not_make_the_rules_below_it_definitions() -> None:
    text = ("Verification of Lawful Presence\n"
            "1.0 Specific meanings of bold terms in this policy can be found within the University's policy "
            "glossary by following the link below.\n"
            "This policy applies to all students. In doing so, staff shall not attempt to independently verify the "
            "immigration status of any alien, but shall verify any alien's immigration status with the federal "
            "government pursuant to 8 U.S.C. 1373(c).\n")
    result = analyze_text(text)
    assert result.mandates_cooperation  # ", but shall verify": the negation before "but" does not reach it
    assert "info.no-status-inquiry" not in {f.id for f in result.provisions}
    glossary = text.replace("1.0 Specific meanings of bold terms in this policy can be found within the "
                            "University's policy glossary by following the link below.", "1.0 Definitions.")
    # a real definitions section is not operative: no rule reads a mandate there (the statistical reader,
    # which weighs the words of the whole text, may still)
    assert not [f for f in analyze_text(glossary).mandate_evidence if not f.by_reader]


def test_silence_on_release_dates_is_no_notification_gap_but_a_savings_clause_for_any_information_is() -> None:
    silent = "Sec. 1. The jail shall not hold any person on an immigration detainer.\n"
    assert "loophole.notification-gap" not in {f.id for f in analyze_text(silent).loopholes}
    shared = silent + ("Sec. 2. The Department will continue its cooperation with ICE officials and provide requested "
                       "information regarding persons in custody.\n")
    assert "loophole.notification-gap" in {f.id for f in analyze_text(shared).loopholes}


@pytest.mark.parametrize(("text", "mandates"), [
    ("RESOLUTION NO. R-2005-191\nA RESOLUTION authorizing and directing the City Manager to enter into an agreement "
     "with Immigration and Customs Enforcement (ICE) for the reimbursement of overtime in a joint operation.\n", True),
    ("RESOLUTION NO. R-2005-191\nA RESOLUTION directing the City Manager to terminate the agreement with Immigration "
     "and Customs Enforcement (ICE) for the reimbursement of overtime in a joint operation.\n", False),
    ("Resolution 88-11\nRESOLUTION NO. 88-11\nBE IT RESOLVED that the City Manager is authorized to execute the "
     "attached agreement.\nPASSED this 11th day of April.\nINTERGOVERNMENTAL SERVICE AGREEMENT\nPURPOSE\nThe purpose "
     "of this agreement is a relationship between the Immigration and Naturalization Service and the City for the "
     "detention of aliens.\n", True),
    ("The Salt Lake County Jail interacts with ICE by:\n1. accepting properly documented ICE detainer requests; and\n"
     "2. releasing individuals subject to ICE detainer to federal custody.\n", True),
    ("The Salt Lake County Jail stopped honoring ICE detainer requests in 2014.\n", False),
    ("PROCEDURAL INSTRUCTION 14-11 REFERENCE Missouri Revised Statute Section 67.307\nI. INTRODUCTION This instruction "
     "guides members in contacts with foreign nationals.\n", False),
])
def test_resolutions_agreements_and_jail_practice_that_cooperate(text: str, mandates: bool) -> None:
    assert analyze_text(text).mandates_cooperation is mandates


def test_should_not_states_a_protection_that_binds_no_one_but_a_councils_wish_does_not() -> None:
    found = analyze_text("Officers should not ask any community member for their immigration status.\n")
    assert "info.no-status-inquiry" in {f.id for f in found.provisions}
    assert "loophole.non-binding" in {f.id for f in found.loopholes}
    wish = analyze_text("The Council believes that officers should not ask anyone about immigration status.\n")
    assert "info.no-status-inquiry" not in {f.id for f in wish.provisions}


@pytest.mark.parametrize(("text", "mandates"), [
    # a resolution's title scanned a line or two at a time, its "A" glued to the number
    ("RESOLUTION NO. 1212-09A RESOLUTION\nOFTHE\nMAYOR\nAND\nCOMMON COUNCIL\nOF\nTHE TOWN, APPROVING THEMEMORANDUM OF\n"
     "AGREEMENT WITH UNITED STATES IMMIGRATION AND\nCUSTOMS ENFORCEMENT (ICE).WHEREAS,\nthe council finds it "
     "desirable;\n", True),
    ("RESOLUTION NO. 12\nA RESOLUTION OF THE TOWN COUNCIL APPROVING THE AGREEMENT WITH THE STATE\nDEPARTMENT OF "
     "TRANSPORTATION.\nWHEREAS, the road needs repair;\n", False),
    ("RESOLUTION NO. 2025-01\nA RESOLUTION OF THE CITY COUNCIL DECLARING THE CITY A NON-SANCTUARY\nCITY FOR ILLEGAL "
     "IMMIGRATION\nWHEREAS, the city is a charter city;\n", True),
    # a sheriff's letter asking to join 287(g), and a sheriff's page on the program it runs
    ("April 1, 2008\nDear Assistant Secretary:\nI am writing to request participation in the Delegation of "
     "Authority Program pursuant to 287 (g) of the Immigration and Nationality Act.\n", True),
    ("287(g) Program\nThe deputies assigned to the program identify removable inmates under the supervision of an "
     "ICE agent and place detainers on them for ICE.\n", True),
    ("The Sheriff's Office does not place detainers on anyone for ICE.\n", False),
    # a department told to call Customs and Border Protection about people found
    ("II. PROCEDURE\n4. The dispatcher shall call the Miami Operation Center to contact the West Palm Beach Operation "
     "Center of the US Customs and Border Patrol and provide the location.\n", True),
])
def test_approving_joining_and_running_287g_and_calling_border_patrol_cooperate(text: str, mandates: bool) -> None:
    assert analyze_text(text).mandates_cooperation is mandates


def test_a_school_boards_numbered_policy_can_be_amended_at_any_meeting() -> None:
    from drafter.analyze import _withdrawable
    from drafter.analyzer_rules import builtin_rules

    opening = ("1215: Federal Immigration Enforcement on District Property\n- Community\n"
               "- Public Activities Involving Staff, Students or School Activities\n")
    policy = opening + "File: District Policy 1215 (pdf)\nDistrict Policy 1215\n3.0 Sharing of Records.\n"
    assert _withdrawable(policy, builtin_rules())  # so never no-reversal, and non-binding when it protects
    code = opening + "Sec. 12-1215. Sharing of Records.\n"
    assert not _withdrawable(code, builtin_rules())


def test_a_bill_whose_long_title_adds_immigration_functions_to_an_agencys_duties_mandates() -> None:
    """A county bill stored as its header and long title: the title says what the bill requires."""
    text = ("COUNTY COUNCIL OF PINE COUNTY\n\nBill No. 32-17\n\nA BILL\nENTITLED\n\nAN ACT concerning\n\n"
            "Department of Corrections Duties\n\nFOR the purpose of amending the duties of the Pine County "
            "Department of Corrections to\n\ninclude certain immigration law enforcement functions; and generally "
            "relating to the\n\nDepartment of Corrections.\n")
    assert analyze_text(text).mandates_cooperation
    assert not analyze_text(text.replace("to\n\ninclude certain", "to\n\nexclude any")).mandates_cooperation


def test_an_agencys_policy_named_in_its_first_line_is_withdrawable_though_it_cites_statutes() -> None:
    from drafter.analyze import _rules, _withdrawable

    text = ("Federal Immigration Authority Contact Policy\nThis policy is intended to comply with C.R.S. § 24-74-101 "
            "et seq. and outlines how the District applies those laws.\n")
    assert _withdrawable(text, _rules(None))
    code = "Chapter 2.15 Immigration Policy\nSec. 2.15.010. No county employee shall ask about status.\n"
    assert not _withdrawable(code, _rules(None))


def test_a_departments_memo_that_holds_for_ice_keeps_its_own_limits_a_statute_does_not() -> None:
    """A police memo that binds officers to limits of its own and to holds for ICE is a mandate whose
    limits stay in the report; a statute that forbids limiting status questions gets none."""
    memo = ("MEMORANDUM\nRE: Department Immigration Policy\n\n"
            "1. We will not detain a person merely for the purposes of verifying his immigration status.\n"
            "2. If we have an individual in custody for a felony, we will hold the individual for federal "
            "immigration officials if they request same.\n")
    result = analyze_text(memo)
    assert result.mandates_cooperation and not result.loopholes
    assert "detainer.no-civil-arrest" in {f.id for f in result.provisions}
    statute = ("Section 1. A local governmental entity may not adopt a policy that limits cooperation.\n"
               "Section 2. Each law enforcement agency shall hold the individual for federal immigration officials "
               "when they ask, and no officer shall be prohibited from inquiring into immigration status.\n")
    result = analyze_text(statute)
    assert result.mandates_cooperation
    assert not {f.id for f in result.provisions} & {"detainer.no-civil-arrest", "info.no-status-inquiry"}


def test_study_of_the_twenty_third_set_in_small() -> None:
    """What the twenty-third set taught, each in a sentence or two of the project's own words."""
    found = lambda text: {f.id for f in analyze_text(text).provisions}  # noqa: E731
    # "prohibits X from inquiring" binds; a state's abbreviation ends no sentence
    policy = ("District Enrollment Policy\nThis policy prohibits the District from inquiring about a student's "
              "immigration status during enrollment, pursuant to 22 Pa. Code 11.11.\n")
    assert "info.no-status-inquiry" in found(policy)
    assert any("22 Pa. Code 11.11" in f.evidence for f in analyze_text(policy).provisions)
    assert "info.no-status-inquiry" not in found(policy.replace("prohibits", "permits"))
    # an agenda item summary of a protective resolution is an instrument easily withdrawn
    agenda = ("AGENDA ITEM SUMMARY City Council SUBJECT Resolution 2017-091 On a Community Trust Initiative. "
              "EXECUTIVE SUMMARY This item is a proposed resolution demonstrating the City's commitment to "
              "supporting immigrant communities. Staff recommends adoption of the Resolution.\n")
    loopholes = {f.id for f in analyze_text(agenda).loopholes}
    assert {"loophole.non-binding", "loophole.no-enforcement"} <= loopholes
    # asking that ICE follow legal process on campus protects no place
    assert "access.sensitive-locations" not in found(
        "The University will insist that any engagement with ICE on our campus follow due legal process.\n")


def test_a_boards_wish_that_the_jail_keep_status_from_ice_is_a_protection_not_a_mandate(library) -> None:
    """A county board that asks its sheriff for a policy of not reporting people's status to ICE protects
    them, if only by a wish: the jail words ('booked into the County Jail') once led the mandate model to
    read it as cooperation; a refusal in so many words is a protection, which keeps the model away."""
    text = ("The Board of Supervisors expresses its desire that the Sheriff's Office develop a policy refusing "
            "to report the immigration status of any person booked into the County Jail to ICE, unless the "
            "person is charged with a felony.")
    result = analyze_text(text, library)
    assert not result.mandates_cooperation
    assert "info.no-personal-data" in {f.id for f in result.provisions}
    assert {"loophole.non-binding", "loophole.conviction-carveout"} <= {f.id for f in result.loopholes}
    # a jail that sends status queries to immigration authorities as its practice cooperates
    practice = ("Booking procedures for foreign-born arrestees. Several factors decide whether an Immigration "
                "Alien Query (IAQ) is requested: the arrestee says he was born outside the United States, or his "
                "criminal history shows a foreign place of birth.")
    assert analyze_text(practice, library).mandates_cooperation


def test_a_hold_named_in_full_and_a_protection_only_for_people_not_suspected_of_crime(library) -> None:
    """A police procedure that spells out "U.S. Immigration & Customs Enforcement (I.C.E.) hold" refuses
    detainers as surely as one that says "ICE hold"; and a protection that reaches only people "NOT
    suspected of crimes" leaves everyone an officer suspects to the hold (a carve-out)."""
    text = ("Law Enforcement Officers may NOT stop, detain and question, arrest or place an immigration or a "
            "U.S. Immigration & Customs Enforcement (I.C.E.) hold on any person NOT suspected of crimes, solely "
            "on the grounds that they may be undocumented and deportable foreign nationals.")
    result = analyze_text(text, library)
    assert "detainer.no-hold" in {f.id for f in result.provisions}
    assert "loophole.conviction-carveout" in {f.id for f in result.loopholes}
    sheriff = "The Sheriff's Office does not hold anyone for ICE and does not actively work with ICE to deport people."
    assert "detainer.no-joint-operations" in {f.id for f in analyze_text(sheriff, library).provisions}


def test_a_library_notice_that_cites_the_statute_it_follows_is_not_codified_law(library) -> None:
    """A library's web notice that keeps records confidential "in accordance with" a statute (75 ILCS 70/1)
    is the library's own statement, which it can change at will: not law that only a new law can undo,
    and so non-binding. Its refusal to "assist or collaborate with" ICE refuses joint work, and not asking
    for status when it issues library cards keeps the card free of status. Naming the library as the one
    that acts does not make it a sensitive location: that needs a limit on agents' entry or enforcement there."""
    text = ("A Community Message about ICE\n\nLibrary Privacy, Procedures, and Law Enforcement\n\n"
            "- The Library does not ask for immigration status when issuing library cards.\n"
            "- In accordance with the Illinois Library Records Confidentiality Act (75 ILCS 70/1), all library "
            "records are confidential and cannot be shared publicly.\n"
            "- The Library does not assist or collaborate with U.S. Immigration and Customs Enforcement (ICE) "
            "unless legally required to do so through a valid court order.\n")
    result = analyze_text(text, library)
    provisions = {f.id for f in result.provisions}
    assert {"detainer.no-joint-operations", "info.services-not-conditioned", "info.no-status-inquiry"} <= provisions
    assert "structure.no-reversal" not in provisions
    assert "access.sensitive-locations" not in provisions  # the library acts; no one's entry is limited
    assert "loophole.non-binding" in {f.id for f in result.loopholes}
    law = text.replace("A Community Message about ICE", "Section 3 of this act")
    law = law.replace("The Library does", "A library shall")
    assert "structure.no-reversal" in {f.id for f in analyze_text(law, library).provisions}
