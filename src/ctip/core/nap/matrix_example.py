"""A fictional implementation matrix for the demo and the tests: a Rwanda programme (fictional data) with
four pillars, about forty activities, budgets in RWF written the many ways real matrices write them, and the
blank "same as above" cells that merged cells leave. Same seed, same matrix."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

EXAMPLE_PLAN_PERIOD = (2025, 2029)
EXAMPLE_HEADER = (
    "Pillar",
    "Strategic objective",
    "Outcome",
    "Output",
    "Activity",
    "Output indicator",
    "Baseline (2024)",
    "Target (2029)",
    "Timeframe",
    "Lead agency",
    "Partners",
    "Budget (RWF)",
    "Funding source",
)
EXAMPLE_AGENCIES: Mapping[str, Sequence[str]] = {
    "MINIJUST": ("Ministry of Justice", "Ministère de la Justice"),
    "RIB": ("Rwanda Investigation Bureau",),
    "NPPA": ("National Public Prosecution Authority",),
    "RNP": ("Rwanda National Police", "Police nationale du Rwanda"),
    "DGIE": ("Directorate General of Immigration and Emigration",),
    "MIGEPROF": ("Ministry of Gender and Family Promotion",),
    "IOSC": ("Isange One Stop Centres", "Isange One Stop Centre", "Isange"),
    "TUZAMURANE": ("Tuzamurane Survivors Network (fictional NGO)",),
    "UMUCYO": ("Umucyo Legal Aid Forum (fictional NGO)",),
}

# Pillar → objective → outcomes → outputs → (indicator, baseline, target, activities).
_PLAN: tuple[tuple[str, str, tuple[tuple[str, tuple[tuple[str, str, str, str, tuple[str, ...]], ...]], ...]], ...] = (
    ("Prevention", "1. Reduce the vulnerability of communities to trafficking", (
        ("Communities know the risks of trafficking and how to report it", (
            ("Awareness campaigns reach high-risk districts", "Number of people reached by campaigns", "0", "250,000", (
                "Run radio campaigns in Kinyarwanda, English and French",
                "Train community health workers as awareness relays",
                "Hold village meetings (Umuganda) on safe migration",
            )),
            ("Schools teach pupils about trafficking", "Number of schools with a trained focal teacher", "12", "300", (
                "Develop a school module on trafficking and online safety",
                "Train focal teachers in secondary schools",
            )),
        )),
        ("Safe labour migration is promoted", (
            ("Recruitment agencies are regulated and inspected", "Share of licensed agencies inspected each year", "10%", "80%", (
                "Publish the list of licensed recruitment agencies",
                "Inspect recruitment agencies jointly with labour inspectors",
                "Set up a hotline for job seekers to check offers",
            )),
        )),
    )),
    ("Protection", "2. Identify victims early and give them comprehensive support", (
        ("Victims are identified and referred quickly", (
            ("Frontline officers use the national referral mechanism", "Number of frontline officers trained on identification", "150", "1,200", (
                "Adopt standard operating procedures for identification",
                "Train border officers on indicators of trafficking",
                "Train police gender desks on victim identification",
                "Print and distribute screening cards to frontline officers",
            )),
        )),
        ("Victims receive shelter, care and reintegration", (
            ("Isange One Stop Centres offer trafficking-specific services", "Number of centres with a trained case manager", "4", "44", (
                "Train case managers of Isange One Stop Centres",
                "Equip centres with child-friendly interview rooms",
                "Provide psychosocial support to identified victims",
            )),
            ("Survivors are reintegrated in their communities", "Number of survivors supported with livelihoods", "20", "400", (
                "Provide vocational training and start-up kits to survivors",
                "Support family tracing and assessment before return",
                "Follow up survivors for twelve months after return",
            )),
        )),
    )),
    ("Prosecution", "3. Investigate, prosecute and convict traffickers", (
        ("Investigations are proactive and victim-centred", (
            ("Investigators have specialised skills", "Number of investigators trained on trafficking cases", "35", "300", (
                "Train investigators on financial investigations",
                "Train investigators on digital evidence",
                "Set up a specialised anti-trafficking unit",
            )),
            ("Cross-border cases are investigated jointly", "Number of joint investigations with neighbouring countries", "1", "15", (
                "Sign cooperation agreements with neighbouring countries",
                "Hold joint investigation team meetings",
            )),
        )),
        ("Prosecutors and judges apply the law consistently", (
            ("Prosecutors and judges are trained", "Number of prosecutors and judges trained", "40", "350", (
                "Train prosecutors on the 2018 anti-trafficking law",
                "Train judges on victim-centred trials",
                "Publish a bench book on trafficking cases",
            )),
            ("Victims and witnesses are protected in court", "Share of trials with protection measures", "20%", "90%", (
                "Install video-link equipment in courts",
                "Provide legal aid to victims in court",
            )),
        )),
    )),
    ("Partnership", "4. Coordinate the national response and use data to steer it", (
        ("The response is coordinated and monitored", (
            ("The national anti-trafficking committee meets regularly", "Number of committee meetings held per year", "1", "4", (
                "Hold quarterly meetings of the national committee",
                "Hold annual review meetings with districts",
                "Publish an annual report on the national action plan",
            )),
            ("Data on trafficking cases are collected and shared", "A case database is in use by all agencies", "No", "Yes", (
                "Develop a shared case database",
                "Train data focal points in each agency",
                "Publish annual statistics on trafficking cases",
            )),
        )),
        ("Regional and international cooperation is strengthened", (
            ("Rwanda takes part in regional cooperation", "Number of regional meetings attended", "2", "20", (
                "Take part in East African Community meetings on trafficking",
                "Exchange liaison officers with neighbouring countries",
                "Report to the UN Special Rapporteur on trafficking",
            )),
        )),
    )),
)  # fmt: skip

_LEADS = {
    "Prevention": ("MIGEPROF", "MINIJUST", "DGIE"),
    "Protection": ("MIGEPROF", "IOSC", "RNP"),
    "Prosecution": ("RIB", "NPPA", "MINIJUST"),
    "Partnership": ("MINIJUST", "DGIE", "RIB"),
}
_PARTNER_TEXT = {
    "MINIJUST": ("MINIJUST", "Ministry of Justice"),
    "RIB": ("RIB", "Rwanda Investigation Bureau"),
    "NPPA": ("NPPA", "National Public Prosecution Authority"),
    "RNP": ("RNP", "Rwanda National Police"),
    "DGIE": ("DGIE",),
    "MIGEPROF": ("MIGEPROF", "Ministry of Gender and Family Promotion"),
    "IOSC": ("Isange One Stop Centres", "Isange"),
    "TUZAMURANE": ("Tuzamurane Survivors Network",),
    "UMUCYO": ("Umucyo Legal Aid Forum",),
}
_FUNDERS = ("Government of Rwanda", "Government of Rwanda", "EU (fictional grant)", "UNODC", "Unfunded")
_TIMEFRAMES = (
    "2025-2026",
    "2026",
    "Q1 2026",
    "Year 1-2",
    "2026 Q2 – 2027 Q1",
    "Ongoing",
    "2027-2029",
    "Year 3",
)


def _budget(rng: random.Random) -> str:
    amount = rng.randrange(20, 900) * 100_000
    style = rng.randrange(6)
    if style == 0:
        return "TBD"
    if style == 1:
        return f"{amount:,}"
    if style == 2:
        return f"{amount:,}".replace(",", " ") + " RWF"
    if style == 3:
        return f"RWF {amount:,}"
    return str(amount)


def example_matrix_rows(seed: int = 2025) -> list[list[str]]:
    """The data rows (below :data:`EXAMPLE_HEADER`): every row one activity; the pillar, objective, outcome
    and output are written only on the first row of their group, as merged cells read."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for pillar, objective, outcomes in _PLAN:
        first_of_pillar = True
        for outcome, outputs in outcomes:
            first_of_outcome = True
            for output, indicator, baseline, target, activities in outputs:
                for position, activity in enumerate(activities):
                    lead = rng.choice(_LEADS[pillar])
                    others = [key for key in EXAMPLE_AGENCIES if key != lead]
                    partners = [
                        rng.choice(_PARTNER_TEXT[key]) for key in rng.sample(others, rng.randrange(0, 4))
                    ]
                    separator = rng.choice((", ", "; ", "\n"))
                    if len(partners) == 2 and rng.random() < 0.5:
                        separator = " and "
                    rows.append(
                        [
                            pillar if first_of_pillar else "",
                            objective if first_of_pillar else "",
                            outcome if first_of_outcome else "",
                            output if position == 0 else "",
                            activity,
                            indicator if position == 0 else "",
                            baseline if position == 0 else "",
                            target if position == 0 else "",
                            rng.choice(_TIMEFRAMES),
                            lead,
                            separator.join(partners),
                            _budget(rng),
                            rng.choice(_FUNDERS),
                        ]
                    )
                    first_of_pillar = first_of_outcome = False
    return rows
