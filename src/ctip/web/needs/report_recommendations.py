"""From the largest needs to what training should address, and for whom first.

For each of the largest needs (:attr:`NeedsReportData.top`) the audience is where the need is highest: the
types of organisation with the highest MWDS for it (among groups large enough to be shown), and the
organisations that rank it among their own three largest needs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ctip.core.needs.model import ATTRIBUTE_ORGANISATION_TYPE, ItemNeed
from ctip.web.needs.report_content import ABSENT, NeedsReportData, ReportTable, decimal, percent

AUDIENCE_TYPES = 2
"""How many types of organisation the audience names."""
AUDIENCE_ORGANISATIONS = 4
"""How many organisations (by acronym) it names before "and N more"."""


def highest_types(d: NeedsReportData, item: ItemNeed) -> list[str]:
    """The types of organisation where the item's MWDS is highest (shown groups only), highest first."""
    disaggregation = d.disaggregation(ATTRIBUTE_ORGANISATION_TYPE)
    if disaggregation is None:
        return []
    scored = []
    for group in disaggregation.groups:
        if group.suppressed or group.values[0] in ("", "not_stated"):
            continue
        need = next((need for need in group.needs if need.code == item.code), None)
        if need is not None and need.mwds is not None and not need.suppressed and need.mwds > 0:
            scored.append((need.mwds, group.values[0]))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [d.labels.organisation_type(code) for _mwds, code in scored[:AUDIENCE_TYPES]]


def organisations_ranking_it_high(d: NeedsReportData, item: ItemNeed, *, within: int = 3) -> list[str]:
    """Organisations (large enough to be shown, by acronym) with the item among their own ``within`` largest
    needs."""
    found = []
    for institution in d.analysis.institutions:
        if institution.suppressed:
            continue
        codes = [need.code for need in institution.priorities if need.mwds is not None and need.mwds > 0]
        if item.code in codes[:within]:
            found.append(d.short_names.get(institution.organisation, institution.organisation))
    return found


def audience(d: NeedsReportData, item: ItemNeed) -> str:
    """Who should be trained first, in words."""
    types = highest_types(d, item)
    organisations = organisations_ranking_it_high(d, item)
    parts = []
    if types:
        parts.append(_("Highest in: %(types)s.") % {"types": ", ".join(types)})
    if organisations:
        shown = organisations[:AUDIENCE_ORGANISATIONS]
        rest = len(organisations) - len(shown)
        text = ", ".join(shown) + (" " + _("and %(count)s more") % {"count": rest} if rest > 0 else "")
        parts.append(_("Among the three largest needs of %(organisations)s.") % {"organisations": text})
    return " ".join(parts) or _("All staff of the national response.")


def summary_bullets(d: NeedsReportData) -> list[str]:
    """One plain sentence for each of the largest needs, for the executive summary."""
    bullets = []
    for position, item in enumerate(d.top, start=1):
        types = highest_types(d, item)
        text = _(
            "**%(position)s. %(title)s** (score %(mwds)s): %(share)s of respondents rate their competence below "
            "its importance."
        ) % {
            "position": position,
            "title": d.labels.title(item),
            "mwds": decimal(item.mwds),
            "share": percent(item.share_with_need),
        }
        if types:
            who = (
                _("%(first)s and %(second)s") % {"first": types[0], "second": types[1]}
                if len(types) > 1
                else types[0]
            )
            text += " " + _("It matters most for %(who)s.") % {"who": who}
        bullets.append(text)
    return bullets


def recommendation_table(d: NeedsReportData) -> ReportTable:
    labels = d.labels
    return ReportTable(
        sheet=_("Recommendations"),
        caption=_("What training should address, for the largest needs"),
        header=(_("Priority"), _("Need"), _("What training should address"), _("Level"), _("Who first")),
        rows=tuple(
            (
                position,
                f"{labels.competency(item)} (MWDS {decimal(item.mwds)})",
                labels.description(item.code) or ABSENT,
                labels.level(item.level),
                audience(d, item),
            )
            for position, item in enumerate(d.top, start=1)
        ),
        column_widths_cm=(1.7, 3.2, 4.6, 2.3, 4.2),
        note=_(
            "Level: foundational competencies concern everyone in the response; specialised ones the "
            "practitioners of a pillar. Who first: the types of organisation where the need is highest, and "
            "the organisations that rank it among their own three largest needs."
        ),
    )
