"""Importing survey answers: KoboToolbox CSV and XLSX exports built from the instrument's own field names,
a Google-Forms-style CSV through a column mapping, every kind of preview row, all-or-nothing against
valid-rows-only (with the rejected rows as CSV), re-imports that change nothing, and edited submissions."""

import csv
import io

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.tabular import FORMULA_TRIGGERS
from ctip.web.accounts.models import AuditEntry
from ctip.web.tna import services
from ctip.web.tna.models import ImportBatch, SurveyRating, SurveySubmission
from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, kobo_xlsx, plain_csv, registry_make


@pytest.fixture
def instrument(workspace):
    registry_make(workspace)
    return instrument_make(workspace)


def preview(workspace, instrument, data, filename="export.csv", **kwargs):
    return services.survey_import_preview(
        workspace=workspace, instrument=instrument, data=data, filename=filename, acting_user=None, **kwargs
    )


def apply(workspace, instrument, data, filename="export.csv", **kwargs):
    return services.survey_import_apply(
        workspace=workspace, instrument=instrument, data=data, filename=filename, acting_user=None, **kwargs
    )


def ratings_of(submission):
    return {r.code: (r.importance, r.competence) for r in submission.ratings.all()}


@pytest.mark.django_db
@pytest.mark.parametrize("shape", ["csv", "xlsx"])
def test_a_kobo_export_is_imported_with_ratings_profile_and_organisations(workspace, instrument, shape):
    rows = [
        kobo_row(1, ratings={"FD01": ("5", "2")}),
        kobo_row(2, organisation="SHS", sex="male", location="curepipe"),
        kobo_row(3, organisation="other", other="rodrigues regional assembly", location="rodrigues"),
    ]
    data, name = (kobo_csv(rows), "kobo.csv") if shape == "csv" else (kobo_xlsx(rows), "kobo.xlsx")
    result = apply(workspace, instrument, data, name)
    assert (result.created, result.updated, result.rejected) == (3, 0, 0)
    assert result.batch.source_shape == "kobo" and result.batch.source == "file"
    first = SurveySubmission.objects.get(instrument=instrument, key="48001")
    assert first.source == f"kobo_{shape}" and first.sex == "female"
    assert first.organisation.key == "MPF-ATU" and first.profile["location"] == "port_louis"
    assert ratings_of(first) == {"FD01": (5, 2), "FD02": (5, 3), "FD03": (5, 3)}
    assert first.open_answers == {"obstacle": "Not enough time for training."}
    assert first.batch == result.batch and first.submitted_at.isoformat() == "2026-03-02T05:01:11+00:00"
    other = SurveySubmission.objects.get(instrument=instrument, key="48003")
    assert other.organisation.key == "RRA"  # "Other (please specify)" matched by name, ignoring case
    entry = AuditEntry.objects.get(action="importbatch.create")
    assert entry.changes["created"] == [None, 3] and entry.object_id == str(result.batch.uuid)


@pytest.mark.django_db
def test_the_preview_says_what_each_row_does_and_why_rows_are_rejected(workspace, instrument):
    apply(workspace, instrument, kobo_csv([kobo_row(1), kobo_row(2)]))
    data = kobo_csv(
        [
            kobo_row(1),  # unchanged
            kobo_row(2, ratings={"FD02": ("4", "4")}),  # the same submission, edited in Kobo
            kobo_row(3, organisation="atu", sex=""),  # new; matched by acronym; sex missing
            kobo_row(4, organisation="Safe Haven Shelterr"),  # unknown organisation
            kobo_row(5, ratings={"FD03": ("9", "3")}),  # a rating outside the scale
        ]
    )
    found = preview(workspace, instrument, data)
    assert [(row.row, row.action) for row in found.rows] == [
        (2, "unchanged"),
        (3, "update"),
        (4, "create"),
        (5, "reject"),
        (6, "reject"),
    ]
    assert (found.to_create, found.to_update, found.unchanged, found.rejected) == (1, 1, 1, 2)
    assert not found.can_import_all and found.has_changes
    assert found.rows[1].changes == ("comp_FD02", "imp_FD02")
    assert (
        found.rows[2].organisation.startswith("Anti-Trafficking Unit") and found.rows[2].sex == "not_stated"
    )
    assert [note.column for note in found.rows[2].notes] == ["profile/sex"]
    unknown = found.rows[3]
    assert unknown.problems[0].column == "profile/organisation"
    assert unknown.suggestions == ("Safe Haven Shelter (SHS)",)
    assert found.rows[4].problems[0].column == "ratings_protection/imp_FD03"
    assert "9" in found.rows[4].problems[0].message


@pytest.mark.django_db
def test_row_problems_are_told_in_the_readers_language(workspace, instrument):
    from django.utils import translation

    data = kobo_csv([kobo_row(1, ratings={"FD03": ("9", "3")}), kobo_row(2, sex="")])
    with translation.override("fr"):
        found = preview(workspace, instrument, data)
    rejected, noted = found.rows
    message = rejected.problems[0].message.replace("\xa0", " ")
    assert message.startswith("« 9 » n'est pas une note : utilisez un nombre entier de 1 à 5")
    assert noted.notes[0].message.startswith("Le sexe est manquant")
    with translation.override("en"):
        english = preview(workspace, instrument, data)
    assert english.rows[0].problems[0].message.startswith("“9” is not a rating")


@pytest.mark.django_db
def test_all_or_nothing_refuses_a_file_with_a_rejected_row_and_saves_nothing(workspace, instrument):
    data = kobo_csv([kobo_row(1), kobo_row(2, organisation="Ministry of Magic")])
    audit = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        apply(workspace, instrument, data)
    assert caught.value.code is ErrorCode.INVALID_VALUE
    assert [p.location for p in caught.value.problems] == ["row 3, column “profile/organisation”"]
    assert not SurveySubmission.objects.exists() and not ImportBatch.objects.exists()
    assert AuditEntry.objects.count() == audit


@pytest.mark.django_db
def test_valid_rows_only_imports_the_rest_and_keeps_the_rejected_rows_as_csv(workspace, instrument):
    rows = [
        kobo_row(1),
        kobo_row(2, organisation="Ministry of Magic", obstacle="+230 5555 0000 (helpline)"),
        kobo_row(3),
    ]
    result = apply(workspace, instrument, kobo_csv(rows), valid_rows_only=True)
    assert (result.created, result.rejected) == (2, 1)
    assert bytes(result.batch.rejected_csv) == result.rejected_rows_csv
    table = list(csv.reader(io.StringIO(result.rejected_rows_csv.decode("utf-8-sig"))))
    assert table[0][-1] == "problem" and table[0][:4] == ["start", "end", "consent", "profile/sex"]
    assert len(table) == 2 and table[1][table[0].index("_id")] == "48002"
    assert "Ministry of Magic" in table[1][-1]
    assert not any(cell.startswith(FORMULA_TRIGGERS) for row in table for cell in row)  # formulas neutralised
    assert set(SurveySubmission.objects.values_list("key", flat=True)) == {"48001", "48003"}

    # The corrected rows import cleanly; rows already stored stay unchanged.
    fixed = kobo_csv([kobo_row(1), kobo_row(2, organisation="SHS"), kobo_row(3)])
    again = apply(workspace, instrument, fixed)
    assert (again.created, again.unchanged, again.rejected) == (1, 2, 0)


@pytest.mark.django_db
def test_importing_the_same_export_again_changes_nothing(workspace, instrument):
    data = kobo_csv([kobo_row(n) for n in range(1, 6)])
    apply(workspace, instrument, data)
    audit, stamps = (
        AuditEntry.objects.count(),
        list(SurveySubmission.objects.values_list("updated_at", "version")),
    )
    again = apply(workspace, instrument, data)
    assert again.batch is None and (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert AuditEntry.objects.count() == audit and ImportBatch.objects.count() == 1
    assert list(SurveySubmission.objects.values_list("updated_at", "version")) == stamps


@pytest.mark.django_db
def test_an_edited_submission_updates_the_stored_one_with_an_audit_row(workspace, instrument):
    apply(workspace, instrument, kobo_csv([kobo_row(1), kobo_row(2)]))
    edited = kobo_csv([kobo_row(1, ratings={"FD01": ("3", "1")}, obstacle="Changed my mind."), kobo_row(2)])
    result = apply(workspace, instrument, edited, "edited.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    stored = SurveySubmission.objects.get(key="48001")
    assert ratings_of(stored)["FD01"] == (3, 1) and stored.version == 2 and stored.batch == result.batch
    assert SurveyRating.objects.filter(submission=stored).count() == 3
    entry = AuditEntry.objects.get(action="surveysubmission.update")
    assert entry.changes["imp_FD01"] == [5, 3] and entry.changes["comp_FD01"] == [3, 1]
    assert entry.changes["open_answers.obstacle"] == ["(free text)", "(free text)"]  # no free text in the log


GOOGLE_HEADER = [
    "Timestamp",
    "Your sex",
    "Which organisation do you work for",
    "Where do you work",
    "Defining trafficking in persons - importance",
    "Defining trafficking in persons - my level",
    "Recognising signs of trafficking - importance",
    "Recognising signs of trafficking - my level",
    "Comments",
]


def google_csv(rows):
    return plain_csv(GOOGLE_HEADER, rows)


@pytest.mark.django_db
def test_a_google_forms_csv_is_imported_through_a_column_mapping(workspace, instrument):
    data = google_csv(
        [
            [
                "2026/03/04 10:15:00",
                "Female",
                "Anti-Trafficking Unit",
                "Port Louis",
                "5",
                "2",
                "4",
                "3",
                "More training",
            ],
            ["2026/03/04 11:02:00", "M", "SHS", "Curepipe", "4", "4", "NA", "2", ""],
        ]
    )
    layout = services.survey_file_layout(
        workspace=workspace, instrument=instrument, data=data, filename="google.csv"
    )
    assert layout.shape == "generic" and layout.needs_mapping and layout.row_count == 2
    assert layout.suggested["organisation"] == "Which organisation do you work for"
    assert layout.suggested["submitted_at"] == "Timestamp"
    chosen = {
        **layout.suggested,
        "sex": "Your sex",
        "location": "Where do you work",
        "imp_FD01": "Defining trafficking in persons - importance",
        "comp_FD01": "Defining trafficking in persons - my level",
        "imp_FD02": "Recognising signs of trafficking - importance",
        "comp_FD02": "Recognising signs of trafficking - my level",
        "other_comments": "Comments",
    }
    mapping = services.mapping_from_fields(chosen, [header for header, _label in layout.columns])
    result = apply(workspace, instrument, data, "google.csv", mapping=mapping)
    assert (result.created, result.rejected) == (2, 0)
    assert result.batch.source_shape == "generic (mapped)" and result.batch.mapping == mapping
    first, second = SurveySubmission.objects.order_by("submitted_at")
    assert first.key.startswith("sha256:") and first.source == "mapped_file"
    assert (first.sex, second.sex) == ("female", "male")
    assert ratings_of(first) == {"FD01": (5, 2), "FD02": (4, 3)}
    assert ratings_of(second)["FD02"] == (None, 2)  # "NA" is a missing code
    assert first.open_answers == {"other_comments": "More training"}
    # The same file through the same mapping is recognised: nothing changes.
    assert apply(workspace, instrument, data, "google.csv", mapping=mapping).batch is None


@pytest.mark.django_db
def test_a_saved_mapping_is_reused_by_name(workspace, instrument, admin_user):
    mapping = {"Your sex": "sex", "Comments": ""}
    saved = services.column_mapping_save(
        workspace=workspace,
        instrument=instrument,
        name="Google form 2026",
        mapping=mapping,
        acting_user=admin_user,
    )
    assert services.column_mapping_named(workspace=workspace, name="google FORM 2026") == saved
    assert AuditEntry.objects.filter(action="columnmapping.create").exists()
    services.column_mapping_save(
        workspace=workspace,
        instrument=instrument,
        name="Google form 2026",
        mapping={"Sex": "sex"},
        acting_user=admin_user,
    )
    saved.refresh_from_db()
    assert saved.mapping == {"Sex": "sex"}
    with pytest.raises(DomainError) as caught:
        services.column_mapping_named(workspace=workspace, name="nothing")
    assert caught.value.code is ErrorCode.NOT_FOUND


@pytest.mark.django_db
def test_a_mapping_that_names_missing_columns_is_refused(workspace, instrument):
    data = google_csv([["2026/03/04 10:15:00", "Female", "SHS", "Curepipe", "5", "2", "4", "3", ""]])
    with pytest.raises(DomainError) as caught:
        preview(workspace, instrument, data, "google.csv", mapping={"Gender": "sex"})
    assert caught.value.problems[0].location == "column “Gender”"


@pytest.mark.django_db
def test_imports_keep_working_after_the_framework_changes(workspace, instrument, admin_user):
    target = services.competency_of  # the instrument keeps its snapshot; the framework may move on
    from ctip.web.tna.models import WorkspaceCompetency

    first = WorkspaceCompetency.objects.get(workspace=workspace, code="FD01")
    services.competency_update(
        workspace=workspace, competency=first, title_en="Renamed", acting_user=admin_user
    )
    services.competency_retire(workspace=workspace, competency=first, acting_user=admin_user)
    assert services.instrument_of(instrument).competencies[0].title.en == "Defining trafficking in persons"
    first.refresh_from_db()
    assert target(first).title.en == "Renamed"
    result = apply(workspace, instrument, kobo_csv([kobo_row(1)]))
    assert result.created == 1 and ratings_of(SurveySubmission.objects.get())["FD01"] == (5, 3)


@pytest.mark.django_db
def test_an_unreadable_file_is_refused_with_a_clear_message(workspace, instrument):
    with pytest.raises(DomainError) as caught:
        preview(workspace, instrument, b"\x00\x01 not a table", "notes.pdf")
    assert caught.value.code is ErrorCode.INVALID_VALUE and "notes.pdf" in caught.value.message
    with pytest.raises(DomainError) as caught:
        preview(workspace, instrument, plain_csv(["a", "b"], [["1", "2"]]), "other.csv")
    assert "No column of this file matches" in caught.value.message


@pytest.mark.django_db
def test_viewers_cannot_import(workspace, instrument, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        services.survey_import_apply(
            workspace=workspace,
            instrument=instrument,
            data=kobo_csv([kobo_row(1)]),
            filename="k.csv",
            acting_user=viewer,
        )
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    assert not SurveySubmission.objects.exists()


@pytest.mark.django_db
def test_an_odk_central_csv_is_imported_by_its_key(workspace, instrument):
    header = [
        "SubmissionDate",
        "consent",
        "profile-sex",
        "profile-organisation",
        "profile-location",
        "ratings_protection-imp_FD01",
        "ratings_protection-comp_FD01",
        "meta-instanceID",
        "KEY",
        "SubmitterName",
    ]
    rows = [
        [
            "2026-03-05T08:00:00.000Z",
            "yes",
            "female",
            "RRA",
            "rodrigues",
            "5",
            "2",
            "uuid:aa-1",
            "uuid:aa-1",
            "enum1",
        ],
        [
            "2026-03-05T09:00:00.000Z",
            "yes",
            "male",
            "SHS",
            "curepipe",
            "4",
            "3",
            "uuid:bb-2",
            "uuid:bb-2",
            "enum1",
        ],
    ]
    result = apply(workspace, instrument, plain_csv(header, rows), "odk.csv")
    assert (result.created, result.rejected, result.batch.source_shape) == (2, 0, "odk")
    stored = SurveySubmission.objects.get(key__endswith="aa-1")
    assert (
        stored.source == "odk_csv"
        and stored.organisation.key == "RRA"
        and ratings_of(stored)["FD01"] == (5, 2)
    )


@pytest.mark.django_db
def test_the_command_line_finds_the_instrument_by_id_or_as_the_only_one(workspace, instrument):
    from ctip.web.tna import selectors

    assert selectors.instrument_chosen(workspace) == instrument
    assert selectors.instrument_chosen(workspace, str(instrument.uuid)) == instrument
    with pytest.raises(DomainError) as caught:
        selectors.instrument_chosen(workspace, "not-a-uuid")
    assert caught.value.code is ErrorCode.NOT_FOUND
    instrument_make(workspace, title="Second")
    with pytest.raises(DomainError) as caught:
        selectors.instrument_chosen(workspace)
    assert caught.value.code is ErrorCode.REQUIRED
