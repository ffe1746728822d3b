"""The agenda: the training days, the fixed parts of the day (opening and pre-test, breaks, lunch, post-test,
reaction survey, closing), sessions cut at breaks and continued, and content longer than the event."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from ctip.core.errors import DomainError
from ctip.core.training.agenda import (
    AgendaSession,
    AgendaSettings,
    BlockKind,
    build_agenda,
    clock,
    parse_clock,
    settings_for,
    suggest_day_end,
    working_days,
)

MONDAY = dt.date(2026, 3, 2)
CLASSIC = AgendaSettings(day_start=9 * 60, day_end=16 * 60 + 30)
"""A 09:00–16:30 day, on which the timelines below are worked out by hand."""


def sessions(*minutes: int) -> list[AgendaSession]:
    return [
        AgendaSession(f"M-S{n}", f"Session {n}", length, "M") for n, length in enumerate(minutes, start=1)
    ]


def timeline(day) -> list[tuple[str, str, str, str]]:
    return [(block.start_text, block.end_text, block.kind.value, block.session) for block in day.blocks]


def test_training_days_leave_out_the_weekend_inside_but_keep_a_chosen_weekend_day():
    friday, saturday, sunday, tuesday = (MONDAY + dt.timedelta(days=n) for n in (4, 5, 6, 8))
    assert working_days(friday, tuesday) == (friday, MONDAY + dt.timedelta(days=7), tuesday)
    assert working_days(saturday, sunday) == (saturday, sunday)
    assert working_days(MONDAY, MONDAY) == (MONDAY,)
    with pytest.raises(ValueError):
        working_days(tuesday, MONDAY)


def test_a_day_that_fits_has_the_fixed_parts_at_their_times():
    agenda = build_agenda([MONDAY], sessions(90, 60, 75), CLASSIC)

    assert agenda.fits and agenda.days_needed == agenda.event_days == 1
    assert timeline(agenda.days[0]) == [
        ("09:00", "09:30", "opening", ""),
        ("09:30", "10:30", "session", "M-S1"),
        ("10:30", "10:45", "break", ""),
        ("10:45", "11:15", "session", "M-S1"),
        ("11:15", "12:15", "session", "M-S2"),
        ("12:15", "13:15", "lunch", ""),
        ("13:15", "14:30", "session", "M-S3"),
        ("14:30", "15:00", "post_test", ""),
        ("15:00", "15:15", "break", ""),
        ("15:15", "15:30", "reaction_survey", ""),
        ("15:30", "15:45", "closing", ""),
    ]
    cut = [block for block in agenda.days[0].blocks if block.session == "M-S1"]
    assert [(block.continued, block.continues) for block in cut] == [(False, True), (True, False)]
    assert sum(block.minutes for block in cut) == 90


def test_a_break_moves_by_up_to_a_quarter_of_an_hour_rather_than_cut_a_session():
    late = build_agenda([MONDAY], sessions(70), CLASSIC)  # 09:30–10:40: the break waits ten minutes
    assert timeline(late.days[0])[1:3] == [
        ("09:30", "10:40", "session", "M-S1"),
        ("10:40", "10:55", "break", ""),
    ]
    early = build_agenda([MONDAY], sessions(50, 60), CLASSIC)  # 10:20: the break comes ten minutes early
    assert timeline(early.days[0])[1:4] == [
        ("09:30", "10:20", "session", "M-S1"),
        ("10:20", "10:35", "break", ""),
        ("10:35", "11:35", "session", "M-S2"),
    ]


def test_content_longer_than_the_event_overflows_into_extra_days_marked_as_such():
    friday = MONDAY + dt.timedelta(days=4)
    thursday = MONDAY + dt.timedelta(days=3)
    agenda = build_agenda([thursday, friday], sessions(120, 120, 120, 120, 120, 120), CLASSIC)

    assert not agenda.fits
    assert (agenda.event_days, agenda.days_needed, agenda.extra_days) == (2, 3, 1)
    assert [(day.date, day.extra) for day in agenda.days] == [
        (thursday, False),
        (friday, False),
        (MONDAY + dt.timedelta(days=7), True),  # the next working day
    ]
    placed = sum(
        block.minutes for day in agenda.days for block in day.blocks if block.kind is BlockKind.SESSION
    )
    assert placed == agenda.teaching_minutes == 720
    last = [block for block in agenda.days[-1].blocks if block.kind is not BlockKind.BREAK]
    assert [block.kind for block in last[-3:]] == [
        BlockKind.POST_TEST,
        BlockKind.REACTION_SURVEY,
        BlockKind.CLOSING,
    ]
    continued = [block for day in agenda.days[1:] for block in day.blocks if block.continued]
    assert continued and all(block.kind is BlockKind.SESSION for block in continued)


def test_a_session_that_does_not_fit_in_the_day_goes_on_the_next_morning():
    agenda = build_agenda([MONDAY, MONDAY + dt.timedelta(days=1)], sessions(300, 120), CLASSIC)
    first, second = agenda.days
    assert timeline(first)[-1] == ("16:00", "16:30", "session", "M-S2")
    assert timeline(second)[0] == ("09:00", "10:30", "session", "M-S2")
    assert second.blocks[0].continued


def test_content_shorter_than_the_event_leaves_days_with_nothing_planned():
    days = working_days(MONDAY, MONDAY + dt.timedelta(days=2))
    agenda = build_agenda(days, sessions(90), CLASSIC)
    assert (agenda.days_needed, agenda.unused_days) == (1, 2)
    assert [len(day.blocks) > 0 for day in agenda.days] == [True, False, False]


def test_longer_hours_make_it_fit_and_the_earliest_such_hour_is_suggested():
    days = [MONDAY]
    content = sessions(90, 120, 120)  # 330 minutes: one day of teaching, plus the tests and closing
    assert build_agenda(days, content, CLASSIC).days_needed == 2
    end = suggest_day_end(days, content, CLASSIC)
    assert end is not None and clock(end) == "17:30"
    assert build_agenda(days, content, AgendaSettings(day_start=CLASSIC.day_start, day_end=end)).fits
    assert not build_agenda(days, content, AgendaSettings(day_start=CLASSIC.day_start, day_end=end - 15)).fits
    assert suggest_day_end(days, sessions(60), CLASSIC) is None  # fits already
    assert suggest_day_end(days, sessions(120, 120, 120, 120, 120), CLASSIC) is None  # not even by 18:00


def test_the_default_day_holds_a_module_day_with_the_tests_and_the_closing():
    """The library gives a module 330 minutes of sessions per day (ctip.core.training.content); with the
    opening, the tests, the survey and the closing the default 08:30–17:00 day holds one module day, and a
    two-day module fits in two days."""
    assert build_agenda([MONDAY], sessions(90, 120, 120)).fits
    assert build_agenda([MONDAY, MONDAY + dt.timedelta(days=1)], sessions(*[110] * 6)).fits
    assert not build_agenda([MONDAY], sessions(90, 120, 120), CLASSIC).fits


def test_hours_are_read_and_written_as_hh_mm():
    assert clock(570) == "09:30"
    assert [parse_clock(text, "x") for text in ("8:30", "08h30", "17.15")] == [510, 510, 1035]
    assert settings_for("08:30", "17:00") == AgendaSettings(day_start=510, day_end=1020)
    with pytest.raises(DomainError) as wrong:
        settings_for("25:00", "")
    assert wrong.value.problems[0].location == "day_start"
    assert "HH:MM" in wrong.value.problems[0].message
    with pytest.raises(DomainError) as short:
        settings_for("09:00", "11:00")
    assert short.value.problems[0].location == "day_end"


def test_any_content_is_placed_whole_in_order_without_overlaps():
    generator = random.Random(20260302)
    for _trial in range(60):
        content = sessions(
            *(generator.choice((45, 60, 75, 90, 105, 120, 150, 330)) for _ in range(generator.randint(0, 9)))
        )
        days = working_days(MONDAY, MONDAY + dt.timedelta(days=generator.randint(0, 6)))
        settings = AgendaSettings(
            day_start=generator.choice((480, 510, 540)), day_end=generator.choice((960, 990, 1020))
        )
        agenda = build_agenda(days, content, settings)
        order: list[str] = []
        for day in agenda.days:
            previous_end = settings.day_start
            for block in day.blocks:
                assert previous_end <= block.start < block.end <= settings.day_end
                previous_end = block.end
                if block.kind is BlockKind.SESSION and (not order or order[-1] != block.session):
                    order.append(block.session)
        assert order == [session.code for session in content]
        for session in content:
            placed = sum(
                block.minutes for day in agenda.days for block in day.blocks if block.session == session.code
            )
            assert placed == session.minutes
        kinds = [block.kind for day in agenda.days for block in day.blocks]
        assert kinds[0] is BlockKind.OPENING and kinds[-1] is BlockKind.CLOSING
        assert agenda.days_needed == sum(1 for day in agenda.days if day.blocks)
