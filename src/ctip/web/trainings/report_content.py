"""How the results of trainings are worded, shared by the results page, the training report, the capacity
development report and its deck: labels of groups and methods, the definitions of every statistic shown,
and the rows of the results tables (numbers already written the way the reader's language writes them).

Call everything here inside ``translation.override(language)`` (the pages are in the reader's language
already).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ctip.core.training.surveys import FOLLOW_UP, REACTION, QuestionKind
from ctip.web.needs.report_content import ABSENT, decimal, number, p_value, percent
from ctip.web.trainings.services.results import MIN_GROUP, NOT_STATED, EventResults, PassSummary

SMALL = "n<5"


def sex_label(value: str) -> str:
    return {"female": _("Women"), "male": _("Men")}.get(value, _("Not stated"))


def group_label(attribute: str, value: str) -> str:
    if attribute == "sex":
        return sex_label(value)
    return _("Not stated") if value in (NOT_STATED, "") else value


def group_row_label(attribute: str, value: str) -> str:
    """A group in a table that mixes attributes: "Women", "Organisation: NPF", "Training location: Rodrigues"."""
    if attribute == "sex":
        return sex_label(value)
    return f"{attribute_label(attribute)}: {group_label(attribute, value)}"


def attribute_label(attribute: str) -> str:
    return {"sex": _("Sex"), "organisation": _("Organisation"), "location": _("Training location")}.get(
        attribute, attribute
    )


def score_percent(value: float | None, places: int = 1) -> str:
    """A score in per cent of the items ("72.5%")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ABSENT
    return percent(value / 100) if places == 0 else _percent_text(decimal(value, places))


def _percent_text(text: str) -> str:
    return f"{text}\u202f%" if "," in decimal(0.5, 1) else f"{text}%"


def share_text(part: int, whole: int) -> str:
    """ "12 of 20 (60%)"."""
    if not whole:
        return ABSENT
    return _("%(part)s of %(whole)s (%(share)s)") % {
        "part": number(part),
        "whole": number(whole),
        "share": percent(part / whole),
    }


def band_label(band: str | None) -> str:
    return {"low": _("low"), "medium": _("medium"), "high": _("high")}.get(band or "", ABSENT)


def _method_label(method: str) -> str:
    return {
        "exact": _("exact"),
        "approx": _("normal approx."),
        "approximate": _("normal approx."),
        "asymptotic": _("normal approx."),
        "normal": _("normal approx."),
        "normal_cc": _("normal approx., continuity corr."),
        "chi2_cc": _("chi-square, continuity corr."),
        "wilcox": _("zeros dropped"),
        "pratt": _("zeros ranked then dropped (Pratt)"),
        "zsplit": _("zeros split"),
    }.get(method, method)


def wilcoxon_method(wilcoxon: Mapping[str, Any] | None) -> str:
    if not wilcoxon:
        return ABSENT
    return _("%(method)s; %(zeros)s") % {
        "method": _method_label(str(wilcoxon.get("method", ""))),
        "zeros": _method_label(str(wilcoxon.get("zero_method", ""))),
    }


def mcnemar_method(mcnemar: Mapping[str, Any] | None) -> str:
    if not mcnemar:
        return ABSENT
    return _method_label(str(mcnemar.get("method", "")))


def adjustment_label(name: str) -> str:
    return {"holm": _("Holm"), "bh": _("Benjamini–Hochberg"), "none": _("none")}.get(name, name)


def p_text(value: float | None) -> str:
    """ "p = 0.020", or "p < 0.001" for a very small p-value."""
    text = p_value(value)
    return f"p < {text[1:]}" if text.startswith("<") else f"p = {text}"


def number_or_absent(value: Any, places: int = 2) -> str:
    return decimal(float(value), places) if isinstance(value, int | float) else ABSENT


# --- Definitions -----------------------------------------------------------------------------------------


def keyed_definitions(pass_mark: int | None = None) -> list[tuple[str, str, str]]:
    """(key, term, definition) of each statistic shown: the page's small print and the reports' annex."""
    rows = [
        (
            "score",
            _("Score"),
            _(
                "The number of items answered right. An item is right only when exactly the correct options are "
                "chosen (all or nothing); an item left blank is wrong. Only submitted tests count, online or on "
                "paper."
            ),
        ),
        (
            "matched",
            _("Matched"),
            _(
                "Participants who submitted both the pre-test and the post-test, linked by their participant "
                "code. The paired statistics use them only."
            ),
        ),
        (
            "hake",
            _("Class-average normalised gain (Hake g)"),
            _(
                "(mean post-test score − mean pre-test score) / (100 − mean pre-test score), scores in per cent, "
                "over matched participants: the share of the possible improvement the group achieved. Low below 0.3, medium 0.3 to 0.7, high "
                "above 0.7 (Hake 1998)."
            ),
        ),
        (
            "individual",
            _("Average individual gain"),
            _(
                "The mean of each participant's own gain (post − pre) / (100 − pre), scores in per cent. A "
                "different number from the class-average gain; participants with a full pre-test score are left "
                "out (their gain is undefined) and counted."
            ),
        ),
        (
            "marx",
            _("Normalised change (Marx and Cummings c)"),
            _(
                "Like the individual gain, but a loss is divided by the pre-test score, so that losses count "
                "fairly; participants with the same score twice at 0 or 100 per cent are left out (Marx and Cummings "
                "2007)."
            ),
        ),
        (
            "t_test",
            _("Paired t-test"),
            _(
                "t = mean change / (standard deviation of the changes / √n), with n − 1 degrees of freedom; the "
                "confidence interval is that of the mean change. A p-value below 0.05 means a change this large "
                "would rarely happen by chance alone."
            ),
        ),
        (
            "wilcoxon",
            _("Wilcoxon signed-rank test"),
            _(
                "A test of the changes that uses their ranks, not their size, so a few extreme scores weigh less. "
                "The method used (exact or normal approximation) and how zero changes are treated are stated "
                "beside the result; the Hodges–Lehmann estimate is the median of all pairwise averages of the "
                "changes."
            ),
        ),
        (
            "d_z",
            _("Effect size d_z"),
            _(
                "Mean change / standard deviation of the changes (Lakens 2013): the size of the change relative "
                "to how much the changes vary."
            ),
        ),
        (
            "d_av",
            _("Effect size d_av"),
            _(
                "Mean change / the average of the pre-test and post-test standard deviations (Lakens 2013): "
                "comparable with studies of two separate groups. Around 0.2 is small, 0.5 medium, 0.8 large."
            ),
        ),
        (
            "small",
            _("Small groups"),
            _(
                "Results of a group of fewer than %(n)s participants are not shown (only its size, marked n<5), so "
                "that no one's score can be worked out."
            )
            % {"n": MIN_GROUP},
        ),
        (
            "mcnemar",
            _("McNemar test (per item)"),
            _(
                "Compares, for one item, the participants who went from wrong to right with those who went from "
                "right to wrong. Exact binomial test when there are fewer than 25 such changes, otherwise "
                "chi-square with continuity correction. With parallel forms, each post-test item is compared with "
                "its pre-test partner."
            ),
        ),
        (
            "adjusted",
            _("Adjusted p"),
            _(
                "The p-values of the items adjusted for testing many items at once (Holm's method), so that one "
                "item in twenty does not look significant by chance."
            ),
        ),
        (
            "difficulty",
            _("Difficulty"),
            _("The share of participants who answered the item right (higher means easier)."),
        ),
        (
            "discrimination",
            _("Discrimination"),
            _(
                "The share right among the 27 per cent of participants with the highest post-test scores minus "
                "the share right among the 27 per cent with the lowest. Below 0.2 the item tells strong and weak participants apart "
                "poorly; a negative value suggests a flawed item or key."
            ),
        ),
        (
            "item_rest",
            _("Item–rest correlation"),
            _(
                "The correlation between the item (right or wrong) and the score on the other items. Low or "
                "negative values point to an item that measures something else."
            ),
        ),
        (
            "kr20",
            _("KR-20"),
            _(
                "The reliability of the test as a whole (Kuder–Richardson 20, Cronbach's alpha for right/wrong "
                "items): from 0 to 1, 0.7 or more is usually wanted for decisions about individuals."
            ),
        ),
    ]
    rows.append(
        (
            "pass",
            _("Pass mark"),
            _("The share of post-test takers whose score reached the event's pass mark (%(mark)s).")
            % {"mark": _percent_text(number(pass_mark))}
            if pass_mark is not None
            else _("The share of post-test takers whose score reached their event's pass mark."),
        )
    )
    rows += [
        (
            "reaction",
            _("Reaction survey"),
            _(
                "Participants' ratings at the end of the training (Kirkpatrick level 1), from 1 (strongly "
                "disagree) to 5 (strongly agree); “agree” counts 4 and 5."
            ),
        ),
        (
            "application",
            _("Application rate"),
            _(
                "The share of follow-up respondents (3 to 6 months later, Kirkpatrick level 3) who applied the "
                "training: answered yes or partly, or screened someone, or referred someone through the national "
                "referral mechanism, or used one of the tools."
            ),
        ),
    ]
    return rows


def definitions(pass_mark: int | None = None) -> list[tuple[str, str]]:
    """(term, definition) of each statistic shown."""
    return [(term, text) for _key, term, text in keyed_definitions(pass_mark)]


def definition_texts(pass_mark: int | None = None) -> dict[str, str]:
    """Key → definition, for the tooltips of the results page."""
    return {key: text for key, _term, text in keyed_definitions(pass_mark)}


# --- Tables ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    attribute: str
    """``""`` for everyone, else ``sex``, ``organisation`` or ``location``."""
    label: str
    n: str
    suppressed: bool
    pre: str
    post: str
    change: str
    hake: str
    individual: str
    marx: str
    t_test: str
    ci: str
    wilcoxon: str
    wilcoxon_method: str
    d_z: str
    d_av: str


def _group_row(attribute: str, label: str, group: Mapping[str, Any], percent_scale: bool) -> GroupRow:
    n = number(int(group.get("n") or 0))
    if group.get("suppressed"):
        return GroupRow(attribute, label, n, True, *([SMALL] * 12))
    t_test = group.get("t_test") or {}
    wilcoxon = group.get("wilcoxon") or {}
    individual = group.get("individual_gain_mean")
    excluded = int(group.get("individual_gain_excluded") or 0)
    individual_text = number_or_absent(individual)
    if excluded:
        individual_text += " " + _("(%(n)s left out at 100%%)") % {"n": number(excluded)}
    change = group.get("mean_change_pct")
    return GroupRow(
        attribute=attribute,
        label=label,
        n=n,
        suppressed=False,
        pre=score_percent(group.get("pre_mean_pct")),
        post=score_percent(group.get("post_mean_pct")),
        change=(("+" if isinstance(change, int | float) and change > 0 else "") + score_percent(change)),
        hake=(
            f"{number_or_absent(group.get('hake_g'))} ({band_label(group.get('hake_band'))})"
            if group.get("hake_g") is not None
            else ABSENT
        ),
        individual=individual_text,
        marx=number_or_absent(group.get("marx_cummings_c")),
        t_test=(
            _("t = %(t)s, df = %(df)s, %(p)s")
            % {
                "t": number_or_absent(t_test.get("t")),
                "df": number_or_absent(t_test.get("df"), 0),
                "p": p_text(t_test.get("p")),
            }
            if t_test
            else ABSENT
        ),
        ci=(
            f"{score_percent(t_test.get('ci_low'))} – {score_percent(t_test.get('ci_high'))}"
            if t_test and t_test.get("ci_low") is not None
            else ABSENT
        ),
        wilcoxon=(
            p_text(wilcoxon.get("p"))
            + (
                " · " + _("HL %(value)s") % {"value": score_percent(wilcoxon.get("hl_estimate"))}
                if wilcoxon.get("hl_estimate") is not None
                else ""
            )
            if wilcoxon
            else ABSENT
        ),
        wilcoxon_method=wilcoxon_method(wilcoxon),
        d_z=number_or_absent(group.get("d_z")),
        d_av=number_or_absent(group.get("d_av")),
    )


def group_rows(prepost: Mapping[str, Any] | None, percent_scale: bool = True) -> list[GroupRow]:
    """Everyone first, then each group by sex, organisation (and location), as the evaluation gives them."""
    if not prepost or not prepost.get("overall"):
        return []
    rows = [_group_row("", _("All matched participants"), prepost["overall"], percent_scale)]
    for attribute, groups in (prepost.get("groups") or {}).items():
        for value, group in sorted(groups.items(), key=lambda item: str(item[0]).casefold()):
            rows.append(_group_row(attribute, group_row_label(attribute, str(value)), group, percent_scale))
    return rows


def matching_text(prepost: Mapping[str, Any]) -> str:
    matching = prepost.get("matching") or {}
    text = _(
        "%(matched)s participants took both tests (matched by their code); %(pre)s took the pre-test and "
        "%(post)s the post-test."
    ) % {
        "matched": number(int(matching.get("matched") or 0)),
        "pre": number(int(matching.get("pre") or 0)),
        "post": number(int(matching.get("post") or 0)),
    }
    if matching.get("missing_post"):
        text += " " + _("No post-test from: %(codes)s.") % {"codes": ", ".join(matching["missing_post"])}
    if matching.get("missing_pre"):
        text += " " + _("No pre-test from: %(codes)s.") % {"codes": ", ".join(matching["missing_pre"])}
    return text


def independent_text(prepost: Mapping[str, Any]) -> str | None:
    """The plain statement and figures of the independent-groups comparison, when pre and post could not be
    linked; ``None`` when they could."""
    if prepost.get("paired") or not prepost.get("independent"):
        return None
    found = prepost["independent"]
    welch = found.get("welch_t") or {}
    mann_whitney = found.get("mann_whitney") or {}
    return _(
        "The pre-test and post-test could not be linked participant by participant (no participant code "
        "appears in both), so the two tests are compared as two separate groups instead: pre-test mean "
        "%(pre)s (n = %(n_pre)s), post-test mean %(post)s (n = %(n_post)s), difference %(diff)s; Welch's "
        "t-test t = %(t)s, %(p)s, 95%% confidence interval %(low)s to %(high)s; Mann–Whitney U = %(u)s, "
        "%(p_u)s. This says less than a paired comparison: the two groups may not be the same people."
    ) % {
        "pre": score_percent(found.get("pre_mean_pct")),
        "n_pre": number(int(found.get("n_pre") or 0)),
        "post": score_percent(found.get("post_mean_pct")),
        "n_post": number(int(found.get("n_post") or 0)),
        "diff": score_percent(found.get("difference_pct")),
        "t": number_or_absent(welch.get("t")),
        "p": p_text(welch.get("p")),
        "low": score_percent(welch.get("ci_low")),
        "high": score_percent(welch.get("ci_high")),
        "u": number_or_absent(mann_whitney.get("u"), 1),
        "p_u": p_text(mann_whitney.get("p")),
    }


@dataclass(frozen=True)
class ItemRow:
    code: str
    codes_text: str
    """"PRE-1" or "PRE-1 / POST-1B" for a parallel pair."""
    stem: str
    objective: str
    pre: str
    post: str
    mcnemar: str
    method: str
    p_adjusted: str
    discrimination: str
    item_rest: str
    flagged: bool


def item_rows(results: EventResults) -> list[ItemRow]:
    rows = []
    for item in (results.items or {}).get("items") or []:
        code = str(item.get("code"))
        label = results.item_labels.get(code)
        post_code = label.post_code if label else code
        mcnemar = item.get("mcnemar") or {}
        discrimination = item.get("discrimination_ul")
        item_rest = item.get("item_rest_r")
        rows.append(
            ItemRow(
                code=code,
                codes_text=f"{code} / {post_code}" if post_code and post_code != code else code,
                stem=label.stem if label else "",
                objective=label.objective if label else "",
                pre=percent(item.get("pre_difficulty")),
                post=percent(item.get("post_difficulty")),
                mcnemar=(
                    _("b = %(b)s, c = %(c)s, %(p)s")
                    % {
                        "b": number(int(mcnemar.get("b") or 0)),
                        "c": number(int(mcnemar.get("c") or 0)),
                        "p": p_text(mcnemar.get("p")),
                    }
                    if mcnemar
                    else ABSENT
                ),
                method=mcnemar_method(mcnemar),
                p_adjusted=p_value(item.get("p_adjusted")),
                discrimination=number_or_absent(discrimination),
                item_rest=number_or_absent(item_rest),
                flagged=(isinstance(discrimination, int | float) and discrimination < 0.2)
                or (isinstance(item_rest, int | float) and item_rest < 0.1),
            )
        )
    return rows


def reliability_text(items: Mapping[str, Any] | None) -> str:
    if not items:
        return ABSENT
    reliability = items.get("reliability") or {}
    parts = []
    for phase, label in (("pre", _("pre-test")), ("post", _("post-test"))):
        found = reliability.get(phase)
        if found and found.get("kr20") is not None:
            parts.append(
                _("%(phase)s KR-20 = %(value)s (n = %(n)s)")
                % {"phase": label, "value": decimal(found["kr20"]), "n": number(int(found.get("n") or 0))}
            )
    return "; ".join(parts) or ABSENT


def pass_rows(passing: PassSummary) -> list[tuple[str, str, str, str]]:
    """(group, takers, passed, share) for everyone, women, men and those whose sex was not recorded; the
    shares of groups under five are withheld."""
    rows = [
        (_("All post-test takers"), number(passing.takers), number(passing.passed), percent(passing.share))
    ]
    for sex in ("female", "male", NOT_STATED):
        if sex not in passing.by_sex:
            continue
        takers, passed = passing.by_sex[sex]
        small = takers < MIN_GROUP
        rows.append(
            (
                sex_label(sex),
                number(takers),
                SMALL if small else number(passed),
                SMALL if small else percent(passed / takers if takers else None),
            )
        )
    return rows


# --- Surveys ---------------------------------------------------------------------------------------------


def reaction_rows(summary: Mapping[str, Any], language: str) -> list[tuple[str, str, str, str]]:
    """(statement, answers, mean, agree) per rated statement of the reaction survey."""
    found = summary.get("questions") or {}
    rows = []
    for question in REACTION:
        if question.kind != QuestionKind.LIKERT or not (found.get(question.name) or {}).get("n"):
            continue
        values = found[question.name]
        rows.append(
            (
                question.label.get(language),
                number(int(values.get("n") or 0)),
                number_or_absent(values.get("mean"), 1),
                percent(values["agree_percent"] / 100) if values.get("agree_percent") is not None else ABSENT,
            )
        )
    return rows


def follow_up_lines(summary: Mapping[str, Any], language: str) -> list[str]:
    n = int(summary.get("n") or 0)
    if not n:
        return []
    tools = next(q for q in FOLLOW_UP if q.name == "tools_used")
    used = [
        f"{tools.choice_label(name, language)} ({number(count)})"
        for name, count in (summary.get("tools") or {}).items()
        if count and name != "none"
    ]
    lines = [
        _("%(n)s follow-up responses; %(applied)s applied the training (application rate %(rate)s).")
        % {
            "n": number(n),
            "applied": number(int(summary.get("applied_count") or 0)),
            "rate": percent((summary.get("application_rate") or 0) / 100)
            if summary.get("application_rate") is not None
            else ABSENT,
        },
        _(
            "Screenings reported: %(screenings)s; referrals through the national referral mechanism: %(referrals)s."
        )
        % {
            "screenings": number(int(summary.get("screenings_total") or 0)),
            "referrals": number(int(summary.get("referrals_total") or 0)),
        },
    ]
    if used:
        lines.append(_("Tools used: %(tools)s.") % {"tools": ", ".join(used)})
    return lines


def quotes(texts: Sequence[str], limit: int = 6) -> list[str]:
    """The answers given, each once (the most frequent first) with how many gave it."""
    counts: dict[str, int] = {}
    for text in texts:
        cleaned = " ".join(str(text).split())
        if cleaned:
            counts[cleaned] = counts.get(cleaned, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: -item[1])[:limit]
    return [f"“{text}” (×{count})" if count > 1 else f"“{text}”" for text, count in ordered]


def reaction_short_label(name: str) -> str:
    """A short name of a reaction statement, for charts."""
    labels = {
        "satisfaction": _("Overall satisfaction"),
        "relevance": _("Relevance to my work"),
        "trainers": _("The trainers"),
        "materials": _("The materials"),
        "organisation": _("Organisation and venue"),
        "confidence": _("Confidence to apply it"),
    }
    return labels.get(name, name)
