"""Reading an existing NAP implementation matrix: the column mapping, every kind of cell real matrices
hold (merged blanks, budgets, timeframes, agency lists), each bad cell named by row and column, the
hierarchy with generated codes, and agency suggestions."""

from decimal import Decimal

import pytest

from ctip.core.errors import DomainError
from ctip.core.nap.matrix import (
    FundingSource,
    Level,
    check_mapping,
    match_agency,
    parse_matrix,
    split_agencies,
    split_code,
    suggest_mapping,
)
from ctip.core.nap.matrix_example import (
    EXAMPLE_AGENCIES,
    EXAMPLE_HEADER,
    EXAMPLE_PLAN_PERIOD,
    example_matrix_rows,
)
from ctip.core.nap.matrix_values import parse_budget, parse_timeframe

HEADERS = [
    "Pillar", "Strategic objective", "Outcome", "Output", "Activity", "Indicator", "Baseline", "Target",
    "Timeframe", "Lead agency", "Partners", "Budget (RWF)",
]  # fmt: skip
AGENCIES = {
    "MINIJUST": ["Ministry of Justice"],
    "RIB": ["Rwanda Investigation Bureau"],
    "NPPA": ["National Public Prosecution Authority"],
    "MIGEPROF": ["Ministry of Gender and Family Promotion"],
    "IOSC": ["Isange One Stop Centres"],
}
PERIOD = (2025, 2029)


def row(number, pillar="", objective="", outcome="", output="", activity="", indicator="", baseline="",
        target="", timeframe="", lead="", partners="", budget=""):  # fmt: skip
    return (number, [pillar, objective, outcome, output, activity, indicator, baseline, target, timeframe,
                     lead, partners, budget])  # fmt: skip


def parse(rows, headers=HEADERS, mapping=None):
    return parse_matrix(
        rows,
        mapping if mapping is not None else suggest_mapping(headers),
        plan_period=PERIOD,
        known_agencies=AGENCIES,
        headers=headers,
    )


GOOD = [
    row(
        2,
        "Prevention",
        "Prevent trafficking",
        "Communities are aware",
        "Campaigns run",
        "Radio campaign",
        "People reached",
        "0",
        "100,000",
        "2025-2026",
        "MIGEPROF",
        "RIB, NPPA",
        "1,250,000",
    ),
    row(
        3,
        activity="School sessions",
        timeframe="Q1 2026",
        lead="MINIJUST",
        partners="Isange One Stop Centres",
        budget="USD 12,000",
    ),
    row(
        4,
        output="Teachers trained",
        activity="Train teachers",
        indicator="Teachers trained",
        target="300",
        timeframe="Year 1-2",
        lead="Ministry of Justice",
        partners="RIB and NPPA",
        budget="12 000 000 RWF",
    ),
    row(
        5,
        "Prosecution",
        "Convict traffickers",
        "Cases investigated",
        "Investigators trained",
        "Train investigators",
        timeframe="2026 Q2 – 2027 Q1",
        lead="RIB",
        budget="TBD",
    ),
    row(6, activity="Set up a unit", timeframe="Ongoing", lead="RIB", partners="NPPA\nMINIJUST", budget="-"),
]


def test_a_typed_matrix_is_read_into_the_hierarchy_with_generated_codes():
    preview = parse(GOOD)
    assert not preview.has_errors, [p.message for p in preview.problems]
    first, second = preview.tree
    assert (first.level, first.code, first.title, first.pillar) == (
        Level.OBJECTIVE,
        "O1",
        "Prevent trafficking",
        "Prevention",
    )
    assert (second.code, second.pillar) == ("O2", "Prosecution")
    outcome = first.children[0]
    assert (outcome.code, outcome.title) == ("O1.1", "Communities are aware")
    campaigns, teachers = outcome.children
    assert [(a.code, a.row.activity) for a in campaigns.activities] == [
        ("A1.1.1.1", "Radio campaign"),
        ("A1.1.1.2", "School sessions"),
    ]
    assert teachers.code == "O1.1.2"
    assert [a.code for a in teachers.activities] == ["A1.1.2.1"]
    assert [(i.text, i.baseline, i.target) for i in campaigns.indicators] == [
        ("People reached", "0", "100,000")
    ]
    assert [i.text for i in teachers.indicators] == ["Teachers trained"]
    assert [a.code for a in second.children[0].children[0].activities] == ["A2.1.1.1", "A2.1.1.2"]
    summary = preview.summary
    assert (summary.objectives, summary.outcomes, summary.outputs, summary.activities, summary.indicators) == (
        2, 2, 3, 5, 2,
    )  # fmt: skip
    assert summary.rows_with_problems == ()
    assert summary.unmatched_agencies == ()
    assert summary.budget_totals == {"RWF": Decimal("13250000"), "USD": Decimal("12000")}
    assert summary.budgets_to_be_determined == 2


def test_cells_are_read_as_decimals_quarters_and_registry_keys():
    rows = {record.row: record for record in parse(GOOD).rows}
    assert rows[2].budget.amount == Decimal("1250000") and rows[2].budget.currency == "RWF"  # from the header
    assert (rows[3].budget.amount, rows[3].budget.currency) == (Decimal("12000"), "USD")
    assert rows[5].budget is None and rows[5].budget_to_be_determined
    assert rows[2].timeframe == (((2025, 1), (2026, 4)),)
    assert rows[3].timeframe == (((2026, 1), (2026, 1)),)
    assert rows[4].timeframe == (((2025, 1), (2026, 4)),)
    assert rows[5].timeframe == (((2026, 2), (2027, 1)),)
    assert rows[6].timeframe == (((2025, 1), (2029, 4)),)
    assert rows[4].lead.key == "MINIJUST"
    assert [p.key for p in rows[2].partners] == ["RIB", "NPPA"]
    assert [p.key for p in rows[4].partners] == ["RIB", "NPPA"]
    assert [p.key for p in rows[6].partners] == ["NPPA", "MINIJUST"]
    assert [p.key for p in rows[3].partners] == ["IOSC"]


def test_merged_blanks_repeat_the_cell_above_and_repeated_text_with_small_differences_is_one_node():
    rows = [
        row(2, "", "Objective A", "Outcome A", "Output A", "One", lead="RIB"),
        row(3, "", "", "", "", "Two", lead="RIB"),
        row(4, "", "objective  a.", "Outcome A", "OUTPUT A", "Three", lead="RIB"),
        row(5, "", "", "Outcome B", "Output A", "Four", lead="RIB"),
    ]
    preview = parse(rows)
    assert not preview.has_errors
    (objective,) = preview.tree
    first, second = objective.children
    assert [a.row.activity for a in first.children[0].activities] == ["One", "Two", "Three"]
    assert [(c.code, c.title) for c in second.children] == [("O1.2.1", "Output A")]
    assert preview.rows[1].titles == {
        "objective": "Objective A",
        "outcome": "Outcome A",
        "output": "Output A",
    }


def test_nearly_identical_titles_are_kept_apart_with_a_warning():
    rows = [
        row(2, "", "Strengthen prosecution of traffickers", "Outcome", "Output", "One"),
        row(3, "", "Strengthen prosecution of trafficker", "Outcome", "Output", "Two"),
    ]
    preview = parse(rows)
    assert len(preview.tree) == 2
    (warning,) = preview.warnings
    assert warning.location == "row 3, column “Strategic objective” (B)"
    assert "almost the same" in warning.message and "row 2" in warning.message


def test_codes_written_in_the_cells_are_kept():
    rows = [
        row(
            2,
            "",
            "2. Protect victims",
            "2.1 Victims identified",
            "2.1.3: Officers trained",
            "2.1.3.4 Train officers",
        )
    ]
    (objective,) = parse(rows).tree
    output = objective.children[0].children[0]
    assert (objective.code, objective.title) == ("O2", "Protect victims")
    assert (output.code, output.title) == ("O2.1.3", "Officers trained")
    assert output.activities[0].code == "A2.1.3.4"
    assert split_code("2026 campaign") == ("", "2026 campaign")


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"budget": "about a million"}, "“Budget (RWF)” (L)", "is not an amount"),
        ({"budget": "-5000"}, "“Budget (RWF)” (L)", "negative"),
        ({"timeframe": "soon"}, "“Timeframe” (I)", "not a timeframe"),
        ({"timeframe": "2031"}, "“Timeframe” (I)", "outside the plan period 2025-2029"),
        ({"timeframe": "Year 6"}, "“Timeframe” (I)", "outside the plan period"),
        ({"timeframe": "Q3"}, "“Timeframe” (I)", "has no year"),
        ({"timeframe": "2028-2026"}, "“Timeframe” (I)", "ends before it starts"),
        ({"activity": "", "lead": "RIB"}, "“Activity” (E)", "activity is blank"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(cells, column, words):
    values = {"objective": "Objective", "outcome": "Outcome", "output": "Output", "activity": "Do it"} | cells
    preview = parse(
        [
            row(2, activity="First", objective="Objective", outcome="Outcome", output="Output"),
            row(7, **values),
        ]
    )
    assert preview.has_errors
    (problem,) = preview.problems
    assert problem.location == f"row 7, column {column}"
    assert words in problem.message
    assert preview.summary.rows_with_problems == (7,)


def test_a_blank_level_under_a_new_parent_is_an_error_not_a_silent_repeat():
    rows = [
        row(2, "", "Objective A", "Outcome A", "Output A", "One"),
        row(3, "", "Objective B", "", "Output B", "Two"),
        row(4, "", "", "", "Output C", "Three"),
    ]
    preview = parse(rows)
    (problem,) = preview.problems
    assert problem.location == "row 3, column “Outcome” (C)"
    assert "new objective" in problem.message
    first = parse([row(2, "", "", "Outcome A", "Output A", "One")])
    assert first.problems[0].location == "row 2, column “Strategic objective” (B)"


def test_indicators_attach_to_the_level_stated_and_indicator_only_rows_add_indicators():
    headers = ["Objective", "Outcome", "Output", "Activity", "Indicator", "Indicator level"]
    rows = [
        (2, ["Obj", "Out", "Put", "Act", "Conviction rate", "Outcome"]),
        (3, ["", "", "", "", "Officers trained", ""]),
        (4, ["", "", "", "Act 2", "Sessions held", "activity"]),
        (5, ["", "", "", "Act 3", "Conviction rate", "outcome"]),
        (6, ["", "", "", "Act 4", "x", "galaxy"]),
    ]
    preview = parse(rows, headers=headers)
    outcome = preview.tree[0].children[0]
    output = outcome.children[0]
    assert [i.text for i in outcome.indicators] == ["Conviction rate"]
    assert [i.text for i in output.indicators] == ["Officers trained", "x"]
    assert [a.row.activity for a in output.activities] == ["Act", "Act 2", "Act 3", "Act 4"]
    assert [i.text for i in output.activities[1].indicators] == ["Sessions held"]
    (problem,) = preview.problems
    assert problem.location == "row 6, column “Indicator level” (F)" and "not a level" in problem.message


def test_agencies_unknown_to_the_registry_are_kept_with_suggestions():
    rows = [
        row(
            2,
            "",
            "O",
            "Oc",
            "Op",
            "One",
            lead="Rwanda Investigaton Bureau",
            partners="NPPA; Minstry of Justice; Local leaders",
        ),
        row(3, "", "", "", "", "Two", lead="RIBB", partners="Isange"),
        row(4, "", "", "", "", "Three", lead="RIB/NPPA"),
    ]
    preview = parse(rows)
    assert not preview.has_errors
    first, second, third = preview.rows
    assert (first.lead.key, first.lead.suggestions) == (None, ("RIB",))
    assert (first.partners[0].text, first.partners[0].key) == ("NPPA", "NPPA")
    assert first.partners[1].suggestions[0] == "MINIJUST"
    assert first.partners[2].key is None
    assert second.lead.suggestions[0] == "RIB"
    assert second.partners[0].suggestions == ("IOSC",)
    assert third.lead.key == "RIB" and [p.key for p in third.partners] == ["NPPA"]
    assert "several lead agencies" in preview.warnings[0].message.lower()
    unmatched = {item.text: item for item in preview.summary.unmatched_agencies}
    assert set(unmatched) == {
        "Rwanda Investigaton Bureau",
        "Minstry of Justice",
        "Local leaders",
        "RIBB",
        "Isange",
    }
    assert unmatched["RIBB"].rows == (3,)


def test_agency_matching_ignores_case_accents_and_brackets():
    known = {"MINIJUST": ["Ministère de la Justice"], "MIGEPROF": ["Ministry of Gender and Family Promotion"]}
    assert match_agency("ministere de la justice", known).key == "MINIJUST"
    assert match_agency("Ministry of Justice (MINIJUST)", known).key == "MINIJUST"
    assert match_agency("minijust", known).key == "MINIJUST"
    assert split_agencies("Ministry of Gender and Family Promotion and MINIJUST", known) == [
        "Ministry of Gender and Family Promotion",
        "MINIJUST",
    ]
    assert split_agencies("Local NGOs and faith-based groups, etc.", known) == [
        "Local NGOs and faith-based groups"
    ]


def test_french_headers_are_recognised():
    headers = ["Axe", "Objectif stratégique", "Effet attendu", "Produit", "Activités", "Indicateur de performance",
               "Valeur de référence", "Cible", "Calendrier", "Institution responsable", "Partenaires",
               "Coût total (FRW)", "Source de financement", "Coût unitaire"]  # fmt: skip
    mapping = suggest_mapping(headers)
    assert mapping == {
        "pillar": 0, "objective": 1, "outcome": 2, "output": 3, "activity": 4, "indicator": 5, "baseline": 6,
        "target": 7, "timeframe": 8, "lead": 9, "partners": 10, "budget": 11, "unit_cost": 13, "funding_source": 12,
    }  # fmt: skip
    rows = [(2, ["Prévention", "Prévenir", "Effet", "Produit", "Campagne", "", "", "", "T1 2026", "MINIJUST",
                 "RIB et NPPA", "1.250.000", "Budget de l'État", ""])]  # fmt: skip
    record = parse(rows, headers=headers, mapping=mapping).rows[0]
    assert (record.budget.amount, record.budget.currency) == (Decimal("1250000"), "RWF")
    assert record.timeframe == (((2026, 1), (2026, 1)),)
    assert [p.key for p in record.partners] == ["RIB", "NPPA"]
    assert record.funding_source is FundingSource.GOVERNMENT


def test_english_header_variants_map_to_the_longest_synonym():
    mapping = suggest_mapping(
        [
            "Output indicator",
            "Unit cost",
            "Total cost",
            "Responsible institution",
            "Key activities",
            "Outputs",
        ]
    )
    assert mapping == {"activity": 4, "output": 5, "indicator": 0, "lead": 3, "budget": 2, "unit_cost": 1}


def test_mapping_errors_are_refused_with_every_reason():
    with pytest.raises(DomainError) as caught:
        check_mapping({"budget": 2, "lead": 2, "colour": 1}, ["A", "B", "Budget"])
    messages = [p.message for p in caught.value.problems]
    assert any("“colour” is not a field" in m for m in messages)
    assert any("holds the activities" in m for m in messages)
    assert any("objective, outcome or output" in m for m in messages)
    assert any("“Budget” is chosen for several fields (budget, lead)" in m for m in messages)
    with pytest.raises(DomainError) as caught:
        check_mapping({"activity": 0, "output": 9}, ["Activity"])
    assert caught.value.problems[0].location == "output"
    check_mapping({"activity": 0, "output": 1}, ["Activity", "Output"])
    with pytest.raises(DomainError):
        parse_matrix([], {"budget": 0}, plan_period=PERIOD, known_agencies={})


@pytest.mark.parametrize(
    ("text", "amount", "currency", "tbd"),
    [
        ("1,250,000", "1250000", "XOF", False),
        ("USD 12,000", "12000", "USD", False),
        ("12 000 000 RWF", "12000000", "RWF", False),
        ("Frw 5,000,000", "5000000", "RWF", False),
        ("1.250.000,50", "1250000.5", "XOF", False),
        ("$1.5m", "1500000", "USD", False),
        ("2.5 million", "2500000", "XOF", False),
        ("-", None, None, True),
        ("TBD", None, None, True),
        ("à déterminer", None, None, True),
        ("", None, None, False),
    ],
)
def test_budgets_are_decimals_with_their_currency(text, amount, currency, tbd):
    money, to_be_determined, problem = parse_budget(text, "XOF")
    assert problem is None and to_be_determined is tbd
    if amount is None:
        assert money is None
    else:
        assert (money.amount, money.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("2025/26", (((2025, 1), (2026, 4)),)),
        ("Q1-Q3 2026", (((2026, 1), (2026, 3)),)),
        ("2026-Q3", (((2026, 3), (2026, 3)),)),
        ("H2 2027", (((2027, 3), (2027, 4)),)),
        ("March 2026", (((2026, 1), (2026, 1)),)),
        ("2025, 2027", (((2025, 1), (2025, 4)), ((2027, 1), (2027, 4)))),
        ("Années 2 à 3", (((2026, 1), (2027, 4)),)),
        ("En continu", (((2025, 1), (2029, 4)),)),
        ("", ()),
    ],
)
def test_timeframes_become_quarter_spans(text, spans):
    assert parse_timeframe(text, PERIOD) == (spans, None)


def test_the_example_matrix_is_a_clean_four_pillar_programme_and_is_reproducible():
    rows = example_matrix_rows(3)
    assert rows == example_matrix_rows(3) and rows != example_matrix_rows(4)
    assert 35 <= len(rows) <= 45
    preview = parse_matrix(
        [(number, cells) for number, cells in enumerate(rows, start=2)],
        suggest_mapping(EXAMPLE_HEADER),
        plan_period=EXAMPLE_PLAN_PERIOD,
        known_agencies=EXAMPLE_AGENCIES,
        headers=EXAMPLE_HEADER,
    )
    assert not preview.has_errors, [p.message for p in preview.problems]
    assert [node.pillar for node in preview.tree] == [
        "Prevention",
        "Protection",
        "Prosecution",
        "Partnership",
    ]
    assert preview.summary.activities == len(rows)
    assert preview.summary.unmatched_agencies == ()
    assert set(preview.summary.budget_totals) == {"RWF"}
    assert any(cell == "" for cells in rows for cell in cells[:4])  # merged-looking blanks
