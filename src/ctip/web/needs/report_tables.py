"""The tables of the TNA report on the needs themselves, as
:class:`~ctip.web.needs.report_content.ReportTable` values (the sample, the organisations' answers, earlier
trainings and the interviews are in :mod:`.report_background`).

The Word report, the annex workbook and the validation deck show the same tables, so each is built once
here from :class:`~ctip.web.needs.report_content.NeedsReportData`, with its cells still as values (counts,
:class:`Stat`, :class:`Share`): the report writes them for reading, the annex as numbers. Every number comes
from the analysis; a group with fewer respondents than the analysis' ``min_cell`` shows "n<5" instead of its
statistics, and a group hidden so that a small one cannot be worked out shows "hidden".
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from django.utils.translation import gettext as _

from ctip.core.needs import describe_suppression
from ctip.core.needs.model import NOT_STATED, Disaggregation, Group, GroupNeed, ItemNeed
from ctip.web.needs.report_content import (
    ABSENT,
    PROFILE_TOP,
    Cell,
    NeedsReportData,
    ReportTable,
    Share,
    Stat,
    decimal,
    number,
)

TOP_ROWS = 10
"""How many of the largest needs the tables by group show (the annex has them all)."""
MATRIX_GROUPS = 5
"""Up to this many groups, a table by group has one column per group; with more, it lists each group's own
largest needs instead (a column per group would not be legible on a page)."""
GROUP_NEEDS = 3
"""How many of its own largest needs a table lists for each organisation or group."""


def rank_cell(item: ItemNeed) -> Cell:
    """The rank, with "=" when another item has the same MWDS to two decimals."""
    if item.rank is None:
        return ABSENT
    return f"{item.rank}=" if item.tied else item.rank


def _count_or_hidden(d: NeedsReportData, n: int | None, suppressed: str) -> Cell:
    return n if n is not None else d.labels.suppressed(suppressed)


def priority_table(d: NeedsReportData) -> ReportTable:
    labels = d.labels
    return ReportTable(
        sheet=_("Priorities"),
        caption=_("Training needs of all respondents, ranked by the Borich score (MWDS)"),
        header=(
            _("Rank"),
            _("Competency"),
            _("Importance"),
            _("Competence"),
            _("Gap"),
            _("With a gap"),
            _("MWDS"),
            _("Quadrant"),
        ),
        rows=tuple(
            (
                rank_cell(item),
                labels.competency(item),
                Stat(item.mean_importance),
                Stat(item.mean_competence),
                Stat(item.mean_discrepancy),
                Share(item.share_with_need),
                Stat(item.mwds),
                item.quadrant.value if item.quadrant is not None else ABSENT,
            )
            for item in d.analysis.items
        ),
        column_widths_cm=(1.2, 4.0, 2.3, 2.5, 1.2, 1.5, 1.4, 1.9),
        note=_(
            "Means on the 1–%(scale)s scale over the %(n)s respondents. Gap: importance minus competence. With "
            "a gap: respondents who rate their competence below the importance. MWDS: mean importance × mean "
            "gap. Quadrant (Locus for Focus): HH high importance and high gap (first priority), HL and LH "
            "second, LL last. “=”: same MWDS as another competency. The annex adds confidence intervals and "
            "the test of each gap."
        )
        % {"scale": d.analysis.scale_max, "n": number(d.analysis.n_respondents)},
    )


def reliability_table(d: NeedsReportData) -> ReportTable:
    ratings = {"importance": _("Importance"), "competence": _("Competence")}
    return ReportTable(
        sheet=_("Reliability"),
        caption=_("Reliability of the questionnaire: Cronbach’s alpha for each pillar"),
        header=(_("Pillar"), _("Rating"), _("Competencies"), _("Respondents"), _("Alpha"), _("95% CI")),
        rows=tuple(
            (
                d.labels.pillar(scale.group),
                ratings.get(scale.rating, scale.rating),
                scale.k,
                scale.n,
                Stat(scale.alpha),
                f"{decimal(scale.ci[0])} – {decimal(scale.ci[1])}" if scale.ci is not None else ABSENT,
            )
            for scale in d.analysis.reliability
        ),
        column_widths_cm=(3.0, 2.6, 2.7, 2.7, 1.8, 3.2),
        group_first_column=True,
        note=_(
            "Confidence intervals by Feldt’s method. Alpha needs at least two competencies in a pillar (“—”)."
        ),
    )


def _mean(values: Sequence[float | None]) -> Stat:
    present = [value for value in values if value is not None]
    return Stat(statistics.fmean(present) if present else None)


def pillar_table(d: NeedsReportData) -> ReportTable:
    labels = d.labels
    groups: dict[str, list[ItemNeed]] = {}
    for item in d.analysis.items:
        groups.setdefault(item.group, []).append(item)
    rows: list[tuple[Cell, ...]] = []
    for group, items in groups.items():
        rated = [item for item in items if item.mwds is not None]
        rows.append(
            (
                labels.pillar(group),
                len(items),
                _mean([item.mean_importance for item in rated]),
                _mean([item.mean_discrepancy for item in rated]),
                _mean([item.mwds for item in rated]),
                sum(1 for item in rated if item.priority == 1),
                labels.competency(rated[0]) if rated else ABSENT,
            )
        )
    return ReportTable(
        sheet=_("By pillar"),
        caption=_("Training needs by pillar"),
        header=(
            _("Pillar"),
            _("Competencies"),
            _("Mean importance"),
            _("Mean gap"),
            _("Mean MWDS"),
            _("First priority (HH)"),
            _("Largest need"),
        ),
        rows=tuple(rows),
        column_widths_cm=(2.4, 2.8, 2.3, 1.5, 1.6, 1.9, 3.5),
        note=_("Means over the competencies of the pillar."),
    )


def _own_needs(d: NeedsReportData, needs: Sequence[GroupNeed]) -> str:
    """A group's own largest needs with their MWDS ("Referral (7.97); Coordination (7.44)")."""
    shown = [need for need in needs if need.mwds is not None and need.mwds > 0 and not need.suppressed]
    ranked = sorted(shown, key=lambda need: need.rank if need.rank is not None else len(needs))[:GROUP_NEEDS]
    return "; ".join(f"{d.labels.title(need.code)} ({decimal(need.mwds)})" for need in ranked) or ABSENT


def institution_table(d: NeedsReportData) -> ReportTable:
    """Each organisation's own three largest needs; the organisations too small to be shown are named on
    one line at the end ("n<5"), by acronym."""
    rows: list[tuple[Cell, ...]] = []
    small: list[str] = []
    for institution in d.analysis.institutions:
        if institution.suppressed:
            small.append(d.short_names.get(institution.organisation, institution.organisation))
            continue
        rows.append((institution.organisation, institution.n, _own_needs(d, institution.priorities)))
    if small:
        rows.append(
            (
                ", ".join(small),
                d.labels.suppressed("small_cell"),
                _("Not shown: fewer than %(count)s respondents each.") % {"count": d.min_cell},
            )
        )
    return ReportTable(
        sheet=_("By institution"),
        caption=_("The three largest needs in each organisation"),
        header=(_("Organisation"), _("Respondents"), _("Largest needs (MWDS)")),
        rows=tuple(rows),
        column_widths_cm=(5.2, 2.6, 8.2),
        note=_("Organisations with fewer than %(count)s respondents are not shown, to protect them.")
        % {"count": d.min_cell},
    )


def group_order(d: NeedsReportData, disaggregation: Disaggregation) -> list[Group]:
    """Ordered bands in their order (years of service, age), other groups largest first; suppressed ones
    after them and "not stated" last."""
    return sorted(
        disaggregation.groups,
        key=lambda group: (
            any(value in ("", NOT_STATED) for value in group.values),
            [d.labels.order(a, v) for a, v in zip(disaggregation.by, group.values, strict=True)],
            group.n is None,
            -(group.n or 0),
            group.values,
        ),
    )


def group_table(
    d: NeedsReportData, disaggregation: Disaggregation, *, caption: str, sheet: str
) -> ReportTable:
    """The needs in each group of a disaggregation: the MWDS of the largest needs overall, one column per
    group, or (with many groups) each group's own largest needs."""
    labels = d.labels
    groups = group_order(d, disaggregation)
    hidden_note = _(
        "“n<%(min)s”: fewer than %(min)s respondents, not shown; “hidden”: not shown so that a small group "
        "cannot be worked out from the others."
    ) % {"min": d.min_cell}
    if len(groups) > MATRIX_GROUPS:
        return ReportTable(
            sheet=sheet,
            caption=caption,
            header=(labels.attribute(disaggregation.by[0]), _("Respondents"), _("Largest needs (MWDS)")),
            rows=tuple(
                (
                    labels.group(disaggregation.by, group.values),
                    _count_or_hidden(d, group.n, group.suppressed),
                    _("Not shown") if group.suppressed else _own_needs(d, group.needs),
                )
                for group in groups
            ),
            column_widths_cm=(4.4, 2.6, 9.0),
            note=_("Each group’s own %(count)s largest needs.") % {"count": GROUP_NEEDS} + " " + hidden_note,
        )
    by_code = [{need.code: need for need in group.needs} for group in groups]
    items = d.ranked[:TOP_ROWS]
    respondents: tuple[Cell, ...] = (
        _("Respondents"),
        *(_count_or_hidden(d, group.n, group.suppressed) for group in groups),
    )
    return ReportTable(
        sheet=sheet,
        caption=caption,
        header=(_("Competency"), *(labels.group(disaggregation.by, group.values) for group in groups)),
        rows=(
            respondents,
            *(
                (labels.competency(item), *(labels.group_cell(needs.get(item.code)) for needs in by_code))
                for item in items
            ),
        ),
        note=_("MWDS of the %(count)s largest needs overall, in each group.") % {"count": len(items)}
        + " "
        + hidden_note,
    )


def sex_table(d: NeedsReportData) -> ReportTable | None:
    found = d.disaggregation("sex")
    if found is None:
        return None
    return group_table(d, found, caption=_("Training needs by sex (MWDS)"), sheet=_("Sex"))


def location_table(d: NeedsReportData) -> ReportTable | None:
    found = d.disaggregation("location")
    if found is None:
        return None
    return group_table(d, found, caption=_("Training needs by location"), sheet=_("Location"))


def disaggregation_table(d: NeedsReportData, disaggregation: Disaggregation) -> ReportTable:
    """Every group and item of a disaggregation, for the annex (suppressed statistics marked)."""
    labels = d.labels
    rows: list[tuple[Cell, ...]] = []
    for group in group_order(d, disaggregation):
        for need in group.needs:
            reason = need.suppressed or group.suppressed
            hidden = labels.suppressed(reason) if reason else ""
            rows.append(
                (
                    *(labels.value(a, v) for a, v in zip(disaggregation.by, group.values, strict=True)),
                    _count_or_hidden(d, group.n, group.suppressed),
                    need.code,
                    labels.title(need.code),
                    hidden or Stat(need.mean_importance),
                    hidden or Stat(need.mean_competence),
                    hidden or Stat(need.mean_discrepancy),
                    hidden or Share(need.share_with_need),
                    hidden or Stat(need.mwds),
                    hidden or (need.rank if need.rank is not None else ABSENT),
                )
            )
    names = [labels.attribute(name) for name in disaggregation.by]
    return ReportTable(
        sheet=_("By %(what)s") % {"what": " × ".join(names).lower()},
        caption=_("Training needs by %(what)s") % {"what": " × ".join(names).lower()},
        header=(
            *names,
            _("Respondents"),
            _("Code"),
            _("Competency"),
            _("Importance"),
            _("Competence"),
            _("Gap"),
            _("With a gap"),
            _("MWDS"),
            _("Rank in the group"),
        ),
        rows=tuple(rows),
        note=describe_suppression(d.analysis.options, _),
    )


def individual_table(d: NeedsReportData) -> ReportTable:
    """How often each competency is among the respondents' own largest gaps (counts, never people)."""
    labels = d.labels
    counts: Counter[str] = Counter(gap.code for profile in d.profiles for gap in profile.gaps)
    total = d.analysis.n_respondents
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return ReportTable(
        sheet=_("Individual level"),
        caption=_("Competencies among the respondents’ own %(count)s largest gaps") % {"count": PROFILE_TOP},
        header=(_("Competency"), _("Respondents"), _("Share of respondents")),
        rows=tuple(
            (labels.competency(code), count, Share(count / total) if total else ABSENT)
            for code, count in ranked
        ),
        column_widths_cm=(9.0, 3.0, 4.0),
        note=_(
            "For each respondent, the competencies with the largest gap between importance and own competence "
            "(up to %(count)s, only gaps above zero). Counts only: no individual answers are shown."
        )
        % {"count": PROFILE_TOP},
    )
