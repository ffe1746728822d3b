"""Paper answer sheets: preview, all-or-nothing apply, re-import, the template, and the page."""

from __future__ import annotations

import datetime as dt
import io
import secrets

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.trainings.models import Answer, AssessmentForm, Attempt, Participant, TrainingEvent
from ctip.web.trainings.services import feeds as feeds_module
from ctip.web.trainings.services.answers_import import (
    CREATE,
    REPLACE,
    SKIPPED,
    UNCHANGED,
    answer_sheet_template,
    answers_import_apply,
    answers_import_preview,
)

pytestmark = pytest.mark.django_db


def options(*keys):
    return [{"key": key, "en": f"Option {key}", "fr": f"Option {key} (fr)"} for key in keys]


TRUE_FALSE = [{"key": "true", "en": "True", "fr": "Vrai"}, {"key": "false", "en": "False", "fr": "Faux"}]
SINGLE = {
    "code": "SCR-01",
    "kind": "single",
    "stem_en": "Which indicator suggests forced labour?",
    "stem_fr": "Quel indicateur suggère le travail forcé ?",
    "options": options("a", "b", "c", "d"),
    "correct": ["b"],
    "objective": "SCR-LO1",
    "competency": "ID01",
}
TRUE_FALSE_ITEM = {
    **SINGLE,
    "code": "SCR-02",
    "kind": "true_false",
    "options": TRUE_FALSE,
    "correct": ["true"],
}
MULTIPLE = {**SINGLE, "code": "SCR-03", "kind": "multiple", "correct": ["a", "c"]}
POST_ONLY = {**SINGLE, "code": "SCR-04", "correct": ["d"]}


@pytest.fixture
def feeds(monkeypatch):
    """Records the calls of C3's ``feeds_recompute`` instead of running it."""
    calls = []
    monkeypatch.setattr(
        feeds_module,
        "feeds_recompute",
        lambda workspace, acting_user=None: calls.append((workspace, acting_user)) or 0,
    )
    return calls


@pytest.fixture
def event(workspace):
    found = TrainingEvent.objects.create(
        workspace=workspace,
        code="TR-01",
        title="Identifying victims",
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 4),
        location="Port Louis",
        test_token=secrets.token_urlsafe(16),
    )
    for code, sex in (("P-01", "female"), ("P-02", "male"), ("P-03", "female"), ("P-04", "")):
        Participant.objects.create(workspace=workspace, event=found, code=code, sex=sex)
    AssessmentForm.objects.create(
        workspace=workspace, event=found, phase="pre", items=[SINGLE, TRUE_FALSE_ITEM, MULTIPLE]
    )
    AssessmentForm.objects.create(
        workspace=workspace, event=found, phase="post", items=[SINGLE, TRUE_FALSE_ITEM, POST_ONLY]
    )
    return found


def csv_bytes(*lines):
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


GOOD = csv_bytes(
    "participant,phase,SCR-01,SCR-02,SCR-03,SCR-04",
    "P-01,pre,b,V,a c,",
    'P-02,pre,a,faux,"a;b",',
    "P-03,pre,,,,",
    "P-01,post,b,true,,d",
    "p02,Post,B,F,,",
)


def preview(workspace, event, data, *, filename="sheets.csv", phase="", user=None):
    return answers_import_preview(
        workspace=workspace, event=event, data=data, filename=filename, acting_user=user, phase=phase
    )


def apply(workspace, event, data, *, filename="sheets.csv", phase="", user=None):
    return answers_import_apply(
        workspace=workspace, event=event, data=data, filename=filename, acting_user=user, phase=phase
    )


def stored(event):
    """Every attempt of the event with its answers, as plain data (to prove nothing changed)."""
    return sorted(
        (
            attempt.participant.code,
            attempt.form.phase,
            attempt.channel,
            attempt.submitted_at is not None,
            tuple(sorted((a.item_code, tuple(a.response)) for a in attempt.answers.all())),
        )
        for attempt in Attempt.objects.filter(form__event=event).select_related("participant", "form")
    )


# --- Services ------------------------------------------------------------------------------------------


def test_preview_says_what_each_row_will_do_and_stores_nothing(workspace, event):
    result = preview(workspace, event, GOOD)

    assert [(row.row, row.participant, row.phase, row.action) for row in result.rows] == [
        (2, "P-01", "pre", CREATE),
        (3, "P-02", "pre", CREATE),
        (4, "P-03", "pre", SKIPPED),  # P-03 did not sit the pre-test: no answers
        (5, "P-01", "post", CREATE),
        (6, "P-02", "post", CREATE),  # "p02" found P-02, "Post" the post-test
    ]
    first = result.rows[0]
    assert dict(first.responses) == {"SCR-01": ("b",), "SCR-02": ("true",), "SCR-03": ("a", "c")}
    assert (first.result.correct, first.result.total) == (3, 3)
    second = result.rows[1]
    assert dict(second.responses) == {"SCR-01": ("a",), "SCR-02": ("false",), "SCR-03": ("a", "b")}
    assert second.result.correct == 0
    assert result.rows[3].result.correct == 3 and result.rows[4].result.correct == 1
    assert (result.to_create, result.skipped, result.has_changes) == (4, 1, True)
    assert Attempt.objects.count() == 0


def test_apply_creates_paper_attempts_in_one_go_and_recomputes_the_feeds(workspace, event, admin_user, feeds):
    result = apply(workspace, event, GOOD, user=admin_user)

    assert result.to_create == 4
    attempts = Attempt.objects.filter(form__event=event)
    assert attempts.count() == 4
    assert all(a.channel == "paper" and a.submitted_at is not None for a in attempts)
    assert stored(event) == [
        ("P-01", "post", "paper", True, (("SCR-01", ("b",)), ("SCR-02", ("true",)), ("SCR-04", ("d",)))),
        ("P-01", "pre", "paper", True, (("SCR-01", ("b",)), ("SCR-02", ("true",)), ("SCR-03", ("a", "c")))),
        ("P-02", "post", "paper", True, (("SCR-01", ("b",)), ("SCR-02", ("false",)))),
        ("P-02", "pre", "paper", True, (("SCR-01", ("a",)), ("SCR-02", ("false",)), ("SCR-03", ("a", "b")))),
    ]
    assert feeds == [(workspace, admin_user)]
    entry = AuditEntry.objects.get(action="trainingevent.answers_import")
    assert entry.workspace == workspace and entry.actor == admin_user


def test_reimport_replaces_paper_attempts_and_leaves_identical_ones(workspace, event, feeds):
    apply(workspace, event, GOOD)
    first_ids = set(Attempt.objects.values_list("pk", flat=True))

    again = preview(workspace, event, GOOD)
    assert [row.action for row in again.rows] == [UNCHANGED, UNCHANGED, SKIPPED, UNCHANGED, UNCHANGED]
    assert not again.has_changes

    changed = csv_bytes(
        "participant,phase,SCR-01,SCR-02,SCR-03",
        "P-01,pre,c,V,",  # SCR-03 now blank: unanswered
        "P-02,pre,a,faux,a b",
    )
    result = apply(workspace, event, changed)

    assert [(row.action, row.replaces) for row in result.rows] == [(REPLACE, "paper"), (UNCHANGED, "")]
    assert (
        set(Attempt.objects.values_list("pk", flat=True)) == first_ids
    )  # the attempts are kept, answers replaced
    pre = Attempt.objects.get(participant__code="P-01", form__phase="pre")
    assert {a.item_code: a.response for a in pre.answers.all()} == {"SCR-01": ["c"], "SCR-02": ["true"]}
    assert len(feeds) == 2


def test_a_phase_chosen_for_the_whole_file(workspace, event, feeds):
    data = csv_bytes("Participant;SCR-01;SCR-02;SCR-04", "P-03;d;T;d", "P-04;;;")

    result = apply(workspace, event, data, phase="post")

    assert [(row.participant, row.phase, row.action) for row in result.rows] == [
        ("P-03", "post", CREATE),
        ("P-04", "post", SKIPPED),
    ]
    assert stored(event) == [
        ("P-03", "post", "paper", True, (("SCR-01", ("d",)), ("SCR-02", ("true",)), ("SCR-04", ("d",))))
    ]


def test_an_unfinished_online_attempt_is_replaced_but_a_submitted_one_never(workspace, event, feeds):
    pre = AssessmentForm.objects.get(event=event, phase="pre")
    p1, p2 = Participant.objects.get(code="P-01"), Participant.objects.get(code="P-02")
    unfinished = Attempt.objects.create(workspace=workspace, form=pre, participant=p1, channel="online")
    Answer.objects.create(attempt=unfinished, item_code="SCR-01", response=["a"])
    submitted = Attempt.objects.create(
        workspace=workspace, form=pre, participant=p2, channel="online", submitted_at=timezone.now()
    )
    Answer.objects.create(attempt=submitted, item_code="SCR-01", response=["b"])

    only_p1 = csv_bytes("participant,phase,SCR-01", "P-01,pre,c")
    assert [(r.action, r.replaces) for r in preview(workspace, event, only_p1).rows] == [(REPLACE, "online")]

    before = stored(event)
    with pytest.raises(DomainError) as caught:
        apply(workspace, event, csv_bytes("participant,phase,SCR-01", "P-01,pre,c", "P-02,pre,a"))
    (problem,) = caught.value.problems
    assert problem.location == "row 3, column “participant” (A)"
    assert "P-02 already submitted the pre test online" in problem.message
    assert "never overwritten" in problem.message
    assert stored(event) == before  # the good row 2 was not written either
    assert feeds == []

    apply(workspace, event, only_p1)
    unfinished.refresh_from_db()
    assert unfinished.channel == "paper" and unfinished.submitted_at is not None
    assert list(unfinished.answers.values_list("response", flat=True)) == [["c"]]


@pytest.mark.parametrize(
    ("lines", "location", "words"),
    [
        (
            ["participant,phase,SCR-01", "P-01,pre,b", "P-99,pre,b"],
            "row 3, column “participant” (A)",
            ["“P-99”", "TR-01", "register"],
        ),
        (
            ["participant,phase,SCR-01,Name", "P-01,pre,b,Ana"],
            "header row, column “Name” (D)",
            ["“Name” is not the code of an item", "TR-01"],
        ),
        (
            ["participant,phase,SCR-01,SCR-03", "P-01,pre,b,a", "P-02,pre,e,a"],
            "row 3, column “SCR-01” (C)",
            ["“e” is not an option of item SCR-01", "a, b, c, d"],
        ),
        (
            ["participant,phase,SCR-01,SCR-02", "P-01,pre,b,true false"],
            "row 2, column “SCR-02” (D)",
            ["Item SCR-02 takes one answer", "“true false”"],
        ),
        (
            ["participant,phase,SCR-01", "P-01,pre,a b"],
            "row 2, column “SCR-01” (C)",
            ["Item SCR-01 takes one answer"],
        ),
        (
            ["participant,phase,SCR-04", "P-01,pre,d"],
            "row 2, column “SCR-04” (C)",
            ["SCR-04 is not in the pre test"],
        ),
        (
            ["participant,phase,SCR-01", "P-01,during,b"],
            "row 2, column “phase” (B)",
            ["“during” is not a phase"],
        ),
        (
            ["participant,phase,SCR-01", "P-01,pre,b", "P-01,pre,c"],
            "row 3, column “participant” (A)",
            ["already on row 2"],
        ),
        (
            ["participant,phase,SCR-01", ",pre,b"],
            "row 2, column “participant” (A)",
            ["participant code is missing"],
        ),
        (
            ["code_name,phase,SCR-01", "P-01,pre,b"],
            "header row",
            ["no “participant” column"],
        ),
    ],
)
def test_bad_files_name_row_and_column_and_store_nothing(workspace, event, feeds, lines, location, words):
    apply(workspace, event, csv_bytes("participant,phase,SCR-01", "P-03,pre,d"))
    before = stored(event)

    for step in (preview, apply):
        with pytest.raises(DomainError) as caught:
            step(workspace, event, csv_bytes(*lines))
        error = caught.value
        assert error.code == ErrorCode.INVALID_VALUE
        assert "Nothing was saved" in error.message
        assert location in [problem.location for problem in error.problems]
        message = next(p.message for p in error.problems if p.location == location)
        for word in words:
            assert word in message
    assert stored(event) == before
    assert len(feeds) == 1  # only the setup import


def test_a_test_not_built_yet_is_named(workspace, event):
    AssessmentForm.objects.filter(event=event, phase="post").update(items=[])
    data = csv_bytes("participant,phase,SCR-01", "P-01,post,b", "P-02,post,b")

    with pytest.raises(DomainError) as caught:
        preview(workspace, event, data)

    (problem,) = caught.value.problems  # said once, at the first row that needs it
    assert problem.location == "row 2, column “phase” (B)"
    assert "post test of TR-01 has not been built yet" in problem.message


def test_a_chosen_phase_that_contradicts_the_column_is_refused(workspace, event):
    with pytest.raises(DomainError) as caught:
        preview(workspace, event, csv_bytes("participant,phase,SCR-01", "P-01,post,b"), phase="pre")
    assert caught.value.problems[0].location == "row 2, column “phase” (B)"


def test_only_trainers_coordinators_and_admins_may_import(workspace, event, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        preview(workspace, event, GOOD, user=viewer)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    trainer = make_member(workspace, "trainer").user
    assert preview(workspace, event, GOOD, user=trainer).to_create == 4


def test_the_template_round_trips(workspace, event, feeds):
    data = answer_sheet_template(event=event, phase="pre", language="fr")

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet, legend = workbook.worksheets[0], workbook["options"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["participant", "phase", "SCR-01", "SCR-02", "SCR-03"]
    assert [row[:2] for row in rows[1:]] == [
        ["P-01", "pre"],
        ["P-02", "pre"],
        ["P-03", "pre"],
        ["P-04", "pre"],
    ]
    assert sheet["C1"].comment is not None
    legend_rows = list(legend.iter_rows(values_only=True))
    assert legend_rows[1] == ("SCR-01", "Quel indicateur suggère le travail forcé ?", "a", "Option a (fr)")
    assert ("SCR-02", "Quel indicateur suggère le travail forcé ?", "true", "Vrai") in legend_rows
    assert "correct" not in " ".join(str(cell) for row in legend_rows for cell in row).lower()

    sheet["C2"], sheet["D2"], sheet["E2"] = "b", "V", "a, c"
    sheet["C4"] = "d"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = apply(workspace, event, buffer.getvalue(), filename="TR-01-pre.xlsx")

    assert [(row.participant, row.action) for row in result.rows] == [
        ("P-01", CREATE),
        ("P-02", SKIPPED),
        ("P-03", CREATE),
        ("P-04", SKIPPED),
    ]
    assert result.rows[0].result.correct == 3


def test_no_template_before_the_test_is_built(workspace, event):
    AssessmentForm.objects.filter(event=event, phase="post").delete()
    with pytest.raises(DomainError) as caught:
        answer_sheet_template(event=event, phase="post")
    assert "has not been built yet" in caught.value.message


# --- Page ------------------------------------------------------------------------------------------------


def page_url(workspace, event):
    return reverse("training-answers-import", kwargs={"workspace": workspace.slug, "event": event.uuid})


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_page_upload_preview_apply(admin_client, workspace, event, feeds):
    url = page_url(workspace, event)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"template.xlsx?phase=pre" in page.content and b"template.xlsx?phase=post" in page.content

    checked = admin_client.post(url, {"phase": "", "file": upload("sheets.csv", GOOD)})
    assert checked.status_code == 200
    text = checked.content.decode()
    assert "Nothing has been saved yet." in text and "P-02" in text
    assert Attempt.objects.count() == 0
    digest = checked.context["digest"]

    applied = admin_client.post(url, {"apply": "1", "digest": digest, "phase": ""})
    assert applied.status_code == 302
    assert Attempt.objects.filter(channel="paper").count() == 4
    assert len(feeds) == 1
    assert "4 new" in admin_client.get(url).content.decode()


def test_page_shows_each_problem_with_row_and_column(admin_client, workspace, event):
    bad = csv_bytes("participant,phase,SCR-01", "P-99,pre,z")
    response = admin_client.post(page_url(workspace, event), {"file": upload("bad.csv", bad)})

    assert response.status_code == 400
    problems = response.context["problems"]
    assert {(p["row"], p["column"]) for p in problems} == {("2", "participant (A)"), ("2", "SCR-01 (C)")}
    assert "Nothing was saved" in response.content.decode()
    assert Attempt.objects.count() == 0


def test_page_apply_with_a_stale_digest_stores_nothing(admin_client, workspace, event):
    response = admin_client.post(page_url(workspace, event), {"apply": "1", "digest": "0" * 64})
    assert response.status_code == 302
    assert Attempt.objects.count() == 0


def test_template_download_and_permissions(client, admin_client, workspace, event, make_member):
    url = reverse("training-answers-template", kwargs={"workspace": workspace.slug, "event": event.uuid})
    response = admin_client.get(url + "?phase=post")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="TR-01-post-answer-sheets.xlsx"'
    header = next(
        openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert list(header) == ["participant", "phase", "SCR-01", "SCR-02", "SCR-04"]

    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    assert client.get(page_url(workspace, event)).status_code == 403


def test_an_event_of_another_workspace_is_not_found(admin_client, workspace, outsider):
    from ctip.web.accounts.models import Workspace

    foreign = TrainingEvent.objects.create(
        workspace=Workspace.objects.get(slug="rwanda"),
        code="TR-02",
        title="Other",
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2026, 4, 1),
        location="Kigali",
        test_token=secrets.token_urlsafe(16),
    )
    assert admin_client.get(page_url(workspace, foreign)).status_code == 404


def test_apply_calls_the_real_feeds_recompute(workspace, event):
    """Without the stand-in: the import reaches C3's ``feeds_recompute`` (no feed here, nothing to write)."""
    assert apply(workspace, event, GOOD).to_create == 4
