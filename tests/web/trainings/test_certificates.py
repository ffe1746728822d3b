"""Certificates of attendance: who gets one (at least one day, or every day), the dates worded in the
certificate's language, the page that takes names for one download and stores none of them, and who may
make them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from ctip.web.accounts.models import AuditEntry
from ctip.web.trainings import certificates
from ctip.web.trainings.models import Participant
from tests.web.trainings.factories import attendance_mark, event_make, participants_make

pytestmark = pytest.mark.django_db

MON, TUE = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


def _texts(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for cell in table._cells:
            texts.extend(paragraph.text for paragraph in cell.paragraphs)
    return texts


@pytest.fixture
def event(workspace):
    """SCR on Monday 2 and Tuesday 3 March 2026: P001 came both days, P002 on Monday, P003 never."""
    found = event_make(workspace, venue="Police Training School")
    first, second, third = participants_make(found, 3)
    attendance_mark(found, {first: [MON, TUE], second: [MON], third: []})
    return found


def test_participants_present_on_at_least_one_day_or_on_every_day(event):
    assert [
        (c.participant.code, c.days, c.total_days) for c in certificates.certificate_candidates(event)
    ] == [
        ("P001", 2, 2),
        ("P002", 1, 2),
    ]
    assert [c.participant.code for c in certificates.certificate_candidates(event, all_days=True)] == ["P001"]


def test_dates_are_worded_in_the_language_of_the_certificate():
    with translation.override("en"):
        assert certificates.dates_text(MON, MON) == "2 March 2026"
        assert certificates.dates_text(MON, TUE) == "2–3 March 2026"
        assert certificates.dates_text(dt.date(2026, 3, 30), dt.date(2026, 4, 2)) == "30 March – 2 April 2026"
        assert (
            certificates.dates_text(dt.date(2026, 12, 30), dt.date(2027, 1, 2))
            == "30 December 2026 – 2 January 2027"
        )
    with translation.override("fr"):
        assert certificates.dates_text(MON, TUE) == "2–3 mars 2026"


def test_the_document_has_one_page_per_participant_with_their_days(event):
    candidates = certificates.certificate_candidates(event)
    names = {str(candidates[0].participant.uuid): "Marie Laval"}
    content = certificates.certificates_docx(event, candidates, names, language="en")
    texts = _texts(content)
    assert "Marie Laval" in texts
    assert "2 of 2 training days attended" in texts and "1 of 2 training days attended" in texts
    assert "Mauritius C-TIP programme" in texts and "Trainer One" in texts
    assert "2–3 March 2026 — Police Training School, Mauritius" in texts
    assert "P001" not in " ".join(texts)  # the code would link the certificate to the test results


def test_the_page_makes_the_file_with_the_names_typed_and_stores_none(admin_client, workspace, event):
    url = reverse("training-certificates", kwargs={"workspace": workspace.slug, "event": event.uuid})
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Names are not saved." in page.content.decode()
    assert [candidate.participant.code for candidate, _included, _name in page.context["candidates"]] == [
        "P001",
        "P002",
    ]

    first, second = (Participant.objects.get(code=code) for code in ("P001", "P002"))
    audit_before = AuditEntry.objects.count()
    response = admin_client.post(
        url,
        {
            "language": "fr",
            "include": [str(first.uuid), str(second.uuid)],
            f"name_{first.uuid}": "Marie Laval",
            f"name_{second.uuid}": "",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="certificates-{event.code}.docx"'
    texts = _texts(response.content)
    assert "Marie Laval" in texts and "2–3 mars 2026 — Police Training School, Mauritius" in texts
    assert AuditEntry.objects.count() == audit_before
    stored = str(list(Participant.objects.values())) + str(list(AuditEntry.objects.values("changes")))
    assert "Marie Laval" not in stored


def test_only_present_every_day_and_nobody_chosen(admin_client, workspace, event):
    url = reverse("training-certificates", kwargs={"workspace": workspace.slug, "event": event.uuid})
    second = Participant.objects.get(code="P002")
    only_second = admin_client.post(url, {"language": "en", "all_days": "on", "include": [str(second.uuid)]})
    assert only_second.status_code == 400
    assert "Nobody chosen was present on every training day" in only_second.content.decode()
    nobody = admin_client.post(url, {"language": "en", f"name_{second.uuid}": "Kept on the page"})
    assert nobody.status_code == 400
    page = nobody.content.decode()
    assert "Choose at least one participant." in page and 'value="Kept on the page"' in page


def test_trainers_make_certificates_viewers_may_not(client, workspace, event, make_member):
    url = reverse("training-certificates", kwargs={"workspace": workspace.slug, "event": event.uuid})
    client.force_login(make_member(workspace, "viewer").user)
    assert client.get(url).status_code == 403
    client.force_login(make_member(workspace, "trainer").user)
    assert client.get(url).status_code == 200
