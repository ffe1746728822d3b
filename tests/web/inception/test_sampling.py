"""TNA sampling: the parameters service, the plan built from the registry, and the page."""

from decimal import Decimal

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.inception import selectors, services
from ctip.web.inception.models import SamplingSettings
from tests.web.meetings.factories import organisation_make


def parameters(**changes):
    values = {
        "confidence": Decimal("0.95"),
        "margin": Decimal("0.05"),
        "minimum_per_organisation": 3,
        "interviews_per_organisation": 2,
        "focus_groups": 4,
        "focus_group_size": 8,
    }
    values.update(changes)
    return values


@pytest.fixture
def registry(workspace):
    """1,000 staff: two organisations counted by sex, one by total only, one without numbers."""
    organisation_make(workspace, "police", name="Police", staff_women=300, staff_men=200)
    organisation_make(workspace, "prosecution", name="Prosecution", staff_women=100, staff_men=300)
    organisation_make(workspace, "shelter", name="Shelter", staff_total=100)
    organisation_make(workspace, "media", name="Media house")


@pytest.mark.django_db
def test_first_save_creates_the_settings_and_audits_the_change(workspace, admin_user):
    assert not SamplingSettings.objects.exists()
    saved = services.sampling_settings_update(
        workspace=workspace, acting_user=admin_user, expected_version=1, **parameters(margin=0.03)
    )
    assert saved.margin == Decimal("0.030") and saved.version == 2
    entry = AuditEntry.objects.get(action="samplingsettings.update")
    assert entry.changes["margin"] == ["0.050", "0.030"]
    assert entry.changes["interviews_per_organisation"] == [1, 2]


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict(workspace, admin_user):
    services.sampling_settings_update(
        workspace=workspace, acting_user=admin_user, expected_version=1, **parameters()
    )
    with pytest.raises(DomainError) as caught:
        services.sampling_settings_update(
            workspace=workspace, acting_user=admin_user, expected_version=1, **parameters(focus_groups=9)
        )
    assert caught.value.code is ErrorCode.CONFLICT
    assert SamplingSettings.objects.get().focus_groups == 4


@pytest.mark.django_db
def test_bad_parameters_are_refused_each_on_its_field_and_nothing_is_saved(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.sampling_settings_update(
            workspace=workspace,
            acting_user=admin_user,
            **parameters(
                confidence=Decimal("1.2"), margin=Decimal("0.0525"), focus_group_size=0, focus_groups=-1
            ),
        )
    locations = sorted(p.location for p in caught.value.problems)
    assert locations == ["focus_groups", "margin"]
    with pytest.raises(DomainError) as caught:
        services.sampling_settings_update(
            workspace=workspace, acting_user=admin_user, **parameters(confidence=1.2, focus_group_size=0)
        )
    assert sorted(p.location for p in caught.value.problems) == ["confidence", "focus_group_size"]
    assert not SamplingSettings.objects.exists()
    assert not AuditEntry.objects.filter(action="samplingsettings.update").exists()


@pytest.mark.django_db
def test_viewers_cannot_change_the_parameters(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        services.sampling_settings_update(workspace=workspace, acting_user=viewer, **parameters())
    assert caught.value.code is ErrorCode.PERMISSION_DENIED


@pytest.mark.django_db
def test_plan_from_hand_made_organisations(workspace, admin_user, registry):
    services.sampling_settings_update(workspace=workspace, acting_user=admin_user, **parameters())

    plan = selectors.inception_sampling_plan(workspace)

    assert plan.population == 1000
    assert (plan.women, plan.men) == (400, 500)  # the shelter's split is unknown
    assert plan.sample_size.n0_rounded == 385 and plan.sample_size.n == 278
    rows = {row.key: row for row in plan.allocation.strata}
    assert [row.key for row in plan.allocation.strata] == ["police", "prosecution", "shelter"]
    assert (rows["police"].allocated_total, rows["police"].allocated_women, rows["police"].allocated_men) == (
        139,
        83,
        56,
    )
    assert (rows["prosecution"].allocated_total, rows["prosecution"].allocated_women) == (111, 28)
    assert (
        rows["shelter"].allocated_total,
        rows["shelter"].allocated_women,
        rows["shelter"].allocated_men,
    ) == (28, 0, 0)
    assert plan.allocation.total_allocated == 278
    assert plan.total_interviews == 6 and plan.focus_group_participants == 32
    notes = {note.code: note for note in plan.notes}
    assert "Shelter" in notes["sex_split_unknown"].message
    assert "Media house" in notes["organisations_without_staff"].message


@pytest.mark.django_db
def test_one_sex_and_the_total_give_the_other(workspace):
    organisation_make(workspace, "police", name="Police", staff_women=20, staff_total=50)
    plan = selectors.inception_sampling_plan(workspace)
    assert (plan.women, plan.men) == (20, 30)
    assert any(note.code == "sex_split_inferred" for note in plan.notes)


@pytest.mark.django_db
def test_no_staff_numbers_means_no_plan_with_a_clear_message(workspace):
    organisation_make(workspace, "media", name="Media house")
    with pytest.raises(DomainError) as caught:
        selectors.inception_sampling_plan(workspace)
    assert "No organisation in the stakeholder registry has staff numbers" in str(caught.value)


@pytest.mark.django_db
def test_sampling_page_explains_the_numbers(admin_client, workspace, registry):
    page = admin_client.get(f"/w/{workspace.slug}/inception/sampling/").content.decode()
    assert "With 95% confidence and a ±5% margin of error, 278 respondents of 1,000 staff are enough." in page
    assert "384.1" in page and "385" in page
    assert "Police" in page and "139" in page and "—" in page
    assert "Media house" in page  # named in the note on organisations left out


@pytest.mark.django_db
def test_sampling_page_saves_the_parameters(admin_client, workspace, registry):
    url = f"/w/{workspace.slug}/inception/sampling/"
    data = {
        "confidence": "0.990",
        "margin": "5",
        "minimum_per_organisation": 3,
        "interviews_per_organisation": 1,
        "focus_groups": 2,
        "focus_group_size": 8,
        "version": 1,
    }
    assert admin_client.post(url, data).status_code == 302
    saved = SamplingSettings.objects.get()
    assert (saved.confidence, saved.margin) == (Decimal("0.990"), Decimal("0.050"))
    assert "With 99% confidence" in admin_client.get(url).content.decode()
    stale = admin_client.post(url, {**data, "focus_groups": 3})
    assert stale.status_code == 400 and "Someone else changed" in stale.content.decode()


@pytest.mark.django_db
def test_sampling_page_without_staff_numbers_says_what_to_do(admin_client, workspace):
    page = admin_client.get(f"/w/{workspace.slug}/inception/sampling/").content.decode()
    assert "has staff numbers yet" in page


@pytest.mark.django_db
def test_viewers_see_the_plan_but_cannot_change_the_parameters(client, workspace, make_member, registry):
    client.force_login(make_member(workspace, "viewer").user)
    url = f"/w/{workspace.slug}/inception/sampling/"
    page = client.get(url)
    assert page.status_code == 200 and "Save and recompute" not in page.content.decode()
    assert "95%" in page.content.decode()
    assert client.post(url, {"confidence": "0.950"}).status_code == 403
