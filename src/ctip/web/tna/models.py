"""Models of the tna app: the workspace's competency framework, survey instruments, the submissions they
collect (with one rating row per competency), import batches, saved column mappings and KoboToolbox
connections.

Models hold fields and constraints only; every change goes through ``services/``.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.core.stakeholders import CHAIN_STAGE_LABELS, PILLAR_LABELS
from ctip.core.tna.model import CompetencyLevel, Sex
from ctip.web.accounts.models import User, WorkspaceOwned

CODE_MAX_LENGTH = 20
code_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9_]*$",
    _(
        "Use letters, digits and “_” only, starting with a letter (the code becomes part of form field names)."
    ),
)

LEVEL_CHOICES = [
    (CompetencyLevel.FOUNDATIONAL.value, _("Foundational")),
    (CompetencyLevel.SPECIALISED.value, _("Specialised")),
]
PILLAR_CHOICES = [(pillar.value, _(label)) for pillar, label in PILLAR_LABELS.items()]
CHAIN_STAGE_CHOICES = [(stage.value, _(label)) for stage, label in CHAIN_STAGE_LABELS.items()]
SCALE_CHOICES = [(5, _("1 to 5")), (7, _("1 to 7"))]
SEX_CHOICES = [
    (Sex.FEMALE.value, _("Female")),
    (Sex.MALE.value, _("Male")),
    (Sex.OTHER.value, _("Other")),
    (Sex.NOT_STATED.value, _("Not stated")),
]


class WorkspaceCompetency(WorkspaceOwned):
    """One competency of the workspace's framework (copied from the default framework on first use)."""

    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH, validators=[code_validator])
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_fr = models.CharField(_("title (French)"), max_length=250, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=20, choices=PILLAR_CHOICES)
    chain_stage = models.CharField(_("response-chain stage"), max_length=30, choices=CHAIN_STAGE_CHOICES)
    level = models.CharField(_("level"), max_length=20, choices=LEVEL_CHOICES)
    target_types = models.JSONField(_("organisation types"), default=list, blank=True)
    child_sensitive = models.BooleanField(_("child-sensitive"), default=False)
    gender_sensitive = models.BooleanField(_("gender-sensitive"), default=False)
    is_retired = models.BooleanField(_("retired"), default=False)
    position = models.PositiveIntegerField(
        _("position"),
        default=0,
        help_text=_("The order of the framework (the default library's order first)."),
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "code"], name="tna_competency_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"


class SurveyInstrument(WorkspaceOwned):
    """A survey instrument. ``snapshot`` holds the built instrument (questions, choices and competencies as
    they were when it was created), so that imports keep working after the framework changes.
    ``form_version`` is the XLSForm ``version`` setting (``version`` is the record's edit counter)."""

    title = models.CharField(_("title"), max_length=200)
    form_id = models.CharField(_("form id"), max_length=100)
    form_version = models.CharField(_("form version"), max_length=20)
    scale_max = models.PositiveSmallIntegerField(_("rating scale"), choices=SCALE_CHOICES, default=5)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    competencies = models.ManyToManyField(
        WorkspaceCompetency, related_name="instruments", blank=True, verbose_name=_("competencies")
    )
    segment = models.CharField(
        _("segment"), max_length=40, blank=True, help_text=_("An organisation type code; empty: all staff.")
    )
    snapshot = models.JSONField(_("instrument as built"), default=dict)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "form_id"], name="tna_instrument_form_id_unique"),
            models.CheckConstraint(condition=models.Q(scale_max__in=[5, 7]), name="tna_instrument_scale"),
        ]

    def __str__(self) -> str:
        return self.title


class ImportBatch(WorkspaceOwned):
    """One import of survey answers (a file, a KoboToolbox pull or the demo) and what it did. The rows it
    rejected are kept as a CSV (the original columns and a ``problem`` column) to fix and import again."""

    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="batches", verbose_name=_("instrument")
    )
    file_name = models.CharField(_("file"), max_length=255)
    source = models.CharField(_("source"), max_length=20)
    source_shape = models.CharField(_("file shape"), max_length=40, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    valid_rows_only = models.BooleanField(_("valid rows only"), default=False)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    rejected_csv = models.BinaryField(_("rejected rows (CSV)"), default=b"", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class SurveySubmission(WorkspaceOwned):
    """One respondent's answers to an instrument. ``key`` is stable across re-exports of an edited
    submission; ``content_hash`` tells an edited submission from an unchanged one. ``open_answers`` (free
    text) are shown only to members who may analyse data."""

    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("instrument")
    )
    key = models.CharField(_("submission key"), max_length=200)
    source = models.CharField(_("source"), max_length=20)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=SEX_CHOICES, default=Sex.NOT_STATED.value)
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_submissions",
        verbose_name=_("organisation"),
    )
    organisation_text = models.CharField(_("organisation as given"), max_length=250, blank=True)
    profile = models.JSONField(_("profile"), default=dict, blank=True)
    institutional = models.JSONField(_("institutional answers"), default=dict, blank=True)
    open_answers = models.JSONField(_("free-text answers"), default=dict, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("import"),
    )

    class Meta:
        ordering = ["instrument", "submitted_at", "key"]
        verbose_name = _("survey submission")
        verbose_name_plural = _("survey submissions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="tna_submission_key_unique"),
            models.CheckConstraint(
                condition=models.Q(sex__in=[sex.value for sex in Sex]), name="tna_submission_sex_known"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class SurveyRating(models.Model):
    """The two ratings one submission gives one competency (identified by the submission and the code; it
    never leaves the database on its own, so it has no UUID)."""

    submission = models.ForeignKey(SurveySubmission, on_delete=models.CASCADE, related_name="ratings")
    code = models.CharField(_("competency code"), max_length=CODE_MAX_LENGTH)
    importance = models.PositiveSmallIntegerField(_("importance"), null=True, blank=True)
    competence = models.PositiveSmallIntegerField(_("competence"), null=True, blank=True)

    class Meta:
        ordering = ["submission", "code"]
        verbose_name = _("survey rating")
        verbose_name_plural = _("survey ratings")
        constraints = [
            models.UniqueConstraint(fields=["submission", "code"], name="tna_rating_one_per_code"),
            models.CheckConstraint(
                condition=models.Q(importance__isnull=True) | models.Q(importance__gte=1, importance__lte=7),
                name="tna_rating_importance_range",
            ),
            models.CheckConstraint(
                condition=models.Q(competence__isnull=True) | models.Q(competence__gte=1, competence__lte=7),
                name="tna_rating_competence_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.importance}/{self.competence}"


class ColumnMapping(WorkspaceOwned):
    """A saved column mapping (instrument field → file column) for files that are not Kobo or ODK exports,
    reused by name from the command line and the import page."""

    name = models.CharField(_("name"), max_length=100)
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("instrument")
    )
    mapping = models.JSONField(_("mapping"), default=dict)

    class Meta:
        ordering = ["name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="tna_mapping_name_unique")]

    def __str__(self) -> str:
        return self.name


class KoboConnection(WorkspaceOwned):
    """Where to pull submissions from on a KoboToolbox server. The API token is never stored: the command
    line reads it from an environment variable each time."""

    server_url = models.URLField(_("server"), max_length=200)
    asset_uid = models.CharField(_("form (asset) uid"), max_length=64)
    instrument = models.ForeignKey(
        SurveyInstrument,
        on_delete=models.CASCADE,
        related_name="kobo_connections",
        verbose_name=_("instrument"),
    )
    last_submission_time = models.DateTimeField(_("latest submission pulled"), null=True, blank=True)
    last_pulled_at = models.DateTimeField(_("last pulled at"), null=True, blank=True)

    class Meta:
        ordering = ["server_url", "asset_uid"]
        verbose_name = _("KoboToolbox connection")
        verbose_name_plural = _("KoboToolbox connections")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "server_url", "asset_uid"], name="tna_kobo_connection_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.server_url} {self.asset_uid}"


LINK_RESPONDENT = "respondent"
LINK_ORGANISATION = "organisation"
LINK_KIND_CHOICES = [
    (LINK_RESPONDENT, _("One respondent")),
    (LINK_ORGANISATION, _("Everyone in an organisation")),
]
FORM_LANGUAGE_CHOICES = [("en", "English"), ("fr", "Français")]
RESPONSE_IN_PROGRESS = "in_progress"
RESPONSE_DECLINED = "declined"
RESPONSE_SUBMITTED = "submitted"
RESPONSE_STATUS_CHOICES = [
    (RESPONSE_IN_PROGRESS, _("In progress")),
    (RESPONSE_DECLINED, _("Declined")),
    (RESPONSE_SUBMITTED, _("Submitted")),
]


class FormLink(WorkspaceOwned):
    """A link to the built-in web form of an instrument: for one respondent (one set of answers) or for
    everyone in an organisation (each person who opens it answers separately). The token in the link is
    the only key: whoever has the link can answer, nothing else."""

    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="form_links", verbose_name=_("instrument")
    )
    label = models.CharField(_("label"), max_length=150)
    kind = models.CharField(_("for whom"), max_length=20, choices=LINK_KIND_CHOICES)
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="form_links",
        verbose_name=_("organisation"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=FORM_LANGUAGE_CHOICES, default="en")
    is_open = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["instrument", "label", "id"]
        verbose_name = _("web form link")
        verbose_name_plural = _("web form links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[LINK_RESPONDENT, LINK_ORGANISATION]), name="tna_link_kind"
            )
        ]

    def __str__(self) -> str:
        return self.label


class FormResponse(WorkspaceOwned):
    """One person's answers in the web form, saved page by page (``answers``: field name → text, as an
    export holds them). ``code`` lets the respondent continue later or on another device; ``page`` is
    the furthest page reached. Submitting makes a :class:`SurveySubmission` (key ``web:<uuid>``)."""

    link = models.ForeignKey(FormLink, on_delete=models.CASCADE, related_name="responses")
    code = models.CharField(_("resume code"), max_length=16, editable=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    page = models.PositiveSmallIntegerField(_("furthest page"), default=0)
    language = models.CharField(_("language"), max_length=5, choices=FORM_LANGUAGE_CHOICES, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=RESPONSE_STATUS_CHOICES, default=RESPONSE_IN_PROGRESS
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submission = models.OneToOneField(
        SurveySubmission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="form_response",
        verbose_name=_("submission"),
    )

    class Meta:
        ordering = ["link", "created_at", "id"]
        verbose_name = _("web form response")
        verbose_name_plural = _("web form responses")
        constraints = [
            models.UniqueConstraint(fields=["link", "code"], name="tna_form_response_code_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=[RESPONSE_IN_PROGRESS, RESPONSE_DECLINED, RESPONSE_SUBMITTED]),
                name="tna_form_response_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.link} {self.code}"
