"""The 2025-2026 measures: new taxonomy ids, tiered clauses, and the analyzer knows them."""

from __future__ import annotations

from drafter.analyze import PROVISIONS, analyze_text
from drafter.library import Library

NEW = {
    "access.officer-identification": ["access.officer-identification", "access.officer-identification-local"],
    "info.surveillance-data": ["information.surveillance-end", "information.surveillance-contracts"],
    "access.care-places-warrant": ["access.care-places-warrant"],
    "access.court-arrest-any-officer": ["access.court-arrests-any-officer"],
    "structure.rights-remedy": ["structure.rights-remedy", "structure.rights-remedy-local"],
    "detainer.federal-contract-loophole": ["detainers.federal-beds-immigration", "detainers.federal-beds-reporting"],
}


def test_new_ids_are_in_the_taxonomy_and_the_analyzer(library: Library) -> None:
    for pid, clause_ids in NEW.items():
        assert pid in library.taxonomy.provision_area
        assert pid in PROVISIONS
        for cid in clause_ids:
            assert pid in library.clauses[cid].meta.provisions


def test_tiers_default_is_strongest_and_weaker_says_what_it_opens(library: Library) -> None:
    for clause_ids in NEW.values():
        if len(clause_ids) < 2:
            continue
        strongest, weaker = (library.clauses[c] for c in clause_ids)
        assert strongest.meta.default and strongest.meta.strength == "strongest"
        assert weaker.meta.variant_of == strongest.meta.variant_of and not weaker.meta.default
        # the gap it opens is described in words (no ids in council-facing commentary)
        words = {lid: lid.split(".", 1)[1].replace("-", " ") for lid in weaker.meta.opens}
        assert weaker.meta.opens and all(w in weaker.commentary.lower() for w in words.values())
        assert not any(lid in weaker.commentary for lid in weaker.meta.opens)
    for ids in NEW.values():
        for cid in ids:
            assert len(library.clauses[cid].commentary.split()) >= 200, cid


def test_identification_rule_binds_every_officer_alike(library: Library) -> None:
    body = library.clauses["access.officer-identification"].body
    assert "same terms to every officer" in body
    assert "creates no criminal offense" in body.replace("does not create a criminal offense",
                                                          "creates no criminal offense")


def test_analyzer_reads_each_new_measure() -> None:
    text = ("No officer of any agency shall wear a mask during an arrest.\n\n"
            "No County department shall purchase or operate an automated license plate reader network.\n\n"
            "Each clinic shall designate its examination rooms as non-public areas.\n\n"
            "The Sheriff shall not accept under any agreement with the United States Marshals Service a person "
            "referred only on an entry charge.")
    found = {f.id for f in analyze_text(text).provisions}
    assert {"access.officer-identification", "info.surveillance-data", "access.care-places-warrant",
            "detainer.federal-contract-loophole"} <= found
