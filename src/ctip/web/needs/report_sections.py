"""The sections of the TNA report (see :mod:`.report` for the whole and the files): each a function of
:class:`~ctip.web.needs.report_content.NeedsReportData` returning document blocks, worded for a reader who
is not a statistician. Call them inside ``translation.override(d.language)``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ctip.core.needs import ThemeEvidence, Triangulated
from ctip.core.needs.model import Weighting
from ctip.formats.documents.model import Block, BulletList, Figure, Heading, PageBreak, Paragraph
from ctip.web.needs import report_background as background
from ctip.web.needs import report_charts as charts
from ctip.web.needs import report_tables as tables
from ctip.web.needs.report_content import ABSENT, PROFILE_TOP, NeedsReportData, decimal, number, percent
from ctip.web.needs.report_recommendations import recommendation_table, summary_bullets

SUMMARY_FIGURE_CM = 13.0
"""The summary's chart is a little narrower than the page, so the summary fits on one page."""
QUOTES = 6
"""At most this many anonymised quotes in the qualitative findings."""
SIGNIFICANCE = 0.05


def _date(value: dt.datetime | None) -> str:
    return str(formats.date_format(timezone.localtime(value), "j F Y")) if value is not None else ABSENT


def _reliability_words(d: NeedsReportData) -> str:
    alphas = [scale.alpha for scale in d.analysis.reliability if scale.alpha is not None]
    if not alphas:
        return _(
            "The consistency of the questionnaire could not be measured (too few answers or competencies)."
        )
    low, high = min(alphas), max(alphas)
    values = {"low": decimal(low), "high": decimal(high)}
    if low >= 0.8:
        return (
            _(
                "The questionnaire measured consistently: Cronbach’s alpha, a measure of consistency from 0 to 1, "
                "is between %(low)s and %(high)s for every pillar (0.8 or more is good)."
            )
            % values
        )
    if low >= 0.7:
        return (
            _(
                "The questionnaire measured consistently enough: Cronbach’s alpha, a measure of consistency from "
                "0 to 1, is between %(low)s and %(high)s for every pillar (0.7 or more is acceptable)."
            )
            % values
        )
    return (
        _(
            "Some answers were not very consistent: Cronbach’s alpha, a measure of consistency from 0 to 1, is "
            "between %(low)s and %(high)s (0.7 or more is acceptable). Read the pillars below 0.7 with care "
            "(see the section on reliability)."
        )
        % values
    )


def summary_section(d: NeedsReportData) -> list[Block]:
    analysis = d.analysis
    organisations = {value for value in d.data.attributes.get("organisation", ()) if value}
    opening = ngettext(
        "%(n)s staff of %(organisations)s organisation answered the training needs survey between %(first)s "
        "and %(last)s. Each rated %(items)s competencies twice, on a scale of 1 to %(scale)s: how important it "
        "is to their job, and how competent they feel in it. The gap between the two, weighted by the "
        "importance, ranks the training needs.",
        "%(n)s staff of %(organisations)s organisations answered the training needs survey between %(first)s "
        "and %(last)s. Each rated %(items)s competencies twice, on a scale of 1 to %(scale)s: how important it "
        "is to their job, and how competent they feel in it. The gap between the two, weighted by the "
        "importance, ranks the training needs.",
        len(organisations),
    ) % {
        "n": number(analysis.n_respondents),
        "organisations": number(len(organisations)),
        "first": _date(d.first_answer),
        "last": _date(d.last_answer),
        "items": number(len(analysis.items)),
        "scale": analysis.scale_max,
    }
    if d.plan is not None and d.plan.allocation.total_allocated:
        opening += " " + _(
            "That is %(rate)s of the %(planned)s respondents planned in the sampling plan."
        ) % {
            "rate": percent(analysis.n_respondents / d.plan.allocation.total_allocated),
            "planned": number(d.plan.allocation.total_allocated),
        }
    blocks: list[Block] = [Heading(_("Executive summary"), 1), Paragraph(opening)]
    if d.top:
        blocks += [
            Paragraph(_("**The %(count)s largest training needs are:**") % {"count": len(d.top)}),
            BulletList(tuple(summary_bullets(d))),
            Figure(
                _("The largest training needs, by Borich score"),
                charts.png(charts.top_needs(d)),
                width_cm=SUMMARY_FIGURE_CM,
            ),
        ]
    else:
        blocks.append(
            Paragraph(_("No competency shows a training need yet: importance does not exceed competence."))
        )
    blocks.append(Paragraph(_reliability_words(d)))
    agree = [found for found in d.triangulation if found.agreement == "agree"]
    disagree = [found for found in d.triangulation if found.agreement == "interviews_only"]
    needs = [item for item in d.ranked if item.priority in (1, 2)]
    if d.interviews or d.focus_groups:
        text = _(
            "Interviews and focus groups support %(agree)s of the %(needs)s competencies that the survey ranks "
            "as first or second priorities."
        ) % {"agree": number(len(agree)), "needs": number(len(needs))}
        if disagree:
            text += " " + ngettext(
                "They also raise %(count)s need that the survey ranks low; it is listed for discussion at the "
                "validation workshop.",
                "They also raise %(count)s needs that the survey ranks low; they are listed for discussion at "
                "the validation workshop.",
                len(disagree),
            ) % {"count": number(len(disagree))}
        blocks.append(Paragraph(text))
    blocks.append(
        Paragraph(
            _(
                "The recommendations at the end of this report say, for each of these needs, what training "
                "should address and for whom. Every table, with all the breakdowns, is in the annex workbook."
            )
        )
    )
    return blocks


def methodology_section(d: NeedsReportData) -> list[Block]:
    options = d.analysis.options
    weighting = (
        _("mean importance × mean gap (Borich, 1980)")
        if options.weighting == Weighting.STANDARD
        else _(
            "the mean of each respondent’s importance × gap (a variant of Borich’s score, not the standard)"
        )
    )
    tested = [item for item in d.ranked if item.test.p_adjusted is not None]
    significant = [item for item in tested if (item.test.p_adjusted or 1.0) < SIGNIFICANCE]
    blocks: list[Block] = [
        PageBreak(),
        Heading(_("Methodology and sample"), 1),
        Paragraph(
            _(
                "The survey instrument “%(title)s” asked each respondent to rate %(items)s competencies of the "
                "national competency framework twice, on a scale of 1 to %(scale)s: their **importance** to the "
                "job and the respondent’s own **competence**. For each competency:"
            )
            % {
                "title": d.instrument.title,
                "items": number(len(d.analysis.items)),
                "scale": d.analysis.scale_max,
            }
        ),
        BulletList(
            (
                _(
                    "the **gap** is importance minus competence (the annex gives its 95% confidence interval);"
                ),
                _("the **Borich score (MWDS)** is %(weighting)s; a higher score is a larger training need;")
                % {"weighting": weighting},
                _(
                    "the **Locus for Focus** places each competency by importance and gap; cut at the mean of "
                    "each over the competencies, it gives first priorities (high importance, high gap: HH), "
                    "second priorities (HL, LH) and last ones (LL);"
                ),
                _(
                    "a **Wilcoxon signed-rank test** checks that importance and competence differ, with the "
                    "p-values adjusted across competencies (%(method)s): they differ for %(significant)s of "
                    "%(tested)s competencies (adjusted p below 0.05)."
                )
                % {
                    "method": _("Holm") if options.adjustment.value == "holm" else _("Benjamini–Hochberg"),
                    "significant": number(len(significant)),
                    "tested": number(len(tested)),
                },
            )
        ),
        Paragraph(
            _(
                "To protect respondents, no result is shown for a group of fewer than %(count)s people, and a "
                "second group is hidden where the small one could otherwise be worked out from the total. "
                "Interviews and focus groups were coded to themes of a codebook; themes linked to a competency "
                "are set beside the survey’s result for it."
            )
            % {"count": d.min_cell}
        ),
        Heading(_("Sample"), 2),
    ]
    sample = background.sample_table(d)
    if sample is not None:
        answered = sum(response.total for response in d.responses)
        planned = d.plan.allocation.total_allocated if d.plan is not None else 0
        women = sum(response.women for response in d.responses)
        men = sum(response.men for response in d.responses)
        blocks.append(
            Paragraph(
                _(
                    "%(answered)s people answered, for %(planned)s planned (%(rate)s): %(women)s women for "
                    "%(planned_women)s planned and %(men)s men for %(planned_men)s planned."
                )
                % {
                    "answered": number(answered),
                    "planned": number(planned),
                    "rate": percent(answered / planned) if planned else ABSENT,
                    "women": number(women),
                    "planned_women": number(d.plan.allocation.allocated_women) if d.plan else ABSENT,
                    "men": number(men),
                    "planned_men": number(d.plan.allocation.allocated_men) if d.plan else ABSENT,
                }
            )
        )
        blocks.append(sample.document())
    else:
        blocks.append(Paragraph(d.plan_problem))
    blocks.append(background.profile_table(d).document())
    return blocks


def reliability_section(d: NeedsReportData) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Reliability of the instrument"), 1),
        Paragraph(
            _(
                "Cronbach’s alpha tells whether the competencies of one pillar were rated consistently: from 0 "
                "(no consistency) to 1; 0.7 or more is usually acceptable. It is computed for each pillar, "
                "separately for importance and competence, over %(rule)s."
            )
            % {
                "rule": _("the respondents who rated every competency of the pillar")
                if d.analysis.options.missing.value == "listwise"
                else _("all the answers given (each pair of competencies over those who rated both)")
            }
        ),
        tables.reliability_table(d).document(),
    ]
    flags = d.analysis.review
    if flags:
        ratings = {"importance": _("importance"), "competence": _("competence")}
        items = []
        for flag in flags:
            values = {
                "competency": d.labels.competency(flag.code),
                "rating": ratings.get(flag.rating, flag.rating),
            }
            if flag.reason == "near_constant":
                items.append(
                    _(
                        "%(competency)s (%(rating)s): %(share)s of the answers are the same; it hardly tells people apart."
                    )
                    % {**values, "share": percent(flag.value)}
                )
            else:
                items.append(
                    _("%(competency)s (%(rating)s): the pillar’s alpha would rise to %(alpha)s without it.")
                    % {**values, "alpha": decimal(flag.value)}
                )
        blocks += [
            Paragraph(_("Competencies to review before the instrument is used again:")),
            BulletList(tuple(items)),
        ]
    else:
        blocks.append(Paragraph(_("No competency stands out as behaving badly in the questionnaire.")))
    return blocks


def _priorities_words(d: NeedsReportData) -> str:
    """The Locus for Focus in words: how many competencies fall in each priority."""
    hh = [item for item in d.ranked if item.priority == 1]
    if hh:
        return ngettext(
            "%(count)s competency is a first priority (high importance and a high gap): %(items)s.",
            "%(count)s competencies are first priorities (high importance and a high gap): %(items)s.",
            len(hh),
        ) % {"count": number(len(hh)), "items": "; ".join(d.labels.title(item) for item in hh)}
    lh = [item for item in d.ranked if item.quadrant is not None and item.quadrant.value == "LH"]
    hl = [item for item in d.ranked if item.quadrant is not None and item.quadrant.value == "HL"]
    return _(
        "No competency combines an importance and a gap both above the average (the first priority of the "
        "Locus for Focus). The largest gaps are in competencies rated somewhat less important (%(lh)s), and "
        "the competencies rated most important show smaller gaps (%(hl)s): both are second priorities."
    ) % {
        "lh": ", ".join(item.code for item in lh) or ABSENT,
        "hl": ", ".join(item.code for item in hl) or ABSENT,
    }


def findings_section(d: NeedsReportData) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Findings"), 1),
        Heading(_("Priorities of all respondents"), 2),
        Paragraph(
            _priorities_words(d)
            + " "
            + _("The figure places every competency; the table gives the figures behind it.")
        ),
        Figure(
            _("Locus for Focus: competencies by importance and gap"), charts.png(charts.locus_for_focus(d))
        ),
        tables.priority_table(d).document(),
        Heading(_("By pillar"), 2),
        tables.pillar_table(d).document(),
        Heading(_("By institution"), 2),
    ]
    heat_map = charts.organisation_heat_map(d)
    hidden = charts.hidden_organisations(d)
    if heat_map is not None:
        text = _(
            "The heat map shows the largest needs overall in each organisation: the darker the red, the larger "
            "the need. Each organisation’s own three largest needs are listed under the institutional level "
            "below."
        )
        if hidden:
            text += " " + _(
                "Not shown, to protect their respondents (fewer than %(count)s, or hidden so that a small "
                "group cannot be worked out): %(organisations)s."
            ) % {"count": d.min_cell, "organisations": ", ".join(hidden)}
        blocks += [Paragraph(text), Figure(_("Training needs by organisation"), charts.png(heat_map))]
    sex = tables.sex_table(d)
    if sex is not None:
        blocks.append(Heading(_("By sex"), 2))
        chart = charts.gap_by_sex(d)
        if chart is not None:
            blocks.append(Figure(_("Mean gap of the largest needs, by sex"), charts.png(chart)))
        blocks.append(sex.document())
    location = tables.location_table(d)
    if location is not None:
        blocks += [Heading(_("By location"), 2), location.document()]
    return blocks


def _quotes(d: NeedsReportData) -> list[tuple[Triangulated, ThemeEvidence]]:
    """The quotes to show: those on the largest needs first, then on the needs where survey and interviews
    disagree, then on the other needs they agree on; each quote once, at most :data:`QUOTES`."""
    top = [item.code for item in d.top]
    order = {code: index for index, code in enumerate(top)}

    def weight(found: Triangulated) -> tuple[int, int]:
        if found.code in order:
            return 0, order[found.code]
        return (1 if found.agreement == "interviews_only" else 2 if found.agreement == "agree" else 3), 0

    chosen: list[tuple[Triangulated, ThemeEvidence]] = []
    seen: set[str] = set()
    for found in sorted(d.triangulation, key=weight):
        if weight(found)[0] == 3:
            continue
        for theme in found.themes:
            if theme.quote and theme.quote not in seen:
                seen.add(theme.quote)
                chosen.append((found, theme))
    return chosen[:QUOTES]


def qualitative_section(d: NeedsReportData) -> list[Block]:
    blocks: list[Block] = [Heading(_("Qualitative findings"), 1)]
    if not (d.interviews or d.focus_groups):
        return [*blocks, Paragraph(_("No interview or focus group has been recorded yet."))]
    blocks.append(
        Paragraph(
            _(
                "%(interviews)s key-informant interviews and %(groups)s focus-group discussions were coded to "
                "the themes of the codebook. The table sets the themes linked to each competency beside the "
                "survey’s result."
            )
            % {"interviews": number(d.interviews), "groups": number(d.focus_groups)}
        )
    )
    table = background.triangulation_table(d)
    if table is not None:
        blocks.append(table.document())
    disagree = [found for found in d.triangulation if found.agreement == "interviews_only"]
    if disagree:
        blocks += [
            Paragraph(_("**Where survey and interviews disagree** (to discuss at the validation workshop):")),
            BulletList(
                tuple(
                    _(
                        "%(competency)s: raised in %(sources)s interviews or focus groups, but a low priority in the survey."
                    )
                    % {"competency": d.labels.competency(found.code), "sources": number(found.sources)}
                    for found in disagree
                )
            ),
        ]
    quotes = _quotes(d)
    if quotes:
        blocks.append(Paragraph(_("**In their own words** (anonymised quotes):")))
        for found, theme in quotes:
            types = background.types_text(
                sorted(
                    {d.labels.organisation_type(code) for code in theme.organisation_types}, key=str.casefold
                )
            )
            blocks.append(
                Paragraph(
                    f"“{theme.quote}” — {d.labels.text(theme.title)}"
                    + (f" ({types})" if types else "")
                    + f" · {found.code}",
                    style="Quote",
                )
            )
    return blocks


def levels_section(d: NeedsReportData) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Prioritised needs at three levels"), 1),
        Heading(_("National level"), 2),
        Paragraph(
            _(
                "Across the national response, the largest needs are: %(items)s. How respondents describe "
                "their organisations shows what the system as a whole lacks beyond training:"
            )
            % {"items": "; ".join(d.labels.title(item) for item in d.top) or ABSENT}
        ),
    ]
    answers = background.national_answers_table(d)
    if answers is not None:
        blocks.append(answers.document())
    blocks += [
        Heading(_("Institutional level"), 2),
        Paragraph(
            _(
                "Each organisation’s own ranking; the annex adds each organisation’s answers on procedures, "
                "data, budget and referral."
            )
        ),
        tables.institution_table(d).document(),
        Heading(_("Individual level"), 2),
    ]
    with_gap = sum(1 for profile in d.profiles if profile.gaps)
    blocks += [
        Paragraph(
            _(
                "%(with_gap)s respondents (%(share)s) rate at least one competency above their own competence. "
                "The table counts how often each competency is among a person’s own %(top)s largest gaps: the "
                "basis for individual learning plans (each respondent’s profile stays in the workspace)."
            )
            % {
                "with_gap": number(with_gap),
                "share": percent(with_gap / len(d.profiles)) if d.profiles else ABSENT,
                "top": PROFILE_TOP,
            }
        ),
        tables.individual_table(d).document(),
    ]
    return blocks


def prior_trainings_section(d: NeedsReportData) -> list[Block]:
    blocks: list[Block] = [Heading(_("Consideration of previous trainings"), 1)]
    registry = background.registry_trainings_table(d)
    if registry is not None:
        years = [training.year for training in d.prior_trainings]
        blocks += [
            Paragraph(
                ngettext(
                    "The stakeholder registry records %(count)s earlier training on trafficking (%(first)s–%(last)s).",
                    "The stakeholder registry records %(count)s earlier trainings on trafficking "
                    "(%(first)s–%(last)s).",
                    len(years),
                )
                % {"count": number(len(years)), "first": min(years), "last": max(years)}
            ),
            registry.document(),
        ]
    else:
        blocks.append(Paragraph(_("The stakeholder registry records no earlier training.")))
    trained = d.data.attributes.get("prior_training", ())
    yes = sum(1 for value in trained if value == "yes")
    effect = background.training_effect_table(d)
    if trained:
        blocks.append(
            Paragraph(
                _(
                    "%(count)s respondents (%(share)s) said they had attended a training on trafficking before."
                )
                % {"count": number(yes), "share": percent(yes / len(trained)) if trained else ABSENT}
            )
        )
    measured = [e for e in d.analysis.training_effect if e.effect_size is not None]
    if effect is not None and measured:
        smallest = sorted(measured, key=lambda e: e.effect_size or 0.0)[:3]
        blocks.append(
            Paragraph(
                _(
                    "Those trained rate their own competence higher on %(higher)s of %(count)s competencies. The "
                    "smallest differences, where earlier trainings seem to have helped least, are for %(items)s: "
                    "new trainings should not assume these are covered."
                )
                % {
                    "higher": number(sum(1 for e in measured if (e.difference or 0) > 0)),
                    "count": number(len(measured)),
                    "items": "; ".join(d.labels.title(e.code) for e in smallest),
                }
            )
        )
        blocks.append(effect.document())
    return blocks


def recommendations_section(d: NeedsReportData) -> list[Block]:
    blocks: list[Block] = [PageBreak(), Heading(_("Recommendations"), 1)]
    if not d.top:
        return [*blocks, Paragraph(_("No training need stands out yet: there is nothing to recommend."))]
    blocks += [
        Paragraph(
            _(
                "For each of the largest needs, what training should address, at which level, and for whom "
                "first: the organisations and groups where the need is highest."
            )
        ),
        recommendation_table(d).document(),
        Paragraph(
            _(
                "The validation workshop should confirm these priorities, settle the needs where survey and "
                "interviews disagree, and agree on the audiences before the capacity development plan is drawn "
                "up."
            )
        ),
    ]
    return blocks
