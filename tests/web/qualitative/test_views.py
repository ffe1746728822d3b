"""Qualitative pages: records, coding, codebook and quote bank; who may read the notes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from tests.web.qualitative.factories import (
    docx_bytes,
    excerpt_make,
    organisation_make,
    record_make,
    theme_make,
)

NOTES = "The inspectors need notice before entering dormitories."


def url(workspace, path=""):
    return f"/w/{workspace.slug}/qualitative/{path}"


def count_queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.fixture
def viewer_client(client, workspace, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    return client


@pytest.mark.django_db
def test_list_shows_records_filters_by_kind_and_links_to_new(admin_client, workspace):
    police = organisation_make(workspace, "mpf", acronym="MPF")
    record_make(workspace, "Interview: investigators", organisations=[police])
    record_make(workspace, "Focus group: social workers", kind="focus_group")
    page = admin_client.get(url(workspace)).content.decode()
    assert "Interview: investigators" in page and "Focus group: social workers" in page and "MPF" in page
    assert url(workspace, "new/") in page
    filtered = admin_client.get(url(workspace), {"kind": "focus_group"}).content.decode()
    assert "Focus group: social workers" in filtered and "Interview: investigators" not in filtered


@pytest.mark.django_db
def test_list_and_codebook_and_quote_pages_use_a_fixed_number_of_queries(admin_client, workspace):
    theme = theme_make(workspace, "T01")
    first = record_make(workspace, "First", organisations=[organisation_make(workspace, "first")])
    excerpt_make(first, theme, "First quote.", is_quote=True)
    pages = [url(workspace), url(workspace, "codebook/"), url(workspace, "quotes/")]
    before = [count_queries(admin_client, page) for page in pages]
    for index in range(4):
        organisation = organisation_make(
            workspace, f"o{index}", type="ngo" if index % 2 else "law_enforcement"
        )
        record = record_make(workspace, f"Record {index}", organisations=[organisation])
        excerpt_make(record, theme, f"Excerpt {index}.", is_quote=True)
        theme_make(workspace, f"T1{index}")
    assert [count_queries(admin_client, page) for page in pages] == before


@pytest.mark.django_db
def test_detail_page_uses_a_fixed_number_of_queries(admin_client, workspace):
    record = record_make(workspace)
    theme = theme_make(workspace)
    before = count_queries(admin_client, url(workspace, f"{record.uuid}/"))
    for index in range(4):
        excerpt_make(record, theme_make(workspace), f"Excerpt {index}.", is_quote=index % 2 == 0)
        excerpt_make(record, theme, f"More {index}.")
    assert count_queries(admin_client, url(workspace, f"{record.uuid}/")) == before


@pytest.mark.django_db
def test_create_a_record_with_a_transcript_then_edit_and_delete_it(admin_client, workspace):
    police = organisation_make(workspace, "mpf")
    response = admin_client.post(
        url(workspace, "new/"),
        {
            "kind": "interview",
            "title": "Interview: investigators",
            "date": "2025-05-05",
            "organisations": [str(police.uuid)],
            "participants_women": "1",
            "participants_men": "2",
            "participants_other": "0",
            "notes": NOTES,
            "transcript": SimpleUploadedFile("kii.docx", docx_bytes("Transcript line one.")),
        },
    )
    record = QualitativeRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == url(workspace, f"{record.uuid}/")
    assert record.transcript_text == "Transcript line one." and list(record.organisations.all()) == [police]
    page = admin_client.get(url(workspace, f"{record.uuid}/")).content.decode()
    assert NOTES in page and "Transcript line one." in page and "kii.docx" in page

    edit = admin_client.get(url(workspace, f"{record.uuid}/edit/"))
    assert edit.status_code == 200 and "Remove the stored transcript" in edit.content.decode()
    response = admin_client.post(
        url(workspace, f"{record.uuid}/edit/"),
        {
            "kind": "focus_group",
            "title": "FGD: investigators",
            "date": "2025-05-06",
            "participants_women": "3",
            "participants_men": "2",
            "participants_other": "1",
            "notes": NOTES,
            "remove_transcript": "on",
            "version": "1",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.kind == "focus_group" and record.transcript_text == "" and record.version == 2
    assert list(record.organisations.all()) == []

    response = admin_client.post(url(workspace, f"{record.uuid}/delete/"))
    assert response.status_code == 302 and not QualitativeRecord.objects.exists()


@pytest.mark.django_db
def test_a_wrong_transcript_type_is_shown_on_the_form_and_nothing_is_saved(admin_client, workspace):
    response = admin_client.post(
        url(workspace, "new/"),
        {
            "kind": "interview",
            "title": "Interview",
            "date": "2025-05-05",
            "participants_women": "1",
            "participants_men": "0",
            "participants_other": "0",
            "transcript": SimpleUploadedFile("kii.pdf", b"%PDF-1.4"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a Word (.docx) or plain-text (.txt) file" in page
    assert not QualitativeRecord.objects.exists()


@pytest.mark.django_db
def test_a_stale_edit_gets_a_conflict_message(admin_client, workspace):
    record = record_make(workspace)
    data = {
        "kind": "interview",
        "title": "Changed",
        "date": "2025-05-05",
        "participants_women": "0",
        "participants_men": "0",
        "participants_other": "0",
        "version": "7",
    }
    response = admin_client.post(url(workspace, f"{record.uuid}/edit/"), data)
    assert response.status_code == 400 and "Someone else changed" in response.content.decode()


@pytest.mark.django_db
def test_coding_an_excerpt_and_the_quote_bank_from_the_record_page(admin_client, workspace):
    police = organisation_make(workspace, "mpf", name="Mauritius Police Force", acronym="MPF")
    record = record_make(workspace, organisations=[police])
    theme = theme_make(workspace, "T01", name="No SOPs")
    detail = url(workspace, f"{record.uuid}/")
    response = admin_client.post(
        detail + "excerpts/add/",
        {
            "excerpt-text": "Each station does it its own way.",
            "excerpt-theme": str(theme.uuid),
            "excerpt-is_quote": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail + "#excerpts"
    quote = CodedExcerpt.objects.get()
    assert quote.is_quote

    refused = admin_client.post(
        detail + "excerpts/add/",
        {
            "excerpt-text": "At the MPF nobody knows.",
            "excerpt-theme": str(theme.uuid),
            "excerpt-is_quote": "on",
        },
    )
    assert refused.status_code == 400
    assert "It names “MPF”" in refused.content.decode() and CodedExcerpt.objects.count() == 1

    admin_client.post(
        detail + "excerpts/add/",
        {"excerpt-text": "At the MPF nobody knows.", "excerpt-theme": str(theme.uuid)},
    )
    plain = CodedExcerpt.objects.get(is_quote=False)
    response = admin_client.post(detail + f"excerpts/{plain.uuid}/quote/", {"action": "flag"}, follow=True)
    assert "cannot go into the quote bank" in response.content.decode()
    plain.refresh_from_db()
    assert not plain.is_quote

    admin_client.post(detail + f"excerpts/{quote.uuid}/quote/", {"action": "unflag"})
    quote.refresh_from_db()
    assert not quote.is_quote
    admin_client.post(detail + f"excerpts/{quote.uuid}/quote/", {"action": "flag"})
    quote.refresh_from_db()
    assert quote.is_quote

    response = admin_client.post(detail + f"excerpts/{plain.uuid}/delete/")
    assert response.status_code == 302 and CodedExcerpt.objects.count() == 1


@pytest.mark.django_db
def test_viewers_see_counts_but_not_notes_excerpts_or_quotes(viewer_client, workspace):
    record = record_make(workspace, notes=NOTES, transcript=None)
    theme = theme_make(workspace, "T01", name="No SOPs")
    excerpt_make(record, theme, "Each station does it its own way.", is_quote=True)

    listing = viewer_client.get(url(workspace)).content.decode()
    assert record.title in listing and "New" not in listing and url(workspace, "new/") not in listing
    detail = viewer_client.get(url(workspace, f"{record.uuid}/")).content.decode()
    assert record.title in detail and NOTES not in detail and "Each station" not in detail
    assert "counts only" in detail
    codebook = viewer_client.get(url(workspace, "codebook/")).content.decode()
    assert "No SOPs" in codebook and "Add a theme" not in codebook
    quotes = viewer_client.get(url(workspace, "quotes/")).content.decode()
    assert "Each station" not in quotes and "Quotes per theme" in quotes


@pytest.mark.django_db
def test_viewers_cannot_edit_anything(viewer_client, workspace):
    record = record_make(workspace)
    theme = theme_make(workspace, "T01")
    excerpt = excerpt_make(record, theme)
    forbidden = [
        ("get", url(workspace, "new/")),
        ("get", url(workspace, f"{record.uuid}/edit/")),
        ("post", url(workspace, f"{record.uuid}/delete/")),
        ("post", url(workspace, f"{record.uuid}/excerpts/add/")),
        ("post", url(workspace, f"{record.uuid}/excerpts/{excerpt.uuid}/delete/")),
        ("post", url(workspace, f"{record.uuid}/excerpts/{excerpt.uuid}/quote/")),
        ("post", url(workspace, "codebook/")),
        ("get", url(workspace, f"codebook/{theme.uuid}/edit/")),
        ("post", url(workspace, f"codebook/{theme.uuid}/delete/")),
    ]
    for method, address in forbidden:
        assert getattr(viewer_client, method)(address).status_code == 403, address
    assert (
        QualitativeRecord.objects.count() == 1
        and Theme.objects.count() == 1
        and CodedExcerpt.objects.count() == 1
    )


@pytest.mark.django_db
def test_an_analyst_reads_and_codes(client, workspace, make_member):
    client.force_login(make_member(workspace, "analyst").user)
    record = record_make(workspace, notes=NOTES)
    page = client.get(url(workspace, f"{record.uuid}/")).content.decode()
    assert NOTES in page and "Code an excerpt" in page


@pytest.mark.django_db
def test_codebook_shows_sources_by_organisation_type_and_adds_themes(admin_client, workspace):
    police = organisation_make(workspace, "mpf", type="law_enforcement")
    theme = theme_make(workspace, "T01", name="No SOPs", competency_codes=["ID01"])
    excerpt_make(record_make(workspace, organisations=[police]), theme)
    page = admin_client.get(url(workspace, "codebook/")).content.decode()
    assert "No SOPs" in page and "ID01" in page and "Law enforcement" in page

    response = admin_client.post(
        url(workspace, "codebook/"),
        {
            "theme-code": "T02",
            "theme-name": "Unclear referral pathway",
            "theme-pillar": "protection",
            "theme-competency_codes": "rf01; cp01",
            "theme-parent": str(theme.uuid),
        },
    )
    assert response.status_code == 302
    created = Theme.objects.get(code="T02")
    assert created.competency_codes == ["RF01", "CP01"] and created.parent == theme

    duplicate = admin_client.post(url(workspace, "codebook/"), {"theme-code": "t02", "theme-name": "Again"})
    assert duplicate.status_code == 400 and "already has a theme" in duplicate.content.decode()


@pytest.mark.django_db
def test_edit_and_delete_a_theme(admin_client, workspace):
    theme = theme_make(workspace, "T01")
    edit = url(workspace, f"codebook/{theme.uuid}/edit/")
    assert admin_client.get(edit).status_code == 200
    response = admin_client.post(
        edit,
        {"theme-code": "T01", "theme-name": "Renamed", "theme-competency_codes": "", "theme-version": "1"},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Renamed" and theme.competency_codes == []

    excerpt = excerpt_make(record_make(workspace), theme)
    refused = admin_client.post(url(workspace, f"codebook/{theme.uuid}/delete/"), follow=True)
    assert "cannot be deleted" in refused.content.decode() and Theme.objects.exists()
    excerpt.delete()
    response = admin_client.post(url(workspace, f"codebook/{theme.uuid}/delete/"))
    assert response.status_code == 302 and not Theme.objects.exists()


@pytest.mark.django_db
def test_quote_bank_lists_anonymised_quotes_by_type_of_source_and_filters_by_theme(admin_client, workspace):
    police = organisation_make(workspace, "mpf", name="Mauritius Police Force", type="law_enforcement")
    record = record_make(workspace, organisations=[police])
    sops = theme_make(workspace, "T01", name="No SOPs")
    referral = theme_make(workspace, "T02", name="Referral")
    excerpt_make(record, sops, "Each station does it its own way.", is_quote=True)
    excerpt_make(record, referral, "Nobody calls back.", is_quote=True)
    excerpt_make(record, referral, "Not a quote.")
    page = admin_client.get(url(workspace, "quotes/")).content.decode()
    assert "Each station does it its own way." in page and "Nobody calls back." in page
    assert "Not a quote." not in page and "Law enforcement" in page and "Mauritius Police Force" not in page
    filtered = admin_client.get(url(workspace, "quotes/"), {"theme": str(referral.uuid)}).content.decode()
    assert "Nobody calls back." in filtered and "Each station" not in filtered
