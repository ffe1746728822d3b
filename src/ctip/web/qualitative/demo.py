"""Demo data for the qualitative app: a codebook of eleven themes linked to competencies of the default TNA
framework, twelve key-informant interviews and four focus-group discussions with coded excerpts, and a
small bank of anonymised quotes.

Everything here is FICTIONAL: the notes and quotes were written for the demo and no real person said
them; the participant counts are invented. The agencies are real public bodies, linked from the
stakeholder registry by acronym when they are in it. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ctip.core.errors import DomainError
from ctip.web.accounts.models import User, Workspace
from ctip.web.qualitative import services
from ctip.web.qualitative.models import QualitativeRecord, Theme
from ctip.web.stakeholders.models import Organisation

# (code, name, description, pillar, competency codes, parent code)
THEMES: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = (
    (
        "T01",
        "Lack of SOPs for identification",
        "No written procedure or checklist for spotting a presumed victim; practice depends on the officer.",
        "protection",
        ("ID01", "FD02", "ID03"),
        "",
    ),
    (
        "T02",
        "Unclear referral pathway",
        "Who refers a presumed victim to whom, how, and with what confirmation is not known or not agreed.",
        "protection",
        ("RF01", "FD07", "CP01"),
        "",
    ),
    (
        "T02.1",
        "No feedback after referral",
        "The service that referred a victim never learns what happened next.",
        "protection",
        ("RF02",),
        "T02",
    ),
    (
        "T03",
        "No interpreters",
        "Interviews held through co-workers, employers or airline staff, or with no interpreter at all.",
        "protection",
        ("IV03", "IV01"),
        "",
    ),
    (
        "T04",
        "Victims treated as offenders",
        "Presumed victims charged, fined or detained for offences that result from their exploitation.",
        "prosecution",
        ("AJ02", "FD04", "PR01"),
        "",
    ),
    (
        "T05",
        "Labour inspectors lack access to worksites",
        "Inspections by appointment, no access to dormitories, passports and debts hidden from inspectors.",
        "prevention",
        ("LI01", "LI02", "LI03"),
        "",
    ),
    (
        "T06",
        "Shelter capacity",
        "Too few places for women, children and men; victims kept in unsuitable places while one is found.",
        "protection",
        ("AS01", "AS02", "AS03"),
        "",
    ),
    (
        "T07",
        "Data not shared",
        "Each agency keeps its own case list; figures differ and files are not shared.",
        "partnership",
        ("DA01", "DA02", "CP01"),
        "",
    ),
    (
        "T08",
        "Training not practical",
        "Past trainings were lectures on the law, one-off, without case work or follow-up.",
        "partnership",
        ("TT01", "TT02", "PR02"),
        "",
    ),
    (
        "T09",
        "Staff turnover",
        "Trained staff move on and their knowledge leaves with them.",
        "partnership",
        ("TT01", "CP02"),
        "",
    ),
    (
        "T10",
        "Rodrigues isolation",
        "Services, trainings and data on Rodrigues island are cut off from those on the main island.",
        "partnership",
        ("RF01", "ID02", "CP01"),
        "",
    ),
)


@dataclass(frozen=True)
class _Paragraph:
    """A paragraph of the notes and what is coded from it: (theme code, excerpt, is a quote); an empty
    excerpt codes the whole paragraph."""

    text: str
    codes: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True)
class _Record:
    kind: str
    title: str
    day: int  # days after the start of fieldwork
    location: str
    organisations: tuple[str, ...]  # acronyms or keys in the registry
    participants: tuple[int, int, int]  # women, men, other or not stated
    paragraphs: tuple[_Paragraph, ...]


_INTERVIEWER = "Lead consultant (fictional)"
_FGD_FACILITATOR = "National consultant (fictional)"
_FICTIONAL = "(Fictional notes written for the demo; no real person said any of this.)"

# fmt: off
RECORDS: tuple[_Record, ...] = (
    _Record("interview", "Interview: anti-trafficking police investigators", 0, "Port Louis", ("ATU", "MPF"), (1, 2, 0), (
        _Paragraph("The investigators described identification as depending on the individual officer. There is no written procedure at station level, so a case may be treated as illegal work or prostitution before anyone thinks of trafficking.", (("T01", "", False),)),
        _Paragraph("One investigator summed it up: “Each station does it its own way. If the officer on duty has not been trained, the victim is just another irregular worker.”", (("T01", "Each station does it its own way. If the officer on duty has not been trained, the victim is just another irregular worker.", True),)),
        _Paragraph("Adult victims are referred by phone to whoever the investigator knows at the ministry; there is no form and no confirmation that the person was received.", (("T02", "", False),)),
        _Paragraph("The investigators have never been told what happened to a victim after referral.", (("T02.1", "", False),)),
        _Paragraph("Interpreting for migrant workers is done by a co-worker or by the employer's supervisor, which the investigators acknowledged is a problem.", (("T03", "", False),)),
    )),
    _Record("interview", "Interview: senior prosecutors", 2, "Port Louis", ("ODPP",), (2, 1, 0), (
        _Paragraph("Files often arrive charged as labour or immigration offences and are reclassified late, if at all.", (("T04", "", False),)),
        _Paragraph("A prosecutor said: “By the time the file reaches us, the victim has already been fined for working without a permit.”", (("T04", "By the time the file reaches us, the victim has already been fined for working without a permit.", True),)),
        _Paragraph("Victim-witnesses often leave the country before the trial and nobody keeps in contact with them."),
        _Paragraph("Training received so far was a lecture on the Act. The prosecutors asked for exercises on real case files: “We do not need another reading of the law. We need to work through a file, from the first statement to the judgment.”", (("T08", "We do not need another reading of the law. We need to work through a file, from the first statement to the judgment.", False),)),
    )),
    _Record("interview", "Interview: labour inspectors", 3, "Port Louis", ("SMWU", "MOL"), (1, 2, 0), (
        _Paragraph("Inspectors need advance notice and the employer's agreement to enter dormitories, which gives time to hide problems.", (("T05", "", False),)),
        _Paragraph("An inspector said: “When we arrive, the passports are back with the workers and everyone says they are happy.”", (("T05", "When we arrive, the passports are back with the workers and everyone says they are happy.", True),)),
        _Paragraph("Inspectors do not know to whom a suspected forced-labour case should go: the police unit, the ministry, or both.", (("T02", "", False),)),
        _Paragraph("Half of the inspection team joined in the last two years; the inspectors who were trained have moved to other units.", (("T09", "", False),)),
    )),
    _Record("interview", "Interview: immigration officers at the airport", 7, "Plaine Magnon", ("PIO",), (2, 2, 0), (
        _Paragraph("Officers screen arrivals on instinct; there is no checklist of indicators at the border.", (("T01", "", False),)),
        _Paragraph("When a passenger speaks only Hindi or Malagasy, officers rely on airline staff to translate. One officer noted: “Sometimes the person who translates for the passenger is the same person who paid for the ticket.”", (("T03", "", False),)),
        _Paragraph("Officers rotate every eighteen months, so trained officers rarely stay at the airport.", (("T09", "", False),)),
    )),
    _Record("interview", "Interview: child development officers", 8, "Port Louis", ("CDU", "MGEFW"), (3, 0, 0), (
        _Paragraph("Officers described girls from Rodrigues placed in informal work on the main island; contact with their families is by phone only.", (("T10", "", False),)),
        _Paragraph("The emergency shelters for children are often full, and children are sometimes kept in hospital wards while a place is found. An officer said: “A child should not wait three nights in a hospital corridor because the shelter has no bed.”", (("T06", "", False), ("T06", "A child should not wait three nights in a hospital corridor because the shelter has no bed.", True))),
        _Paragraph("Case files are kept on paper and are not shared with the police unit.", (("T07", "", False),)),
    )),
    _Record("interview", "Interview: shelter managers", 9, "Curepipe", ("SHWCS", "NGO-SHELTER"), (2, 0, 0), (
        _Paragraph("The shelter has eight beds for women and children and regularly turns people away.", (("T06", "", False),)),
        _Paragraph("Night shifts are not covered by the project grant; two counsellors left this year.", (("T09", "", False),)),
        _Paragraph("Police sometimes bring a woman at night without papers and without informing the ministry. A manager said: “We are told to accept a woman at midnight, and no one calls the next morning to ask how she is.”", (("T02", "", False), ("T02.1", "We are told to accept a woman at midnight, and no one calls the next morning to ask how she is.", True))),
    )),
    _Record("interview", "Interview: migrant workers' support centre", 10, "Port Louis", ("MWSC", "NGO-MIGRANT"), (1, 1, 0), (
        _Paragraph("The helpline receives complaints about passports kept by employers and recruitment debts of several months' wages.", (("T05", "", False),)),
        _Paragraph("Workers who complain are sometimes arrested for overstaying once the employer has cancelled their permit: “The worker comes to complain about unpaid wages and leaves in a police van because his permit was cancelled.”", (("T04", "", False), ("T04", "The worker comes to complain about unpaid wages and leaves in a police van because his permit was cancelled.", True))),
        _Paragraph("Hearings at the ministry are held without an interpreter.", (("T03", "", False),)),
    )),
    _Record("interview", "Interview: regional assembly officers in Rodrigues", 14, "Port Mathurin, Rodrigues", ("RRA",), (1, 2, 0), (
        _Paragraph("Trainings are held on the main island and usually only one person from the island can travel: “By the time the one person who travelled comes back, the notes stay in a drawer and nothing changes on the island.”", (("T10", "By the time the one person who travelled comes back, the notes stay in a drawer and nothing changes on the island.", True),)),
        _Paragraph("There is no agreed procedure to move a child victim from the island to a specialised service on the main island.", (("T02", "", False), ("T10", "", False))),
        _Paragraph("Cases handled on the island do not appear in the national figures.", (("T07", "", False),)),
    )),
    _Record("interview", "Interview: international organisation project staff", 16, "Port Louis", ("IOM",), (2, 0, 0), (
        _Paragraph("Each agency keeps its own case list and the figures do not match at coordination meetings: “Every agency comes to the committee with a different number of victims for the same year.”", (("T07", "Every agency comes to the committee with a different number of victims for the same year.", True),)),
        _Paragraph("Earlier trainings were one-off workshops, with no follow-up to see whether practice changed.", (("T08", "", False),)),
    )),
    _Record("interview", "Interview: hospital emergency staff", 17, "Rose Hill", ("MOH",), (2, 1, 0), (
        _Paragraph("Emergency staff see possible victims but do not know the indicators or whom to call.", (("T01", "", False),)),
        _Paragraph("There is no designated contact at the police unit for hospitals.", (("T02", "", False),)),
        _Paragraph("A nurse recalled a recent case: “I saw the signs, I think, but I did not know if it was my place to report it, or to whom.”", (("T01", "I saw the signs, I think, but I did not know if it was my place to report it, or to whom.", True),)),
    )),
    _Record("interview", "Interview: prison welfare officers", 21, "Beau Bassin", ("MPS",), (1, 1, 0), (
        _Paragraph("The welfare officers believe some detained foreign women were trafficked, but screening on admission does not ask about it.", (("T04", "", False),)),
        _Paragraph("They have had no training on trafficking at all.", (("T08", "", False),)),
    )),
    _Record("interview", "Interview: employers' federation", 22, "Ebène", ("NEF", "EMP-FED"), (1, 1, 0), (
        _Paragraph("Members rely on recruitment agencies abroad and do not check the fees workers paid before arriving.", (("T05", "", False),)),
        _Paragraph("Member companies would welcome practical guidance rather than more awareness sessions.", (("T08", "", False),)),
    )),
    _Record("focus_group", "Focus group: frontline police officers", 5, "Port Louis", ("MPF", "BPM"), (3, 5, 0), (
        _Paragraph("Participants agreed that they learn about trafficking mostly from the news; the police training school has one session on it. One said: “We had one hour at the training school, years ago. Since then, nothing.”", (("T08", "", False),)),
        _Paragraph("Several participants said that a foreign woman found during a raid is charged first and asked questions later.", (("T04", "", False),)),
        _Paragraph("Participants did not know how to reach the shelter or the child protection hotline outside office hours.", (("T02", "", False),)),
        _Paragraph("Officers move in and out of specialised units every two or three years.", (("T09", "", False),)),
    )),
    _Record("focus_group", "Focus group: social workers and NGO case workers", 12, "Rose Hill", ("CDU", "CPAN", "SHWCS", "MWSC"), (7, 1, 1), (
        _Paragraph("Participants described referral as personal: it works when you know someone. “The referral system is my phone book. When the person I know is on leave, there is no system.”", (("T02", "", False), ("T02", "The referral system is my phone book. When the person I know is on leave, there is no system.", True))),
        _Paragraph("There is no shared case management tool, so the same child may be interviewed by four services.", (("T07", "", False),)),
        _Paragraph("Interpreters for sign language and for Malagasy are not available.", (("T03", "", False),)),
    )),
    _Record("focus_group", "Focus group: service providers in Rodrigues", 15, "Port Mathurin, Rodrigues", ("RRA", "RYFA", "MPF-ROD"), (5, 3, 0), (
        _Paragraph("There is no shelter for adults on the island; victims must be flown to the main island.", (("T06", "", False), ("T10", "", False))),
        _Paragraph("Young people leave for work on the main island through informal contacts and their families lose track of them. A participant said: “When a girl leaves for the main island we hear from her at first, and then the phone is switched off.”", (("T10", "When a girl leaves for the main island we hear from her at first, and then the phone is switched off.", True),)),
        _Paragraph("Posts on the island are hard to fill and staff do not stay long.", (("T09", "", False),)),
    )),
    _Record("focus_group", "Focus group: labour inspectors and employers", 23, "Port Louis", ("MOL", "SMWU", "NEF", "TAMA"), (2, 6, 0), (
        _Paragraph("Participants disagreed on whether inspectors may enter dormitories without notice. An inspector said: “We inspect dormitories by appointment. That tells you everything.”", (("T05", "", False),)),
        _Paragraph("Employers said they would share workers' contracts with inspectors if asked through a single channel.", (("T07", "", False),)),
        _Paragraph("Inspectors said the last training was a presentation without any practical case.", (("T08", "", False),)),
    )),
)
# fmt: on


def _organisation(workspace: Workspace, acronym: str) -> Organisation | None:
    found = Organisation.objects.filter(workspace=workspace, acronym__iexact=acronym).order_by("pk").first()
    return found or Organisation.objects.filter(workspace=workspace, key__iexact=acronym).first()


def _fieldwork_start(workspace: Workspace) -> dt.date:
    """A Monday in May of the plan period's first year, after the inception phase."""
    day = dt.date(workspace.plan_start_year, 5, 5)
    while day.weekday() != 0:
        day += dt.timedelta(days=1)
    return day


def _workday(start: dt.date, offset: int) -> dt.date:
    day = start + dt.timedelta(days=offset)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _codebook(workspace: Workspace, acting_user: User | None) -> dict[str, Theme]:
    themes = {theme.code: theme for theme in Theme.objects.filter(workspace=workspace)}
    for code, name, description, pillar, competencies, parent in THEMES:
        if code not in themes:
            themes[code] = services.theme_create(
                workspace=workspace,
                code=code,
                name=name,
                description=description,
                pillar=pillar,
                competency_codes=competencies,
                parent=themes.get(parent) if parent else None,
                acting_user=acting_user,
            )
    return themes


def demo_qualitative(*, workspace: Workspace, acting_user: User | None) -> None:
    """Add the fictional codebook, interviews, focus groups, coded excerpts and quotes to ``workspace``
    (once: a second run adds nothing). Records are linked to the registry's organisations by acronym (or
    key) when they are in it. A quote that the anonymisation check refuses in this workspace (a focal
    point with the same name, say) is kept as a plain excerpt."""
    if QualitativeRecord.objects.filter(workspace=workspace, title=RECORDS[0].title).exists():
        return
    themes = _codebook(workspace, acting_user)
    start = _fieldwork_start(workspace)
    for item in RECORDS:
        organisations = [
            o for o in (_organisation(workspace, a) for a in item.organisations) if o is not None
        ]
        women, men, other = item.participants
        record = services.qualitative_record_create(
            workspace=workspace,
            kind=item.kind,
            date=_workday(start, item.day),
            title=item.title,
            organisations=list(dict.fromkeys(organisations)),
            participants_women=women,
            participants_men=men,
            participants_other=other,
            facilitator=_INTERVIEWER if item.kind == "interview" else _FGD_FACILITATOR,
            location=item.location,
            notes="\n\n".join([_FICTIONAL, *(paragraph.text for paragraph in item.paragraphs)]),
            acting_user=acting_user,
        )
        for paragraph in item.paragraphs:
            for theme, excerpt, is_quote in paragraph.codes:
                _code(workspace, record, themes[theme], excerpt or paragraph.text, is_quote, acting_user)


def _code(
    workspace: Workspace,
    record: QualitativeRecord,
    theme: Theme,
    text: str,
    is_quote: bool,
    acting_user: User | None,
) -> None:
    try:
        services.excerpt_add(
            workspace=workspace,
            record=record,
            theme=theme,
            text=text,
            is_quote=is_quote,
            acting_user=acting_user,
        )
    except DomainError:
        if not is_quote:
            raise
        services.excerpt_add(
            workspace=workspace,
            record=record,
            theme=theme,
            text=text,
            is_quote=False,
            acting_user=acting_user,
        )
