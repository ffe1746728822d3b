"""The capacity development report over the training programme (Word, English or French): the trainings
held against the adopted plan (by module and training location, Rodrigues included), who was trained (by
sex, organisation and location), learning gains (pooled and per event), reactions, behaviour change at
follow-up (Kirkpatrick level 3), the changes observed, lessons, recommendations for the next year generated
from the data, and the definitions used.

Built from :func:`~ctip.web.trainings.services.programme.programme_results`; the deck
(:mod:`.report_programme_deck`) says the same on slides.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ctip.core.workspace_profile import country_name
from ctip.formats.documents.docx_writer import write_docx
from ctip.formats.documents.model import Block, BulletList, Figure, Heading, Paragraph, Report, Table
from ctip.web.accounts.models import Workspace
from ctip.web.inception.selectors import report_template_for
from ctip.web.needs.report_content import ABSENT, number, percent
from ctip.web.trainings import report_charts as charts
from ctip.web.trainings import report_content as content
from ctip.web.trainings.report_advice import LOW_AGREEMENT, LOW_GAIN, LOW_PASS_SHARE, recommendations
from ctip.web.trainings.report_event import (
    TEMPLATE_KIND,
    date_text,
    dates_text,
    definitions_section,
    docx_labels,
    learning_tables,
)
from ctip.web.trainings.services.programme import PlanCell, ProgrammeResults, programme_results

LESSONS = 8
"""How many quotes and trainers' recommendations each list of lessons shows."""

# --- Sections --------------------------------------------------------------------------------------------


def summary_section(p: ProgrammeResults) -> list[Block]:
    overall = (p.pooled or {}).get("overall") or {}
    bullets = [
        _("**%(events)s trainings held** (delivered or reported); %(upcoming)s more scheduled")
        % {"events": number(len(p.events)), "upcoming": number(p.upcoming)},
        _("**%(trained)s participants present** of %(registered)s registered: %(women)s women, %(men)s men")
        % {
            "trained": number(p.trained),
            "registered": number(p.registered),
            "women": number(p.trained_by_sex("female")),
            "men": number(p.trained_by_sex("male")),
        },
    ]
    if overall and not overall.get("suppressed") and overall.get("pre_mean_pct") is not None:
        bullets.append(
            _("**Mean score %(pre)s before, %(post)s after** (class-average normalised gain %(g)s, %(band)s)")
            % {
                "pre": content.score_percent(overall.get("pre_mean_pct")),
                "post": content.score_percent(overall.get("post_mean_pct")),
                "g": content.number_or_absent(overall.get("hake_g")),
                "band": content.band_label(overall.get("hake_band")),
            }
        )
    if p.passing.takers:
        bullets.append(
            _("**%(share)s reached the pass mark** on the post-test (%(passed)s of %(takers)s)")
            % {
                "share": percent(p.passing.share),
                "passed": number(p.passing.passed),
                "takers": number(p.passing.takers),
            }
        )
    if p.follow_up.get("n"):
        bullets.append(
            _("**%(rate)s applied the training** at work, of %(n)s follow-up respondents")
            % {
                "rate": percent((p.follow_up.get("application_rate") or 0) / 100),
                "n": number(int(p.follow_up["n"])),
            }
        )
    plan = (
        _("The trainings are compared with the adopted capacity plan, scenario “%(scenario)s”.")
        % {"scenario": p.scenario_name}
        if p.scenario_name
        else _("No capacity plan has been adopted yet, so the trainings are not compared with a plan.")
    )
    return [Heading(_("Summary"), 1), Paragraph(plan), BulletList(tuple(bullets))]


def plan_section(p: ProgrammeResults) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Trainings held against the plan"), 1),
        Paragraph(
            _(
                "Sessions planned in the adopted plan and trainings held (delivered or reported), by training "
                "location and by module. “Due by now” counts the planned sessions whose quarter has ended; a "
                "training that covers two modules counts for each."
            )
        ),
    ]
    if not p.plan:
        blocks.append(Paragraph(_("There is neither a plan nor a training to compare yet.")))
        return blocks
    header = (_("Planned"), _("Due by now"), _("Held"), _("Scheduled"), _("Seats W / M"), _("Trained W / M"))

    def cells(row: PlanCell) -> tuple[str, ...]:
        return (
            number(row.planned),
            number(row.due),
            number(row.held),
            number(row.upcoming),
            f"{number(row.planned_female)} / {number(row.planned_male)}",
            f"{number(row.trained_female)} / {number(row.trained_male)}",
        )

    widths = (1.8, 1.8, 1.2, 2.0, 2.0, 2.2)
    blocks += [
        Table(
            _("By training location"),
            (_("Location"), *header),
            tuple((row.location, *cells(row)) for row in p.plan_by("location")),
            column_widths_cm=(5.0, *widths),
            align_right=(False, *([True] * 6)),
        ),
        Figure(
            _("Sessions planned and held by location"),
            charts.png(charts.plan_by_location_chart(p)),
            width_cm=15.0,
        ),
        Table(
            _("By module"),
            (_("Module"), *header),
            tuple(
                (f"{row.module_code} {p.module_title(row.module, row.module_code)}", *cells(row))
                for row in p.plan_by("module")
            ),
            column_widths_cm=(5.0, *widths),
            align_right=(False, *([True] * 6)),
        ),
        Table(
            _("By module and training location"),
            (_("Module"), _("Location"), *header),
            tuple((row.module_code, row.location, *cells(row)) for row in p.plan),
            column_widths_cm=(2.0, 3.0, *widths),
            align_right=(False, False, *([True] * 6)),
            note=_(
                "W / M: women / men. Seats are those of the plan; trained counts participants present at least one day."
            ),
        ),
    ]
    return blocks


def participants_section(p: ProgrammeResults) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Who was trained"), 1),
        Paragraph(
            _(
                "Participants registered and present at least one day, over all trainings held. A person who "
                "attended two trainings counts twice."
            )
        ),
    ]
    for attribute, totals, caption in (
        ("sex", p.by_sex, _("By sex")),
        ("organisation", p.by_organisation, _("By organisation")),
        ("location", p.by_location, _("By location (where participants work, else the training location)")),
    ):
        blocks.append(
            Table(
                caption,
                (
                    _("Location") if attribute == "location" else content.attribute_label(attribute),
                    _("Registered"),
                    _("Present"),
                ),
                tuple(
                    (content.group_label(attribute, name), number(registered), number(present))
                    for name, (registered, present) in totals.rows.items()
                ),
                column_widths_cm=(9.0, 3.5, 3.5),
            )
        )
    if p.plan:
        blocks.append(
            Figure(
                _("People trained by location and sex"),
                charts.png(charts.trained_by_location_chart(p)),
                width_cm=15.0,
            )
        )
    return blocks


def learning_section(p: ProgrammeResults) -> list[Block]:
    blocks: list[Block] = [Heading(_("Learning gains"), 1)]
    if p.pooled is None:
        blocks.append(Paragraph(p.pooled_missing))
        return blocks
    blocks.append(
        Paragraph(
            _(
                "Pooled over the trainings: each participant's scores in per cent of their own test's items, "
                "matched by training and participant code. "
            )
            + content.matching_text(p.pooled)
        )
    )
    independent = content.independent_text(p.pooled)
    if independent:
        blocks.append(Paragraph(independent))
    else:
        blocks += learning_tables(
            p.pooled, _("Pooled scores and gains, overall and by group"), _("Pooled tests and effect sizes")
        )
        blocks.append(
            Figure(
                _("Mean scores by sex and location"),
                charts.png(charts.programme_groups_chart(p)),
                width_cm=15.0,
            )
        )
    rows = []
    for line in p.events:
        r = line.results
        overall = (r.prepost or {}).get("overall") or {}
        shown = r.paired and not overall.get("suppressed")
        rows.append(
            (
                line.event.code,
                ", ".join(module.code for module in line.modules) or ABSENT,
                line.event.location,
                number(int((r.prepost or {}).get("matching", {}).get("matched") or 0)) if r.prepost else "0",
                content.score_percent(overall.get("pre_mean_pct"))
                if shown
                else (content.SMALL if r.paired else ABSENT),
                content.score_percent(overall.get("post_mean_pct"))
                if shown
                else (content.SMALL if r.paired else ABSENT),
                content.number_or_absent(overall.get("hake_g")) if shown else ABSENT,
                percent(r.passing.share),
            )
        )
    blocks.append(
        Table(
            _("Learning by training"),
            (
                _("Training"),
                _("Modules"),
                _("Location"),
                _("Matched"),
                _("Pre-test"),
                _("Post-test"),
                _("Hake g"),
                _("Pass mark reached"),
            ),
            tuple(rows),
            column_widths_cm=(2.4, 2.0, 2.2, 1.9, 1.8, 1.8, 1.6, 2.1),
            align_right=(False, False, False, True, True, True, True, True),
        )
    )
    module_rows = []
    for gain in p.modules:
        learning = gain.learning or {}
        shown = bool(learning) and not learning.get("suppressed")
        module_rows.append(
            (
                f"{gain.module_code} {p.module_title(gain.module, gain.module_code)}",
                number(gain.events),
                number(int(learning.get("n") or 0)) if learning else "0",
                content.score_percent(learning.get("pre_mean_pct")) if shown else ABSENT,
                content.score_percent(learning.get("post_mean_pct")) if shown else ABSENT,
                content.number_or_absent(learning.get("hake_g")) if shown else ABSENT,
                percent(gain.passing.share),
            )
        )
    if module_rows:
        blocks += [
            Table(
                _("Learning by module"),
                (
                    _("Module"),
                    _("Trainings"),
                    _("Matched"),
                    _("Pre-test"),
                    _("Post-test"),
                    _("Hake g"),
                    _("Pass mark reached"),
                ),
                tuple(module_rows),
                column_widths_cm=(5.0, 2.0, 1.9, 1.8, 1.8, 1.5, 2.0),
                align_right=(False, True, True, True, True, True, True),
            ),
            Figure(_("Mean scores by module"), charts.png(charts.module_gain_chart(p)), width_cm=15.0),
        ]
    return blocks


def reactions_section(p: ProgrammeResults) -> list[Block]:
    blocks: list[Block] = [Heading(_("Reactions (Kirkpatrick level 1)"), 1)]
    rows = content.reaction_rows(p.reactions, p.language)
    if not rows:
        blocks.append(Paragraph(_("No reaction survey response has been recorded.")))
        return blocks
    blocks += [
        Paragraph(
            _("%(n)s participants answered the reaction survey at the end of their training.")
            % {"n": number(int(p.reactions.get("n") or 0))}
        ),
        Table(
            _("Reaction survey, all trainings"),
            (_("Statement"), _("Answers"), _("Mean (1–5)"), _("Agree")),
            tuple(rows),
            column_widths_cm=(10.0, 2.0, 2.0, 2.0),
            align_right=(False, True, True, True),
        ),
        Figure(
            _("Reaction survey"), charts.png(charts.reaction_chart(p.reactions, p.language)), width_cm=15.0
        ),
    ]
    return blocks


def behaviour_section(p: ProgrammeResults) -> list[Block]:
    blocks: list[Block] = [Heading(_("Behaviour change at follow-up (Kirkpatrick level 3)"), 1)]
    lines = content.follow_up_lines(p.follow_up, p.language)
    if not lines:
        blocks.append(Paragraph(_("No follow-up survey response has been recorded yet.")))
        return blocks
    blocks.append(
        Paragraph(
            _(
                "Three to six months after their training, participants said whether and how they applied it. "
                "Screenings and referrals are as reported by the participants: a contribution to the results of "
                "the institutions, not proof of it."
            )
        )
    )
    blocks.append(BulletList(tuple(lines)))
    blocks.append(Heading(_("Changes observed"), 2))
    examples = p.follow_up.get("examples") or []
    blocks += (
        [BulletList(tuple(content.quotes(examples, LESSONS)))]
        if examples
        else [Paragraph(_("No example of a change in practice has been reported yet."))]
    )
    return blocks


def lessons_section(p: ProgrammeResults) -> list[Block]:
    """Lessons from what participants and trainers wrote: what to improve, the barriers met, and the
    trainers' own recommendations."""
    improve = (p.reactions.get("comments") or {}).get("improve") or []
    barriers = p.follow_up.get("barriers") or []
    trainers = [
        f"{line.event.code}: {text.strip().lstrip('-•* ').strip()}"
        for line in p.events
        for text in (line.event.recommendations or "").splitlines()
        if text.strip().lstrip("-•* ").strip()
    ]
    blocks: list[Block] = [Heading(_("Lessons learnt"), 1)]
    for title, texts in (
        (_("What participants would improve"), content.quotes(improve, LESSONS)),
        (_("Barriers to applying the training"), content.quotes(barriers, LESSONS)),
        (_("Trainers' recommendations"), trainers[:LESSONS]),
    ):
        if texts:
            blocks += [Heading(title, 2), BulletList(tuple(texts))]
    if len(blocks) == 1:
        blocks.append(
            Paragraph(_("No comments, barriers or trainers' recommendations have been recorded yet."))
        )
    return blocks


def recommendations_section(p: ProgrammeResults) -> list[Block]:
    return [
        Heading(_("Recommendations for the next year"), 1),
        Paragraph(
            _(
                "Generated from the figures above: locations behind the plan, modules with low learning gains or "
                "pass rates (class-average gain below %(gain)s, pass mark reached by fewer than %(pass)s), "
                "reaction statements with fewer than %(agree)s agreeing, and follow-up results. Review and complete "
                "them before the report is shared."
            )
            % {
                "gain": content.number_or_absent(LOW_GAIN, 1),
                "pass": percent(LOW_PASS_SHARE),
                "agree": percent(LOW_AGREEMENT / 100),
            }
        ),
        BulletList(tuple(recommendations(p))),
    ]


def events_annex(p: ProgrammeResults) -> list[Block]:
    if not p.events:
        return []
    return [
        Heading(_("Trainings held"), 1),
        Table(
            _("The trainings of the programme"),
            (_("Training"), _("Title"), _("Dates"), _("Location"), _("Registered"), _("Present")),
            tuple(
                (
                    line.event.code,
                    line.event.title,
                    dates_text(line.event),
                    line.event.location,
                    number(line.results.attendance.registered.get("total", 0)),
                    number(line.results.attendance.attended.get("total", 0)),
                )
                for line in p.events
            ),
            column_widths_cm=(2.4, 4.6, 3.2, 2.2, 1.8, 1.8),
        ),
    ]


def programme_report(p: ProgrammeResults) -> Report:
    blocks: list[Block] = [
        *summary_section(p),
        *plan_section(p),
        *participants_section(p),
        *learning_section(p),
        *reactions_section(p),
        *behaviour_section(p),
        *lessons_section(p),
        *recommendations_section(p),
        *events_annex(p),
        *definitions_section(None),
    ]
    return Report(
        title=_("Capacity development report"),
        subtitle=_("National counter-trafficking capacity development programme — %(country)s")
        % {"country": country_name(p.workspace.country, p.language)},
        organisation=p.workspace.name,
        date_text=date_text(timezone.localdate()),
        version_text=_("Trainings up to %(date)s") % {"date": date_text(timezone.localdate())},
        blocks=tuple(blocks),
        language=p.language,
    )


def programme_report_docx(workspace: Workspace, language: str = "en") -> bytes:
    """The capacity development report of ``workspace`` as a Word file in ``language``."""
    with translation.override(language):
        report = programme_report(programme_results(workspace, language=language))
        labels = docx_labels(language)
    return write_docx(report, template=report_template_for(workspace, TEMPLATE_KIND), labels=labels)
