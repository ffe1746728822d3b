"""Reads: the meetings of a workspace, one meeting with everything recorded at it, attendance counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ctip.core.stakeholders import SECTOR_LABELS, Sector
from ctip.web.accounts.models import Workspace
from ctip.web.meetings.models import Attendee, Meeting
from ctip.web.stakeholders.models import SEX_CHOICES, Organisation


def meetings_of(workspace: Workspace) -> QuerySet[Meeting]:
    """The workspace's meetings, newest first, with attendee and open action-point counts."""
    return (
        Meeting.objects.filter(workspace=workspace)
        .annotate(
            attendee_count=Count("attendees", distinct=True),
            open_action_count=Count("action_points", filter=~Q(action_points__status="done"), distinct=True),
        )
        .order_by("-date", "title")
    )


def meeting_with_records(workspace: Workspace, meeting_uuid: object) -> Meeting | None:
    """One meeting of the workspace with its attendees (and their organisations), decisions and action
    points loaded, or ``None``."""
    return (
        Meeting.objects.filter(workspace=workspace, uuid=meeting_uuid)
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("organisation").order_by("name")),
            "decisions",
            "action_points",
        )
        .first()
    )


def registry_organisations(workspace: Workspace) -> QuerySet[Organisation]:
    """Organisations an attendee can be linked to."""
    return Organisation.objects.filter(workspace=workspace).order_by("name")


NOT_IN_REGISTRY = "not_in_registry"


@dataclass(frozen=True)
class Tally:
    """``count`` attendees in one group. ``key`` is stable: the sex code, the sector code or the registry
    organisation's UUID; ``""`` when the sex or sector is not recorded, ``not_in_registry`` for the sector of
    organisations that are not in the registry and ``name:<name>`` for such an organisation; ``label`` is
    what people read."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class AttendanceSummary:
    total: int
    by_sex: tuple[Tally, ...]
    by_sector: tuple[Tally, ...]
    by_organisation: tuple[Tally, ...]

    def count_of_sex(self, code: str) -> int:
        return next((tally.count for tally in self.by_sex if tally.key == code), 0)


def sector_label(code: str) -> str:
    """The sector of a registry organisation in the reader's language."""
    if not code:
        return _("Sector not recorded")
    try:
        return _(SECTOR_LABELS[Sector(code)])
    except (KeyError, ValueError):
        return code.replace("_", " ").capitalize()


def attendance_summary(meeting: Meeting) -> AttendanceSummary:
    """Attendance counts by sex, by sector (from the registry; "not in registry" for organisations that are
    not in it) and by organisation. Uses the meeting's prefetched attendees when they are loaded."""
    attendees = list(meeting.attendees.all())
    by_sex = Counter(a.sex for a in attendees)
    sexes = [Tally(code, str(label), by_sex[code]) for code, label in SEX_CHOICES if by_sex[code]]
    if by_sex[""]:
        sexes.append(Tally("", _("Not recorded"), by_sex[""]))

    sectors: dict[str, str] = {}
    organisations: dict[str, str] = {}
    by_sector: Counter[str] = Counter()
    by_organisation: Counter[str] = Counter()
    for attendee in attendees:
        if attendee.organisation is not None:
            sector = attendee.organisation.sector
            sectors[sector] = sector_label(sector)
            organisation = str(attendee.organisation.uuid)
            organisations[organisation] = str(attendee.organisation)
        else:
            sector = NOT_IN_REGISTRY
            sectors[sector] = _("Not in registry")
            # Free-text organisations are grouped by name, ignoring case and spacing.
            organisation = "name:" + " ".join(attendee.organisation_name.split()).casefold()
            organisations.setdefault(organisation, attendee.organisation_name or _("Organisation not given"))
        by_sector[sector] += 1
        by_organisation[organisation] += 1
    return AttendanceSummary(
        total=len(attendees),
        by_sex=tuple(sexes),
        by_sector=_tallies(by_sector, sectors),
        by_organisation=_tallies(by_organisation, organisations),
    )


def _tallies(counts: Counter[str], labels: dict[str, str]) -> tuple[Tally, ...]:
    """Largest group first, then by label."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], labels[item[0]].casefold()))
    return tuple(Tally(key, labels[key], count) for key, count in ordered)
