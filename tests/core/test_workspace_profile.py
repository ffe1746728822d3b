import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.workspace_profile import WorkspaceProfile, check_workspace_profile, country_name, language_name


def profile(**changes):
    values = {
        "slug": "mauritius",
        "name": "Mauritius C-TIP programme",
        "country": "MU",
        "languages": ("en", "fr", "mfe"),
        "currency": "MUR",
        "fiscal_year_start_month": 7,
        "plan_start_year": 2025,
        "plan_end_year": 2027,
    }
    values.update(changes)
    return WorkspaceProfile(**values)


def test_valid_profile_is_normalised():
    checked = check_workspace_profile(
        profile(
            slug=" Mauritius ",
            name="  Mauritius   C-TIP ",
            country="mu",
            currency="mur",
            languages=("EN", "fr", "en"),
        )
    )
    assert checked.slug == "mauritius"
    assert checked.name == "Mauritius C-TIP"
    assert checked.country == "MU"
    assert checked.currency == "MUR"
    assert checked.languages == ("en", "fr")


def test_every_problem_is_reported_with_its_field():
    with pytest.raises(DomainError) as caught:
        check_workspace_profile(
            profile(
                slug="Bad Slug!",
                name=" ",
                country="MUS",
                languages=("xx-not",),
                currency="Rs",
                fiscal_year_start_month=13,
                plan_start_year=2027,
                plan_end_year=2025,
            )
        )
    error = caught.value
    assert error.code is ErrorCode.INVALID_VALUE
    locations = {problem.location for problem in error.problems}
    assert locations == {
        "slug",
        "name",
        "country",
        "languages",
        "currency",
        "fiscal_year_start_month",
        "plan_end_year",
    }
    country = next(p for p in error.problems if p.location == "country")
    assert "“MU”" in country.message  # tells the user what to type instead


def test_plan_period_longer_than_ten_years_is_refused():
    with pytest.raises(DomainError) as caught:
        check_workspace_profile(profile(plan_start_year=2025, plan_end_year=2035))
    assert "11 years" in caught.value.problems[0].message


def test_country_and_language_names_come_from_cldr():
    assert country_name("MU") == "Mauritius"
    assert country_name("MU", "fr") == "Maurice"
    assert language_name("rw", "fr") == "kinyarwanda"


def test_country_list_in_french():
    from ctip.core.workspace_profile import known_countries

    assert known_countries("fr")["MU"] == "Maurice"
    assert known_countries("xx-nonsense")["MU"] == "Mauritius"
