"""The qualitative API: records, themes, theme counts and the quote bank."""

import base64

import pytest

from ctip.web.qualitative.models import QualitativeRecord, Theme
from tests.web.qualitative.factories import (
    docx_bytes,
    excerpt_make,
    organisation_make,
    record_make,
    theme_make,
)


def api(workspace, path):
    return f"/api/v1/w/{workspace.slug}/{path}"


@pytest.fixture
def viewer_client(client, workspace, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    return client


@pytest.mark.django_db
def test_create_read_update_and_delete_a_record(admin_client, workspace):
    police = organisation_make(workspace, "mpf", type="law_enforcement")
    response = admin_client.post(
        api(workspace, "qualitative-records"),
        {
            "kind": "focus_group",
            "date": "2025-05-06",
            "title": "FGD: frontline officers",
            "organisations": [str(police.uuid)],
            "participants_women": 3,
            "participants_men": 5,
            "notes": "Officers learn from the news.",
            "transcript": {
                "name": "fgd.docx",
                "content_base64": base64.b64encode(docx_bytes("Line one.")).decode(),
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["transcript_text"] == "Line one." and body["organisations"][0]["type"] == "law_enforcement"
    record_id = body["id"]

    listing = admin_client.get(api(workspace, "qualitative-records"), {"kind": "focus_group"}).json()
    assert [r["id"] for r in listing] == [record_id] and "notes" not in listing[0]
    assert admin_client.get(api(workspace, "qualitative-records"), {"kind": "interview"}).json() == []

    patched = admin_client.patch(
        api(workspace, f"qualitative-records/{record_id}"),
        {"title": "FGD renamed", "organisations": [], "remove_transcript": True, "expected_version": 1},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "FGD renamed" and patched.json()["organisations"] == []
    assert patched.json()["transcript_text"] == "" and patched.json()["version"] == 2

    stale = admin_client.patch(
        api(workspace, f"qualitative-records/{record_id}"),
        {"title": "Stale", "expected_version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"

    assert admin_client.delete(api(workspace, f"qualitative-records/{record_id}")).status_code == 204
    assert not QualitativeRecord.objects.exists()


@pytest.mark.django_db
def test_bad_uploads_and_unknown_organisations_are_refused(admin_client, workspace, settings):
    base = {"kind": "interview", "date": "2025-05-05", "title": "KII"}
    wrong_type = admin_client.post(
        api(workspace, "qualitative-records"),
        {**base, "transcript": {"name": "kii.pdf", "content_base64": base64.b64encode(b"%PDF").decode()}},
        content_type="application/json",
    )
    assert wrong_type.status_code == 400 and wrong_type.json()["problems"][0]["location"] == "transcript"
    not_base64 = admin_client.post(
        api(workspace, "qualitative-records"),
        {**base, "transcript": {"name": "kii.txt", "content_base64": "***"}},
        content_type="application/json",
    )
    assert not_base64.status_code == 400
    unknown = admin_client.post(
        api(workspace, "qualitative-records"),
        {**base, "organisations": ["11111111-1111-1111-1111-111111111111"]},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and unknown.json()["problems"][0]["location"] == "organisations"
    settings.CTIP_MAX_UPLOAD_MB = 1
    too_large = admin_client.post(
        api(workspace, "qualitative-records"),
        {
            **base,
            "transcript": {"name": "kii.txt", "content_base64": base64.b64encode(b"a" * 800_000).decode()},
        },
        content_type="application/json",
    )
    assert too_large.status_code == 413
    assert not QualitativeRecord.objects.exists()


@pytest.mark.django_db
def test_viewers_read_counts_but_not_notes_or_quotes_and_cannot_write(viewer_client, workspace):
    record = record_make(workspace, notes="Secret notes.")
    theme = theme_make(workspace, "T01")
    excerpt_make(record, theme, "A quote.", is_quote=True)
    detail = viewer_client.get(api(workspace, f"qualitative-records/{record.uuid}")).json()
    assert detail["notes"] is None and detail["transcript_text"] is None and detail["excerpts"] is None
    assert detail["excerpt_count"] == 1 and detail["quote_count"] == 1
    assert viewer_client.get(api(workspace, "theme-counts")).json()[0]["sources"] == 1
    assert viewer_client.get(api(workspace, "quotes")).status_code == 403
    assert (
        viewer_client.post(
            api(workspace, "themes"), {"code": "T9", "name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert viewer_client.delete(api(workspace, f"qualitative-records/{record.uuid}")).status_code == 403


@pytest.mark.django_db
def test_themes_counts_and_quotes(admin_client, workspace):
    police = organisation_make(workspace, "mpf", type="law_enforcement")
    response = admin_client.post(
        api(workspace, "themes"),
        {
            "code": "T02",
            "name": "Unclear referral pathway",
            "pillar": "protection",
            "competency_codes": ["rf01"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["competency_codes"] == ["RF01"]
    parent_id = response.json()["id"]
    child = admin_client.post(
        api(workspace, "themes"),
        {"code": "T02.1", "name": "No feedback", "parent": parent_id},
        content_type="application/json",
    )
    assert child.status_code == 201 and child.json()["parent"] == parent_id
    bad = admin_client.post(
        api(workspace, "themes"),
        {"code": "T03", "name": "x", "parent": "11111111-1111-1111-1111-111111111111"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    duplicate = admin_client.post(
        api(workspace, "themes"), {"code": "t02", "name": "Again"}, content_type="application/json"
    )
    assert duplicate.status_code == 400 and duplicate.json()["problems"][0]["location"] == "code"
    assert [t["code"] for t in admin_client.get(api(workspace, "themes")).json()] == ["T02", "T02.1"]

    parent = Theme.objects.get(code="T02")
    record = record_make(workspace, organisations=[police])
    excerpt_make(record, parent, "It works when you know someone.", is_quote=True)
    excerpt_make(record, Theme.objects.get(code="T02.1"), "Nobody calls back.")
    counts = admin_client.get(api(workspace, "theme-counts")).json()
    assert counts[0] == {
        "theme": parent_id,
        "code": "T02",
        "name": "Unclear referral pathway",
        "sources": 1,
        "by_organisation_type": {"law_enforcement": 1},
    }
    quotes = admin_client.get(api(workspace, "quotes"), {"theme": parent_id}).json()
    assert [q["text"] for q in quotes] == ["It works when you know someone."]
    assert quotes[0]["organisation_types"] == ["law_enforcement"] and quotes[0]["record_kind"] == "interview"
    missing = admin_client.get(api(workspace, "quotes"), {"theme": "11111111-1111-1111-1111-111111111111"})
    assert missing.status_code == 404
