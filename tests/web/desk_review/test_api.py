import base64

import pytest

from ctip.web.accounts import services as account_services
from ctip.web.accounts.models import Workspace
from ctip.web.desk_review.models import ChecklistAssessment, LegalInstrument, Reference
from tests.web.desk_review.factories import PDF_BYTES, assess, finding_make, instrument_make, reference_make

API = "/api/v1/w/mauritius"


@pytest.fixture
def token(admin_user, workspace):
    _token, secret = account_services.api_token_create(user=admin_user, name="script", acting_user=admin_user)
    return secret


def call(client, method, url, token, **kwargs):
    return getattr(client, method)(
        url, HTTP_AUTHORIZATION=f"Bearer {token}", content_type="application/json", **kwargs
    )


@pytest.mark.django_db
def test_library_entries_through_the_api(client, workspace, token):
    created = call(
        client,
        "post",
        f"{API}/references",
        token,
        data={
            "title": "TIP Report 2024",
            "kind": "report",
            "year": 2024,
            "tags": ["Mauritius"],
            "file_name": "tip.pdf",
            "file_base64": base64.b64encode(PDF_BYTES).decode(),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["file_name"] == "tip.pdf" and body["file_size"] == len(PDF_BYTES) and body["findings"] == []
    reference_id = body["id"]
    finding_make(Reference.objects.get(uuid=reference_id), "A finding.")

    listed = call(client, "get", f"{API}/references?tag=mauritius", token).json()
    assert [(r["id"], r["finding_count"]) for r in listed] == [(reference_id, 1)]
    assert call(client, "get", f"{API}/references?kind=law", token).json() == []

    detail = call(client, "get", f"{API}/references/{reference_id}", token).json()
    assert [f["statement"] for f in detail["findings"]] == ["A finding."]

    patched = call(
        client,
        "patch",
        f"{API}/references/{reference_id}",
        token,
        data={"summary": "New.", "expected_version": 1},
    )
    assert (
        patched.status_code == 200 and patched.json()["summary"] == "New." and patched.json()["version"] == 2
    )
    assert patched.json()["title"] == "TIP Report 2024" and patched.json()["file_name"] == "tip.pdf"
    stale = call(
        client, "patch", f"{API}/references/{reference_id}", token, data={"title": "X", "expected_version": 1}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"

    assert call(client, "delete", f"{API}/references/{reference_id}", token).status_code == 204
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_api_upload_errors_are_specific(client, workspace, token, settings):
    bad_type = call(
        client,
        "post",
        f"{API}/references",
        token,
        data={
            "title": "X",
            "kind": "report",
            "file_name": "x.exe",
            "file_base64": base64.b64encode(b"MZ").decode(),
        },
    )
    assert bad_type.status_code == 400 and bad_type.json()["problems"][0]["location"] == "file"
    not_base64 = call(
        client,
        "post",
        f"{API}/references",
        token,
        data={"title": "X", "kind": "report", "file_name": "a.pdf", "file_base64": "%%%"},
    )
    assert not_base64.status_code == 400 and not_base64.json()["problems"][0]["location"] == "file_base64"
    settings.CTIP_MAX_UPLOAD_MB = 1
    big = base64.b64encode(PDF_BYTES + b"0" * (1024 * 1024)).decode()
    too_large = call(
        client,
        "post",
        f"{API}/references",
        token,
        data={"title": "X", "kind": "report", "file_name": "a.pdf", "file_base64": big},
    )
    assert too_large.status_code == 413 and too_large.json()["code"] == "upload_too_large"
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_instruments_and_assessments_through_the_api(client, workspace, token):
    document = reference_make(workspace, title="Act text")
    created = call(
        client,
        "post",
        f"{API}/legal-instruments",
        token,
        data={"title": "CTIP Act 2009", "year": 2009, "kind": "act", "reference": str(document.uuid)},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"] == str(document.uuid) and body["score"] is None
    assert [a["item_code"] for a in body["assessments"]] == [f"P{n:02d}" for n in range(1, 21)]
    assert {a["status"] for a in body["assessments"]} == {"not_assessed"}
    instrument_id = body["id"]

    patched = call(
        client,
        "patch",
        f"{API}/legal-instruments/{instrument_id}/items/P09",
        token,
        data={
            "status": "not_met",
            "note": "No clause.",
            "references": [str(document.uuid)],
            "expected_version": 1,
        },
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["status"] == "not_met" and patched.json()["references"] == [str(document.uuid)]
    assert patched.json()["version"] == 2 and patched.json()["title"] == "Non-punishment of victims"

    partial = call(
        client, "patch", f"{API}/legal-instruments/{instrument_id}/items/p09", token, data={"provision": "-"}
    )
    assert partial.json()["status"] == "not_met" and partial.json()["references"] == [str(document.uuid)]

    stale = call(
        client,
        "patch",
        f"{API}/legal-instruments/{instrument_id}/items/P09",
        token,
        data={"status": "met", "expected_version": 1},
    )
    assert stale.status_code == 409
    unknown = call(
        client, "patch", f"{API}/legal-instruments/{instrument_id}/items/P99", token, data={"status": "met"}
    )
    assert unknown.status_code == 404

    detail = call(client, "get", f"{API}/legal-instruments/{instrument_id}", token).json()
    assert detail["score"] == 0.0
    assert (
        detail["chapters"][1]["chapter"] == "protection_of_victims" and detail["chapters"][1]["not_met"] == 1
    )
    listed = call(client, "get", f"{API}/legal-instruments", token).json()
    assert [i["id"] for i in listed] == [instrument_id]


@pytest.mark.django_db
def test_a_foreign_document_is_refused_by_the_api(client, workspace, token, outsider):
    foreign = reference_make(Workspace.objects.get(slug="rwanda"))
    act = instrument_make(workspace)
    response = call(
        client,
        "patch",
        f"{API}/legal-instruments/{act.uuid}/items/P01",
        token,
        data={"status": "met", "references": [str(foreign.uuid)]},
    )
    assert response.status_code == 400 and response.json()["problems"][0]["location"] == "references"
    assert ChecklistAssessment.objects.get(instrument=act, item_code="P01").status == "not_assessed"
    response = call(
        client,
        "post",
        f"{API}/legal-instruments",
        token,
        data={"title": "Act", "reference": str(foreign.uuid)},
    )
    assert response.status_code == 400 and LegalInstrument.objects.count() == 1


@pytest.mark.django_db
def test_legal_gaps_through_the_api(client, workspace, token):
    act = instrument_make(workspace, title="Act 2009", year=2009)
    amendment = instrument_make(workspace, title="Amendment 2023", year=2023)
    assess(act, {"P09": "not_met", "P20": "not_met"})
    assess(amendment, {"P09": "met", "P20": "partly_met"})
    gaps = call(client, "get", f"{API}/legal-gaps", token).json()
    assert [(g["item_code"], g["best_status"]) for g in gaps] == [("P20", "partly_met")]
    assert gaps[0]["best_instrument"] == str(amendment.uuid)
    assert {row["title"]: row["status"] for row in gaps[0]["instruments"]} == {
        "Act 2009": "not_met",
        "Amendment 2023": "partly_met",
    }
    french = client.get(
        f"{API}/legal-gaps", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="fr"
    ).json()
    assert french[0]["title"] != gaps[0]["title"]


@pytest.mark.django_db
def test_viewers_can_read_but_not_write_through_the_api(client, workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    _token, secret = account_services.api_token_create(user=viewer, name="v", acting_user=viewer)
    reference = reference_make(workspace)
    assert call(client, "get", f"{API}/references", secret).status_code == 200
    assert call(client, "get", f"{API}/legal-gaps", secret).status_code == 200
    refused = call(client, "post", f"{API}/references", secret, data={"title": "X", "kind": "report"})
    assert refused.status_code == 403
    assert call(client, "delete", f"{API}/references/{reference.uuid}", secret).status_code == 403
    assert Reference.objects.count() == 1
