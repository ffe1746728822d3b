"""The validation-workshop deck: the TNA results on a dozen slides, ending with the questions to validate.

Built from the same analysis, tables and figures as the report (:mod:`.report_tables`, :mod:`.report_charts`);
call :func:`needs_deck` inside ``translation.override(d.language)``.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ctip.core.workspace_profile import country_name
from ctip.formats.documents.model import Table
from ctip.formats.documents.pptx_writer import Deck, Slide
from ctip.web.needs import report_charts as charts
from ctip.web.needs.report_background import agreement_text, sample_table
from ctip.web.needs.report_content import ABSENT, NeedsReportData, cell_text, decimal, number, percent
from ctip.web.needs.report_recommendations import highest_types

SLIDE_CHART_WIDTH = 8.0
"""Inches: a chart drawn for a slide keeps legible labels once scaled to the slide."""
SAMPLE_ROWS = 8
DECK_QUOTES = 2


def _png(chart: object) -> bytes | None:
    if chart is None:
        return None
    return charts.png(chart, width_inches=SLIDE_CHART_WIDTH)  # type: ignore[arg-type]


def _sample_slide(d: NeedsReportData) -> Slide:
    answered = d.analysis.n_respondents
    bullets = [
        _("**%(n)s** respondents from **%(organisations)s** organisations")
        % {
            "n": number(answered),
            "organisations": number(len({v for v in d.data.attributes.get("organisation", ()) if v})),
        },
    ]
    table = sample_table(d)
    if d.plan is not None and d.plan.allocation.total_allocated:
        bullets.append(
            _("%(rate)s of the %(planned)s planned")
            % {
                "rate": percent(answered / d.plan.allocation.total_allocated),
                "planned": number(d.plan.allocation.total_allocated),
            }
        )
    women = sum(response.women for response in d.responses)
    men = sum(response.men for response in d.responses)
    bullets.append(_("%(women)s women, %(men)s men") % {"women": number(women), "men": number(men)})
    if table is None:
        return Slide(_("Who answered"), bullets=tuple(bullets))
    # Planned, answered and rate only, the largest organisations first: the full table is in the report.
    body = sorted(table.rows[:-1], key=lambda row: -row[2] if isinstance(row[2], int) else 0)
    rows = [tuple(cell_text(cell) for cell in row[:4]) for row in body[:SAMPLE_ROWS]]
    if len(body) > SAMPLE_ROWS:
        rest = body[SAMPLE_ROWS:]
        rows.append(
            (
                ngettext("%(count)s other organisation", "%(count)s other organisations", len(rest))
                % {"count": len(rest)},
                number(sum(row[1] for row in rest if isinstance(row[1], int))),
                number(sum(row[2] for row in rest if isinstance(row[2], int))),
                ABSENT,
            )
        )
    rows.append(tuple(cell_text(cell) for cell in table.rows[-1][:4]))
    compact = Table(table.caption, table.header[:4], tuple(rows), column_widths_cm=(6.0, 1.8, 1.8, 2.0))
    return Slide(_("Who answered"), bullets=tuple(bullets), table=compact)


def _qualitative_slide(d: NeedsReportData) -> Slide | None:
    if not (d.interviews or d.focus_groups):
        return None
    agree = [found for found in d.triangulation if found.agreement == "agree"]
    disagree = [found for found in d.triangulation if found.agreement == "interviews_only"]
    bullets = [
        _("%(interviews)s interviews and %(groups)s focus groups coded to themes")
        % {"interviews": number(d.interviews), "groups": number(d.focus_groups)},
        _("**%(label)s**: %(items)s")
        % {
            "label": agreement_text("agree"),
            "items": ", ".join(d.labels.title(found.code) for found in agree) or ABSENT,
        },
    ]
    if disagree:
        bullets.append(
            _("**To discuss**: raised in interviews, low in the survey: %(items)s")
            % {"items": ", ".join(d.labels.title(found.code) for found in disagree)}
        )
    top = {item.code for item in d.top}
    quotes = [
        theme.quote for found in d.triangulation if found.code in top for theme in found.themes if theme.quote
    ]
    bullets += [f"“{quote}”" for quote in dict.fromkeys(quotes)][:DECK_QUOTES]
    return Slide(_("What interviews and focus groups say"), bullets=tuple(bullets))


def _recommendations_slide(d: NeedsReportData) -> Slide | None:
    if not d.top:
        return None
    rows = tuple(
        (
            str(position),
            f"{item.code} {d.labels.title(item)}",
            d.labels.level(item.level),
            ", ".join(highest_types(d, item)) or _("All staff"),
        )
        for position, item in enumerate(d.top, start=1)
    )
    return Slide(
        _("Recommendations: train first"),
        table=Table(
            _("Recommendations"),
            (_("Priority"), _("Need"), _("Level"), _("Who first")),
            rows,
            column_widths_cm=(1.6, 8.0, 2.6, 6.0),
        ),
    )


def _top_bullets(d: NeedsReportData) -> tuple[str, ...]:
    """One short line per largest need: the slide shows the chart beside them."""
    return tuple(
        _("**%(position)s. %(title)s**: score %(mwds)s, %(share)s with a gap")
        % {
            "position": position,
            "title": d.labels.title(item),
            "mwds": decimal(item.mwds),
            "share": percent(item.share_with_need),
        }
        for position, item in enumerate(d.top, start=1)
    ) or (_("No training need stands out yet."),)


def _locus_bullets(d: NeedsReportData) -> tuple[str, ...]:
    """The competencies of each quadrant, by code (the chart labels them by code)."""
    words = {
        "HH": _("**HH, first priority**: %(codes)s"),
        "LH": _("**LH**, large gap, less important: %(codes)s"),
        "HL": _("**HL**, important, smaller gap: %(codes)s"),
        "LL": _("**LL, last**: %(codes)s"),
    }
    return tuple(
        template
        % {
            "codes": ", ".join(
                item.code
                for item in d.ranked
                if item.quadrant is not None and item.quadrant.value == quadrant
            )
            or _("none")
        }
        for quadrant, template in words.items()
    )


def needs_deck(d: NeedsReportData) -> Deck:
    analysis = d.analysis
    slides: list[Slide | None] = [
        Slide(
            _("How the needs were assessed"),
            bullets=(
                _(
                    "**Survey**: %(n)s staff rated %(items)s competencies for importance and own competence (1–%(scale)s)"
                )
                % {
                    "n": number(analysis.n_respondents),
                    "items": number(len(analysis.items)),
                    "scale": analysis.scale_max,
                },
                _("**Borich score (MWDS)**: importance × gap ranks the needs"),
                _("**Locus for Focus**: high importance and high gap = first priority"),
                _("**Interviews and focus groups** set beside the survey"),
                _("Groups of fewer than %(count)s people are never shown") % {"count": d.min_cell},
            ),
        ),
        _sample_slide(d),
        Slide(
            _("The largest training needs"),
            bullets=_top_bullets(d),
            image_png=_png(charts.top_needs(d)),
        ),
        Slide(
            _("Locus for Focus"),
            bullets=_locus_bullets(d),
            image_png=_png(charts.locus_for_focus(d)),
        ),
        Slide(_("Needs by organisation"), image_png=_png(charts.organisation_heat_map(d))),
        Slide(_("Needs by sex"), image_png=_png(charts.gap_by_sex(d))),
        _qualitative_slide(d),
        _recommendations_slide(d),
        Slide(
            _("Questions for validation"),
            bullets=(
                _("Do these priorities (%(codes)s) match what you see in your work?")
                % {"codes": ", ".join(item.code for item in d.top) or ABSENT},
                _("Where survey and interviews disagree, which is right?"),
                _("Who should be trained first, and at which level?"),
                _("Is anything missing from the competency framework?"),
                _("Which earlier trainings should the plan build on?"),
            ),
        ),
    ]
    country = country_name(d.workspace.country, d.language)
    return Deck(
        title=_("Training needs assessment — %(country)s") % {"country": country},
        subtitle=_("Results for validation · %(date)s")
        % {"date": formats.date_format(timezone.localdate(), "j F Y")},
        slides=tuple(
            slide
            for slide in slides
            if slide is not None and (slide.bullets or slide.table or slide.image_png)
        ),
    )
