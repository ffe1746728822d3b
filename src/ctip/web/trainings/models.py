"""Models of the trainings app: training events (from a plan session or ad hoc) and their modules,
participants and their attendance, the workspace's item bank, the pre/post test forms of an event with
their attempts and answers, the reaction and follow-up survey responses, and the indicator feeds that turn
training data into M&E actuals (with a trace back to the events).

Fields and constraints only; every change goes through ``services/``; the rules are in
``ctip.core.training`` and ``ctip.core.evaluation``.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.training.model import (
    AGE_BAND_LABELS,
    EVENT_STATUS_LABELS,
    ITEM_KIND_LABELS,
    METRIC_LABELS,
    PHASE_LABELS,
    SEX_LABELS,
    SURVEY_KIND_LABELS,
    Channel,
    EventStatus,
)
from ctip.web.accounts.models import WorkspaceOwned
from ctip.web.monitoring.models import Indicator, IndicatorValue
from ctip.web.planning.models import PlanSession, TrainingModule
from ctip.web.stakeholders.models import Organisation

STATUS_CHOICES = [(status.value, _(label)) for status, label in EVENT_STATUS_LABELS.items()]
SEX_CHOICES = [(sex.value, _(label)) for sex, label in SEX_LABELS.items()]
AGE_BAND_CHOICES = [(band.value, _(label)) for band, label in AGE_BAND_LABELS.items()]
ITEM_KIND_CHOICES = [(kind.value, _(label)) for kind, label in ITEM_KIND_LABELS.items()]
PHASE_CHOICES = [(phase.value, _(label)) for phase, label in PHASE_LABELS.items()]
CHANNEL_CHOICES = [(Channel.ONLINE.value, _("Online")), (Channel.PAPER.value, _("Paper"))]
SURVEY_KIND_CHOICES = [(kind.value, _(label)) for kind, label in SURVEY_KIND_LABELS.items()]
METRIC_CHOICES = [(metric.value, _(label)) for metric, label in METRIC_LABELS.items()]
LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français")]


class TrainingEvent(WorkspaceOwned):
    """One training as delivered (or to be delivered): from a session of the plan, or ad hoc."""

    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=250)
    plan_session = models.ForeignKey(
        PlanSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("plan session"),
    )
    modules = models.ManyToManyField(
        TrainingModule, through="EventModule", related_name="events", verbose_name=_("modules")
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    location = models.CharField(_("training location"), max_length=100)
    """A training location of the plan (``TrainingLocation.venue``, e.g. "Rodrigues")."""
    trainers = models.JSONField(_("trainers"), default=list, blank=True)
    """``[{"name": "…", "origin": "national" | "international", "organisation": "…"}]``."""
    audience = models.TextField(_("target audience"), blank=True)
    target_female = models.PositiveIntegerField(_("target participants (women)"), default=0)
    target_male = models.PositiveIntegerField(_("target participants (men)"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=STATUS_CHOICES, default=EventStatus.PLANNED.value
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="en")
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    kit = models.JSONField(_("delivery kit edits"), default=dict, blank=True)
    """The trainer's edits of the generated kit, by part (``ctip.core.training.kit``); empty: as generated."""
    trainers_notes = models.TextField(_("trainers' notes"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    test_token = models.CharField(_("test link token"), max_length=40, unique=True)
    """The key of the participants' link (``/t/<token>/``): no login, the participant code does the rest."""

    class Meta:
        verbose_name = _("training event")
        ordering = ["start_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "code"], name="trainings_event_code_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="trainings_event_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class EventModule(models.Model):
    """A module taught at an event, in the agenda's order."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="event_modules")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="event_modules")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "module"], name="trainings_event_module_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.module_id}"


class Participant(WorkspaceOwned):
    """A registered participant, known by a pseudonymous code (no names are stored)."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="participants")
    code = models.CharField(_("participant code"), max_length=30)
    sex = models.CharField(_("sex"), max_length=10, choices=SEX_CHOICES, blank=True, default="")
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AGE_BAND_CHOICES, blank=True, default=""
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_participants",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation (as written)"), max_length=250, blank=True)
    role = models.CharField(_("role"), max_length=150, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("participant")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="trainings_participant_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Attendance(models.Model):
    """Whether a participant was present on one day of the event (no row: not recorded)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="trainings_attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {'present' if self.present else 'absent'}"


class AssessmentItem(WorkspaceOwned):
    """An item of the workspace's bank, in English and French, tied to a module's learning objective and
    a competency. Items sharing a ``parallel_group`` are parallel versions of one another."""

    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="assessment_items")
    code = models.CharField(_("code"), max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=ITEM_KIND_CHOICES)
    stem_en = models.TextField(_("question (English)"))
    stem_fr = models.TextField(_("question (French)"), blank=True)
    options = models.JSONField(_("options"), default=list)
    """``[{"key": "a", "en": "…", "fr": "…"}, …]``; for true/false the keys are ``true`` and ``false``."""
    correct = models.JSONField(_("correct options"), default=list)
    """The keys of the correct options (one for single choice and true/false)."""
    objective = models.CharField(_("learning objective"), max_length=30)
    """The code of a learning objective of the module (``ctip.core.training`` content), e.g. ``SCR-LO2``."""
    competency = models.CharField(_("competency"), max_length=20, blank=True)
    parallel_group = models.CharField(_("parallel group"), max_length=30, blank=True)
    form_version = models.CharField(_("form version"), max_length=1, blank=True)
    """``A`` or ``B`` for parallel versions; empty: used in every form."""
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("assessment item")
        ordering = ["module__code", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "code"], name="trainings_item_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class AssessmentForm(WorkspaceOwned):
    """The pre-test or the post-test of an event: the items frozen when the form was built (later edits of
    the bank do not change a form already taken)."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="forms")
    phase = models.CharField(_("phase"), max_length=10, choices=PHASE_CHOICES)
    items = models.JSONField(_("items"), default=list)
    """The items in the order shown: ``[{"code", "kind", "stem_en", "stem_fr", "options", "correct",
    "objective", "competency"}, …]``."""
    is_open = models.BooleanField(_("open for answers"), default=False)

    class Meta:
        verbose_name = _("test form")
        ordering = ["event", "phase"]
        constraints = [models.UniqueConstraint(fields=["event", "phase"], name="trainings_form_phase_unique")]


class Attempt(WorkspaceOwned):
    """A participant's one attempt at a form (online or from a paper sheet)."""

    form = models.ForeignKey(AssessmentForm, on_delete=models.CASCADE, related_name="attempts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNEL_CHOICES, default="online")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "participant"], name="trainings_attempt_unique")
        ]


class Answer(models.Model):
    """The answer to one item of an attempt, saved as soon as it is given."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    item_code = models.CharField(_("item"), max_length=30)
    response = models.JSONField(_("options chosen"), default=list)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item_code"], name="trainings_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.response}"


class SurveyResponse(WorkspaceOwned):
    """A reaction (level 1) or follow-up (level 3) survey response of a participant."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="survey_responses")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_responses"
    )
    kind = models.CharField(_("survey"), max_length=20, choices=SURVEY_KIND_CHOICES)
    answers = models.JSONField(_("answers"), default=dict)
    """Keyed by the question names of ``ctip.core.training.surveys``."""
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNEL_CHOICES, default="online")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey response")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant", "kind"], name="trainings_survey_response_unique"
            )
        ]


class IndicatorFeed(WorkspaceOwned):
    """An indicator of the M&E framework whose actuals the training data compute."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="training_feed")
    metric = models.CharField(_("computed from"), max_length=30, choices=METRIC_CHOICES)
    updated_at_values = models.DateTimeField(_("last computed"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator fed by the trainings")


class FeedTrace(models.Model):
    """Which events an actual computed from the training data came from, and what each contributed."""

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="training_traces")
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="feed_traces")
    numerator = models.DecimalField(_("count"), max_digits=16, decimal_places=4, default=0)
    denominator = models.DecimalField(_("out of"), max_digits=16, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["value", "event"], name="trainings_trace_unique")]

    def __str__(self) -> str:
        return f"{self.event_id}→{self.value_id}"
