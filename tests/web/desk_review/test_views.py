import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.web.desk_review.models import ChecklistAssessment, KeyFinding, LegalInstrument, Reference
from ctip.web.desk_review.services import UploadedDocument
from tests.web.desk_review.factories import PDF_BYTES, assess, finding_make, instrument_make, reference_make

BASE = "/w/mauritius"


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def viewer_client(client, workspace, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    return client


# --- legal review ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_legal_review_shows_scores_per_chapter_and_the_gaps(admin_client, workspace):
    act = instrument_make(workspace, title="Combating of Trafficking in Persons Act 2009", year=2009)
    assess(act, {"P01": "met", "P02": "partly_met", "P09": "not_met"})
    response = admin_client.get(f"{BASE}/legal/")
    assert response.status_code == 200
    html = page(response)
    assert "Combating of Trafficking in Persons Act 2009" in html
    assert "Definition and criminalisation" in html
    assert "75&nbsp;%" in html  # (1 + 0.5) / 2
    assert 'id="gap-P02"' in html and 'id="gap-P09"' in html and 'id="gap-P01"' not in html
    assert f"{BASE}/legal/new/" in html


@pytest.mark.django_db
def test_adding_an_instrument_creates_its_checklist_and_opens_it(admin_client, workspace):
    document = reference_make(workspace, title="Act text")
    response = admin_client.post(
        f"{BASE}/legal/new/",
        {
            "title": "CTIP Act 2009",
            "short_name": "CTIP Act",
            "year": "2009",
            "kind": "act",
            "reference": document.uuid,
        },
    )
    instrument = LegalInstrument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/legal/{instrument.uuid}/"
    assert instrument.reference == document
    assert instrument.assessments.count() == 20


@pytest.mark.django_db
def test_an_invalid_instrument_form_shows_the_problems(admin_client, workspace):
    response = admin_client.post(f"{BASE}/legal/new/", {"title": "Act", "year": "1700", "kind": "act"})
    assert response.status_code == 200
    assert "The year 1700 is not between 1900 and" in page(response)
    assert not LegalInstrument.objects.exists()


@pytest.mark.django_db
def test_the_instrument_page_groups_the_20_items_by_chapter(admin_client, workspace):
    document = reference_make(workspace, title="Act text")
    act = instrument_make(workspace, title="CTIP Act 2009")
    row = act.assessments.get(item_code="P12")
    row.provision, row.status = "ss. 16–18", "met"
    row.save()
    row.references.set([document])
    html = page(admin_client.get(f"{BASE}/legal/{act.uuid}/"))
    assert html.count('id="item-P') == 20
    assert html.index("Definition and criminalisation") < html.index("Protection of victims")
    assert "All five acts" in html and "ss. 16–18" in html and "Act text" in html
    assert f"{BASE}/legal/{act.uuid}/items/{row.uuid}/" in html


@pytest.mark.django_db
def test_pages_show_french_titles_when_the_language_is_french(admin_client, workspace):
    act = instrument_make(workspace, title="CTIP Act 2009")
    assess(act, {"P01": "not_met"})
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    detail = page(admin_client.get(f"{BASE}/legal/{act.uuid}/"))
    assert "Les cinq actes" in detail and "Définition et incrimination" in detail
    assert "All five acts" not in detail
    review = page(admin_client.get(f"{BASE}/legal/"))
    assert "Les cinq actes" in review
    row = act.assessments.get(item_code="P01")
    form = page(admin_client.get(f"{BASE}/legal/{act.uuid}/items/{row.uuid}/"))
    assert "L'infraction couvre" in form or "L&#x27;infraction couvre" in form


@pytest.mark.django_db
def test_assessing_an_item_shows_the_requirement_and_saves(admin_client, workspace):
    document = reference_make(workspace, title="OHCHR Principles")
    act = instrument_make(workspace)
    row = act.assessments.get(item_code="P09")
    url = f"{BASE}/legal/{act.uuid}/items/{row.uuid}/"
    form = page(admin_client.get(url))
    assert (
        "Non-punishment of victims" in form and "Guidance" in form and "OHCHR Recommended Principles" in form
    )
    assert 'type="radio"' in form and 'name="version"' in form and "OHCHR Principles" in form
    response = admin_client.post(
        url,
        {
            "status": "not_met",
            "provision": "",
            "evidence": "No clause.",
            "note": "See amendment.",
            "references": [str(document.uuid)],
            "version": "1",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/legal/{act.uuid}/#item-P09")
    stored = ChecklistAssessment.objects.get(pk=row.pk)
    assert (stored.status, stored.evidence, stored.version) == ("not_met", "No clause.", 2)
    assert list(stored.references.all()) == [document]


@pytest.mark.django_db
def test_a_stale_assessment_form_reports_the_conflict(admin_client, workspace):
    act = instrument_make(workspace)
    row = act.assessments.get(item_code="P01")
    assess(act, {"P01": "met"})
    response = admin_client.post(
        f"{BASE}/legal/{act.uuid}/items/{row.uuid}/", {"status": "not_met", "version": "1"}
    )
    assert response.status_code == 200
    assert "Someone else changed this" in page(response)
    assert ChecklistAssessment.objects.get(pk=row.pk).status == "met"


@pytest.mark.django_db
def test_instrument_edit_and_delete(admin_client, workspace):
    act = instrument_make(workspace, title="Act")
    response = admin_client.post(
        f"{BASE}/legal/{act.uuid}/edit/", {"title": "Act 2009", "year": "2009", "kind": "act", "version": "1"}
    )
    assert response.status_code == 302
    assert LegalInstrument.objects.get(pk=act.pk).title == "Act 2009"
    assert admin_client.get(f"{BASE}/legal/{act.uuid}/delete/").status_code == 405
    response = admin_client.post(f"{BASE}/legal/{act.uuid}/delete/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/legal/"
    assert not LegalInstrument.objects.exists() and not ChecklistAssessment.objects.exists()


@pytest.mark.django_db
def test_viewers_read_but_cannot_edit(viewer_client, workspace):
    act = instrument_make(workspace)
    reference = reference_make(workspace)
    finding = finding_make(reference)
    row = act.assessments.get(item_code="P01")
    for url in (
        f"{BASE}/legal/",
        f"{BASE}/legal/{act.uuid}/",
        f"{BASE}/library/",
        f"{BASE}/library/{reference.uuid}/",
    ):
        response = viewer_client.get(url)
        assert response.status_code == 200, url
        assert "/edit/" not in page(response) and "/delete/" not in page(response)
    for url in (
        f"{BASE}/legal/new/",
        f"{BASE}/legal/{act.uuid}/edit/",
        f"{BASE}/legal/{act.uuid}/items/{row.uuid}/",
        f"{BASE}/library/new/",
        f"{BASE}/library/{reference.uuid}/edit/",
    ):
        assert viewer_client.get(url).status_code == 403, url
    posts = (
        f"{BASE}/legal/{act.uuid}/delete/",
        f"{BASE}/library/{reference.uuid}/delete/",
        f"{BASE}/library/{reference.uuid}/findings/{finding.uuid}/delete/",
        f"{BASE}/library/{reference.uuid}/",
    )
    for url in posts:
        assert viewer_client.post(url, {"statement": "x"}).status_code == 403, url
    assert LegalInstrument.objects.count() == 1 and KeyFinding.objects.count() == 1


# --- library --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_a_library_entry_with_a_file(admin_client, workspace):
    upload = SimpleUploadedFile("Rapport TIP 2024 été.pdf", PDF_BYTES, content_type="application/pdf")
    response = admin_client.post(
        f"{BASE}/library/new/",
        {
            "title": "TIP Report 2024",
            "authors": "U.S. Department of State",
            "year": "2024",
            "kind": "report",
            "url": "https://www.state.gov/",
            "summary": "Annual report.",
            "tags": "Mauritius, TIP",
            "file": upload,
        },
    )
    reference = Reference.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/library/{reference.uuid}/"
    assert reference.tags == ["Mauritius", "TIP"] and reference.file_name == "Rapport TIP 2024 été.pdf"
    detail = page(admin_client.get(response["Location"]))
    assert "Rapport TIP 2024 été.pdf" in detail and f"{BASE}/library/{reference.uuid}/file" in detail

    download = admin_client.get(f"{BASE}/library/{reference.uuid}/file")
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    disposition = download["Content-Disposition"]
    assert (
        disposition.startswith("attachment;")
        and "filename*=utf-8''Rapport%20TIP%202024%20%C3%A9t%C3%A9.pdf" in disposition
    )
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_bad_upload_is_shown_on_the_form_and_nothing_is_saved(admin_client, workspace):
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = admin_client.post(f"{BASE}/library/new/", {"title": "X", "kind": "report", "file": upload})
    assert response.status_code == 200
    assert "not a file type the library accepts" in page(response)
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_an_entry_without_a_file_has_no_download(admin_client, workspace):
    reference = reference_make(workspace)
    assert admin_client.get(f"{BASE}/library/{reference.uuid}/file").status_code == 404


@pytest.mark.django_db
def test_a_quoted_file_name_cannot_break_the_download_header(admin_client, workspace):
    reference = reference_make(workspace, file=UploadedDocument('a"b\r\nSet-Cookie: x.txt', b"text"))
    download = admin_client.get(f"{BASE}/library/{reference.uuid}/file")
    assert "\n" not in download["Content-Disposition"] and "Set-Cookie" not in download.headers.get(
        "Set-Cookie", ""
    )
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_library_list_filters_by_kind_tag_and_search(admin_client, workspace):
    reference_make(workspace, title="Trafficking Act", kind="law", tags=["Mauritius"])
    reference_make(workspace, title="Gender brief", kind="policy", tags=["gender"])
    html = page(admin_client.get(f"{BASE}/library/"))
    assert "Trafficking Act" in html and "Gender brief" in html
    html = page(admin_client.get(f"{BASE}/library/", {"kind": "law"}))
    assert "Trafficking Act" in html and "Gender brief" not in html
    html = page(admin_client.get(f"{BASE}/library/", {"tag": "gender"}))
    assert "Gender brief" in html and "Trafficking Act" not in html
    html = page(admin_client.get(f"{BASE}/library/", {"q": "brief"}))
    assert "Gender brief" in html and "Trafficking Act" not in html


@pytest.mark.django_db
def test_findings_are_added_on_the_entry_page_and_deleted(admin_client, workspace):
    reference = reference_make(workspace)
    url = f"{BASE}/library/{reference.uuid}/"
    response = admin_client.post(
        url, {"statement": "No shelter for men.", "location": "p. 3", "tags": "shelter"}
    )
    assert response.status_code == 302
    finding = KeyFinding.objects.get()
    assert finding.tags == ["shelter"]
    assert "No shelter for men." in page(admin_client.get(url))
    assert admin_client.post(url, {"statement": ""}).status_code == 400
    response = admin_client.post(f"{url}findings/{finding.uuid}/delete/")
    assert response.status_code == 302 and not KeyFinding.objects.exists()


@pytest.mark.django_db
def test_library_edit_replaces_the_file_and_delete_removes_the_entry(admin_client, workspace):
    reference = reference_make(workspace, title="Old", file=UploadedDocument("a.txt", b"old"))
    edit = f"{BASE}/library/{reference.uuid}/edit/"
    assert "Stored file: a.txt" in page(admin_client.get(edit))
    response = admin_client.post(
        edit,
        {"title": "New", "kind": "report", "version": "1", "file": SimpleUploadedFile("b.txt", b"new text")},
    )
    assert response.status_code == 302
    stored = Reference.objects.get(pk=reference.pk)
    assert (stored.title, stored.file_name, bytes(stored.file_content)) == ("New", "b.txt", b"new text")
    stale = admin_client.post(edit, {"title": "Stale", "kind": "report", "version": "1"})
    assert "Someone else changed this" in page(stale)
    response = admin_client.post(f"{BASE}/library/{reference.uuid}/delete/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/library/"
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_list_pages_use_a_fixed_number_of_queries(admin_client, workspace):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    def grow(label):
        reference = reference_make(workspace, title=f"Entry {label}", tags=[f"tag {label}"])
        finding_make(reference)
        act = instrument_make(workspace, title=f"Act {label}")
        assess(act, {"P01": "not_met", "P02": "partly_met"})
        row = act.assessments.get(item_code="P01")
        row.references.set([reference])

    grow("first")
    act = LegalInstrument.objects.get()
    urls = [f"{BASE}/library/", f"{BASE}/legal/", f"{BASE}/legal/{act.uuid}/"]
    small = [queries(url) for url in urls]
    for index in range(5):
        grow(str(index))
    assert [queries(url) for url in urls] == small
