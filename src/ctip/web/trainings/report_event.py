"""The training report of one event (Word, English or French): delivery, participants, attendance, the
pre/post results with their charts, the item analysis, the reaction and follow-up surveys, the trainers'
notes and recommendations, and the definitions used.

Built from :func:`~ctip.web.trainings.services.results.event_results` (the same numbers as the results
page) and written into the workspace's Word template when one was uploaded (the inception report's
letterhead), otherwise the default one. Participants appear by their code only: no names are stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ctip.formats.documents.docx_writer import DocxLabels, write_docx
from ctip.formats.documents.model import Block, BulletList, Figure, Heading, Paragraph, Report, Table
from ctip.web.inception.selectors import report_template_for
from ctip.web.needs.report_content import ABSENT, number, percent
from ctip.web.trainings import report_charts as charts
from ctip.web.trainings import report_content as content
from ctip.web.trainings.models import EventModule, TrainingEvent
from ctip.web.trainings.services.results import NOT_STATED, EventResults, event_results

TEMPLATE_KIND = "inception_report"
"""The workspace's Word template: the letterhead uploaded on the inception report page serves every report."""


def docx_labels(language: str) -> DocxLabels:
    return DocxLabels(
        table=_("Table"),
        figure=_("Figure"),
        page=_("Page"),
        of=_("of"),
        caption_separator=" : " if language == "fr" else ": ",
    )


def date_text(value: object) -> str:
    return str(formats.date_format(value, "j F Y"))


def dates_text(event: TrainingEvent) -> str:
    if event.start_date == event.end_date:
        return date_text(event.start_date)
    return _("%(first)s to %(last)s") % {
        "first": date_text(event.start_date),
        "last": date_text(event.end_date),
    }


def module_titles(event: TrainingEvent, language: str) -> list[str]:
    titles = []
    for link in EventModule.objects.filter(event=event).select_related("module").order_by("position", "id"):
        module = link.module
        title = (module.title_fr or module.title_en) if language.startswith("fr") else module.title_en
        titles.append(f"{module.code} {title}")
    return titles


def trainer_lines(event: TrainingEvent) -> list[str]:
    lines = []
    for trainer in event.trainers or []:
        if not isinstance(trainer, Mapping) or not str(trainer.get("name", "")).strip():
            continue
        origin = {"national": _("national trainer"), "international": _("international trainer")}.get(
            str(trainer.get("origin", "")), ""
        )
        details = ", ".join(part for part in (origin, str(trainer.get("organisation", "")).strip()) if part)
        lines.append(f"{trainer['name']} ({details})" if details else str(trainer["name"]))
    return lines


def paragraphs(text: str) -> list[Block]:
    """A text typed in a form, one paragraph per line; lines starting with "-" or "•" as a bullet list."""
    blocks: list[Block] = []
    bullets: list[str] = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if stripped[:1] in ("-", "•", "*"):
            bullets.append(stripped[1:].strip())
            continue
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
            bullets = []
        if stripped:
            blocks.append(Paragraph(stripped))
    if bullets:
        blocks.append(BulletList(tuple(bullets)))
    return blocks


# --- Sections --------------------------------------------------------------------------------------------


def summary_text(r: EventResults) -> str:
    event = r.event
    registered = r.attendance.registered
    text = _(
        "“%(title)s” (%(code)s) was held at %(place)s, %(dates)s. %(registered)s participants were registered "
        "(%(women)s women, %(men)s men); %(attended)s were present at least one day."
    ) % {
        "title": event.title,
        "code": event.code,
        "place": ", ".join(part for part in (event.venue, event.location) if part),
        "dates": dates_text(event),
        "registered": number(registered.get("total", 0)),
        "women": number(registered.get("female", 0)),
        "men": number(registered.get("male", 0)),
        "attended": number(r.attendance.attended.get("total", 0)),
    }
    overall = (r.prepost or {}).get("overall") or {}
    if r.paired and not overall.get("suppressed") and overall.get("pre_mean_pct") is not None:
        text += " " + _(
            "The mean score of the %(n)s participants who took both tests rose from %(pre)s to %(post)s "
            "(class-average normalised gain %(g)s, %(band)s)."
        ) % {
            "n": number(int(overall.get("n") or 0)),
            "pre": content.score_percent(overall.get("pre_mean_pct")),
            "post": content.score_percent(overall.get("post_mean_pct")),
            "g": content.number_or_absent(overall.get("hake_g")),
            "band": content.band_label(overall.get("hake_band")),
        }
    if r.passing.takers:
        text += " " + _(
            "%(passed)s of the %(takers)s post-test takers reached the pass mark of %(mark)s (%(share)s)."
        ) % {
            "passed": number(r.passing.passed),
            "takers": number(r.passing.takers),
            "mark": f"{event.pass_mark}%",
            "share": percent(r.passing.share),
        }
    return text


def delivery_section(r: EventResults) -> list[Block]:
    event = r.event
    trainers = trainer_lines(event)
    modules = module_titles(event, r.language)
    rows = [
        (_("Dates"), dates_text(event)),
        (_("Venue"), event.venue or ABSENT),
        (_("Training location"), event.location),
        (_("Modules"), "; ".join(modules) or ABSENT),
        (_("Trainers"), "; ".join(trainers) or ABSENT),
        (_("Target audience"), event.audience or ABSENT),
        (
            _("Target participants"),
            _("%(women)s women, %(men)s men")
            % {"women": number(event.target_female), "men": number(event.target_male)},
        ),
        (
            _("Language"),
            dict(event._meta.get_field("language").choices or []).get(event.language, event.language),
        ),
        (_("Pass mark"), f"{event.pass_mark}%"),
    ]
    if event.plan_session_id:
        rows.append((_("Capacity plan"), _("A session of the capacity plan")))
    return [
        Heading(_("Delivery"), 1),
        Table(_("The training"), (_("Item"), _("Details")), tuple(rows), column_widths_cm=(4.0, 12.0)),
    ]


def _breakdown(r: EventResults, attribute: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for row in r.participants:
        value = {"sex": row.sex or NOT_STATED, "organisation": row.organisation or NOT_STATED}.get(
            attribute, row.location or NOT_STATED
        )
        counts = found.setdefault(value, [0, 0])
        counts[0] += 1
        counts[1] += int(row.attended)
    return found


def participants_section(r: EventResults) -> list[Block]:
    blocks: list[Block] = [Heading(_("Participants"), 1)]
    if not r.participants:
        blocks.append(Paragraph(_("No participant has been registered for this training.")))
        return blocks
    blocks.append(
        Paragraph(
            _(
                "Participants are known by a code only; no names are kept. “Present” counts those present at "
                "least one day."
            )
        )
    )
    for attribute, caption in (
        ("sex", _("Participants by sex")),
        ("organisation", _("Participants by organisation")),
        ("location", _("Participants by location")),
    ):
        found = _breakdown(r, attribute)
        rows = tuple(
            (content.group_label(attribute, value), number(counts[0]), number(counts[1]))
            for value, counts in sorted(found.items(), key=lambda item: (-item[1][0], item[0].casefold()))
        )
        blocks.append(
            Table(
                caption,
                (
                    content.attribute_label(attribute) if attribute != "location" else _("Location"),
                    _("Registered"),
                    _("Present"),
                ),
                rows,
                column_widths_cm=(9.0, 3.5, 3.5),
            )
        )
    return blocks


def attendance_section(r: EventResults) -> list[Block]:
    a = r.attendance
    blocks: list[Block] = [Heading(_("Attendance"), 1)]
    if not any(day.recorded for day in a.days):
        blocks.append(Paragraph(_("Attendance has not been recorded for this training.")))
        return blocks
    blocks.append(
        Paragraph(
            _(
                "%(all)s of %(registered)s registered participants were present every day; overall, %(rate)s of the "
                "participant-days were attended."
            )
            % {
                "all": number(a.all_days.get("total", 0)),
                "registered": number(a.registered.get("total", 0)),
                "rate": percent(a.rate),
            }
        )
    )
    blocks.append(
        Table(
            _("Attendance by day"),
            (_("Day"), _("Present"), _("Recorded"), _("Share of registered")),
            tuple(
                (
                    date_text(day.day),
                    number(day.present),
                    number(day.recorded),
                    percent(day.present / a.registered["total"] if a.registered.get("total") else None),
                )
                for day in a.days
            ),
            column_widths_cm=(5.5, 3.5, 3.5, 3.5),
        )
    )
    rows = tuple(
        (
            content.sex_label(sex),
            number(a.registered.get(sex, 0)),
            number(a.attended.get(sex, 0)),
            number(a.all_days.get(sex, 0)),
        )
        for sex in ("female", "male", NOT_STATED)
        if a.registered.get(sex)
    )
    blocks.append(
        Table(
            _("Attendance by sex"),
            (_("Sex"), _("Registered"), _("Present at least one day"), _("Present every day")),
            rows,
            column_widths_cm=(4.5, 3.5, 4.0, 4.0),
        )
    )
    return blocks


def learning_tables(prepost: Mapping[str, Any], caption_scores: str, caption_tests: str) -> list[Block]:
    rows = content.group_rows(prepost)
    return [
        Table(
            caption_scores,
            (
                _("Group"),
                _("n"),
                _("Pre-test"),
                _("Post-test"),
                _("Change"),
                _("Hake g"),
                _("Average individual gain"),
                _("Marx–Cummings c"),
            ),
            tuple(
                (row.label, row.n, row.pre, row.post, row.change, row.hake, row.individual, row.marx)
                for row in rows
            ),
            column_widths_cm=(2.9, 0.9, 1.5, 1.6, 1.6, 2.2, 2.4, 2.6),
            align_right=(False, True, True, True, True, True, True, True),
            note=_(
                "Scores in per cent of the items. n<5: a group of fewer than five participants, not shown."
            ),
        ),
        Table(
            caption_tests,
            (
                _("Group"),
                _("Paired t-test"),
                _("%(level)s CI of the change") % {"level": "95%"},
                _("Wilcoxon"),
                _("Method"),
                _("d_z"),
                _("d_av"),
            ),
            tuple(
                (row.label, row.t_test, row.ci, row.wilcoxon, row.wilcoxon_method, row.d_z, row.d_av)
                for row in rows
            ),
            column_widths_cm=(3.2, 3.0, 2.6, 2.6, 2.2, 1.2, 1.2),
            align_right=(False, False, True, False, False, True, True),
            note=_("HL: Hodges–Lehmann estimate of the change. Definitions at the end of the report."),
        ),
    ]


def learning_section(r: EventResults) -> list[Block]:
    blocks: list[Block] = [Heading(_("Learning: pre-test and post-test"), 1)]
    if r.prepost is None:
        blocks.append(Paragraph(r.prepost_missing))
        return blocks
    scale = (
        _(
            "The pre-test has %(pre)s items and the post-test %(post)s, so scores are compared in per cent of each "
            "test's items."
        )
        % {"pre": number(r.pre_items), "post": number(r.post_items)}
        if r.percent_scale
        else _("Both tests have %(n)s items; scores are shown in per cent of the items.")
        % {"n": number(r.post_items)}
    )
    blocks += [Paragraph(content.matching_text(r.prepost) + " " + scale)]
    independent = content.independent_text(r.prepost)
    if independent:
        blocks.append(Paragraph(independent))
    else:
        blocks += learning_tables(
            r.prepost, _("Mean scores and gains, overall and by group"), _("Tests and effect sizes")
        )
    blocks.append(
        Table(
            _("Post-test takers reaching the pass mark (%(mark)s)") % {"mark": f"{r.event.pass_mark}%"},
            (_("Group"), _("Post-test takers"), _("Passed"), _("Share")),
            tuple(content.pass_rows(r.passing)),
            column_widths_cm=(6.0, 3.5, 3.0, 3.0),
            align_right=(False, True, True, True),
        )
    )
    if r.pairs_percent() or r.post_takers:
        blocks.append(
            Figure(_("Each participant's score before and after"), charts.png(charts.participants_chart(r)))
        )
    if r.paired and charts.shows_groups(r.prepost):
        blocks.append(Figure(_("Mean scores by sex"), charts.png(charts.groups_chart(r)), width_cm=14.0))
    return blocks


def items_section(r: EventResults) -> list[Block]:
    blocks: list[Block] = [Heading(_("Item analysis"), 1)]
    rows = content.item_rows(r)
    if not rows:
        blocks.append(Paragraph(r.items_missing or _("There is no item to analyse yet.")))
        return blocks
    if r.parallel_pairs:
        blocks.append(
            Paragraph(
                _(
                    "The pre-test and post-test were parallel forms: each post-test item is compared with its "
                    "pre-test partner (the same question in other words), shown as “pre-test code / post-test code”."
                )
            )
        )
    blocks.append(
        Table(
            _("Items: share right before and after, McNemar test, difficulty and discrimination"),
            (
                _("Item"),
                _("Objective"),
                _("Pre"),
                _("Post"),
                _("McNemar"),
                _("Method"),
                _("Adj. p"),
                _("D"),
                _("r item–rest"),
            ),
            tuple(
                (
                    row.codes_text + (" ⚑" if row.flagged else ""),
                    row.objective or ABSENT,
                    row.pre,
                    row.post,
                    row.mcnemar,
                    row.method,
                    row.p_adjusted,
                    row.discrimination,
                    row.item_rest,
                )
                for row in rows
            ),
            column_widths_cm=(2.9, 2.0, 1.1, 1.2, 2.6, 1.8, 1.4, 1.0, 1.6),
            align_right=(False, False, True, True, False, False, True, True, True),
            note=_(
                "Pre, Post: share right (difficulty). D: upper–lower discrimination; r: item–rest correlation, "
                "both on the post-test. Adj. p: %(adjustment)s adjustment across items. ⚑: an item to review "
                "(D below 0.2 or r below 0.1). Reliability: %(reliability)s."
            )
            % {
                "adjustment": content.adjustment_label(str((r.items or {}).get("adjustment", "holm"))),
                "reliability": content.reliability_text(r.items),
            },
        )
    )
    stems = [f"**{row.codes_text}** {row.stem}" for row in rows if row.stem]
    if stems:
        blocks += [Paragraph(_("The items:")), BulletList(tuple(stems))]
    return blocks


def surveys_section(r: EventResults) -> list[Block]:
    blocks: list[Block] = [Heading(_("Reaction and follow-up"), 1)]
    reactions = content.reaction_rows(r.reactions, r.language)
    if reactions:
        blocks += [
            Paragraph(
                _("%(n)s participants answered the reaction survey at the end of the training.")
                % {"n": number(int(r.reactions.get("n") or 0))}
            ),
            Table(
                _("Reaction survey"),
                (_("Statement"), _("Answers"), _("Mean (1–5)"), _("Agree")),
                tuple(reactions),
                column_widths_cm=(10.0, 2.0, 2.0, 2.0),
                align_right=(False, True, True, True),
            ),
            Figure(
                _("Reaction survey"),
                charts.png(charts.reaction_chart(r.reactions, r.language)),
                width_cm=15.0,
            ),
        ]
        comments = r.reactions.get("comments") or {}
        for name, title in (("most_useful", _("Most useful")), ("improve", _("To improve"))):
            if comments.get(name):
                blocks += [Heading(title, 2), BulletList(tuple(content.quotes(comments[name])))]
    else:
        blocks.append(Paragraph(_("No reaction survey response has been recorded.")))
    follow_up = content.follow_up_lines(r.follow_up, r.language)
    blocks.append(Heading(_("Follow-up (3 to 6 months later)"), 2))
    if follow_up:
        blocks.append(BulletList(tuple(follow_up)))
        for key, title in (("examples", _("Examples given")), ("barriers", _("Barriers reported"))):
            if r.follow_up.get(key):
                blocks += [Paragraph(f"**{title}**"), BulletList(tuple(content.quotes(r.follow_up[key])))]
    else:
        blocks.append(Paragraph(_("No follow-up survey response has been recorded yet.")))
    return blocks


def notes_section(r: EventResults) -> list[Block]:
    blocks: list[Block] = [Heading(_("Trainers' notes"), 1)]
    blocks += paragraphs(r.event.trainers_notes) or [Paragraph(_("No notes were recorded."))]
    blocks.append(Heading(_("Recommendations"), 1))
    blocks += paragraphs(r.event.recommendations) or [Paragraph(_("No recommendations were recorded."))]
    return blocks


def definitions_section(pass_mark: int | None) -> list[Block]:
    return [
        Heading(_("Definitions"), 1),
        Table(
            _("The statistics of this report"),
            (_("Term"), _("Definition")),
            tuple(content.definitions(pass_mark)),
            column_widths_cm=(4.2, 11.8),
        ),
    ]


def event_report(r: EventResults) -> Report:
    """The report's content (call inside ``translation.override(r.language)``)."""
    blocks: list[Block] = [
        Heading(_("Summary"), 1),
        Paragraph(summary_text(r)),
        *delivery_section(r),
        *participants_section(r),
        *attendance_section(r),
        *learning_section(r),
        *items_section(r),
        *surveys_section(r),
        *notes_section(r),
        *definitions_section(r.event.pass_mark),
    ]
    status = dict(r.event._meta.get_field("status").choices or []).get(r.event.status, r.event.status)
    return Report(
        title=_("Training report"),
        subtitle=f"{r.event.title} ({r.event.code})",
        organisation=r.event.workspace.name,
        date_text=date_text(timezone.localdate()),
        version_text=_("Status of the training: %(status)s") % {"status": status},
        blocks=tuple(blocks),
        language=r.language,
    )


def event_report_docx(event: TrainingEvent, language: str = "en") -> bytes:
    """The training report of ``event`` as a Word file in ``language`` (``en`` or ``fr``)."""
    with translation.override(language):
        report = event_report(event_results(event, language=language))
        labels = docx_labels(language)
    return write_docx(report, template=report_template_for(event.workspace, TEMPLATE_KIND), labels=labels)
