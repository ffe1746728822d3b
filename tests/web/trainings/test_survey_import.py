"""Reaction and follow-up responses from KoboToolbox / ODK exports: preview, all-or-nothing apply,
re-import, and the surveys page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.training.surveys import FOLLOW_UP, REACTION
from ctip.formats.training_surveys_xlsform import build_survey_xlsform
from ctip.web.accounts.models import AuditEntry
from ctip.web.trainings.models import Participant, SurveyResponse, TrainingEvent
from ctip.web.trainings.services import feeds as feeds_module
from ctip.web.trainings.services.answers_import import CREATE, REPLACE, UNCHANGED
from ctip.web.trainings.services.survey_import import (
    survey_import_apply,
    survey_import_preview,
    survey_summaries,
)

pytestmark = pytest.mark.django_db

KOBO_META = [
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_status",
    "_submitted_by",
    "__version__",
    "_index",
]


@pytest.fixture
def feeds(monkeypatch):
    """Records the calls of C3's ``feeds_recompute`` instead of running it."""
    calls = []
    monkeypatch.setattr(
        feeds_module, "feeds_recompute", lambda workspace, acting_user=None: calls.append(workspace) or 0
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
    for code in ("P-01", "P-02", "P-03"):
        Participant.objects.create(workspace=workspace, event=found, code=code)
    return found


def form_names(kind):
    """The question names of the XLSForm this app hands out, in order (what an export's headers are)."""
    workbook = openpyxl.load_workbook(io.BytesIO(build_survey_xlsform(kind)))
    rows = list(workbook["survey"].iter_rows(min_row=2, values_only=True))
    return [row[1] for row in rows if row[0] not in ("start", "end", "note")]


def kobo_csv(header, rows, *, delimiter=";", bom=True):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def kobo_meta(number, when):
    return [str(1000 + number), f"uuid-{number}", when, "", "submitted_via_web", "", "vXyz", str(number)]


def reaction_export():
    names = form_names("reaction")
    assert names[0] == "participant_code" and names[1:] == [q.name for q in REACTION]
    header = ["start", "end", "participant_code", *(f"grp_reaction/{name}" for name in names[1:]), *KOBO_META]
    rows = [
        [
            "2026-03-04T15:00:00",
            "2026-03-04T15:05:00",
            "P-01",
            "5",
            "4",
            "4",
            "3",
            "4",
            "5",
            "Role play",
            "",
            *kobo_meta(1, "2026-03-04T15:05:10"),
        ],
        [
            "2026-03-04T15:01:00",
            "2026-03-04T15:06:00",
            "p 02",
            "4",
            "4",
            "5",
            "4",
            "2",
            "3",
            "",
            "More time; fewer slides",
            *kobo_meta(2, "2026-03-04T15:06:30"),
        ],
        [
            "2026-03-04T15:02:00",
            "2026-03-04T15:07:00",
            "P-03",
            "2",
            "3",
            "NA",
            "4",
            "4",
            "4",
            "",
            "",
            *kobo_meta(3, "2026-03-04T15:07:01"),
        ],
    ]
    return header, rows


def follow_up_export():
    names = form_names("follow_up")
    assert names[1:] == [q.name for q in FOLLOW_UP]
    tools = ["screening_form", "referral_form", "sops", "interview_guide", "none"]
    header = [
        "participant_code",
        "practice/screenings",
        "practice/referrals",
        "practice/tools_used",
        *(f"practice/tools_used/{tool}" for tool in tools),
        "practice/applied",
        "practice/example",
        "practice/barriers",
        *KOBO_META,
    ]
    rows = [
        [
            "P-01",
            "12",
            "2",
            "screening_form sops",
            "1",
            "0",
            "1",
            "0",
            "0",
            "yes",
            "Screened 12 workers",
            "",
            *kobo_meta(1, "2026-07-01T09:00:00+04:00"),
        ],
        [
            "P-02",
            "0",
            "0",
            "none",
            "0",
            "0",
            "0",
            "0",
            "1",
            "no",
            "",
            "No forms at my post",
            *kobo_meta(2, "2026-07-02T09:00:00+04:00"),
        ],
    ]
    return header, rows


def preview(workspace, event, kind, data, filename="export.csv", user=None):
    return survey_import_preview(
        workspace=workspace, event=event, kind=kind, data=data, filename=filename, acting_user=user
    )


def apply(workspace, event, kind, data, filename="export.csv", user=None):
    return survey_import_apply(
        workspace=workspace, event=event, kind=kind, data=data, filename=filename, acting_user=user
    )


def stored(event):
    return sorted(
        (
            r.participant.code,
            r.kind,
            r.channel,
            r.submitted_at.isoformat() if r.submitted_at else None,
            r.answers,
        )
        for r in SurveyResponse.objects.filter(event=event).select_related("participant")
    )


# --- Services ------------------------------------------------------------------------------------------


def test_a_kobo_semicolon_export_with_bom_and_group_paths(workspace, event, admin_user, feeds):
    data = kobo_csv(*reaction_export())

    checked = preview(workspace, event, "reaction", data)
    assert [(row.row, row.participant, row.action) for row in checked.rows] == [
        (2, "P-01", CREATE),
        (3, "P-02", CREATE),
        (4, "P-03", CREATE),
    ]
    assert SurveyResponse.objects.count() == 0

    apply(workspace, event, "reaction", data, user=admin_user)

    responses = {r.participant.code: r for r in SurveyResponse.objects.select_related("participant")}
    assert responses["P-01"].answers == {
        "satisfaction": 5,
        "relevance": 4,
        "trainers": 4,
        "materials": 3,
        "organisation": 4,
        "confidence": 5,
        "most_useful": "Role play",
    }
    assert responses["P-02"].answers["improve"] == "More time; fewer slides"
    assert "trainers" not in responses["P-03"].answers  # NA is a missing answer
    assert responses["P-01"].kind == "reaction" and responses["P-01"].channel == "online"
    assert responses["P-01"].submitted_at == dt.datetime(2026, 3, 4, 15, 5, 10, tzinfo=dt.UTC)  # Kobo: UTC
    assert feeds == [workspace]
    assert AuditEntry.objects.filter(action="trainingevent.survey_import", actor=admin_user).count() == 1

    summary = survey_summaries(event)["reaction"]
    assert summary["n"] == 3
    assert summary["questions"]["satisfaction"]["mean"] == pytest.approx(11 / 3)
    assert summary["questions"]["trainers"]["n"] == 2
    assert summary["comments"]["most_useful"] == ["Role play"]


def test_a_follow_up_export_with_choice_columns(workspace, event, feeds):
    apply(workspace, event, "follow_up", kobo_csv(*follow_up_export(), delimiter=",", bom=False))

    responses = {r.participant.code: r.answers for r in SurveyResponse.objects.select_related("participant")}
    assert responses == {
        "P-01": {
            "screenings": 12,
            "referrals": 2,
            "tools_used": ["screening_form", "sops"],
            "applied": "yes",
            "example": "Screened 12 workers",
        },
        "P-02": {
            "screenings": 0,
            "referrals": 0,
            "tools_used": ["none"],
            "applied": "no",
            "barriers": "No forms at my post",
        },
    }
    summary = survey_summaries(event)["follow_up"]
    assert (summary["n"], summary["screenings_total"], summary["referrals_total"]) == (2, 12, 2)
    assert summary["application_rate"] == pytest.approx(50.0)
    assert SurveyResponse.objects.get(participant__code="P-02").submitted_at == dt.datetime(
        2026, 7, 2, 5, 0, tzinfo=dt.UTC
    )


def test_an_xlsx_export_with_only_one_column_per_choice(workspace, event, feeds):
    header, rows = follow_up_export()
    keep = [index for index, name in enumerate(header) if name != "practice/tools_used"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([header[i] for i in keep])
    for row in rows:
        sheet.append([int(row[i]) if row[i].isdigit() else row[i] for i in keep])
    buffer = io.BytesIO()
    workbook.save(buffer)

    apply(workspace, event, "follow_up", buffer.getvalue(), filename="kobo.xlsx")

    tools = dict(SurveyResponse.objects.values_list("participant__code", "answers__tools_used"))
    assert tools == {"P-01": ["screening_form", "sops"], "P-02": ["none"]}


def test_an_export_with_labels_in_english_and_french(workspace, event, feeds):
    header = [
        "Your participant code",
        "Since the training, how many people have you screened for signs of trafficking?",
        "Depuis la formation, combien de victimes présumées avez-vous orientées par le mécanisme national d'orientation ?",
        "Which tools from the training have you used? (select all that apply)",
        "Have you applied what you learnt in your work?",
        *KOBO_META,
    ]
    rows = [
        [
            "P-01",
            "3",
            "1",
            "Screening form Standard operating procedures",
            "Partly",
            *kobo_meta(1, "2026-07-01"),
        ],
        ["P-03", "0", "0", "Aucun de ces outils", "Non", *kobo_meta(2, "2026-07-01")],
    ]
    apply(workspace, event, "follow_up", kobo_csv(header, rows))

    answers = dict(SurveyResponse.objects.values_list("participant__code", "answers"))
    assert answers["P-01"] == {
        "screenings": 3,
        "referrals": 1,
        "tools_used": ["screening_form", "sops"],
        "applied": "partly",
    }
    assert answers["P-03"] == {"screenings": 0, "referrals": 0, "tools_used": ["none"], "applied": "no"}


def test_reaction_labels_with_their_numbers(workspace, event, feeds):
    header = ["participant_code", *(q.name for q in REACTION[:6])]
    rows = [["P-01", "5 – Strongly agree", "4 – Agree", "Agree", "D'accord", "3", "1 – Strongly disagree"]]
    apply(workspace, event, "reaction", kobo_csv(header, rows, delimiter=","))
    assert SurveyResponse.objects.get().answers == {
        "satisfaction": 5,
        "relevance": 4,
        "trainers": 4,
        "materials": 4,
        "organisation": 3,
        "confidence": 1,
    }


def test_an_odk_central_export(workspace, event, feeds):
    header = ["SubmissionDate", "start", "participant_code", "practice-screenings", "practice-referrals",
              "practice-tools_used", "practice-applied", "practice-example", "practice-barriers", "meta-instanceID", "KEY"]  # fmt: skip
    rows = [["2026-07-03T08:00:00.000Z", "2026-07-03T07:55:00.000Z", "P-02", "5", "1", "referral_form",
             "yes", "", "", "uuid:abc", "uuid:abc"]]  # fmt: skip
    apply(workspace, event, "follow_up", kobo_csv(header, rows, delimiter=",", bom=False))
    response = SurveyResponse.objects.get()
    assert response.answers == {
        "screenings": 5,
        "referrals": 1,
        "tools_used": ["referral_form"],
        "applied": "yes",
    }
    assert response.submitted_at == dt.datetime(2026, 7, 3, 8, 0, tzinfo=dt.UTC)


def test_reimport_replaces_the_earlier_response_and_says_so(workspace, event, feeds):
    data = kobo_csv(*follow_up_export())
    apply(workspace, event, "follow_up", data)
    first = {r.participant.code: r.pk for r in SurveyResponse.objects.select_related("participant")}

    again = preview(workspace, event, "follow_up", data)
    assert [row.action for row in again.rows] == [UNCHANGED, UNCHANGED] and not again.has_changes

    header, rows = follow_up_export()
    rows[1][header.index("practice/screenings")] = "4"
    changed = preview(workspace, event, "follow_up", kobo_csv(header, rows))
    assert [row.action for row in changed.rows] == [UNCHANGED, REPLACE]
    assert changed.rows[1].replaced_at == dt.datetime(2026, 7, 2, 5, 0, tzinfo=dt.UTC)

    apply(workspace, event, "follow_up", kobo_csv(header, rows))
    assert {r.participant.code: r.pk for r in SurveyResponse.objects.select_related("participant")} == first
    assert SurveyResponse.objects.get(participant__code="P-02").answers["screenings"] == 4
    assert SurveyResponse.objects.count() == 2


def _bad(change):
    header, rows = follow_up_export()
    change(header, rows)
    return kobo_csv(header, rows)


def _set(row, column, value):
    def change(header, rows):
        rows[row][header.index(column)] = value

    return change


@pytest.mark.parametrize(
    ("change", "location", "words"),
    [
        (_set(1, "participant_code", "P-77"), "row 3, column “participant_code” (A)", ["“P-77”", "TR-01"]),
        (
            _set(0, "participant_code", ""),
            "row 2, column “participant_code” (A)",
            ["participant code is missing"],
        ),
        (_set(1, "participant_code", "P-01"), "row 3, column “participant_code” (A)", ["row 2 too"]),
        (_set(0, "practice/screenings", "-3"), "row 2, column “practice/screenings” (B)", ["0 or more"]),
        (_set(1, "practice/referrals", "two"), "row 3, column “practice/referrals” (C)", ["“two”"]),
        (
            _set(0, "practice/tools_used", "sops none"),
            "row 2, column “practice/tools_used” (D)",
            ["cannot be chosen together"],
        ),
        (_set(0, "practice/applied", "maybe"), "row 2, column “practice/applied” (J)", ["“maybe”", "partly"]),
        (
            _set(0, "practice/tools_used", "sops hotline"),
            "row 2, column “practice/tools_used” (D)",
            ["“hotline” is not one of the choices"],
        ),
    ],
)
def test_bad_rows_name_row_and_column_and_store_nothing(workspace, event, feeds, change, location, words):
    apply(workspace, event, "follow_up", kobo_csv(*follow_up_export()))
    before = stored(event)

    for step in (preview, apply):
        with pytest.raises(DomainError) as caught:
            step(workspace, event, "follow_up", _bad(change))
        error = caught.value
        assert error.code == ErrorCode.INVALID_VALUE and "Nothing was saved" in error.message
        (problem,) = error.problems
        assert problem.location == location
        for word in words:
            assert word in problem.message
    assert stored(event) == before
    assert len(feeds) == 1


def test_a_file_without_the_participant_code_or_a_required_question(workspace, event):
    header, rows = follow_up_export()
    header[0] = "respondent"
    with pytest.raises(DomainError) as caught:
        preview(workspace, event, "follow_up", kobo_csv(header, rows))
    assert [p.location for p in caught.value.problems] == ["header row"]
    assert "participant_code" in caught.value.problems[0].message

    header, rows = follow_up_export()
    drop = header.index("practice/applied")
    with pytest.raises(DomainError) as caught:
        preview(
            workspace,
            event,
            "follow_up",
            kobo_csv(header[:drop] + header[drop + 1 :], [r[:drop] + r[drop + 1 :] for r in rows]),
        )
    assert "“applied” is missing" in caught.value.problems[0].message


def test_a_response_without_any_answer_is_refused(workspace, event):
    header, rows = follow_up_export()
    rows[1] = ["P-02", *([""] * 11), *kobo_meta(2, "2026-07-02T09:00:00+04:00")]
    with pytest.raises(DomainError) as caught:
        preview(workspace, event, "follow_up", kobo_csv(header, rows))
    (problem,) = caught.value.problems
    assert problem.location == "row 3" and "no answer at all" in problem.message


def test_the_export_of_the_other_survey_is_recognised(workspace, event):
    with pytest.raises(DomainError) as caught:
        preview(workspace, event, "reaction", kobo_csv(*follow_up_export()))
    (problem,) = caught.value.problems
    assert problem.location == "header row"
    assert "those of the follow-up survey" in problem.message
    assert SurveyResponse.objects.count() == 0


def test_viewers_may_not_import(workspace, event, make_member):
    with pytest.raises(DomainError) as caught:
        preview(
            workspace,
            event,
            "reaction",
            kobo_csv(*reaction_export()),
            user=make_member(workspace, "viewer").user,
        )
    assert caught.value.code == ErrorCode.PERMISSION_DENIED


# --- Page ------------------------------------------------------------------------------------------------


def page_url(workspace, event):
    return reverse("training-surveys", kwargs={"workspace": workspace.slug, "event": event.uuid})


def test_xlsform_downloads(admin_client, workspace, event):
    url = reverse("training-survey-xlsform", kwargs={"workspace": workspace.slug, "event": event.uuid})
    for kind, words in (("reaction", "reaction"), ("follow_up", "follow-up")):
        response = admin_client.get(f"{url}?kind={kind}")
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="TR-01-{words}-survey.xlsx"'
        settings_rows = list(
            openpyxl.load_workbook(io.BytesIO(response.content))["settings"].iter_rows(values_only=True)
        )
        assert settings_rows[1][1] == f"ctip_{kind}_TR_01"


def test_surveys_page_upload_preview_apply_and_summary(admin_client, workspace, event, feeds):
    url = page_url(workspace, event)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "xlsform.xlsx?kind=follow_up" in page.content.decode()
    assert page.context["reaction"]["n"] == 0

    data = kobo_csv(*reaction_export())
    checked = admin_client.post(url, {"kind": "reaction", "file": SimpleUploadedFile("export.csv", data)})
    assert checked.status_code == 200
    assert "Nothing has been saved yet." in checked.content.decode()
    assert SurveyResponse.objects.count() == 0

    applied = admin_client.post(url, {"apply": "1", "digest": checked.context["digest"], "kind": "reaction"})
    assert applied.status_code == 302
    assert SurveyResponse.objects.count() == 3
    summary = admin_client.get(url)
    assert summary.context["reaction"]["n"] == 3
    rows = {row["label"]: row for row in summary.context["likert_rows"]}
    assert rows["Overall, I am satisfied with this training."]["mean"] == pytest.approx(11 / 3)
    assert ">3.7<" in summary.content.decode()
    assert "More time; fewer slides" in summary.content.decode()

    replaced = admin_client.post(url, {"kind": "reaction", "file": SimpleUploadedFile("export.csv", data)})
    assert "there is nothing to import" in replaced.content.decode()


def test_surveys_page_shows_problems_and_viewers_only_read(
    client, admin_client, workspace, event, make_member
):
    header, rows = reaction_export()
    rows[0][2] = "P-99"
    rows[1][3] = "9"
    response = admin_client.post(
        page_url(workspace, event),
        {"kind": "reaction", "file": SimpleUploadedFile("x.csv", kobo_csv(header, rows))},
    )
    assert response.status_code == 400
    assert {(p["row"], p["column"]) for p in response.context["problems"]} == {
        ("2", "participant_code (C)"),
        ("3", "grp_reaction/satisfaction (D)"),
    }
    assert "Nothing was saved" in response.content.decode()
    assert SurveyResponse.objects.count() == 0

    client.force_login(make_member(workspace, "viewer").user)
    assert client.get(page_url(workspace, event)).status_code == 200
    assert client.post(page_url(workspace, event), {"kind": "reaction"}).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["training-answers-import", "training-answers-template", "training-surveys", "training-survey-xlsform"],
)
def test_every_route_is_404_for_non_members_and_real_for_members(
    name, admin_client, workspace, event, outsider
):
    url = reverse(name, kwargs={"workspace": workspace.slug, "event": event.uuid})
    client = Client()  # admin_client is the default client: a second one for the outsider
    client.force_login(outsider)
    for method in ("get", "post", "put", "patch", "delete"):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert admin_client.get(url).status_code in (200, 302)


def test_apply_calls_the_real_feeds_recompute(workspace, event):
    """Without the stand-in: the import reaches C3's ``feeds_recompute`` (no feed here, nothing to write)."""
    assert apply(workspace, event, "follow_up", kobo_csv(*follow_up_export())).to_create == 2
