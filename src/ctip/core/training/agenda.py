"""The agenda of a training event: its days cut into time blocks.

The day runs from 08:30 to 17:00 by default (it then holds one day of a module's sessions — 330 minutes
in the library — with the opening, the tests, the survey and the closing), with a 15-minute break about 10:30, lunch (60 minutes) about
12:30 and a 15-minute break about 15:00. The first morning opens with the opening and the pre-test (30
minutes); the sessions of the event's modules follow in order; the last afternoon ends with the post-test
(30 minutes), the reaction survey (15 minutes) and the closing (15 minutes).

A break moves by up to :attr:`AgendaSettings.tolerance` minutes (15) so that a session ends before it rather
than being cut a few minutes short; otherwise the session stops at the break and goes on after it, marked
"continued". A session that does not fit in a day goes on the next day. The opening, tests, survey and
closing are never cut. When the sessions need more days than the event has, the agenda goes on over extra
days (the next working days, marked :attr:`AgendaDay.extra`) so that everything is still listed, and
:attr:`Agenda.days_needed` says how many days the content needs.

Times are minutes after midnight inside, ``HH:MM`` outside (:func:`clock`, :func:`parse_clock`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

DAY_START = 8 * 60 + 30
DAY_END = 17 * 60
MIN_DAY_MINUTES = 3 * 60
"""A day shorter than three hours cannot hold the opening, a session and the breaks in a sensible way."""
LATEST_DAY_END = 18 * 60
"""The latest end of the day :func:`suggest_day_end` proposes."""
MIN_PIECE = 15
"""A session is not started when less than this is left before the end of the day."""
MAX_EXTRA_DAYS = 60
"""A guard against an agenda without end (e.g. sessions of many days in a very short day)."""
_SATURDAY = 5
_CLOCK = re.compile(r"^\s*([01]?\d|2[0-3])[:hH.]([0-5]\d)\s*$")


class BlockKind(StrEnum):
    OPENING = "opening"
    """Welcome, introductions and the pre-test."""
    SESSION = "session"
    BREAK = "break"
    LUNCH = "lunch"
    POST_TEST = "post_test"
    REACTION_SURVEY = "reaction_survey"
    CLOSING = "closing"


BLOCK_LABELS: dict[BlockKind, str] = {
    BlockKind.OPENING: _("Opening and pre-test"),
    BlockKind.SESSION: _("Session"),
    BlockKind.BREAK: _("Break"),
    BlockKind.LUNCH: _("Lunch"),
    BlockKind.POST_TEST: _("Post-test"),
    BlockKind.REACTION_SURVEY: _("Reaction survey"),
    BlockKind.CLOSING: _("Closing"),
}


@dataclass(frozen=True)
class Pause:
    """A break of the day: it starts about ``at`` (minutes after midnight) and lasts ``minutes``."""

    at: int
    minutes: int
    kind: BlockKind = BlockKind.BREAK


@dataclass(frozen=True)
class AgendaSettings:
    day_start: int = DAY_START
    day_end: int = DAY_END
    pauses: tuple[Pause, ...] = (
        Pause(10 * 60 + 30, 15),
        Pause(12 * 60 + 30, 60, BlockKind.LUNCH),
        Pause(15 * 60, 15),
    )
    opening_minutes: int = 30
    post_test_minutes: int = 30
    survey_minutes: int = 15
    closing_minutes: int = 15
    tolerance: int = 15
    """How far a break may move (earlier or later) to fall between two sessions."""

    def __post_init__(self) -> None:
        if self.day_end - self.day_start < MIN_DAY_MINUTES:
            raise ValueError("A training day must last at least three hours.")


@dataclass(frozen=True)
class AgendaSession:
    """A session to place, in the agenda's order."""

    code: str
    title: str
    minutes: int
    module: str = ""
    """The module's code."""
    module_title: str = ""


@dataclass(frozen=True)
class AgendaBlock:
    start: int
    end: int
    kind: BlockKind
    session: str = ""
    """The session's code (sessions only)."""
    title: str = ""
    """The session's title (sessions only)."""
    module: str = ""
    continued: bool = False
    """A session that started before a break or on the day before."""
    continues: bool = False
    """A session that goes on after this block."""

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def start_text(self) -> str:
        return clock(self.start)

    @property
    def end_text(self) -> str:
        return clock(self.end)


@dataclass(frozen=True)
class AgendaDay:
    number: int
    """1 for the first day."""
    date: dt.date
    extra: bool
    """Beyond the event's last day: the content needs more days than the event has."""
    blocks: tuple[AgendaBlock, ...]

    @property
    def teaching_minutes(self) -> int:
        return sum(block.minutes for block in self.blocks if block.kind is BlockKind.SESSION)


@dataclass(frozen=True)
class Agenda:
    days: tuple[AgendaDay, ...]
    event_days: int
    """The working days between the event's first and last day."""
    days_needed: int
    """The days the opening, the sessions and the closing take with these settings."""
    teaching_minutes: int
    """The minutes of all sessions."""
    settings: AgendaSettings = field(default_factory=AgendaSettings)

    @property
    def fits(self) -> bool:
        return self.days_needed <= self.event_days

    @property
    def extra_days(self) -> int:
        return max(0, self.days_needed - self.event_days)

    @property
    def unused_days(self) -> int:
        """Event days on which nothing is planned (the content is shorter than the event)."""
        return max(0, self.event_days - self.days_needed)


def clock(minutes: int) -> str:
    """``570`` → ``"09:30"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(text: str, where: str) -> int:
    """``"09:30"`` (also ``9:30``, ``9h30``) → ``570``; raises ``invalid_value`` naming ``where``."""
    match = _CLOCK.match(text or "")
    if match is None:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(value)s” is not a time of day."),
            {"value": text},
            problems=[FieldProblem(where, _("Write the time as HH:MM, for example 09:00 or 16:30."))],
        )
    return int(match.group(1)) * 60 + int(match.group(2))


def settings_for(day_start: str = "", day_end: str = "") -> AgendaSettings:
    """The default settings with the day's start and end given as ``HH:MM`` (empty: the default). Raises
    ``invalid_value`` for a time that cannot be read or a day shorter than three hours."""
    start = parse_clock(day_start, "day_start") if day_start.strip() else DAY_START
    end = parse_clock(day_end, "day_end") if day_end.strip() else DAY_END
    if end - start < MIN_DAY_MINUTES:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("A training day from %(start)s to %(end)s is too short."),
            {"start": clock(start), "end": clock(end)},
            problems=[
                FieldProblem("day_end", _("End the day at least three hours after it starts.")),
            ],
        )
    return AgendaSettings(day_start=start, day_end=end)


def working_days(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The training days from ``first`` to ``last``: every day but the Saturdays and Sundays strictly
    inside (a weekend first or last day is kept: it was chosen on purpose)."""
    if last < first:
        raise ValueError("The last day comes before the first.")
    every = [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]
    return tuple(day for day in every if day in (first, last) or day.weekday() < _SATURDAY)


def _next_working_day(day: dt.date) -> dt.date:
    following = day + dt.timedelta(days=1)
    while following.weekday() >= _SATURDAY:
        following += dt.timedelta(days=1)
    return following


@dataclass
class _Piece:
    kind: BlockKind
    minutes: int
    session: AgendaSession | None = None
    started: bool = False


class _Day:
    """One day being filled: the cursor and the breaks not yet taken."""

    def __init__(self, settings: AgendaSettings) -> None:
        self.settings = settings
        self.now = settings.day_start
        self.blocks: list[AgendaBlock] = []
        self.pauses = sorted(
            (pause for pause in settings.pauses if settings.day_start < pause.at < settings.day_end),
            key=lambda pause: pause.at,
        )

    def take_pause(self) -> None:
        pause = self.pauses.pop(0)
        end = min(self.now + pause.minutes, self.settings.day_end)
        self.blocks.append(AgendaBlock(self.now, end, pause.kind))
        self.now = end

    def room(self) -> int:
        """Minutes until the end of the day."""
        return self.settings.day_end - self.now

    def place(self, piece: _Piece) -> bool:
        """Place as much of ``piece`` as fits before the end of the day (and around the breaks); whether it
        is all placed."""
        tolerance = self.settings.tolerance
        while piece.minutes > 0:
            if self.pauses and self.now >= self.pauses[0].at - tolerance:
                self.take_pause()
                continue
            if piece.session is None:
                if piece.minutes > self.room():
                    return False
                if self.pauses and self.now + piece.minutes > self.pauses[0].at + tolerance:
                    self.take_pause()
                    continue
                self._block(piece, piece.minutes)
                return True
            limit = self.settings.day_end
            if self.pauses:
                pause_at = self.pauses[0].at
                limit = pause_at + tolerance if self.now + piece.minutes <= pause_at + tolerance else pause_at
            length = min(piece.minutes, limit - self.now)
            if length < MIN_PIECE and length < piece.minutes:
                if not self.pauses:
                    return False
                self.take_pause()
                continue
            self._block(piece, length)
        return True

    def _block(self, piece: _Piece, length: int) -> None:
        session = piece.session
        rest = piece.minutes - length
        self.blocks.append(
            AgendaBlock(
                start=self.now,
                end=self.now + length,
                kind=piece.kind,
                session=session.code if session else "",
                title=session.title if session else "",
                module=session.module if session else "",
                continued=piece.started,
                continues=rest > 0,
            )
        )
        self.now += length
        piece.minutes = rest
        piece.started = True


def build_agenda(
    days: Sequence[dt.date], sessions: Sequence[AgendaSession], settings: AgendaSettings | None = None
) -> Agenda:
    """The agenda of an event held on ``days`` (its working days, in order; see :func:`working_days`) that
    teaches ``sessions`` in this order."""
    if not days:
        raise ValueError("An event has at least one day.")
    chosen = settings or AgendaSettings()
    pieces = [
        _Piece(BlockKind.OPENING, chosen.opening_minutes),
        *(_Piece(BlockKind.SESSION, session.minutes, session) for session in sessions if session.minutes > 0),
        _Piece(BlockKind.POST_TEST, chosen.post_test_minutes),
        _Piece(BlockKind.REACTION_SURVEY, chosen.survey_minutes),
        _Piece(BlockKind.CLOSING, chosen.closing_minutes),
    ]
    filled: list[AgendaDay] = []
    date = days[0]
    while pieces:
        if len(filled) >= len(days) + MAX_EXTRA_DAYS:
            raise ValueError("The sessions do not fit in any number of days with these settings.")
        number = len(filled) + 1
        date = days[number - 1] if number <= len(days) else _next_working_day(date)
        day = _Day(chosen)
        while pieces and day.place(pieces[0]):
            pieces.pop(0)
        filled.append(AgendaDay(number, date, number > len(days), tuple(day.blocks)))
    days_needed = len(filled)
    for number in range(days_needed + 1, len(days) + 1):
        filled.append(AgendaDay(number, days[number - 1], False, ()))
    return Agenda(
        days=tuple(filled),
        event_days=len(days),
        days_needed=days_needed,
        teaching_minutes=sum(session.minutes for session in sessions if session.minutes > 0),
        settings=chosen,
    )


def suggest_day_end(
    days: Sequence[dt.date],
    sessions: Sequence[AgendaSession],
    settings: AgendaSettings | None = None,
    *,
    latest: int = LATEST_DAY_END,
) -> int | None:
    """The earliest end of the day (in steps of 15 minutes, no later than ``latest``) at which everything
    fits in the event's ``days``; ``None`` when it already fits or when no such hour exists."""
    chosen = settings or AgendaSettings()
    if build_agenda(days, sessions, chosen).fits:
        return None
    end = chosen.day_end + 15
    while end <= latest:
        if build_agenda(days, sessions, replace(chosen, day_end=end)).fits:
            return end
        end += 15
    return None
