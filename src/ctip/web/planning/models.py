"""Models of the planning app: the workspace's module catalogue, the plan's segments and their demand (drawn
from the TNA, editable), plan scenarios (parameters + the solver's and the greedy baseline's results) and
the sessions of each scenario (lockable and editable before re-optimising).

Models hold fields and constraints only; every change goes through ``services/``. The solver works on
``ctip.core.planning`` dataclasses, built from these rows by ``services/instance.py``.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.core.planning.model import ModuleLevel, TrainerOrigin, TrainerProfile
from ctip.core.stakeholders import PILLAR_LABELS
from ctip.web.accounts.models import WorkspaceOwned
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import CODE_MAX_LENGTH, code_validator

PILLAR_CHOICES = [(pillar.value, _(label)) for pillar, label in PILLAR_LABELS.items()]
LEVEL_CHOICES = [
    (ModuleLevel.FOUNDATIONAL.value, _("Foundational")),
    (ModuleLevel.SPECIALISED.value, _("Specialised")),
]
DELIVERY_CHOICES = [
    ("in_person", _("In person")),
    ("blended", _("Blended")),
    ("online", _("Online")),
]
TRAINER_PROFILE_CHOICES = [
    (TrainerProfile.ANY.value, _("National or international trainers")),
    (TrainerProfile.NATIONAL.value, _("National trainers only")),
    (TrainerProfile.INTERNATIONAL.value, _("International trainers only")),
]
TRAINER_ORIGIN_CHOICES = [
    (TrainerOrigin.NATIONAL.value, _("National trainer")),
    (TrainerOrigin.INTERNATIONAL.value, _("International trainer")),
]
SESSION_ORIGIN_CHOICES = [
    ("optimizer", _("Optimizer")),
    ("greedy", _("Greedy baseline")),
    ("user", _("Added by hand")),
]
SCENARIO_STATUS_CHOICES = [
    ("draft", _("Not solved yet")),
    ("optimal", _("Optimal")),
    ("feasible", _("Feasible (time limit reached)")),
    ("infeasible", _("Infeasible")),
    ("rounding_broke", _("Rounding broke a constraint")),
    ("time_limit", _("No plan within the time limit")),
    ("failed", _("Solver failed")),
]


class TrainingModule(WorkspaceOwned):
    """One module of the workspace's catalogue (copied from the default catalogue on first use)."""

    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH, validators=[code_validator])
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_fr = models.CharField(_("title (French)"), max_length=250, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    pillar = models.CharField(_("pillar"), max_length=20, choices=PILLAR_CHOICES)
    level = models.CharField(_("level"), max_length=20, choices=LEVEL_CHOICES)
    competencies = models.JSONField(_("competencies it builds"), default=list, blank=True)
    """Competency codes of the workspace's framework."""
    duration_days = models.DecimalField(
        _("duration (days)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(30)],
    )
    delivery_mode = models.CharField(_("delivery mode"), max_length=20, choices=DELIVERY_CHOICES)
    participants_min = models.PositiveIntegerField(_("participants: minimum"))
    participants_max = models.PositiveIntegerField(_("participants: maximum"))
    costs = models.JSONField(_("costs by location"), default=dict, blank=True)
    """``{location: {"session": float, "participant": float}}``; a location missing here means the module is
    not offered there."""
    trainer_profile = models.CharField(
        _("trainer profile"), max_length=20, choices=TRAINER_PROFILE_CHOICES, default=TrainerProfile.ANY.value
    )
    trainer_profile_note_en = models.CharField(_("trainer profile (English)"), max_length=250, blank=True)
    trainer_profile_note_fr = models.CharField(_("trainer profile (French)"), max_length=250, blank=True)
    prerequisites = models.JSONField(_("prerequisites"), default=list, blank=True)
    """Module codes a participant must have taken in an earlier quarter."""
    is_training_of_trainers = models.BooleanField(_("training of trainers"), default=False)
    cascade_of = models.CharField(
        _("cascade of (ToT module code)"), max_length=CODE_MAX_LENGTH, blank=True, default=""
    )
    sensitivity_en = models.TextField(_("child- and gender-sensitive content (English)"), blank=True)
    sensitivity_fr = models.TextField(_("child- and gender-sensitive content (French)"), blank=True)
    assessment_link = models.CharField(_("pre/post assessment"), max_length=250, blank=True, default="")
    """Filled by the trainings work (the item bank of the module's pre/post tests)."""
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "code"], name="planning_module_code_unique"),
            models.CheckConstraint(
                condition=models.Q(participants_max__gte=models.F("participants_min")),
                name="planning_module_participants_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"


class PlanSegment(WorkspaceOwned):
    """Staff of one organisation in one role group at one location: who the plan trains."""

    code = models.CharField(_("code"), max_length=40)
    """Stable short code used in the solver instance and the documents (e.g. ``S07``)."""
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plan_segments", verbose_name=_("organisation")
    )
    role_group = models.CharField(_("role group"), max_length=100)
    location = models.CharField(_("location"), max_length=100)
    is_frontline = models.BooleanField(_("frontline"), default=False)
    staff_female = models.PositiveIntegerField(_("staff: women"), default=0)
    staff_male = models.PositiveIntegerField(_("staff: men"), default=0)
    edited = models.BooleanField(_("edited by hand"), default=False)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "code"], name="planning_segment_code_unique"),
            models.UniqueConstraint(
                fields=["workspace", "organisation", "role_group", "location"], name="planning_segment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.role_group} @ {self.location}"


class DemandRow(WorkspaceOwned):
    """Staff of a segment who need one competency, by sex, with the need score from the TNA."""

    segment = models.ForeignKey(PlanSegment, on_delete=models.CASCADE, related_name="demand")
    competency = models.CharField(_("competency"), max_length=CODE_MAX_LENGTH)
    staff_female = models.PositiveIntegerField(_("staff in need: women"), default=0)
    staff_male = models.PositiveIntegerField(_("staff in need: men"), default=0)
    need_score = models.FloatField(_("need score (MWDS)"), null=True, blank=True)
    weight = models.FloatField(_("weight"), validators=[MinValueValidator(0.0)], default=1.0)
    edited = models.BooleanField(_("edited by hand"), default=False)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["segment__code", "competency"]
        constraints = [
            models.UniqueConstraint(fields=["segment", "competency"], name="planning_demand_unique"),
        ]


class PlanScenario(WorkspaceOwned):
    """One set of planning parameters and, once solved, its plan (sessions) and the greedy baseline."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="variants"
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    """``ctip.core.planning.instance_json.parameters_to_json`` of the scenario's Parameters."""
    status = models.CharField(_("status"), max_length=20, choices=SCENARIO_STATUS_CHOICES, default="draft")
    result = models.JSONField(_("solver result"), default=dict, blank=True)
    """``plan_to_json`` of the solver's plan (objective, gap, seconds, costs, explanations, unmet, conflicts)."""
    greedy = models.JSONField(_("greedy baseline"), default=dict, blank=True)
    """``plan_to_json`` of the greedy plan computed in the same call."""
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    is_adopted = models.BooleanField(_("adopted plan"), default=False)
    """The scenario the plan documents and the M&E targets use (at most one per workspace)."""

    class Meta:
        ordering = ["-is_adopted", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="planning_scenario_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PlanSession(WorkspaceOwned):
    """One session of a scenario's plan: a module at a location in a quarter, with its seats by segment."""

    scenario = models.ForeignKey(PlanScenario, on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="sessions")
    location = models.CharField(_("location"), max_length=100)
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1)])
    trainer = models.CharField(_("trainer"), max_length=20, choices=TRAINER_ORIGIN_CHOICES)
    seats = models.JSONField(_("seats"), default=list, blank=True)
    """``[{"segment": segment code, "female": int, "male": int}, ...]``"""
    locked = models.BooleanField(_("locked"), default=False)
    """Kept as it is when the scenario is re-optimised."""
    origin = models.CharField(_("origin"), max_length=20, choices=SESSION_ORIGIN_CHOICES, default="optimizer")

    class Meta:
        ordering = ["quarter", "location", "module__position", "module__code", "id"]


class TrainingLocation(WorkspaceOwned):
    """Where the staff of one place (as the TNA answers and the registry name it) are trained: the plan's
    segments and sessions are counted per training location (``venue``), not per place."""

    place = models.CharField(_("place"), max_length=100)
    venue = models.CharField(_("training location"), max_length=100)

    class Meta:
        ordering = ["place"]
        verbose_name = _("training location")
        verbose_name_plural = _("training locations")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "place"], name="planning_training_location_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.place} → {self.venue}"
