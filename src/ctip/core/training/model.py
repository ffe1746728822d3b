"""The vocabulary of trainings shared by the core, the file formats and the web app."""

from __future__ import annotations

from enum import StrEnum

from ctip.core.errors import _


class EventStatus(StrEnum):
    PLANNED = "planned"
    PREPARED = "prepared"
    DELIVERED = "delivered"
    REPORTED = "reported"
    CANCELLED = "cancelled"


EVENT_STATUS_LABELS: dict[EventStatus, str] = {
    EventStatus.PLANNED: _("Planned"),
    EventStatus.PREPARED: _("Kit prepared"),
    EventStatus.DELIVERED: _("Delivered"),
    EventStatus.REPORTED: _("Reported"),
    EventStatus.CANCELLED: _("Cancelled"),
}


class TrainerOrigin(StrEnum):
    NATIONAL = "national"
    INTERNATIONAL = "international"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNDISCLOSED = ""


SEX_LABELS: dict[Sex, str] = {Sex.FEMALE: _("Female"), Sex.MALE: _("Male"), Sex.UNDISCLOSED: _("Not stated")}


class AgeBand(StrEnum):
    UNDER_25 = "18-24"
    FROM_25 = "25-34"
    FROM_35 = "35-44"
    FROM_45 = "45-54"
    FROM_55 = "55+"
    UNDISCLOSED = ""


AGE_BAND_LABELS: dict[AgeBand, str] = {
    AgeBand.UNDER_25: _("18–24"),
    AgeBand.FROM_25: _("25–34"),
    AgeBand.FROM_35: _("35–44"),
    AgeBand.FROM_45: _("45–54"),
    AgeBand.FROM_55: _("55 and over"),
    AgeBand.UNDISCLOSED: _("Not stated"),
}


class ItemKind(StrEnum):
    SINGLE = "single"
    """One correct option among several."""
    TRUE_FALSE = "true_false"
    """Options ``true`` and ``false``; one is correct."""
    MULTIPLE = "multiple"
    """Several options may be correct; the answer is right only when exactly the correct set is chosen."""


ITEM_KIND_LABELS: dict[ItemKind, str] = {
    ItemKind.SINGLE: _("Single choice"),
    ItemKind.TRUE_FALSE: _("True or false"),
    ItemKind.MULTIPLE: _("Multiple response"),
}


class Phase(StrEnum):
    PRE = "pre"
    POST = "post"


PHASE_LABELS: dict[Phase, str] = {Phase.PRE: _("Pre-test"), Phase.POST: _("Post-test")}


class Channel(StrEnum):
    ONLINE = "online"
    PAPER = "paper"


class SurveyKind(StrEnum):
    REACTION = "reaction"
    """Kirkpatrick level 1, at the end of the training."""
    FOLLOW_UP = "follow_up"
    """Kirkpatrick level 3, three to six months later."""


SURVEY_KIND_LABELS: dict[SurveyKind, str] = {
    SurveyKind.REACTION: _("Reaction survey (end of training)"),
    SurveyKind.FOLLOW_UP: _("Follow-up survey (3–6 months later)"),
}


class Metric(StrEnum):
    """What the training data can compute for an indicator of the M&E framework."""

    PEOPLE_TRAINED = "people_trained"
    """Participants who attended at least one day of a delivered training (by sex and location)."""
    PASS_RATE = "pass_rate"
    """Share (%) of post-test takers who reached the event's pass mark."""
    APPLICATION_RATE = "application_rate"
    """Share (%) of follow-up respondents who applied the training (screenings, NRM referrals or tools)."""


METRIC_LABELS: dict[Metric, str] = {
    Metric.PEOPLE_TRAINED: _("People trained (attended a delivered training)"),
    Metric.PASS_RATE: _("Share reaching the pass mark on the post-test (%)"),
    Metric.APPLICATION_RATE: _("Follow-up application rate (%)"),
}
