"""Demo content for the legal desk review and the literature library.

The library entries describe REAL PUBLIC documents (title, publisher, year, address where we are sure of
it); only metadata is stored, no text is copied, and every summary and key finding is written in our own
words. Details we were not sure of (an exact year, an official title) are left out. Every entry and
finding is tagged "demo".

The checklist assessments of the instruments are FICTIONAL: plausible statuses chosen to illustrate the
screens, not a legal opinion on the law of Mauritius. Each says so in its note.

``demo_desk_review`` is idempotent: it adds what is missing (matched by title) and leaves the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from ctip.web.accounts.models import User, Workspace
from ctip.web.desk_review import services
from ctip.web.desk_review.models import LegalInstrument, Reference

DEMO_TAG = "demo"
DEMO_NOTE = "Demo assessment — fictional, for illustration."


@dataclass(frozen=True)
class DemoFinding:
    statement: str
    location: str = ""


@dataclass(frozen=True)
class DemoReference:
    key: str
    title: str
    authors: str
    year: int | None
    kind: str
    summary: str
    tags: tuple[str, ...]
    findings: tuple[DemoFinding, ...]
    url: str = ""


DEMO_REFERENCES: tuple[DemoReference, ...] = (
    DemoReference(
        key="protocol",
        title=(
            "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, "
            "supplementing the United Nations Convention against Transnational Organized Crime"
        ),
        authors="United Nations General Assembly",
        year=2000,
        kind="law",
        summary=(
            "The treaty that gave the world a shared definition of trafficking in persons and commits its "
            "parties to make it a crime, to protect and assist the people trafficked, and to prevent it "
            "together. It is the benchmark of the legal desk review checklist."
        ),
        tags=("international standard", "definition", "Palermo Protocol"),
        findings=(
            DemoFinding(
                "Trafficking has three elements: an act (such as recruiting or harbouring), a means (such as "
                "force or deception) and a purpose of exploitation; for a child the means need not be shown.",
                "Art. 3",
            ),
            DemoFinding(
                "States are asked to protect victims' privacy, consider assistance for their recovery, and "
                "provide for residence and for their return home.",
                "Arts. 6–8",
            ),
            DemoFinding(
                "Prevention is to include research, information campaigns and measures that reduce "
                "people's vulnerability and discourage demand.",
                "Art. 9",
            ),
        ),
    ),
    DemoReference(
        key="ctip_act",
        title="Combating of Trafficking in Persons Act 2009 (Act No. 2 of 2009)",
        authors="Republic of Mauritius",
        year=2009,
        kind="law",
        summary=(
            "The national anti-trafficking law of Mauritius. It creates the offence of trafficking in persons "
            "and its penalties, and provides for centres for victims, suspension of deportation, temporary "
            "residence, repatriation and compensation. It has since been amended."
        ),
        tags=("Mauritius", "national law"),
        findings=(
            DemoFinding(
                "Exploitation is defined to cover slavery and similar practices (forced marriage included), "
                "sexual exploitation, forced labour and the illegal removal of organs.",
                "s. 2",
            ),
            DemoFinding(
                "The offence of trafficking is in section 11 and its penalties in section 14.", "ss. 11, 14"
            ),
            DemoFinding(
                "Victims may be placed in centres, protected from deportation, allowed to stay temporarily "
                "and helped to return home.",
                "ss. 4–9",
            ),
            DemoFinding("A convicted trafficker can be ordered to compensate the victim.", "ss. 16–18"),
        ),
    ),
    DemoReference(
        key="tip_report",
        title="2024 Trafficking in Persons Report: Mauritius",
        authors="U.S. Department of State",
        year=2024,
        kind="report",
        url="https://www.state.gov/reports/2024-trafficking-in-persons-report/mauritius/",
        summary=(
            "The yearly US assessment of the Government of Mauritius's work on prosecution, protection and "
            "prevention, with prioritised recommendations. In this edition Mauritius moved up to Tier 2."
        ),
        tags=("Mauritius", "TIP Report", "assessment"),
        findings=(
            DemoFinding(
                "Mauritius moved up to Tier 2: more investigations, many more victims identified (forced labour "
                "victims for the first time in four years) and funds approved for the action plan."
            ),
            DemoFinding(
                "The anti-trafficking law was amended to create a specialised police unit and to protect "
                "victims from punishment for offences committed as a result of being trafficked."
            ),
            DemoFinding(
                "No one was prosecuted under the anti-trafficking law or convicted in the period; suspected "
                "trafficking was often charged as other offences with lighter penalties."
            ),
            DemoFinding("Protection services for adult victims remained limited."),
        ),
    ),
    DemoReference(
        key="glotip",
        title="Global Report on Trafficking in Persons 2022",
        authors="United Nations Office on Drugs and Crime (UNODC)",
        year=2023,
        kind="research",
        summary=(
            "The seventh edition of UNODC's global report, built on data from 141 countries and on court "
            "cases. It looks at who is trafficked, by whom and for what, and at the effects of the pandemic, "
            "conflict and climate change."
        ),
        tags=("global", "data", "UNODC"),
        findings=(
            DemoFinding(
                "Detected victims fell worldwide in 2020 (about 11 %), for the first time since UNODC began "
                "collecting data, mostly in lower-income countries — possibly a sign of weaker detection rather "
                "than less trafficking."
            ),
            DemoFinding(
                "Convictions for trafficking fell by about 27 % in 2020, continuing a decline since 2017."
            ),
            DemoFinding(
                "About one detected victim in ten in 2020 was trafficked for forced criminal activity."
            ),
        ),
    ),
    DemoReference(
        key="iom_handbook",
        title="The IOM Handbook on Direct Assistance for Victims of Trafficking",
        authors="International Organization for Migration (IOM)",
        year=2007,
        kind="training_material",
        summary=(
            "Practical guidance drawn from IOM's counter-trafficking work on helping victims from the first "
            "contact to reintegration: safety, screening, referral, shelters, health and cooperation with "
            "law enforcement."
        ),
        tags=("assistance", "IOM", "shelter"),
        findings=(
            DemoFinding("Assistance starts with the safety of the person assisted and of the staff."),
            DemoFinding(
                "A screening interview helps decide whether someone is a victim of trafficking and what help "
                "they need."
            ),
            DemoFinding("Shelters should meet minimum standards of care that respect human rights."),
            DemoFinding("For children the handbook is brief and refers readers to UNICEF's guidelines."),
        ),
    ),
    DemoReference(
        key="ohchr",
        title="Recommended Principles and Guidelines on Human Rights and Human Trafficking",
        authors="Office of the United Nations High Commissioner for Human Rights (OHCHR)",
        year=2002,
        kind="policy",
        summary=(
            "Guidance from the UN human rights office that puts the rights of trafficked people at the centre "
            "of every anti-trafficking measure; widely used as a benchmark beyond the Protocol."
        ),
        tags=("human rights", "non-punishment", "international standard"),
        findings=(
            DemoFinding(
                "Trafficked people should not be detained, charged or prosecuted for irregular entry or stay, "
                "or for what they did as a direct result of being trafficked.",
                "Principle 7",
            ),
            DemoFinding(
                "Protection and care should not depend on whether the person can or will cooperate with "
                "legal proceedings.",
                "Principle 8",
            ),
        ),
    ),
    DemoReference(
        key="coe",
        title="Council of Europe Convention on Action against Trafficking in Human Beings (CETS No. 197)",
        authors="Council of Europe",
        year=2005,
        kind="law",
        summary=(
            "A regional treaty, open to States outside Europe too, that builds on the Protocol with firmer "
            "obligations to identify and assist victims, and an independent monitoring body (GRETA)."
        ),
        tags=("international standard", "reflection period", "non-punishment"),
        findings=(
            DemoFinding(
                "Presumed victims get a recovery and reflection period of at least 30 days.", "Art. 13"
            ),
            DemoFinding(
                "Parties provide for the possibility of not penalising victims for unlawful acts they were "
                "compelled to commit.",
                "Art. 26",
            ),
            DemoFinding(
                "Minimum assistance includes safe accommodation, psychological and material help, emergency "
                "medical care, translation and information on rights.",
                "Art. 12",
            ),
        ),
    ),
    DemoReference(
        key="model_law",
        title="Model Law against Trafficking in Persons",
        authors="United Nations Office on Drugs and Crime (UNODC)",
        year=2009,
        kind="policy",
        summary=(
            "A drafting tool for legislators implementing the Protocol: model provisions on offences, victim "
            "assistance and protection, immigration and return, prevention and cooperation, each with "
            "commentary and options. UNODC later issued revised model legislative provisions."
        ),
        tags=("legislative drafting", "UNODC"),
        findings=(
            DemoFinding(
                "The commentary says which provisions the Protocol makes mandatory and which it only "
                "recommends, with alternatives and examples from national laws."
            ),
            DemoFinding("Levels of punishment are left to each State, within the gravity of the offence."),
        ),
    ),
    DemoReference(
        key="icat_non_punishment",
        title="Non-punishment of victims of trafficking (ICAT Issue Brief 8)",
        authors="Inter-Agency Coordination Group against Trafficking in Persons (ICAT)",
        year=None,
        kind="policy",
        summary=(
            "A short policy brief from the UN inter-agency group on what the non-punishment principle means and "
            "what States should consider to apply it."
        ),
        tags=("non-punishment", "ICAT"),
        findings=(
            DemoFinding(
                "Victims are sometimes made to commit offences, and traffickers then use this to keep them "
                "under control."
            ),
            DemoFinding("The principle needs concrete measures in law and practice to work."),
        ),
    ),
    DemoReference(
        key="icat_gender",
        title="The Gender Dimensions of Human Trafficking (ICAT Issue Brief 4)",
        authors="Inter-Agency Coordination Group against Trafficking in Persons (ICAT)",
        year=2017,
        kind="policy",
        summary=(
            "Why trafficking weighs more heavily on women and girls, what is particular about male victims, "
            "and how to bring a gender perspective into prevention and response."
        ),
        tags=("gender", "ICAT"),
        findings=(
            DemoFinding("Gender inequality is among the root causes that make women and girls more at risk."),
            DemoFinding(
                "Men and boys are victims too, with needs of their own that services should plan for."
            ),
            DemoFinding("Prevention and response both need a gendered approach."),
        ),
    ),
    DemoReference(
        key="nap",
        title="National Action Plan on Trafficking in Persons 2022–2026 (Mauritius)",
        authors="Government of Mauritius",
        year=None,
        kind="policy",
        summary=(
            "The national action plan against trafficking for 2022–2026, prepared with IOM. The US TIP Reports "
            "of 2023 and 2024 mention its adoption and the funds approved for it."
        ),
        tags=("Mauritius", "NAP"),
        findings=(
            DemoFinding("The plan was prepared with support from IOM."),
            DemoFinding("Funds for implementing the plan were approved (2024 TIP Report)."),
        ),
    ),
)

ACT_TITLE = "Combating of Trafficking in Persons Act 2009"
AMENDMENT_TITLE = "Combating of Trafficking in Persons (Amendment) — 2023 Bill"

# (status, provision, library entries cited) per item — FICTIONAL assessments for the demo.
ACT_ASSESSMENTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "P01": ("met", "s. 11", ("ctip_act",)),
    "P02": ("partly_met", "s. 11", ("ctip_act", "protocol")),
    "P03": ("met", "s. 2 (exploitation)", ("ctip_act",)),
    "P04": ("partly_met", "s. 11", ("ctip_act",)),
    "P05": ("met", "s. 11", ("ctip_act",)),
    "P06": ("met", "s. 11", ("ctip_act",)),
    "P07": ("partly_met", "s. 11; Criminal Code", ("ctip_act",)),
    "P08": ("partly_met", "s. 14", ("ctip_act", "tip_report")),
    "P09": ("not_met", "", ("ohchr", "coe", "icat_non_punishment")),
    "P10": ("partly_met", "s. 4 (centres for victims)", ("ctip_act", "iom_handbook")),
    "P11": ("partly_met", "", ("ctip_act",)),
    "P12": ("met", "ss. 16–18", ("ctip_act",)),
    "P13": ("partly_met", "ss. 6–7", ("ctip_act", "coe")),
    "P14": ("met", "ss. 8–9", ("ctip_act",)),
    "P15": ("not_met", "", ("protocol",)),
    "P16": ("not_met", "", ()),
    "P17": ("not_met", "", ()),
    "P18": ("partly_met", "ss. 10, 12", ("ctip_act",)),
    "P19": ("partly_met", "s. 15", ("ctip_act",)),
    "P20": ("not_met", "", ("nap",)),
}
AMENDMENT_ASSESSMENTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "P09": ("met", "", ("tip_report", "ohchr")),
    "P20": ("partly_met", "", ("tip_report", "nap")),
}


def _library(workspace: Workspace, acting_user: User | None) -> dict[str, Reference]:
    existing = {r.title: r for r in Reference.objects.filter(workspace=workspace).defer("file_content")}
    entries: dict[str, Reference] = {}
    for demo in DEMO_REFERENCES:
        reference = existing.get(demo.title)
        if reference is None:
            reference = services.reference_create(
                workspace=workspace,
                title=demo.title,
                authors=demo.authors,
                year=demo.year,
                kind=demo.kind,
                url=demo.url,
                summary=demo.summary,
                tags=[DEMO_TAG, *demo.tags],
                acting_user=acting_user,
            )
            for finding in demo.findings:
                services.key_finding_create(
                    workspace=workspace,
                    reference=reference,
                    statement=finding.statement,
                    location=finding.location,
                    tags=[DEMO_TAG],
                    acting_user=acting_user,
                )
        entries[demo.key] = reference
    return entries


def _instrument(
    workspace: Workspace,
    acting_user: User | None,
    *,
    title: str,
    short_name: str,
    year: int,
    kind: str,
    notes: str,
    reference: Reference | None,
    assessments: dict[str, tuple[str, str, tuple[str, ...]]],
    library: dict[str, Reference],
) -> None:
    if LegalInstrument.objects.filter(workspace=workspace, title=title).exists():
        return
    instrument = services.instrument_create(
        workspace=workspace,
        title=title,
        short_name=short_name,
        year=year,
        kind=kind,
        notes=notes,
        reference=reference,
        acting_user=acting_user,
    )
    for row in instrument.assessments.select_related("instrument"):
        if row.item_code not in assessments:
            continue
        status, provision, cited = assessments[row.item_code]
        services.assessment_update(
            workspace=workspace,
            assessment=row,
            status=status,
            provision=provision,
            evidence=f"Demo: compare {provision} with the checklist requirement." if provision else "",
            note=DEMO_NOTE,
            reference_uuids=[library[key].uuid for key in cited],
            expected_version=row.version,
            acting_user=acting_user,
        )


def demo_desk_review(*, workspace: Workspace, acting_user: User | None) -> None:
    """Fill the workspace's library with real public sources (metadata and our own summaries) and add the
    2009 Act and its 2023 amendment with FICTIONAL checklist assessments. Safe to run again."""
    library = _library(workspace, acting_user)
    _instrument(
        workspace,
        acting_user,
        title=ACT_TITLE,
        short_name="CTIP Act 2009",
        year=2009,
        kind="act",
        notes="Act No. 2 of 2009. " + DEMO_NOTE,
        reference=library["ctip_act"],
        assessments=ACT_ASSESSMENTS,
        library=library,
    )
    _instrument(
        workspace,
        acting_user,
        title=AMENDMENT_TITLE,
        short_name="2023 amendment",
        year=2023,
        kind="amendment",
        notes=(
            "Title simplified for the demo; check the Government Gazette for the amending Act's exact name. "
            "Items it does not touch are left “not assessed”. " + DEMO_NOTE
        ),
        reference=None,
        assessments=AMENDMENT_ASSESSMENTS,
        library=library,
    )
