"""Demo data for the M&E framework: a FICTIONAL logframe of the demo programme (a goal, two outcomes,
three outputs and two activities) with ten indicators — competence shares whose baselines are drawn from
the demo TNA survey, institutional results figures (victims identified, referrals, investigations,
prosecutions) with invented actuals for 2025 and the first half of 2026, and the people trained, whose
targets come from the adopted capacity plan when there is one. Every figure is invented.

Idempotent: a workspace that already has results keeps them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ctip.core.errors import DomainError
from ctip.web.accounts.models import User, Workspace
from ctip.web.monitoring import services
from ctip.web.monitoring.models import Indicator, ResultNode
from ctip.web.monitoring.services.values import ValueInput

FRONTLINE_TYPES = (
    "Law enforcement",
    "Immigration service",
    "Labour inspection",
    "Social and child protection",
    "Non-governmental organisation",
)
JUSTICE_TYPES = ("Judiciary and prosecution", "Law enforcement")
DEMO_SOURCE_POLICE = "Police anti-trafficking unit, quarterly return (fictional)"
DEMO_SOURCE_NRM = "NRM case register, Ministry of Gender Equality (fictional)"
DEMO_SOURCE_DPP = "Office of the DPP, case management system (fictional)"

# (code, parent code, statement EN, statement FR, pillar)
_RESULTS = (
    (
        "G",
        None,
        "Fewer people are trafficked in and through the country, victims are protected and traffickers are "
        "brought to justice (fictional demo goal).",
        "Moins de personnes sont victimes de traite dans et à travers le pays, les victimes sont protégées et "
        "les trafiquants poursuivis (objectif fictif de démonstration).",
        "",
    ),
    (
        "1",
        "G",
        "Frontline officers identify presumed victims and refer them to assistance.",
        "Les agents de première ligne identifient les victimes présumées et les orientent vers l'assistance.",
        "protection",
    ),
    (
        "2",
        "G",
        "Trafficking cases are investigated and prosecuted under the 2009 Act.",
        "Les affaires de traite font l'objet d'enquêtes et de poursuites en vertu de la loi de 2009.",
        "prosecution",
    ),
    (
        "1.1",
        "1",
        "Frontline officers are trained in identification and referral.",
        "Les agents de première ligne sont formés à l'identification et à l'orientation.",
        "protection",
    ),
    (
        "1.2",
        "1",
        "Standard operating procedures of the national referral mechanism are adopted by the agencies.",
        "Les procédures opérationnelles normalisées du mécanisme national d'orientation sont adoptées.",
        "partnership",
    ),
    (
        "2.1",
        "2",
        "Investigators and prosecutors are trained on the anti-trafficking law.",
        "Les enquêteurs et les procureurs sont formés à la loi contre la traite.",
        "prosecution",
    ),
    (
        "1.1.1",
        "1.1",
        "Deliver the foundational course on identification (training of trainers, then cascade).",
        "Dispenser le cours de base sur l'identification (formation de formateurs puis en cascade).",
        "protection",
    ),
    (
        "1.2.1",
        "1.2",
        "Draft, validate and disseminate the NRM SOPs.",
        "Rédiger, valider et diffuser les POS du mécanisme national d'orientation.",
        "partnership",
    ),
)


def _common(**extra: Any) -> dict[str, Any]:
    return {"frequency": "yearly", "disaggregation": ["sex", "location"], **extra}


# (result code, indicator fields)
_INDICATORS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "1",
        _common(
            code="OC1.1",
            name_en="Percentage of frontline officers rating their competence in screening presumed victims "
            "with a structured tool at 4 or 5 (out of 5)",
            name_fr="Pourcentage d'agents de première ligne qui évaluent leur compétence en dépistage des "
            "victimes présumées avec un outil structuré à 4 ou 5 (sur 5)",
            definition_en="Numerator: frontline respondents rating their own competence in ID01 at 4 or 5. "
            "Denominator: frontline respondents who rated it. Frontline: law enforcement, immigration, labour "
            "inspection, social and child protection, NGOs.",
            unit="percent",
            cumulative_rule="non_cumulative",
            means_of_verification="TNA survey at baseline; follow-up survey in 2027",
            collection_method="Self-assessment survey (KoboToolbox), same questions as the TNA",
            frequency="baseline_endline",
            responsible_agency="National coordination office (fictional)",
            data_source="TNA survey",
            disaggregation=["sex", "institution"],
        ),
    ),
    (
        "1",
        _common(
            code="OC1.2",
            name_en="Number of presumed victims of trafficking identified by the authorities",
            name_fr="Nombre de victimes présumées de la traite identifiées par les autorités",
            unit="number",
            cumulative_rule="cumulative",
            means_of_verification="Quarterly returns of the anti-trafficking unit",
            collection_method="Administrative data",
            frequency="quarterly",
            responsible_agency="Police anti-trafficking unit (fictional)",
            data_source=DEMO_SOURCE_POLICE,
            baseline_value=14,
            baseline_date=dt.date(2024, 12, 31),
        ),
    ),
    (
        "1",
        _common(
            code="OC1.3",
            name_en="Number of presumed victims referred to assistance through the national referral mechanism",
            name_fr="Nombre de victimes présumées orientées vers l'assistance par le mécanisme national",
            unit="number",
            cumulative_rule="cumulative",
            means_of_verification="NRM case register",
            collection_method="Administrative data",
            frequency="quarterly",
            responsible_agency="Ministry of Gender Equality (fictional focal point)",
            data_source=DEMO_SOURCE_NRM,
            baseline_value=9,
            baseline_date=dt.date(2024, 12, 31),
        ),
    ),
    (
        "2",
        _common(
            code="OC2.1",
            name_en="Number of trafficking investigations opened",
            name_fr="Nombre d'enquêtes ouvertes pour traite des personnes",
            unit="number",
            cumulative_rule="non_cumulative",
            means_of_verification="Police case management statistics",
            collection_method="Administrative data",
            frequency="quarterly",
            responsible_agency="Police anti-trafficking unit (fictional)",
            data_source=DEMO_SOURCE_POLICE,
            baseline_value=6,
            baseline_date=dt.date(2024, 12, 31),
            disaggregation=["location"],
        ),
    ),
    (
        "2",
        _common(
            code="OC2.2",
            name_en="Number of prosecutions initiated for trafficking offences",
            name_fr="Nombre de poursuites engagées pour des infractions de traite",
            unit="number",
            cumulative_rule="non_cumulative",
            means_of_verification="Annual report of the Office of the DPP",
            collection_method="Administrative data",
            frequency="yearly",
            responsible_agency="Office of the DPP (fictional focal point)",
            data_source=DEMO_SOURCE_DPP,
            baseline_value=2,
            baseline_date=dt.date(2024, 12, 31),
            disaggregation=[],
        ),
    ),
    (
        "2",
        _common(
            code="OC2.3",
            name_en="Average number of days from the identification of a presumed victim to referral",
            name_fr="Nombre moyen de jours entre l'identification d'une victime présumée et son orientation",
            unit="number",
            direction="decrease",
            cumulative_rule="non_cumulative",
            means_of_verification="NRM case register (dates of identification and referral)",
            collection_method="Administrative data, computed yearly",
            responsible_agency="Ministry of Gender Equality (fictional focal point)",
            data_source=DEMO_SOURCE_NRM,
            baseline_value=21,
            baseline_date=dt.date(2024, 12, 31),
            disaggregation=[],
        ),
    ),
    (
        "1.1",
        _common(
            code="OUT1.1a",
            name_en="Number of frontline officers trained in identification and referral (participations)",
            name_fr="Nombre d'agents de première ligne formés à l'identification et à l'orientation "
            "(participations)",
            unit="number",
            cumulative_rule="cumulative",
            means_of_verification="Attendance sheets of the training sessions",
            collection_method="Training records",
            frequency="quarterly",
            responsible_agency="Police Training School (fictional)",
            data_source="Training attendance records",
            baseline_not_applicable=True,
        ),
    ),
    (
        "1.1",
        _common(
            code="OUT1.1b",
            name_en="Percentage of trained officers who pass the post-training test (score of 70 % or more)",
            name_fr="Pourcentage d'agents formés qui réussissent le test post-formation (70 % ou plus)",
            unit="percent",
            cumulative_rule="non_cumulative",
            means_of_verification="Pre- and post-test results",
            collection_method="Post-training test",
            responsible_agency="Police Training School (fictional)",
            data_source="Training test records",
            baseline_not_applicable=True,
            lop_target=80,
        ),
    ),
    (
        "1.2",
        _common(
            code="OUT1.2a",
            name_en="Number of agencies that formally adopted the NRM standard operating procedures",
            name_fr="Nombre d'organismes ayant adopté formellement les POS du mécanisme national",
            unit="number",
            cumulative_rule="cumulative_non_summing",
            means_of_verification="Signed adoption notes",
            collection_method="Document review",
            responsible_agency="National coordination office (fictional)",
            data_source="NRM secretariat files",
            baseline_value=0,
            baseline_date=dt.date(2024, 12, 31),
            disaggregation=["institution"],
        ),
    ),
    (
        "2.1",
        _common(
            code="OUT2.1a",
            name_en="Percentage of investigators and prosecutors rating their knowledge of the national "
            "anti-trafficking law at 4 or 5 (out of 5)",
            name_fr="Pourcentage d'enquêteurs et de procureurs qui évaluent leur connaissance de la loi "
            "nationale contre la traite à 4 ou 5 (sur 5)",
            unit="percent",
            cumulative_rule="non_cumulative",
            means_of_verification="TNA survey at baseline; follow-up survey in 2027",
            collection_method="Self-assessment survey",
            frequency="baseline_endline",
            responsible_agency="Office of the DPP (fictional focal point)",
            data_source="TNA survey",
            disaggregation=["sex", "institution"],
        ),
    ),
)

# (indicator, kind, period, sex, location, value, source)
_VALUES: tuple[tuple[str, str, str, str, str, float, str], ...] = (
    ("OC1.1", "target", "2027", "", "", 60, ""),
    ("OUT2.1a", "target", "2027", "", "", 65, ""),
    ("OC1.2", "target", "2025", "", "", 20, ""),
    ("OC1.2", "target", "2026", "", "", 25, ""),
    ("OC1.2", "target", "2027", "", "", 30, ""),
    ("OC1.2", "actual", "2025", "female", "", 13, DEMO_SOURCE_POLICE),
    ("OC1.2", "actual", "2025", "male", "", 6, DEMO_SOURCE_POLICE),
    ("OC1.2", "actual", "2026-Q1", "", "", 5, DEMO_SOURCE_POLICE),
    ("OC1.2", "actual", "2026-Q2", "", "", 4, DEMO_SOURCE_POLICE),
    ("OC1.3", "target", "2025", "", "", 15, ""),
    ("OC1.3", "target", "2026", "", "", 20, ""),
    ("OC1.3", "target", "2027", "", "", 25, ""),
    ("OC1.3", "actual", "2025", "", "", 11, DEMO_SOURCE_NRM),
    ("OC1.3", "actual", "2026-Q1", "", "", 5, DEMO_SOURCE_NRM),
    ("OC1.3", "actual", "2026-Q2", "", "", 5, DEMO_SOURCE_NRM),
    ("OC2.1", "target", "2025", "", "", 8, ""),
    ("OC2.1", "target", "2026", "", "", 10, ""),
    ("OC2.1", "target", "2027", "", "", 12, ""),
    ("OC2.1", "actual", "2025", "", "Port Louis", 6, DEMO_SOURCE_POLICE),
    ("OC2.1", "actual", "2025", "", "Rodrigues", 1, DEMO_SOURCE_POLICE),
    ("OC2.1", "actual", "2026-Q1", "", "", 3, DEMO_SOURCE_POLICE),
    ("OC2.1", "actual", "2026-Q2", "", "", 2, DEMO_SOURCE_POLICE),
    ("OC2.2", "target", "2025", "", "", 3, ""),
    ("OC2.2", "target", "2026", "", "", 4, ""),
    ("OC2.2", "target", "2027", "", "", 5, ""),
    ("OC2.2", "actual", "2025", "", "", 3, DEMO_SOURCE_DPP),
    ("OC2.3", "target", "2025", "", "", 18, ""),
    ("OC2.3", "target", "2026", "", "", 14, ""),
    ("OC2.3", "target", "2027", "", "", 10, ""),
    ("OC2.3", "actual", "2025", "", "", 19, DEMO_SOURCE_NRM),
    ("OUT1.1b", "target", "2025", "", "", 70, ""),
    ("OUT1.1b", "target", "2026", "", "", 75, ""),
    ("OUT1.1b", "target", "2027", "", "", 80, ""),
    ("OUT1.1b", "actual", "2025", "", "", 72, "Training test records (fictional)"),
    ("OUT1.2a", "target", "2025", "", "", 2, ""),
    ("OUT1.2a", "target", "2026", "", "", 5, ""),
    ("OUT1.2a", "target", "2027", "", "", 8, ""),
    ("OUT1.2a", "actual", "2025", "", "", 1, "NRM secretariat files (fictional)"),
    ("OUT1.2a", "actual", "2026-Q2", "", "", 3, "NRM secretariat files (fictional)"),
)
_PEOPLE_TRAINED_FALLBACK: tuple[tuple[str, str, float], ...] = (
    ("2025", "female", 60),
    ("2025", "male", 90),
    ("2026", "female", 80),
    ("2026", "male", 110),
    ("2027", "female", 70),
    ("2027", "male", 90),
)


def _tna_baselines(workspace: Workspace, acting_user: User | None) -> None:
    from ctip.web.needs.data import default_instrument

    instrument = default_instrument(workspace)
    if instrument is None:
        return
    date = instrument.created_at.date()
    for code, competency, types in (("OC1.1", "ID01", FRONTLINE_TYPES), ("OUT2.1a", "FD06", JUSTICE_TYPES)):
        indicator = Indicator.objects.get(workspace=workspace, code=code)
        try:
            services.indicator_baseline_from_tna(
                indicator=indicator,
                instrument=instrument,
                competency=competency,
                threshold=4,
                filters={"organisation_type": set(types)},
                baseline_date=date,
                acting_user=acting_user,
            )
        except DomainError:
            continue  # a survey without that competency or group: the baseline stays to be set


def _people_trained(workspace: Workspace, acting_user: User | None) -> None:
    indicator = Indicator.objects.get(workspace=workspace, code="OUT1.1a")
    try:
        services.indicator_targets_from_plan(indicator=indicator, acting_user=acting_user)
    except DomainError:
        for period, sex, value in _PEOPLE_TRAINED_FALLBACK:
            services.indicator_value_set(
                indicator=indicator,
                item=ValueInput("target", period, sex, "", value, "Draft plan (fictional)"),
                acting_user=acting_user,
            )
    for period, sex, location, value in (
        ("2025", "female", "Port Louis", 38),
        ("2025", "male", "Port Louis", 51),
        ("2025", "female", "Rodrigues", 7),
        ("2025", "male", "Rodrigues", 9),
    ):
        services.indicator_value_set(
            indicator=indicator,
            item=ValueInput("actual", period, sex, location, value, "Attendance sheets (fictional)"),
            acting_user=acting_user,
        )


def seed_monitoring(workspace: Workspace, acting_user: User | None = None) -> None:
    """Seed the demo framework (see the module's docstring). Call it after the TNA and the plan demos."""
    if ResultNode.objects.filter(workspace=workspace).exists():
        return
    nodes: dict[str, ResultNode] = {}
    for code, parent, statement_en, statement_fr, pillar in _RESULTS:
        nodes[code] = services.result_node_create(
            workspace=workspace,
            parent=nodes[parent] if parent else None,
            code=code,
            statement_en=statement_en,
            statement_fr=statement_fr,
            pillar=pillar,
            acting_user=acting_user,
        )
    for node_code, fields in _INDICATORS:
        services.indicator_create(
            workspace=workspace, node=nodes[node_code], acting_user=acting_user, **fields
        )
    indicators = {row.code: row for row in Indicator.objects.filter(workspace=workspace)}
    for code, kind, period, sex, location, value, source in _VALUES:
        services.indicator_value_set(
            indicator=indicators[code],
            item=ValueInput(kind, period, sex, location, value, source),
            acting_user=acting_user,
        )
    _tna_baselines(workspace, acting_user)
    _people_trained(workspace, acting_user)
