"""Demo data for the meetings app: one inception meeting with its attendance, minutes, decisions and
action points. Every person, remark and figure here is fictional; the agencies are real public bodies.
Running it again changes nothing."""

from __future__ import annotations

import datetime as dt

from ctip.web.accounts.models import User, Workspace
from ctip.web.meetings import services
from ctip.web.meetings.models import Meeting
from ctip.web.stakeholders.models import Organisation

DEMO_TITLE = "Inception meeting of the C-TIP capacity development programme"

# (acronym, full name used when the registry does not have it) per country.
_ORGANISATIONS = {
    "MU": {
        "PMO": "Prime Minister's Office",
        "MPF": "Mauritius Police Force",
        "DPP": "Office of the Director of Public Prosecutions",
        "MGEFW": "Ministry of Gender Equality and Family Welfare",
        "IOM": "International Organization for Migration",
        "AGO": "Attorney General's Office",
        "PIO": "Passport and Immigration Office",
        "MOL": "Ministry of Labour, Human Resource Development and Training",
        "RRA": "Rodrigues Regional Assembly",
    },
    "RW": {
        "MINIJUST": "Ministry of Justice",
        "RIB": "Rwanda Investigation Bureau",
        "NPPA": "National Public Prosecution Authority",
        "RNP": "Rwanda National Police",
        "DGIE": "Directorate General of Immigration and Emigration",
        "MIGEPROF": "Ministry of Gender and Family Promotion",
        "IOM": "International Organization for Migration",
        "MINAFFET": "Ministry of Foreign Affairs and International Cooperation",
        "ISANGE": "Isange One Stop Centre",
    },
}
_PLACES = {"MU": "Port Louis", "RW": "Kigali"}

# (fictional name, organisation acronym, sex, function); the acronyms are looked up per country in order.
_ATTENDEES = [
    ("Anjali Ramdin (fictional)", 0, "female", "National coordinator"),
    ("Vikash Doorgah (fictional)", 0, "male", "Senior adviser"),
    ("Marie-Claire Lebon (fictional)", 0, "female", "Programme officer"),
    ("Rajesh Bhugun (fictional)", 1, "male", "Superintendent, anti-trafficking unit"),
    ("Nadia Joomun (fictional)", 1, "female", "Inspector, anti-trafficking unit"),
    ("Kevin Laval (fictional)", 1, "male", "Training officer"),
    ("Priya Seebaluck (fictional)", 2, "female", "State counsel"),
    ("Olivier Ramsamy (fictional)", 2, "male", "Senior state counsel"),
    ("Fatima Auckbur (fictional)", 3, "female", "Child development officer"),
    ("Sandra Perrine (fictional)", 3, "female", "Family welfare officer"),
    ("Deepak Ramlagun (fictional)", 3, "male", "Head of unit"),
    ("Sarah Miller (fictional)", 4, "female", "Programme manager"),
    ("Jean-Marc Lebrun (fictional)", 4, "male", "Consultant, TNA lead"),
    ("Aline Moutou (fictional)", 5, "female", "Legal officer"),
    ("Yusuf Hossenbux (fictional)", 6, "male", "Immigration officer"),
    ("Kavita Nundloll (fictional)", 7, "female", "Labour inspector"),
    ("Patrick Ally (fictional)", 7, "male", "Senior labour inspector"),
    ("Josiane Perrine (fictional)", 8, "female", "Social worker"),
    ("Anita Soobrah (fictional)", -1, "female", "Shelter coordinator"),
    ("Sam Coder (fictional)", -1, "undisclosed", "Journalist"),
]
_OTHER_ORGANISATIONS = {-1: "Fictional Shelter Association"}

_AGENDA = """Opening remarks by the national coordinating body
Presentation of the programme and of the inception report
Stakeholder mapping: who does what along the response chain
Legal desk review: first findings against the Palermo Protocol checklist
Training needs assessment: approach, sampling plan and tools
Timeline and next steps
Closing"""

_MINUTES = """(Fictional minutes for the demo.)

The coordinator opened the meeting, recalled the objectives of the programme and thanked the agencies for their nominations of focal points.

The consultant presented the inception report: the methodology, the stakeholder map, the first findings of the legal desk review and the proposed timeline. Participants asked that labour inspection and the island of Rodrigues be covered explicitly in the needs assessment.

The sampling plan for the training needs assessment was discussed. Agencies agreed to confirm their staff numbers by sex so that the sample can be allocated fairly.

The timeline was accepted with one change: the survey will start after the school holidays to allow teachers' unions to take part."""

_DECISIONS = [
    "The inception report is accepted, subject to the comments made at the meeting.",
    "Every agency confirms one focal point for the training needs assessment.",
    "The needs assessment covers Rodrigues and labour inspection explicitly.",
]

# (text, owner, days after the meeting, status)
_ACTION_POINTS = [
    ("Send the revised inception report to all participants.", "Consultant", 14, "done"),
    ("Confirm staff numbers by sex for the sampling plan.", "All agencies", 21, "in_progress"),
    ("Nominate a focal point for the training needs assessment.", "All agencies", 21, "open"),
    ("Organise the survey logistics in Rodrigues.", "Coordinating body", 45, "open"),
]


def _organisation(workspace: Workspace, acronym: str) -> Organisation | None:
    found = Organisation.objects.filter(workspace=workspace, acronym__iexact=acronym).order_by("pk").first()
    return found or Organisation.objects.filter(workspace=workspace, key__iexact=acronym).first()


def _meeting_date(workspace: Workspace) -> dt.date:
    """A weekday in March of the plan period's first year: inception comes first."""
    day = dt.date(workspace.plan_start_year, 3, 18)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def demo_meetings(*, workspace: Workspace, acting_user: User | None) -> None:
    """Add the fictional inception meeting to ``workspace`` (once: a second run adds nothing). Attendees
    are linked to the registry's organisations by acronym when they are in it."""
    if Meeting.objects.filter(workspace=workspace, title=DEMO_TITLE).exists():
        return
    organisations = _ORGANISATIONS.get(workspace.country, _ORGANISATIONS["MU"])
    acronyms = list(organisations)
    date = _meeting_date(workspace)
    meeting = services.meeting_create(
        workspace=workspace,
        kind="inception_meeting",
        title=DEMO_TITLE,
        date=date,
        place=_PLACES.get(workspace.country, ""),
        agenda=_AGENDA,
        minutes=_MINUTES,
        acting_user=acting_user,
    )
    for name, index, sex, function in _ATTENDEES:
        if index < 0:
            organisation, organisation_name = None, _OTHER_ORGANISATIONS[index]
        else:
            acronym = acronyms[index]
            organisation = _organisation(workspace, acronym)
            organisation_name = "" if organisation is not None else f"{organisations[acronym]} ({acronym})"
        services.attendee_add(
            workspace=workspace,
            meeting=meeting,
            name=name,
            organisation=organisation,
            organisation_name=organisation_name,
            sex=sex,
            function=function,
            acting_user=acting_user,
        )
    for text in _DECISIONS:
        services.decision_add(workspace=workspace, meeting=meeting, text=text, acting_user=acting_user)
    for text, owner, days, status in _ACTION_POINTS:
        services.action_point_add(
            workspace=workspace,
            meeting=meeting,
            text=text,
            owner=owner,
            due_date=date + dt.timedelta(days=days),
            status=status,
            acting_user=acting_user,
        )
