"""The recommendations for the next year in the capacity development report, its deck, page and API,
generated from the programme's figures: locations behind the plan, a gap between the women trained and the
women planned, modules with low learning gains or pass rates, test items that do not discriminate,
unlinked tests, reaction statements rated low, missing or weak follow-up results and missing attendance.
The thresholds are named below and stated in the report."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.training.surveys import REACTION, QuestionKind
from ctip.web.needs.report_content import number, percent
from ctip.web.trainings import report_content as content
from ctip.web.trainings.services.programme import ProgrammeResults
from ctip.web.trainings.services.results import MIN_GROUP

LOW_GAIN = 0.3
"""Below this class-average normalised gain, learning is "low" (Hake's band) and the module is reviewed."""
LOW_PASS_SHARE = 0.6
"""A module whose post-test takers reach the pass mark less often than this is reviewed."""
LOW_AGREEMENT = 70.0
"""A reaction statement with fewer participants agreeing (per cent) points to something to improve."""
LOW_APPLICATION = 50.0
"""A follow-up application rate (per cent) below this calls for support after the training."""
FOLLOW_UP_AFTER_DAYS = 90
"""Follow-up surveys are expected from trainings that ended at least this long ago."""
LOW_FOLLOW_UP_SHARE = 0.5
WOMEN_GAP = 0.10
"""A gap between the share of women trained and the share planned larger than this is pointed out."""


# --- Recommendations -------------------------------------------------------------------------------------


def _plan_recommendations(p: ProgrammeResults) -> list[str]:
    found = []
    for row in p.plan_by("location"):
        if row.due and row.held < row.due:
            found.append(
                _(
                    "**%(location)s is behind the plan**: %(held)s of the %(due)s sessions due by now were held "
                    "(%(planned)s planned in all). Schedule the missing sessions early in the next year and check "
                    "what stopped them (trainers, venue, release of staff)."
                )
                % {
                    "location": row.location,
                    "held": number(row.held),
                    "due": number(row.due),
                    "planned": number(row.planned),
                }
            )
    planned_women = sum(cell.planned_female for cell in p.plan)
    planned_all = planned_women + sum(cell.planned_male for cell in p.plan)
    trained_sexed = p.trained_by_sex("female") + p.trained_by_sex("male")
    if planned_all and trained_sexed >= MIN_GROUP:
        planned_share = planned_women / planned_all
        trained_share = p.trained_by_sex("female") / trained_sexed
        if abs(trained_share - planned_share) > WOMEN_GAP:
            found.append(
                _(
                    "**Women's share differs from the plan**: women were %(trained)s of those trained against "
                    "%(planned)s of the seats planned. Ask the institutions to nominate participants accordingly."
                )
                % {"trained": percent(trained_share), "planned": percent(planned_share)}
            )
    return found


def _learning_recommendations(p: ProgrammeResults) -> list[str]:
    found = []
    for gain in p.modules:
        learning = gain.learning or {}
        title = p.module_title(gain.module, gain.module_code)
        g = learning.get("hake_g")
        if not learning.get("suppressed") and isinstance(g, int | float) and g < LOW_GAIN:
            found.append(
                _(
                    "**Review module %(code)s (%(title)s)**: learning was low (class-average normalised gain "
                    "%(g)s over %(n)s participants). Revisit its content, exercises and time with the trainers, and "
                    "check that the test items match its objectives."
                )
                % {
                    "code": gain.module_code,
                    "title": title,
                    "g": content.number_or_absent(g),
                    "n": number(int(learning.get("n") or 0)),
                }
            )
        share = gain.passing.share
        if gain.passing.takers >= MIN_GROUP and share is not None and share < LOW_PASS_SHARE:
            found.append(
                _(
                    "**Module %(code)s (%(title)s): few reached the pass mark** (%(share)s of %(n)s post-test "
                    "takers). Plan refresher sessions or coaching for those below it."
                )
                % {
                    "code": gain.module_code,
                    "title": title,
                    "share": percent(share),
                    "n": number(gain.passing.takers),
                }
            )
    if p.item_flags:
        codes = sorted({item for _event, item, _reason in p.item_flags})
        found.append(
            _(
                "**Revise the test items %(items)s**: participants who did well overall did not do better on them "
                "(negative discrimination), which points to an unclear question or a wrong key."
            )
            % {"items": ", ".join(codes)}
        )
    matching = (p.pooled or {}).get("matching") or {}
    takers = max(int(matching.get("pre") or 0), int(matching.get("post") or 0))
    if takers and int(matching.get("matched") or 0) < 0.8 * takers:
        found.append(
            _(
                "**Link more pre-tests and post-tests**: only %(matched)s of %(takers)s participants could be "
                "matched. Make sure each participant uses the same code for both tests."
            )
            % {"matched": number(int(matching.get("matched") or 0)), "takers": number(takers)}
        )
    return found


def _survey_recommendations(p: ProgrammeResults) -> list[str]:
    found = []
    questions = (p.reactions.get("questions") or {}) if p.reactions else {}
    for question in REACTION:
        values = questions.get(question.name) or {}
        agree = values.get("agree_percent")
        if (
            question.kind == QuestionKind.LIKERT
            and int(values.get("n") or 0) >= MIN_GROUP
            and agree is not None
        ) and agree < LOW_AGREEMENT:
            found.append(
                _("**Improve what participants rated low**: only %(share)s agreed that “%(statement)s”")
                % {"share": percent(agree / 100), "statement": question.label.get(p.language)}
            )
    cutoff = timezone.localdate() - dt.timedelta(days=FOLLOW_UP_AFTER_DAYS)
    expected = sum(
        line.results.attendance.attended.get("total", 0) for line in p.events if line.event.end_date <= cutoff
    )
    answered = int(p.follow_up.get("n") or 0)
    if expected and answered < LOW_FOLLOW_UP_SHARE * expected:
        found.append(
            _(
                "**Collect the follow-up surveys**: %(answered)s responses from the %(expected)s participants of "
                "trainings that ended more than three months ago. Without them the change in practice cannot be "
                "shown."
            )
            % {"answered": number(answered), "expected": number(expected)}
        )
    rate = p.follow_up.get("application_rate")
    if answered >= MIN_GROUP and isinstance(rate, int | float) and rate < LOW_APPLICATION:
        found.append(
            _(
                "**Support the use of the training at work**: %(rate)s of follow-up respondents applied it. "
                "Consider mentoring, job aids and the supervisors' support; see the barriers reported."
            )
            % {"rate": percent(rate / 100)}
        )
    if p.no_attendance:
        found.append(
            _("**Record attendance** for %(events)s: the people trained cannot be counted without it.")
            % {"events": ", ".join(p.no_attendance)}
        )
    return found


def recommendations(p: ProgrammeResults) -> list[str]:
    """Recommendations for the next year, generated from the figures (thresholds above)."""
    if not p.events:
        return [_("No training has been delivered yet: deliver the first sessions of the plan.")]
    found = [*_plan_recommendations(p), *_learning_recommendations(p), *_survey_recommendations(p)]
    return found or [
        _(
            "The figures raise no particular concern: keep the plan's pace, keep collecting tests and surveys, "
            "and hand more sessions over to national trainers."
        )
    ]
