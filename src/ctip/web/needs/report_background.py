"""The tables of the TNA report around the needs: who answered (against the sampling plan), how respondents
describe their organisations, earlier trainings and what the interviews say, as
:class:`~ctip.web.needs.report_content.ReportTable` values (see :mod:`.report_tables` for the needs).
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from ctip.web.needs.report_content import (
    ABSENT,
    Cell,
    NeedsReportData,
    ReportTable,
    ResponseCount,
    Share,
    Stat,
    number,
    percent,
)
from ctip.web.needs.report_tables import group_order, rank_cell

ORGANISATION_TYPES_SHOWN = 3
"""How many organisation types a cell names before "and N more"."""


def _answered_of(answered: int, planned: int | None) -> str:
    """ "3 of 5", or "3" where nothing was planned."""
    if planned is None:
        return number(answered)
    return _("%(answered)s of %(planned)s") % {"answered": number(answered), "planned": number(planned)}


def sample_table(d: NeedsReportData, *, detailed: bool = False) -> ReportTable | None:
    """Respondents against the sampling plan, by organisation and sex; ``None`` without a plan. The report
    writes women and men as "answered of planned"; ``detailed`` (the annex) gives each number a column."""
    if d.plan is None:
        return None
    responses = {response.key: response for response in d.responses}
    lines: list[tuple[str, int | None, int | None, int | None, ResponseCount | None]] = []
    for stratum in d.plan.allocation.strata:
        split = bool(stratum.allocated_women or stratum.allocated_men)
        lines.append(
            (
                stratum.label,
                stratum.allocated_total,
                stratum.allocated_women if split else None,
                stratum.allocated_men if split else None,
                responses.pop(stratum.key, None),
            )
        )
    for response in responses.values():
        lines.append((response.label or _("Not matched to the registry"), None, None, None, response))
    total = ResponseCount(
        key="",
        label=_("Total"),
        women=sum(r.women for r in d.responses),
        men=sum(r.men for r in d.responses),
        total=sum(r.total for r in d.responses),
    )
    allocation = d.plan.allocation
    lines.append(
        (_("Total"), allocation.total_allocated, allocation.allocated_women, allocation.allocated_men, total)
    )
    rows: list[tuple[Cell, ...]] = []
    for label, planned, women, men, found in lines:
        answered = found.total if found is not None else 0
        rate: Cell = Share(answered / planned) if planned else ABSENT
        if detailed:
            rows.append(
                (
                    label,
                    planned if planned is not None else ABSENT,
                    answered,
                    rate,
                    women if women is not None else ABSENT,
                    found.women if found is not None else 0,
                    men if men is not None else ABSENT,
                    found.men if found is not None else 0,
                )
            )
        else:
            rows.append(
                (
                    label,
                    planned if planned is not None else ABSENT,
                    answered,
                    rate,
                    _answered_of(found.women if found is not None else 0, women),
                    _answered_of(found.men if found is not None else 0, men),
                )
            )
    header: tuple[str, ...] = (_("Organisation"), _("Planned"), _("Answered"), _("Response rate"))
    if detailed:
        header += (_("Women: planned"), _("Women: answered"), _("Men: planned"), _("Men: answered"))
    else:
        header += (_("Women answered"), _("Men answered"))
    return ReportTable(
        sheet=_("Sample"),
        caption=_("Respondents compared with the sampling plan, by organisation and sex"),
        header=header,
        rows=tuple(rows),
        column_widths_cm=None if detailed else (5.6, 1.8, 2.0, 2.0, 2.3, 2.3),
        note=_(
            "Planned: the sampling plan of the inception phase. “3 of 5”: 3 answered of 5 planned. "
            "Respondents who did not say their sex, or gave another answer, count in the totals only."
        ),
    )


def profile_table(d: NeedsReportData) -> ReportTable:
    """Who answered: the size of each group of the one-way breakdowns."""
    labels = d.labels
    total = d.analysis.n_respondents
    rows: list[tuple[Cell, ...]] = []
    for disaggregation in d.analysis.disaggregations:
        if len(disaggregation.by) != 1 or disaggregation.by[0] in ("organisation", "role"):
            continue
        for group in group_order(d, disaggregation):
            rows.append(
                (
                    labels.attribute(disaggregation.by[0]),
                    labels.group(disaggregation.by, group.values),
                    group.n if group.n is not None else labels.suppressed(group.suppressed),
                    Share(group.n / total) if group.n is not None and total else ABSENT,
                )
            )
    return ReportTable(
        sheet=_("Respondents"),
        caption=_("Who answered"),
        header=(_("Characteristic"), _("Group"), _("Respondents"), _("Share")),
        rows=tuple(rows),
        column_widths_cm=(5.0, 6.0, 2.7, 2.3),
        group_first_column=True,
        note=_("Groups of fewer than %(count)s respondents are not shown (“n<%(count)s”).")
        % {"count": d.min_cell},
    )


def national_answers_table(d: NeedsReportData) -> ReportTable | None:
    """How respondents describe their organisations (SOPs, data, budget, referral), over everyone."""
    labels = d.labels
    rows: list[tuple[Cell, ...]] = []
    for question, answers in d.data.institutional.items():
        counts = Counter(answers)
        given = sum(count for answer, count in counts.items() if answer)
        if not given:
            continue
        known = labels.answers_of(question)
        order = [*known, *sorted(answer for answer in counts if answer and answer not in known)]
        rows.append(
            (
                labels.question(question),
                " · ".join(
                    f"{labels.answer(question, answer)} {percent(counts[answer] / given)}"
                    for answer in order
                    if counts[answer]
                ),
                given,
            )
        )
    if not rows:
        return None
    return ReportTable(
        sheet=_("Organisations described"),
        caption=_("How respondents describe their organisations"),
        header=(_("Question"), _("Answers (share of those who answered)"), _("Answered")),
        rows=tuple(rows),
        column_widths_cm=(7.4, 6.4, 2.2),
    )


def institutional_answers_table(d: NeedsReportData) -> ReportTable:
    """Each organisation's answers to the institutional questions (for the annex; small organisations are
    marked, not shown)."""
    labels = d.labels
    rows: list[tuple[Cell, ...]] = []
    for institution in d.analysis.institutions:
        if institution.suppressed:
            rows.append((institution.organisation, labels.suppressed(institution.suppressed), "", "", "", ""))
            continue
        for question, answers in institution.institutional.items():
            given = sum(answers.values())
            for answer, count in answers.items():
                rows.append(
                    (
                        institution.organisation,
                        institution.n,
                        labels.question(question),
                        labels.answer(question, answer),
                        count,
                        Share(count / given) if given else ABSENT,
                    )
                )
    return ReportTable(
        sheet=_("Institutional answers"),
        caption=_("Each organisation’s answers on procedures, data, budget and referral"),
        header=(_("Organisation"), _("Respondents"), _("Question"), _("Answer"), _("Count"), _("Share")),
        rows=tuple(rows),
        note=_("Organisations with fewer than %(count)s respondents are not shown.") % {"count": d.min_cell},
    )


def training_effect_table(d: NeedsReportData) -> ReportTable | None:
    labels = d.labels
    effects = {effect.code: effect for effect in d.analysis.training_effect}
    if not effects:
        return None
    rows: list[tuple[Cell, ...]] = []
    for item in d.analysis.items:
        effect = effects.get(item.code)
        if effect is None:
            continue
        hidden = labels.suppressed(effect.suppressed) if effect.suppressed else ""
        rows.append(
            (
                labels.competency(item),
                effect.n_with,
                effect.n_without,
                hidden or Stat(effect.mean_with),
                hidden or Stat(effect.mean_without),
                hidden or Stat(effect.difference),
                hidden or Stat(effect.effect_size),
            )
        )
    return ReportTable(
        sheet=_("Earlier training"),
        caption=_("Own competence of respondents with and without an earlier training on trafficking"),
        header=(
            _("Competency"),
            _("Trained"),
            _("Not trained"),
            _("Competence (trained)"),
            _("Competence (not trained)"),
            _("Difference"),
            _("Hedges’ g"),
        ),
        rows=tuple(rows),
        column_widths_cm=(3.6, 1.7, 1.6, 2.5, 2.5, 2.1, 2.0),
        note=_(
            "Trained, not trained: respondents. Hedges’ g: the difference in standard deviations (about 0.2 "
            "small, 0.5 medium, 0.8 large). Self-ratings at one point in time: an association, not proof that "
            "the training worked."
        ),
    )


def registry_trainings_table(d: NeedsReportData) -> ReportTable | None:
    if not d.prior_trainings:
        return None
    return ReportTable(
        sheet=_("Registry trainings"),
        caption=_("Earlier trainings recorded in the stakeholder registry"),
        header=(_("Year"), _("Organisation"), _("Topic"), _("Provider"), _("Participants")),
        rows=tuple(
            (
                str(training.year),
                training.organisation.acronym or training.organisation.name,
                training.topic,
                training.provider or ABSENT,
                training.participants_women + training.participants_men,
            )
            for training in d.prior_trainings
        ),
        column_widths_cm=(1.4, 2.4, 6.0, 3.6, 2.6),
    )


def agreement_text(agreement: str) -> str:
    return {
        "agree": _("Agree"),
        "survey_only": _("Survey only"),
        "interviews_only": _("Interviews only: to discuss"),
        "neither": ABSENT,
    }.get(agreement, agreement)


def types_text(types: list[str]) -> str:
    shown = types[:ORGANISATION_TYPES_SHOWN]
    rest = len(types) - len(shown)
    text = ", ".join(shown)
    return text + (" " + _("and %(count)s more") % {"count": rest} if rest > 0 else "")


def triangulation_table(d: NeedsReportData) -> ReportTable | None:
    """The competencies with qualitative evidence, or among the largest needs, with what interviews say."""
    labels = d.labels
    top = {item.code for item in d.top}
    items = {item.code: item for item in d.analysis.items}
    rows: list[tuple[Cell, ...]] = []
    for found in d.triangulation:
        if not found.themes and found.code not in top:
            continue
        item = items.get(found.code)
        counted: Counter[str] = Counter(
            labels.organisation_type(code) for theme in found.themes for code in theme.organisation_types
        )
        types = sorted(counted, key=lambda name: (-counted[name], name.casefold()))
        rows.append(
            (
                labels.competency(found.code),
                rank_cell(item) if item is not None else ABSENT,
                item.quadrant.value if item is not None and item.quadrant is not None else ABSENT,
                "; ".join(f"{labels.text(theme.title)} ({number(theme.sources)})" for theme in found.themes)
                or ABSENT,
                types_text(types) or ABSENT,
                agreement_text(found.agreement),
            )
        )
    if not rows:
        return None
    return ReportTable(
        sheet=_("Qualitative"),
        caption=_("What the interviews and focus groups say about each need"),
        header=(
            _("Competency"),
            _("Survey rank"),
            _("Quadrant"),
            _("Themes (sources)"),
            _("Raised by"),
            _("Survey and interviews"),
        ),
        rows=tuple(rows),
        column_widths_cm=(3.6, 1.5, 1.8, 3.9, 3.0, 2.2),
        note=_(
            "Sources: interviews and focus groups with an excerpt coded to the theme. Raised by: the types of "
            "organisation taking part in those sources. “Interviews only”: raised in interviews but a low "
            "priority in the survey; to discuss at the validation workshop."
        ),
    )
