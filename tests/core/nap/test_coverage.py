"""The coverage view: gaps and needs no element addresses, elements resting on no finding."""

from ctip.core.nap import coverage

from .builders import clean_nap

OP1 = "P1/SO1.1/SP1.1.1/OC1.1/OP1.1"
GAPS = {"P09": "Non-punishment of victims", "P13": "Reflection period", "P16": "Training of officials"}
NEEDS = {"FD01": "Victim identification", "IV02": "Interviewing children"}


def test_unaddressed_gaps_and_needs_and_ungrounded_elements():
    citations = {
        f"{OP1}/A1.1": {"tna:FD01", "library:unodc-2024-3"},  # an activity
        "P2/SO2.1": {"legal:P09", "legal:P13"},  # an objective covers everything below it
        "P4/SO4.1/SP4.1.1/OC4.1/OP4.1/A4.1": {"legal:P09"},
    }
    result = coverage(clean_nap(), citations, legal_gaps=GAPS, tna_needs=NEEDS)
    assert [(item.code, item.cited_by) for item in result.gaps] == [
        ("P09", ("P2/SO2.1", "P4/SO4.1/SP4.1.1/OC4.1/OP4.1/A4.1")),
        ("P13", ("P2/SO2.1",)),
        ("P16", ()),
    ]
    assert [item.id for item in result.unaddressed_gaps] == ["legal:P16"]
    assert [(item.code, item.label) for item in result.unaddressed_needs] == [
        ("IV02", "Interviewing children")
    ]
    # Pillar 3 cites nothing anywhere; pillar 1 is grounded through its activity, pillar 2 below its objective
    assert result.ungrounded == (
        "P3",
        "P3/SO3.1",
        "P3/SO3.1/SP3.1.1",
        "P3/SO3.1/SP3.1.1/OC3.1",
        "P3/SO3.1/SP3.1.1/OC3.1/OP3.1",
        "P3/SO3.1/SP3.1.1/OC3.1/OP3.1/A3.1",
    )
    assert not result.complete
    assert result.unknown_citations == {} and result.unknown_paths == ()


def test_stale_citations_and_paths_are_reported():
    citations = {
        "P1": {"legal:P02", "tna:FD01", "library:x"},  # P02 is no longer a gap
        "P2": {"tna:ZZ99"},
        "P3": {"legal:P16"},
        "P4": {"tna:IV02"},
        "P9/SO9.1": {"legal:P09"},  # deleted element
    }
    result = coverage(clean_nap(), citations, legal_gaps={"P16": "Training"}, tna_needs=NEEDS)
    assert result.unknown_citations == {"P1": ("legal:P02",), "P2": ("tna:ZZ99",)}
    assert result.unknown_paths == ("P9/SO9.1",)
    assert result.ungrounded == ()
    assert [item.code for item in result.unaddressed_needs] == []
    assert result.complete


def test_no_lists_no_citations():
    result = coverage(clean_nap(), {})
    assert result.gaps == () and result.needs == ()
    assert (
        len(result.ungrounded) == 24
    )  # 4 pillars × (pillar, objective, priority, outcome, output, activity)
