"""The phases of a national programme's cycle (DOMAIN.md §1), as the navigation shows them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PhaseLink:
    url_name: str  # a workspace URL name, reversed with the workspace slug
    title: Promise


@dataclass(frozen=True)
class Phase:
    slug: str
    title: Promise
    summary: Promise
    steps: tuple[Promise, ...]
    links: tuple[PhaseLink, ...] = ()


PHASES: tuple[Phase, ...] = (
    Phase(
        "inception",
        _("Inception"),
        _("Desk review of the law and the literature, stakeholder mapping and the inception report."),
        (
            _("Register stakeholders and map them by pillar and response-chain stage"),
            _("Review the law against the Palermo Protocol checklist"),
            _("Collect the literature and earlier assessments"),
            _("Present the inception report at the inception meeting"),
        ),
        (
            PhaseLink("stakeholder-list", _("Stakeholder registry")),
            PhaseLink("stakeholder-mapping", _("Stakeholder mapping")),
            PhaseLink("legal-review", _("Legal desk review")),
            PhaseLink("library-list", _("Literature library")),
            PhaseLink("meeting-list", _("Meetings")),
            PhaseLink("inception-sampling", _("TNA sampling plan")),
            PhaseLink("inception-report", _("Inception report and deck")),
            PhaseLink("reviews-home", _("Versions, review and validation")),
        ),
    ),
    Phase(
        "needs",
        _("Needs assessment"),
        _("Surveys, interviews and focus groups at national, institutional and individual level."),
        (
            _("Choose competencies and build the survey, interview and focus-group instruments"),
            _("Collect answers from KoboToolbox, ODK, spreadsheets or the built-in form"),
            _("Analyse gaps (Borich, Locus for Focus) by sex, institution and location"),
            _("Write and validate the TNA report"),
        ),
        (
            PhaseLink("tna-competencies", _("Competency framework")),
            PhaseLink("tna-instruments", _("Survey instruments")),
            PhaseLink("tna-imports", _("Survey data")),
            PhaseLink("qualitative-records", _("Interviews and focus groups")),
            PhaseLink("needs-dashboard", _("Gap analysis")),
            PhaseLink("needs-report", _("TNA report, annex and deck")),
            PhaseLink("reviews-home", _("Versions, review and validation")),
        ),
    ),
    Phase(
        "plan",
        _("Capacity plan"),
        _("A three-year national capacity development plan with its monitoring and evaluation framework."),
        (
            _("Turn prioritised gaps into training demand per stakeholder group"),
            _("Optimise sessions over twelve quarters within budget and trainer time"),
            _("Define SMART indicators and targets"),
            _("Validate the plan at a workshop"),
        ),
        (
            PhaseLink("plan-catalogue", _("Module catalogue")),
            PhaseLink("plan-demand", _("Demand from the TNA")),
            PhaseLink("plan-scenarios", _("Plan scenarios and documents")),
            PhaseLink("monitoring-framework", _("M&E framework")),
            PhaseLink("reviews-home", _("Versions, review and validation")),
        ),
    ),
    Phase(
        "trainings",
        _("Trainings"),
        _("Concept notes, agendas, manuals and slides; participants; pre- and post-tests; training reports."),
        (
            _("Prepare the delivery kit for each session"),
            _("Register participants and run pre- and post-tests, also on phones"),
            _("Evaluate learning and write the training report"),
            _("Write the capacity development report"),
        ),
        (
            PhaseLink("training-list", _("Training events")),
            PhaseLink("training-item-bank", _("Test item bank")),
            PhaseLink("training-programme-report", _("Capacity development report")),
            PhaseLink("training-feeds", _("Indicators fed by the trainings")),
        ),
    ),
    Phase(
        "action-plan",
        _("Action plan"),
        _(
            "The National Action Plan: results, SMART indicators, coordination and a gender-responsive budget."
        ),
        (
            _("Import or draft the plan's objectives, outcomes, outputs and activities"),
            _("Agree who leads and who supports each output"),
            _("Cost the activities with gender markers"),
            _("Review with the Technical Committee and validate"),
        ),
        (
            PhaseLink("nap-home", _("National Action Plan")),
            PhaseLink("nap-import", _("Import an implementation matrix")),
            PhaseLink("reviews-home", _("Versions, review and validation")),
        ),
    ),
    Phase(
        "monitoring",
        _("Monitoring"),
        _("Targets and actuals for every indicator, by period and disaggregation."),
        (
            _("Record actual values per period"),
            _("Compare with targets and report progress"),
        ),
        (
            PhaseLink("monitoring-framework", _("M&E framework")),
            PhaseLink("monitoring-import", _("Import indicator values")),
        ),
    ),
)

PHASES_BY_SLUG = {phase.slug: phase for phase in PHASES}
