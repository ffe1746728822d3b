"""The item bank: seeding from the built-in module content (idempotent, never overwriting the workspace's
edits), the checks of an item (each error names its field and nothing changes), and the bank's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctip.core.errors import DomainError
from ctip.core.training.content import all_module_content, module_content
from ctip.web.accounts.models import AuditEntry
from ctip.web.planning import services as planning_services
from ctip.web.planning.models import TrainingModule
from ctip.web.trainings.models import AssessmentItem
from ctip.web.trainings.services.item_bank import (
    ItemDraft,
    OptionDraft,
    bank_ensure,
    item_create,
    item_set_active,
    item_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(workspace):
    planning_services.catalogue_ensure(workspace=workspace, acting_user=None)
    return {module.code: module for module in TrainingModule.objects.filter(workspace=workspace)}


@pytest.fixture
def custom_module(workspace):
    """A module of the workspace's own, without built-in content."""
    return TrainingModule.objects.create(
        workspace=workspace,
        code="LOCAL_SOP",
        title_en="Local standard operating procedures",
        pillar="protection",
        level="foundational",
        duration_days=1,
        delivery_mode="in_person",
        participants_min=10,
        participants_max=25,
    )


def draft(**changes) -> ItemDraft:
    values = {
        "code": "SCR-11",
        "kind": "single",
        "stem_en": "Which document guides the first interview with a presumed victim?",
        "stem_fr": "Quel document guide le premier entretien avec une victime présumée ?",
        "objective": "SCR-LO1",
        "options": [
            OptionDraft("a", "The screening form", "Le formulaire de détection"),
            OptionDraft("b", "The charge sheet", "L'acte d'accusation"),
            OptionDraft("c", "A visa application", "Une demande de visa"),
        ],
        "correct": ["a"],
    }
    values.update(changes)
    return ItemDraft(**values)


def item_state(item: AssessmentItem) -> dict:
    item.refresh_from_db()
    return {
        name: getattr(item, name)
        for name in (
            *("kind", "stem_en", "stem_fr", "options", "correct", "objective", "competency"),
            *("parallel_group", "form_version", "is_active", "version"),
        )
    }


# --- Seeding --------------------------------------------------------------------------------------------


def test_bank_ensure_copies_the_items_of_every_module_with_content_once(workspace, catalogue, admin_user):
    expected = {code: content for code, content in all_module_content().items() if code in catalogue}
    assert "SCR" in expected

    added = bank_ensure(workspace)

    assert added == sum(len(content.items) for content in expected.values())
    scr = AssessmentItem.objects.get(workspace=workspace, code="SCR-07")
    spec = next(item for item in module_content("SCR").items if item.code == "SCR-07")
    assert scr.module == catalogue["SCR"]
    assert (scr.kind, scr.stem_en, scr.stem_fr) == (spec.kind.value, spec.stem.en, spec.stem.fr)
    assert scr.correct == list(spec.correct)
    assert [o["key"] for o in scr.options] == [o.key for o in spec.options]
    assert (scr.objective, scr.parallel_group, scr.form_version) == (
        spec.objective,
        spec.parallel_group,
        spec.form_version,
    )
    assert AuditEntry.objects.filter(workspace=workspace, action="assessmentitem.create").count() == added
    # Idempotent.
    assert bank_ensure(workspace) == 0
    assert AssessmentItem.objects.filter(workspace=workspace).count() == added


def test_bank_ensure_never_overwrites_or_revives_the_workspace_items(workspace, catalogue, admin_user):
    bank_ensure(workspace)
    edited = AssessmentItem.objects.get(workspace=workspace, code="SCR-01")
    item_update(item=edited, draft=draft(code="SCR-01", stem_en="Our own wording?"), acting_user=admin_user)
    withdrawn = AssessmentItem.objects.get(workspace=workspace, code="SCR-02")
    item_set_active(item=withdrawn, active=False, acting_user=admin_user)
    before = (item_state(edited), item_state(withdrawn))

    assert bank_ensure(workspace) == 0

    assert (item_state(edited), item_state(withdrawn)) == before
    assert edited.stem_en == "Our own wording?"
    assert withdrawn.is_active is False


def test_bank_ensure_skips_modules_without_content(workspace, catalogue, custom_module):
    bank_ensure(workspace)
    assert not AssessmentItem.objects.filter(module=custom_module).exists()


# --- Checks ---------------------------------------------------------------------------------------------


def test_a_good_item_is_added_after_the_module_items_with_the_objective_competency(
    workspace, catalogue, admin_user
):
    bank_ensure(workspace)
    created = item_create(workspace=workspace, module=catalogue["SCR"], draft=draft(), acting_user=admin_user)
    assert created.position > AssessmentItem.objects.get(workspace=workspace, code="SCR-10").position
    assert created.competency == module_content("SCR").objective("SCR-LO1").competency
    assert created.options[0] == {"key": "a", "en": "The screening form", "fr": "Le formulaire de détection"}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"stem_en": "  "}, "stem_en", "question in English"),
        ({"options": [OptionDraft("a", "Only one")], "correct": ["a"]}, "options", "at least 2 options"),
        (
            {"options": [OptionDraft("a", "One"), OptionDraft("A", "Two")], "correct": ["a"]},
            "option_2_key",
            "already used by option 1",
        ),
        ({"options": [OptionDraft("", "One"), OptionDraft("b", "Two")]}, "option_1_key", "needs a key"),
        ({"options": [OptionDraft("a", ""), OptionDraft("b", "Two")]}, None, None),
        ({"correct": ["z"]}, "correct", "“z” is marked correct but is not an option"),
        ({"correct": ["a", "b"]}, "correct", "exactly one"),
        ({"correct": []}, "correct", "exactly one"),
        ({"kind": "multiple", "correct": []}, "correct", "at least one"),
        (
            {
                "kind": "true_false",
                "options": [OptionDraft("yes", "Yes"), OptionDraft("no", "No")],
                "correct": ["yes"],
            },
            "options",
            "“true” and “false”",
        ),
        (
            {
                "kind": "true_false",
                "options": [OptionDraft("true", "True"), OptionDraft("false", "False")],
                "correct": ["true", "false"],
            },
            "correct",
            "exactly one",
        ),
        ({"objective": "NRM-LO1"}, "objective", "not a learning objective of module SCR"),
        ({"objective": ""}, "objective", "learning objective"),
        ({"form_version": "A"}, "parallel_group", "give the group"),
        ({"parallel_group": "SCR-P9"}, "form_version", "version A or B"),
        ({"parallel_group": "SCR-P1", "form_version": "A"}, "form_version", "SCR-01 is already version A"),
        ({"kind": "essay"}, "kind", "not a kind of item"),
        ({"code": "SCR-01"}, "code", "already used"),
        ({"code": "bad code!"}, "code", "cannot be an item code"),
    ],
)
def test_a_bad_item_is_refused_naming_the_field_and_nothing_is_stored(
    workspace, catalogue, admin_user, changes, field, words
):
    bank_ensure(workspace)
    count = AssessmentItem.objects.count()
    audits = AuditEntry.objects.count()
    if field is None:  # a row without text is left out: one option remains
        field, words = "options", "at least 2 options"
    with pytest.raises(DomainError) as caught:
        item_create(
            workspace=workspace, module=catalogue["SCR"], draft=draft(**changes), acting_user=admin_user
        )
    problems = {problem.location: problem.message for problem in caught.value.problems}
    assert field in problems, problems
    assert words in problems[field]
    assert "Nothing was changed" in caught.value.message
    assert AssessmentItem.objects.count() == count
    assert AuditEntry.objects.count() == audits


def test_a_bad_edit_leaves_the_item_exactly_as_it_was(workspace, catalogue, admin_user):
    bank_ensure(workspace)
    item = AssessmentItem.objects.get(workspace=workspace, code="SCR-05")
    before = item_state(item)
    bad = ItemDraft.of(item)
    bad.stem_en = ""
    bad.correct = ["a", "b"]
    with pytest.raises(DomainError) as caught:
        item_update(item=item, draft=bad, acting_user=admin_user)
    assert {p.location for p in caught.value.problems} == {"stem_en", "correct"}
    assert item_state(item) == before


def test_objectives_are_free_codes_for_a_module_without_content(workspace, custom_module, admin_user):
    created = item_create(
        workspace=workspace,
        module=custom_module,
        draft=draft(code="SOP-01", objective="SOP-LO1"),
        acting_user=admin_user,
    )
    assert (created.objective, created.competency) == ("SOP-LO1", "")


def test_true_false_multiple_and_withdrawn_twins(workspace, catalogue, admin_user):
    bank_ensure(workspace)
    tf = item_create(
        workspace=workspace,
        module=catalogue["SCR"],
        draft=draft(
            code="SCR-12",
            kind="true_false",
            options=[OptionDraft("true", "True", "Vrai"), OptionDraft("false", "False", "Faux")],
            correct=["false"],
        ),
        acting_user=admin_user,
    )
    assert tf.correct == ["false"]
    multiple = item_create(
        workspace=workspace,
        module=catalogue["SCR"],
        draft=draft(code="SCR-13", kind="multiple", correct=["c", "a"]),
        acting_user=admin_user,
    )
    assert multiple.correct == ["a", "c"]  # in the options' order
    # Version A of SCR-P1 is free once SCR-01 is withdrawn; SCR-01 then cannot come back.
    scr01 = AssessmentItem.objects.get(workspace=workspace, code="SCR-01")
    item_set_active(item=scr01, active=False, acting_user=admin_user)
    item_create(
        workspace=workspace,
        module=catalogue["SCR"],
        draft=draft(code="SCR-14", parallel_group="SCR-P1", form_version="A"),
        acting_user=admin_user,
    )
    with pytest.raises(DomainError) as caught:
        item_set_active(item=scr01, active=True, acting_user=admin_user)
    assert "SCR-14" in caught.value.problems[0].message
    scr01.refresh_from_db()
    assert scr01.is_active is False


def test_viewers_cannot_change_the_bank(workspace, catalogue, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        item_create(workspace=workspace, module=catalogue["SCR"], draft=draft(), acting_user=viewer)
    assert caught.value.code == "permission_denied"


# --- Pages ----------------------------------------------------------------------------------------------


def bank_url(workspace, **query) -> str:
    url = reverse("training-item-bank", kwargs={"workspace": workspace.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_bank_page_shows_each_item_in_english_and_french_and_filters(admin_client, workspace, catalogue):
    response = admin_client.get(bank_url(workspace))
    assert response.status_code == 200
    page = response.content.decode()
    scr03 = module_content("SCR").items[2]
    assert scr03.stem.en in page.replace("&#x27;", "'")
    assert scr03.stem.fr.replace("'", "&#x27;") in page or scr03.stem.fr in page

    scr = catalogue["SCR"]
    filtered = admin_client.get(bank_url(workspace, module=scr.uuid, kind="true_false")).content.decode()
    assert "SCR-03" in filtered and "SCR-09" in filtered
    assert "SCR-01" not in filtered and "CHILD-" not in filtered
    by_objective = admin_client.get(
        bank_url(workspace, module=scr.uuid, objective="scr-lo1")
    ).content.decode()
    assert "SCR-01" in by_objective and "SCR-02" in by_objective and "SCR-03" not in by_objective


def test_adding_editing_and_withdrawing_through_the_pages(admin_client, workspace, catalogue):
    admin_client.get(bank_url(workspace))  # seeds
    scr = catalogue["SCR"]
    create_url = reverse("training-item-create", kwargs={"workspace": workspace.slug})
    assert admin_client.get(create_url).status_code == 200  # the module is chosen first
    form_page = admin_client.get(f"{create_url}?module={scr.uuid}").content.decode()
    assert "SCR-LO1" in form_page  # the module's objectives are offered

    tf = {
        "module": str(scr.uuid),
        "code": "SCR-20",
        "kind": "true_false",
        "stem_en": "Consent is irrelevant when a means of trafficking was used.",
        "stem_fr": "Le consentement est indifférent lorsqu'un moyen de la traite a été utilisé.",
        "objective": "SCR-LO2",
        "true_false_answer": "true",
    }
    response = admin_client.post(create_url, tf)
    assert response.status_code == 302
    created = AssessmentItem.objects.get(workspace=workspace, code="SCR-20")
    assert created.options == [
        {"key": "true", "en": "True", "fr": "Vrai"},
        {"key": "false", "en": "False", "fr": "Faux"},
    ]
    assert created.correct == ["true"]

    edit_url = reverse("training-item-edit", kwargs={"workspace": workspace.slug, "item": created.uuid})
    before = item_state(created)
    bad = {
        "kind": "single",
        "stem_en": "",
        "objective": "SCR-LO2",
        "option_1_key": "a",
        "option_1_en": "One",
        "option_1_correct": "on",
        "option_2_key": "a",
        "option_2_en": "Two",
        "version": created.version,
    }
    response = admin_client.post(edit_url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the question in English." in page
    assert "already used by option 1" in page
    assert item_state(created) == before

    good = {**bad, "stem_en": "Which is right?", "option_2_key": "b"}
    assert admin_client.post(edit_url, good).status_code == 302
    created.refresh_from_db()
    assert (created.kind, created.correct, created.stem_en) == ("single", ["a"], "Which is right?")

    assert admin_client.post(edit_url, {"action": "withdraw"}).status_code == 302
    created.refresh_from_db()
    assert created.is_active is False
    shown = "<code>SCR-20</code>"
    assert shown not in admin_client.get(bank_url(workspace, module=scr.uuid)).content.decode()
    assert shown in admin_client.get(bank_url(workspace, module=scr.uuid, withdrawn=1)).content.decode()
    admin_client.post(edit_url, {"action": "restore"})
    created.refresh_from_db()
    assert created.is_active is True


def test_viewers_see_the_bank_but_cannot_edit_it(client, workspace, catalogue, make_member):
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    page = client.get(bank_url(workspace))
    assert page.status_code == 200
    assert 'value="withdraw"' not in page.content.decode()
    item = AssessmentItem.objects.get(workspace=workspace, code="SCR-01")
    edit_url = reverse("training-item-edit", kwargs={"workspace": workspace.slug, "item": item.uuid})
    assert client.post(edit_url, {"action": "withdraw"}).status_code == 403
    item.refresh_from_db()
    assert item.is_active is True
