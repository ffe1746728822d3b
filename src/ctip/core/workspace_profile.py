"""Rules for a workspace: one country programme (name, country, languages, currency, fiscal year, plan period).

Country, language and currency codes are checked against the Unicode CLDR data shipped with Babel, so a
typo such as ``"MUS"`` for Mauritius (``"MU"``) or ``"Rs"`` for the rupee (``"MUR"``) is caught with a
message that says what to type instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
EARLIEST_PLAN_YEAR = 2000
LATEST_PLAN_YEAR = 2100
LONGEST_PLAN_YEARS = 10
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class WorkspaceProfile:
    slug: str
    name: str
    country: str
    languages: tuple[str, ...] = ("en", "fr")
    currency: str = "USD"
    fiscal_year_start_month: int = 1
    plan_start_year: int = 2025
    plan_end_year: int = 2027


@cache
def _english() -> Locale:
    return Locale("en")


def country_name(code: str, language: str = "en") -> str:
    """The country's name in ``language`` (``"MU"`` → ``"Mauritius"`` / ``"Maurice"``)."""
    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        locale = _english()
    return str(locale.territories.get(code.upper(), code))


def language_name(code: str, language: str = "en") -> str:
    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        locale = _english()
    return str(locale.languages.get(code, code))


def known_countries(language: str = "en") -> dict[str, str]:
    """ISO 3166-1 alpha-2 codes → names in ``language`` (two-letter territories only, no regions such as
    ``001``)."""
    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        locale = _english()
    return {
        code: str(name)
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}
    }


def known_languages() -> dict[str, str]:
    return {code: str(name) for code, name in _english().languages.items() if "_" not in code}


def known_currencies() -> set[str]:
    return set(list_currencies())


def check_workspace_profile(profile: WorkspaceProfile) -> WorkspaceProfile:
    """Return the profile normalised (codes upper/lower-cased, duplicates removed) or raise one error
    listing every problem found, field by field."""
    problems: list[FieldProblem] = []
    slug = profile.slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        problems.append(
            FieldProblem(
                "slug",
                _(
                    "“%(value)s” cannot be used in web addresses: use 1–50 lower-case letters, digits and "
                    "hyphens, starting and ending with a letter or digit (for example “mauritius”)."
                ),
                {"value": profile.slug},
            )
        )
    name = " ".join(profile.name.split())
    if not name:
        problems.append(
            FieldProblem("name", _("Give the programme a name, e.g. “Mauritius C-TIP programme”."))
        )
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(
            FieldProblem(
                "name",
                _("The name is %(length)s characters long; keep it to %(limit)s."),
                {"length": len(name), "limit": NAME_MAX_LENGTH},
            )
        )
    country = profile.country.strip().upper()
    if country not in known_countries():
        problems.append(
            FieldProblem(
                "country",
                _(
                    "“%(value)s” is not an ISO 3166 two-letter country code (Mauritius is “MU”, Rwanda is “RW”)."
                ),
                {"value": profile.country},
            )
        )
    languages = tuple(dict.fromkeys(code.strip().lower() for code in profile.languages if code.strip()))
    if not languages:
        problems.append(
            FieldProblem("languages", _("Choose at least one working language (e.g. “en”, “fr”)."))
        )
    unknown = [code for code in languages if code not in known_languages()]
    if unknown:
        problems.append(
            FieldProblem(
                "languages",
                _(
                    "Unknown language code(s): %(codes)s. Use ISO 639 codes such as “en”, “fr”, “mfe” "
                    "(Kreol Morisien) or “rw” (Kinyarwanda)."
                ),
                {"codes": ", ".join(unknown)},
            )
        )
    currency = profile.currency.strip().upper()
    if currency not in known_currencies():
        problems.append(
            FieldProblem(
                "currency",
                _("“%(value)s” is not an ISO 4217 currency code (e.g. “MUR”, “RWF”, “USD”)."),
                {"value": profile.currency},
            )
        )
    if not 1 <= profile.fiscal_year_start_month <= 12:
        problems.append(
            FieldProblem(
                "fiscal_year_start_month",
                _("%(value)s is not a month; use 1 (January) to 12 (December)."),
                {"value": profile.fiscal_year_start_month},
            )
        )
    for label, year in (
        ("plan_start_year", profile.plan_start_year),
        ("plan_end_year", profile.plan_end_year),
    ):
        if not EARLIEST_PLAN_YEAR <= year <= LATEST_PLAN_YEAR:
            problems.append(
                FieldProblem(
                    label,
                    _("%(year)s is outside %(earliest)s–%(latest)s."),
                    {"year": year, "earliest": EARLIEST_PLAN_YEAR, "latest": LATEST_PLAN_YEAR},
                )
            )
    if profile.plan_end_year < profile.plan_start_year:
        problems.append(
            FieldProblem(
                "plan_end_year",
                _("The plan period ends (%(end)s) before it starts (%(start)s)."),
                {"end": profile.plan_end_year, "start": profile.plan_start_year},
            )
        )
    elif profile.plan_end_year - profile.plan_start_year + 1 > LONGEST_PLAN_YEARS:
        problems.append(
            FieldProblem(
                "plan_end_year",
                _("A plan period of %(years)s years is longer than %(limit)s; split it into several plans."),
                {"years": profile.plan_end_year - profile.plan_start_year + 1, "limit": LONGEST_PLAN_YEARS},
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("The workspace details are not valid."), problems=problems
        )
    return WorkspaceProfile(
        slug=slug,
        name=name,
        country=country,
        languages=languages,
        currency=currency,
        fiscal_year_start_month=profile.fiscal_year_start_month,
        plan_start_year=profile.plan_start_year,
        plan_end_year=profile.plan_end_year,
    )
