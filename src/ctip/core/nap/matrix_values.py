"""The cells of an implementation matrix that need reading, not just copying: agency names (matched to
the registry, with suggestions), budgets (``"1,250,000"``,
``"USD 12,000"``, ``"12 000 000 RWF"``, ``"-"``, ``"TBD"``), timeframes (``"2025-2026"``, ``"Q1 2026"``,
``"Year 1-2"``, ``"2026 Q2 – 2027 Q1"``, ``"Ongoing"``) and funding sources. Each reader returns the value
and, when the cell cannot be read, a :class:`ValueProblem` (message template and parameters) that the
caller places at its row and column. Money is :class:`~decimal.Decimal`, never a float."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache

from babel.numbers import list_currencies

from ctip.core.errors import _

Quarter = tuple[int, int]
"""``(year, quarter)``, quarter 1 to 4."""
Span = tuple[Quarter, Quarter]
"""First and last quarter, both included."""


@dataclass(frozen=True)
class ValueProblem:
    template: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str
    """ISO 4217 code, or ``""`` when neither the cell nor the file says (the workspace's currency applies)."""


class FundingSource(StrEnum):
    GOVERNMENT = "government"
    DONOR = "donor"
    UNFUNDED = "unfunded"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def fold(text: str) -> str:
    """``"  Objectif  stratégique (OS)"`` → ``objectif strategique os``: compared without case or accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


# --- Budgets -------------------------------------------------------------------------------------------

_NOT_KNOWN = {
    "", "-", "--", "—", "–", "tbd", "tbc", "to be determined", "to be confirmed", "n/a", "na", "nil", "?",
    "a determiner", "a definir", "a confirmer", "nd", "n/d", "pm", "p.m.", "pour memoire",
}  # fmt: skip
_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "frw": "RWF", "rwf": "RWF", "rfw": "RWF"}
_MULTIPLIERS = {
    "k": 3,
    "thousand": 3,
    "m": 6,
    "mn": 6,
    "million": 6,
    "millions": 6,
    "bn": 9,
    "billion": 9,
    "md": 9,
}
_LETTERS = re.compile(r"(?<![a-z])([a-z]{3})(?![a-z])")
_AMOUNT = re.compile(r"^(?P<number>\d[\d\s.,'\u00a0\u202f]*)\s*(?P<scale>[a-z]+)?$")


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def parse_budget(text: str, currency: str = "") -> tuple[Money | None, bool, ValueProblem | None]:
    """``(money, to_be_determined, problem)``. A blank cell gives ``(None, False, None)``; ``"-"`` or ``"TBD"``
    gives ``(None, True, None)``. ``currency``: the one to use when the cell names none."""
    raw = text.strip()
    folded = _fold(raw)
    if folded in _NOT_KNOWN:
        return None, bool(folded), None
    found_currency = ""
    for symbol in ("us$", "$", "€", "£"):
        if symbol in folded:
            found_currency = _SYMBOLS[symbol]
            folded = folded.replace(symbol, " ")
            break
    for word in _LETTERS.findall(folded):
        code: str = _SYMBOLS.get(word, word.upper())
        if code in _currencies():
            found_currency = code
            folded = re.sub(rf"(?<![a-z]){word}(?![a-z])", " ", folded)
    rest = folded.strip(" :")
    if rest.startswith("-") and _AMOUNT.match(rest[1:].strip()):
        return (
            None,
            False,
            ValueProblem(_("“%(value)s” is negative. Type the cost as a positive amount."), {"value": raw}),
        )
    match = _AMOUNT.match(rest)
    scale = match.group("scale") if match else None
    amount = _number(match.group("number")) if match and (scale is None or scale in _MULTIPLIERS) else None
    if amount is None:
        return (
            None,
            False,
            ValueProblem(
                _(
                    "“%(value)s” is not an amount. Type a number such as 1250000, “1,250,000” or “USD 12,000”; "
                    "leave the cell blank or type TBD when the cost is not known yet."
                ),
                {"value": raw},
            ),
        )
    if scale:
        amount = amount.scaleb(_MULTIPLIERS[scale])
    return (
        Money(
            amount.normalize() if amount != amount.to_integral() else amount.quantize(Decimal(1)),
            found_currency or currency.upper(),
        ),
        False,
        None,
    )


def currency_in(text: str) -> str:
    """The currency a header names: ``"Budget (RWF)"`` → ``RWF``; ``""`` when it names none."""
    folded = _fold(text)
    for symbol in ("us$", "$", "€", "£"):
        if symbol in folded:
            return _SYMBOLS[symbol]
    word: str
    for word in _LETTERS.findall(folded):
        code = _SYMBOLS.get(word, word.upper())
        if code in _currencies():
            return code
    return ""


def _number(text: str) -> Decimal | None:
    """``"1,250,000"``, ``"12 000 000"``, ``"1.250.000,50"``, ``"12,5"``, ``"1'000"`` → a decimal."""
    digits = re.sub(r"[\s'\u00a0\u202f]", "", text)
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    elif digits.count(",") > 1 or re.fullmatch(r"\d{1,3},\d{3}", digits):
        digits = digits.replace(",", "")
    elif digits.count(",") == 1:
        digits = digits.replace(",", ".")
    elif digits.count(".") > 1:
        digits = digits.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", digits):
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only decimals
        return None


# --- Funding sources -----------------------------------------------------------------------------------

_GOVERNMENT = (
    "government",
    "gouvernement",
    "gov",
    "gor",
    "state budget",
    "budget de l etat",
    "national budget",
    "treasury",
    "tresor",
    "etat",
)
_UNFUNDED = ("unfunded", "not funded", "gap", "funding gap", "to be mobilised", "to be mobilized", "non finance", "a rechercher", "a mobiliser", "none")  # fmt: skip


def parse_funding_source(text: str) -> FundingSource | None:
    """Government, unfunded or (any other name) donor; ``None`` for a blank cell."""
    folded = " ".join(re.sub(r"[^0-9a-z]+", " ", _fold(text)).split())
    if not folded:
        return None
    padded = f" {folded} "
    if any(f" {word} " in padded for word in _UNFUNDED):
        return FundingSource.UNFUNDED
    if any(f" {word} " in padded for word in _GOVERNMENT):
        return FundingSource.GOVERNMENT
    return FundingSource.DONOR


# --- Timeframes ----------------------------------------------------------------------------------------

_ONGOING = ("ongoing", "continuous", "continuing", "throughout", "all years", "permanent", "en continu", "continu", "en cours", "toute la periode", "annual", "annuel", "annually", "every year", "chaque annee", "tous les ans")  # fmt: skip
_MONTHS = {
    "jan": 1, "janv": 1, "janvier": 1, "january": 1, "feb": 2, "fev": 2, "fevr": 2, "fevrier": 2, "february": 2,
    "mar": 3, "mars": 3, "march": 3, "apr": 4, "avr": 4, "avril": 4, "april": 4, "may": 5, "mai": 5,
    "jun": 6, "juin": 6, "june": 6, "jul": 7, "juil": 7, "juillet": 7, "july": 7, "aug": 8, "aout": 8,
    "august": 8, "sep": 9, "sept": 9, "septembre": 9, "september": 9, "oct": 10, "octobre": 10, "october": 10,
    "nov": 11, "novembre": 11, "november": 11, "dec": 12, "decembre": 12, "december": 12,
}  # fmt: skip
_RELATIVE = re.compile(
    r"^(?:years?|yrs?|y|annees?|ans?|an)\s*(\d{1,2})(?:\s*-\s*(?:years?|yrs?|y|annees?|ans?)?\s*(\d{1,2}))?$"
)
_QUARTER = re.compile(
    r"^(?:(?:q|t|trim|quarter|trimestre)\s*([1-4])|([1-4])(?:st|nd|rd|th|er|e|eme)?\s*(?:quarter|trimestre|q|t))\s*(\d{4}|\d{2})?$"
)
_QUARTER_AFTER = re.compile(r"^(\d{4})\s*(?:q|t)\s*([1-4])$")
_HALF = re.compile(r"^(?:h|s)\s*([12])\s*(\d{4})?$|^(\d{4})\s*(?:h|s)\s*([12])$")
_MONTH = re.compile(r"^([a-z]+)\.?\s*(\d{4})?$")
_YEAR = re.compile(r"^(?:fy\s*)?(\d{4}|\d{2})$")


def _point(text: str) -> tuple[int | None, int, int] | None:
    """``(year or None, first quarter, last quarter)`` of one end of a timeframe."""
    text = text.strip(" .")
    if found := _QUARTER.match(text):
        quarter = int(found.group(1) or found.group(2))
        return (int(found.group(3)) if found.group(3) else None), quarter, quarter
    if found := _QUARTER_AFTER.match(text):
        return int(found.group(1)), int(found.group(2)), int(found.group(2))
    if found := _HALF.match(text):
        half = int(found.group(1) or found.group(4))
        year = found.group(2) or found.group(3)
        return (int(year) if year else None), 2 * half - 1, 2 * half
    if found := _YEAR.match(text):
        return int(found.group(1)), 1, 4
    if (found := _MONTH.match(text)) and found.group(1) in _MONTHS:
        quarter = (_MONTHS[found.group(1)] - 1) // 3 + 1
        return (int(found.group(2)) if found.group(2) else None), quarter, quarter
    return None


def _unreadable(text: str) -> ValueProblem:
    return ValueProblem(
        _(
            "“%(value)s” is not a timeframe this import can read. Write it as a year (2026), years "
            "(2025-2026), a quarter (Q1 2026), quarters (2026 Q2 - 2027 Q1), plan years (Year 1-2) or Ongoing."
        ),
        {"value": text},
    )


def parse_timeframe(text: str, plan_period: tuple[int, int]) -> tuple[tuple[Span, ...], ValueProblem | None]:
    """The quarter spans a timeframe cell names, or ``((), problem)``. Every span must lie within
    ``plan_period`` (first and last year, both included); "Year 1" is the plan's first year."""
    start_year, end_year = plan_period
    folded = _fold(text).replace("–", "-").replace("—", "-").replace("’", "'")
    folded = re.sub(r"\s+(?:to|until|till|a|au|jusqu'?a|through)\s+", " - ", folded)
    folded = re.sub(r"(\d{4})\s*[-/]\s*(q|t)\s*([1-4])\b", r"\1 \2\3", folded)  # 2026-Q1 is one quarter
    folded = re.sub(r"(\d{4})\s*/\s*(\d{2,4})\b", r"\1 - \2", folded)  # 2025/26: a fiscal year
    if not folded:
        return (), None
    if any(word in folded for word in _ONGOING):
        return (((start_year, 1), (end_year, 4)),), None
    spans: list[Span] = []
    for part in re.split(r"\s*[,;&\n]\s*|\s+(?:and|et)\s+", folded):
        if not part:
            continue
        if found := _RELATIVE.match(part):
            first = int(found.group(1))
            last = int(found.group(2) or first)
            span: Span = ((start_year + first - 1, 1), (start_year + last - 1, 4))
        else:
            ends = [end.strip() for end in part.split("-")]
            if len(ends) > 2 or not all(ends):
                return (), _unreadable(text)
            left, right = _point(ends[0]), _point(ends[-1])
            if left is None or right is None:
                return (), _unreadable(text)
            left_year, right_year = left[0] or right[0], right[0] or left[0]
            if left_year is None or right_year is None:
                return (), ValueProblem(
                    _("“%(value)s” has no year. Add the year, for example Q1 2026 or Q1-Q3 2026."),
                    {"value": text},
                )
            if left_year < 100:
                left_year += 2000
            if right_year < 100:
                right_year += left_year // 100 * 100
            span = ((left_year, left[1]), (right_year, right[2]))
        if span[0] > span[1]:
            return (), ValueProblem(
                _("“%(value)s” ends before it starts. Put the earlier date first, for example 2025-2026."),
                {"value": text},
            )
        if span[0][0] < start_year or span[1][0] > end_year:
            return (), ValueProblem(
                _(
                    "“%(value)s” falls outside the plan period %(start)s-%(end)s. Correct the timeframe or the "
                    "plan's period."
                ),
                {"value": text, "start": start_year, "end": end_year},
            )
        spans.append(span)
    return tuple(spans), None


# --- Agencies ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyMatch:
    """An agency as typed: ``key`` when it was found in the registry, else ``suggestions`` (registry keys)."""

    text: str
    key: str | None
    suggestions: tuple[str, ...] = ()


def agency_index(known: Mapping[str, Sequence[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, names in known.items():
        for name in (key, *names):
            folded = fold(name)
            if folded:
                index.setdefault(folded, key)
            bracket = re.fullmatch(r"(.+?)\s*\(([^()]+)\)\s*", name)
            if bracket:
                for part in bracket.groups():
                    index.setdefault(fold(part), key)
    return index


def match_agency(text: str, known: Mapping[str, Sequence[str]], *, limit: int = 3) -> AgencyMatch:
    """Exact match on key, acronym or name (case, accents and punctuation ignored), else close names."""
    return match_in(text, agency_index(known), limit)


def match_in(text: str, index: Mapping[str, str], limit: int) -> AgencyMatch:
    text = text.strip()
    folded = fold(text)
    if folded in index:
        return AgencyMatch(text, index[folded])
    bracket = re.fullmatch(r"(.+?)\s*\(([^()]+)\)\s*", text)
    if bracket:
        for part in bracket.groups():
            if fold(part) in index:
                return AgencyMatch(text, index[fold(part)])
    suggestions: list[str] = []
    for close in difflib.get_close_matches(folded, list(index), n=limit * 3, cutoff=0.6):
        if index[close] not in suggestions:
            suggestions.append(index[close])
    for name, key in index.items():  # "Isange" for "Isange One Stop Centres"; "NPPA" inside a sentence
        if (
            len(name) >= 3
            and key not in suggestions
            and (f" {name} " in f" {folded} " or f" {folded} " in f" {name} ")
        ):
            suggestions.append(key)
    return AgencyMatch(text, None, tuple(suggestions[:limit]))


_STRONG_SEPARATORS = re.compile(r"[;,\n\r•·]+|\s+-\s+")
_WEAK_SEPARATORS = re.compile(r"(\s+(?:and|et)\s+|\s*/\s*|\s*&\s*)", re.IGNORECASE)


def split_agencies(text: str, known: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """``"RIB, NPPA and RNP"`` → the three; a registry name with "and" in it (``Ministry of Gender and Family
    Promotion``) stays whole. Splitting on "and", "&" and "/" happens only where it yields registry names."""
    index = agency_index(known or {})
    names: list[str] = []
    for part in _STRONG_SEPARATORS.split(text):
        part = part.strip(" .:-\t")
        if not part or re.fullmatch(r"(?:etc|others?|autres)", part, flags=re.IGNORECASE):
            continue
        names.extend(_split_weak(part, index))
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(fold(name), name)
    return list(unique.values())


def _split_weak(part: str, index: Mapping[str, str]) -> list[str]:
    tokens = _WEAK_SEPARATORS.split(part)  # piece, separator, piece, …
    pieces = tokens[0::2]
    if len(pieces) == 1 or fold(part) in index:
        return [part]
    found: list[str] = []
    matched = False
    start = 0
    while start < len(pieces):
        # The longest run of pieces, joined back with their separators, that is a registry name.
        for end in range(len(pieces), start, -1):
            joined = "".join(tokens[2 * start : 2 * end - 1]).strip(" .")
            if fold(joined) in index:
                found.append(joined)
                matched = True
                start = end
                break
        else:
            found.append(pieces[start].strip(" ."))
            start += 1
    return [piece for piece in found if piece] if matched else [part]
