"""The statistical reader (drafter/statistical_reader.py) and how the analyzer uses what it finds."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import drafter.analyze as analyze
from drafter.analysis_report import READER_NOTE, terminal_lines
from drafter.errors import Problems
from drafter.library import load_library
from drafter.statistical_reader import MODEL_FILE, ModelError, Reader, load, parse, passages, terms

ROOT = Path(__file__).resolve().parents[1]
FILLER = ("The department keeps its ordinary records of every contact with the public, and each officer "
          "completes the annual training the chief assigns. ")


def stub(weights: dict[str, tuple[str, float]], passage_chars: int = 2000, threshold: float = 0.5,
         mandate: str | None = None) -> Reader:
    """A reader that knows one word per id (and, for ``mandate``, one word that marks a text requiring
    cooperation), with a strong weight: present means found."""
    words = {w for w, _ in weights.values()} | ({mandate} if mandate else set())
    vocabulary = {word: i for i, word in enumerate(sorted(words))}
    models = {pid: (-4.0, {vocabulary[word]: weight}, threshold) for pid, (word, weight) in weights.items()}
    mandated = (-4.0, {vocabulary[mandate]: 30.0}, threshold) if mandate else None
    return Reader(vocabulary, tuple(1.0 for _ in vocabulary), models, 10, passage_chars, 40, mandated)


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    def install(reader: Reader | None) -> None:
        monkeypatch.setattr(analyze, "_reader", lambda library: reader)
    return install


def test_terms_are_words_and_word_pairs() -> None:
    assert terms("No officer shall; no OFFICER may") == {
        "no": 2, "officer": 2, "shall": 1, "may": 1, "no officer": 2, "officer shall": 1, "shall no": 1,
        "officer may": 1}


def test_passages_are_whole_lines_within_the_size() -> None:
    text = "\n".join(f"line {n} " + "x" * 40 for n in range(1, 21))
    parts = passages(text, 200)
    assert all(len(p) <= 200 for _, _, p in parts)
    assert "\n".join(p for _, _, p in parts) == text  # nothing lost, nothing repeated
    assert parts[0][0] == 1 and all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
    assert passages("one very long line", 5) == [(1, 2, "one very long line")]


def test_probability_is_the_logistic_of_the_tf_idf_dot_product() -> None:
    reader = Reader({"detainer": 0, "hold": 1}, (1.0, 2.0), {"detainer.no-hold": (-1.0, {0: 3.0, 1: 0.5}, 0.5)},
                    1, 2000, 1)
    # "detainer" twice (1 + ln 2) * 1, "hold" once 1 * 2; unit length; then -1 + 3 x0 + 0.5 x1.
    x0, x1 = 1 + math.log(2), 2.0
    norm = math.hypot(x0, x1)
    z = -1.0 + 3.0 * x0 / norm + 0.5 * x1 / norm
    assert reader.probabilities("detainer detainer hold")["detainer.no-hold"] == pytest.approx(1 / (1 + math.exp(-z)))
    assert reader.found("nothing known here") == {}


def test_a_model_file_that_cannot_be_used_is_refused_with_the_reason() -> None:
    good = {"format": "drafter-reader-1", "vocabulary": ["a"], "idf": [1.0], "passage_chars": 2000,
            "min_words": 40, "models": {"detainer.no-hold": {"intercept": 0.0, "weights": {"0": 1.0},
                                                               "threshold": 0.5}}}
    assert parse(good).models["detainer.no-hold"][2] == 0.5
    for spoil, message in ((lambda m: m.update(format="other"), "not a"),
                           (lambda m: m.update(idf=[]), "differ in length"),
                           (lambda m: m["models"]["detainer.no-hold"]["weights"].update({"7": 1.0}), "no vocabulary"),
                           (lambda m: m["models"]["detainer.no-hold"].update(threshold=1.5), "between 0 and 1"),
                           (lambda m: m.update(mandate={"intercept": 0.0, "weights": {}, "threshold": 0.0}),
                            "threshold of 'mandates_cooperation'"),
                           (lambda m: m.pop("passage_chars"), "missing"),
                           (lambda m: m.update(passage_chars=10), "at least 200")):
        broken = json.loads(json.dumps(good))
        spoil(broken)
        with pytest.raises(ModelError, match=message):
            parse(broken)


def test_the_shipped_model_loads_and_names_only_taxonomy_ids() -> None:
    reader = load(ROOT / "clauses" / "analyzer")
    assert reader is not None and reader.trained_on >= 199 and len(reader.vocabulary) > 1000
    assert reader.mandate is not None  # and a model of texts that require cooperation
    library = load_library()
    assert set(reader.models) <= set(library.taxonomy.provisions) | set(library.taxonomy.loopholes)
    assert all(0 < p < 1 for p in reader.probabilities("No officer shall hold a person on a detainer.").values())
    assert analyze._reader(None) is not None  # where drafter runs from (an installed wheel carries it too)


def test_a_broken_model_is_a_check_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.checks import check_reader_model

    (tmp_path / "analyzer").mkdir()
    (tmp_path / "analyzer" / MODEL_FILE).write_text('{"format": "drafter-reader-1"}')
    monkeypatch.setattr("drafter.resources.builtin_clauses", lambda: tmp_path)
    problems = Problems()
    check_reader_model({"detainer.no-hold"}, problems)
    assert [p.message for p in problems.items if "cannot be used" in p.message]
    assert "train_reader.py" in problems.items[0].hint


TEXT = ("Sec. 4-101. Conduct of officers.\n"
        "(a) No officer shall give any lantern record to federal immigration agents.\n"
        f"(b) {FILLER * 3}\n")


def test_what_the_reader_finds_is_added_marked_and_cites_binding_words(use) -> None:  # noqa: ANN001
    use(stub({"info.no-personal-data": ("lantern", 30.0)}))
    found = {f.id: f for f in analyze.analyze_text(TEXT).provisions}
    finding = found["info.no-personal-data"]
    assert finding.by_reader and finding.location == "§ 4-101(a)" and "lantern" in finding.evidence
    assert finding.as_dict()["found_by"] == "statistical reader"
    use(None)  # without a model, the rules alone
    assert "info.no-personal-data" not in {f.id for f in analyze.analyze_text(TEXT).provisions}


def test_the_report_says_which_findings_the_reader_made(use) -> None:  # noqa: ANN001
    use(stub({"info.no-personal-data": ("lantern", 30.0)}))
    lines = [text for text, _ in terminal_lines(analyze.analyze_text(TEXT), load_library(), "policy.txt")]
    assert any(READER_NOTE in line and "§ 4-101(a)" in line for line in lines)


def test_the_reader_cites_no_definition_recital_or_permission(use) -> None:  # noqa: ANN001
    use(stub({"info.no-personal-data": ("lantern", 30.0)}))
    for sentence in ('"Lantern record" means a record kept by the city.',
                     "WHEREAS, the city keeps lantern records;",
                     "An officer may give a lantern record to federal immigration agents."):
        text = f"Sec. 4-101. Records.\n(a) {sentence}\n(b) {FILLER * 3}\n"
        assert "info.no-personal-data" not in {f.id for f in analyze.analyze_text(text).provisions}, sentence


def test_a_rule_finding_is_kept_and_the_reader_reads_only_a_mandates_form(use) -> None:  # noqa: ANN001
    use(stub({"detainer.no-hold": ("lantern", 30.0), "loophole.non-binding": ("lantern", 30.0),
              "structure.findings": ("lantern", 30.0)}))
    text = f"Sec. 1. No officer shall hold a person on an immigration detainer or a lantern.\n{FILLER * 3}"
    found = {f.id: f for f in analyze.analyze_text(text).provisions}
    assert not found["detainer.no-hold"].by_reader  # the rule's finding, with the rule's reason
    mandate = f"Sec. 1. Each jail shall comply with every immigration detainer and lantern request.\n{FILLER * 3}"
    result = analyze.analyze_text(mandate)
    # no protection or gap read into a mandate; its findings (a why, not a protection) may be
    assert result.mandates_cooperation and not [f for f in result.loopholes if f.by_reader]
    assert [f.id for f in result.provisions if f.by_reader] == ["structure.findings"]


def test_an_ordinance_stored_without_its_operative_part_has_no_gaps(use) -> None:  # noqa: ANN001
    use(stub({"loophole.no-enforcement": ("lantern", 30.0), "loophole.non-binding": ("lantern", 30.0)}))
    recitals = "".join(f"WHEREAS, the lantern program serves residents {n}; {FILLER}\n" for n in range(3))
    ordinance = f"AN ORDINANCE of the City Council relating to lanterns.\n{recitals}"
    assert not analyze.analyze_text(ordinance).loopholes  # nothing protects yet, so nothing has a gap
    resolution = f"A RESOLUTION of the City Council relating to lanterns.\n{recitals}"
    assert {"loophole.no-enforcement", "loophole.non-binding"} <= {
        f.id for f in analyze.analyze_text(resolution).loopholes}


def test_too_few_words_are_left_to_the_rules(use) -> None:  # noqa: ANN001
    use(stub({"info.no-personal-data": ("lantern", 30.0)}))
    assert not analyze.analyze_text("Sec. 1. No officer shall give a lantern record to ICE.\n").provisions


def test_a_long_text_is_read_a_passage_at_a_time_for_protections_only(use) -> None:  # noqa: ANN001
    use(stub({"info.no-personal-data": ("lantern", 30.0), "loophole.coverage-gap": ("lantern", 30.0)},
             passage_chars=400))
    text = "".join(f"Sec. {n}. {FILLER}\n" for n in range(1, 30)) + TEXT.replace("4-101", "30")
    result = analyze.analyze_text(text)
    assert [f.location for f in result.provisions if f.by_reader] == ["§ 30(a)"]
    assert not [f for f in result.loopholes if f.by_reader]  # a whole-text matter, beyond what it learned


def test_an_ordinance_is_not_read_as_non_binding(use) -> None:  # noqa: ANN001
    use(stub({"loophole.non-binding": ("lantern", 30.0), "info.no-personal-data": ("lantern", 30.0)}))
    text = f"THE CITY COUNCIL ORDAINS:\n{TEXT}"
    assert "loophole.non-binding" not in {f.id for f in analyze.analyze_text(text).loopholes}
    memo = f"MEMORANDUM\nTo all staff.\n{TEXT}"
    assert "loophole.non-binding" in {f.id for f in analyze.analyze_text(memo).loopholes}


def test_the_reports_first_line_counts_in_plain_english(use) -> None:  # noqa: ANN001
    use(None)
    one = analyze.analyze_text("Sec. 1. No officer shall hold a person on an immigration detainer.\n")
    first = terminal_lines(one, load_library(), "policy.txt")[0][0]
    assert first == "policy.txt: 1 protection, 1 loophole"  # a detainer rule with no remedy


PROGRAM = ("The Lantern Program\n"
           "The Sheriff's Office takes part in the lantern program with federal partners at the county jail. "
           f"{FILLER * 3}\n")


def test_the_reader_knows_a_text_that_requires_cooperation_where_no_rule_does(use) -> None:  # noqa: ANN001
    use(None)
    assert not analyze.analyze_text(PROGRAM).mandates_cooperation  # no mandate pattern has these words
    use(stub({}, mandate="lantern"))
    result = analyze.analyze_text(PROGRAM)
    assert result.mandates_cooperation and [f.by_reader for f in result.mandate_evidence] == [True]
    assert "lantern" in result.mandate_evidence[0].evidence and "requires cooperation" in result.mandate_evidence[0].why
    lines = [text for text, _ in terminal_lines(result, load_library(), "page.txt")]
    assert any(READER_NOTE in line for line in lines)


def test_the_reader_reads_no_mandate_where_a_protection_binds_or_cooperation_is_refused(use) -> None:  # noqa: ANN001
    use(stub({}, mandate="lantern"))
    protects = PROGRAM + "Sec. 2. No officer shall hold a person on an immigration detainer.\n"
    assert not analyze.analyze_text(protects).mandates_cooperation
    refuses = PROGRAM + "The board prohibits any lantern agreement under section 287(g) of the Act.\n"
    assert not analyze.analyze_text(refuses).mandates_cooperation


@pytest.mark.parametrize(("sentence", "refuses"), [
    ("The Act prohibits any county from entering into an agreement under section 287(g).", True),
    ("No sheriff shall honor an immigration detainer.", True),
    ("The parties end the authority of the officers to perform immigration enforcement functions.", True),
    ("The Act prohibits any county from declining to honor an immigration detainer.", False),
    ("No county shall adopt a sanctuary policy that limits 287(g) agreements.", False),
    ("The sheriff shall enter into a 287(g) agreement.", False),
    ("A resolution authorizing counsel to challenge Senate Bill 168 that forces cities to do the work of ICE.", True),
    ("A resolution opposing sanctuary policies and supporting ICE.", False),
])
def test_words_that_refuse_cooperation(sentence: str, refuses: bool) -> None:
    assert bool(analyze.builtin_rules().pattern("refuses_cooperation").search(sentence)) is refuses
