"""Importing an existing draft (implementation matrix) into a plan: the fictional Rwanda matrix as an XLSX
with merged cells, a CSV without pillar or outcome columns, bad files that store nothing, re-imports that
give the same tree, replacing a plan's content, and the wizard's pages (upload → columns → check → apply)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.nap.matrix_example import EXAMPLE_AGENCIES, example_matrix_rows
from ctip.formats.nap_matrix_io import write_example_matrix_xlsx
from ctip.web.accounts.models import AuditEntry
from ctip.web.nap.models import ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.nap.services import matrix_import as mi
from tests.web.factories import member_make, user_make
from tests.web.nap.factories import cost_line_make
from tests.web.stakeholders.factories import organisation_make

NEW = {"title": "NAP 2025–2029", "period_start": 2025, "period_end": 2029, "currency": "RWF"}
CSV = (
    b"Objective,Output,Activity,Indicator,Timeframe,Responsible,Budget (USD)\r\n"
    b'1. Protect victims,1.1 Shelters open,Open two shelters,Number of shelters,2026,MSS,"120,000"\r\n'
    b",,Train shelter staff,,Q1 2027,Ministry of Social Security; Shelter NGO,TBD\r\n"
    b"2. Prosecute traffickers,2.1 Prosecutors trained,Train prosecutors,,2025-2026,Prosecution Office,45000\r\n"
)


@pytest.fixture
def registry(workspace):
    """The example's agencies, but one (UMUCYO) left out of the registry."""
    for key, names in EXAMPLE_AGENCIES.items():
        if key != "UMUCYO":
            organisation_make(workspace, key, name=names[0], acronym=key)
    return workspace


def example() -> bytes:
    return write_example_matrix_xlsx(example_matrix_rows())


def apply(workspace, data, filename="matrix.xlsx", values=NEW, plan=None, mapping=None):
    matrix = mi.matrix_read(data, filename)
    return mi.matrix_import_apply(
        workspace=workspace,
        data=data,
        filename=filename,
        mapping=mapping if mapping is not None else matrix.suggested_mapping(),
        values=values,
        plan=plan,
        acting_user=None,
    )


def tree(plan: ActionPlan) -> list[tuple]:
    elements = NapElement.objects.filter(plan=plan).select_related("parent", "lead")
    rows = [
        (
            e.level,
            e.code,
            e.title,
            e.parent.code if e.parent else "",
            e.position,
            e.lead.key if e.lead else "",
            e.lead_name,
            [item["name"] for item in e.supporting],
            e.timeline,
        )
        for e in elements
    ]
    lines = NapCostLine.objects.filter(activity__plan=plan).values_list(
        "activity__code", "unit_cost", "quantity", "year", "currency", "funding_source", "funder"
    )
    indicators = NapIndicator.objects.filter(element__plan=plan).values_list(
        "element__code", "code", "name", "baseline", "targets"
    )
    return sorted(rows) + sorted(lines) + sorted(indicators, key=str)


def test_example_matrix_becomes_the_plan_tree(registry):
    result = apply(registry, example())
    plan = result.plan
    assert plan.source_file == "matrix.xlsx" and plan.currency == "RWF"
    counts = result.counts
    assert counts == {
        "pillar": 0, "objective": 4, "priority": 4, "outcome": 8, "output": 13, "activity": 37,
        "indicators": 13, "cost_lines": counts["cost_lines"],
    }  # fmt: skip
    assert NapElement.objects.filter(plan=plan, level="activity").count() == 37
    # Objectives sit under their 4P pillar; the missing priority level repeats the objective's title.
    objective = NapElement.objects.get(plan=plan, code="SO2")
    assert objective.parent.code == "P2" and objective.parent.title == "Protection"
    priority = NapElement.objects.get(plan=plan, code="SP2")
    assert priority.parent == objective and priority.title == objective.title
    assert NapElement.objects.get(plan=plan, code="OC1.1").parent.code == "SP1"
    first = NapElement.objects.get(plan=plan, title="Run radio campaigns in Kinyarwanda, English and French")
    assert first.parent.title == "Awareness campaigns reach high-risk districts"
    # Registered agencies are linked; UMUCYO stays as written wherever it is the lead or a partner.
    activities = NapElement.objects.filter(plan=plan, level="activity")
    assert all(a.lead is not None or a.lead_name for a in activities)
    assert not any(
        a.lead_name and a.lead_name.upper() in EXAMPLE_AGENCIES and a.lead_name != "UMUCYO"
        for a in activities
    )
    umucyo = [p for a in activities for p in a.supporting if "Umucyo" in p["name"] or p["name"] == "UMUCYO"]
    assert umucyo and all(p["organisation"] == "" for p in umucyo)
    linked = [p for a in activities for p in a.supporting if p["organisation"]]
    assert linked
    # One cost line per budgeted activity: the amount, quantity 1, the first year of the timeframe.
    preview = result.preview
    budgeted = [e for e in preview.elements if e.activity is not None and e.activity.row.budget is not None]
    assert counts["cost_lines"] == len(budgeted) == NapCostLine.objects.filter(activity__plan=plan).count()
    for planned in budgeted:
        line = NapCostLine.objects.get(activity__plan=plan, activity__code=planned.code)
        row = planned.activity.row
        assert line.description == "Budget (imported)"
        assert line.unit_cost == row.budget.amount and line.quantity == Decimal(1)
        assert line.year == (min(span[0][0] for span in row.timeframe) if row.timeframe else None)
        assert line.funding_source == (row.funding_source or "unfunded")
    total = sum(line.unit_cost for line in NapCostLine.objects.filter(activity__plan=plan))
    assert total == preview.matrix.summary.budget_totals["RWF"]
    # Indicators at output level, with baseline and end target.
    indicator = NapIndicator.objects.get(element__plan=plan, name="Number of people reached by campaigns")
    assert indicator.element.level == "output" and indicator.baseline == "0"
    assert indicator.targets == [{"year": 2029, "value": "250,000", "sex": ""}]
    # One audit entry for the import, with the file name and counts.
    entry = AuditEntry.objects.get(action="nap.import")
    assert entry.object_id == str(plan.uuid)
    assert entry.changes["file"] == [None, "matrix.xlsx"] and entry.changes["activity"] == [None, 37]


def test_reimport_into_a_new_plan_gives_the_same_tree(registry):
    first = apply(registry, example()).plan
    second = apply(registry, example(), values={**NEW, "title": "Second"}).plan
    assert first != second
    assert tree(first) == tree(second)
    assert len(tree(first)) > 100


def test_csv_without_pillar_and_outcome_columns(workspace):
    organisation_make(workspace, "MSS", name="Ministry of Social Security")
    organisation_make(workspace, "NPPA", name="National Prosecution Office", acronym="NPO")
    result = apply(workspace, CSV, "draft.csv", values={**NEW, "currency": "USD"})
    plan = result.plan
    pillar = NapElement.objects.get(plan=plan, level="pillar", title="Not assigned to a pillar")
    assert pillar.code == "P5" and pillar.position == 4
    assert [e.code for e in NapElement.objects.filter(plan=plan, parent=pillar)] == ["SO1", "SO2"]
    output = NapElement.objects.get(plan=plan, code="OP1.1")
    assert output.title == "Shelters open" and output.parent.level == "outcome"
    assert output.parent.title == "Protect victims"  # the missing outcome repeats the objective
    train = NapElement.objects.get(plan=plan, title="Train shelter staff")
    assert train.lead.key == "MSS" and train.supporting == [{"organisation": "", "name": "Shelter NGO"}]
    assert train.timeline == [[2027, 1]]
    assert not train.cost_lines.exists()  # TBD: no cost line
    open_ = NapElement.objects.get(plan=plan, title="Open two shelters")
    assert open_.cost_lines.get().unit_cost == Decimal("120000.00")
    assert open_.cost_lines.get().currency == "USD" and open_.cost_lines.get().year == 2026
    prosecutors = NapElement.objects.get(plan=plan, title="Train prosecutors")
    assert prosecutors.lead is None and prosecutors.lead_name == "Prosecution Office"
    assert NapIndicator.objects.get(element=output).name == "Number of shelters"
    texts = " ".join(w.message for w in result.preview.warnings)
    assert "no pillar column" in texts and "no outcome column" in texts


def test_bad_file_stores_nothing(workspace):
    bad = CSV.replace(b'"120,000"', b"a lot").replace(b"2025-2026", b"2040")
    plans, elements, audits = (
        ActionPlan.objects.count(),
        NapElement.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(DomainError) as caught:
        apply(workspace, bad, "draft.csv", values={**NEW, "currency": "USD"})
    locations = [p.location for p in caught.value.problems]
    assert "row 2, column “Budget (USD)” (G)" in locations
    assert "row 4, column “Timeframe” (E)" in locations
    assert (ActionPlan.objects.count(), NapElement.objects.count(), AuditEntry.objects.count()) == (
        plans,
        elements,
        audits,
    )


def test_unusable_mapping_and_target_are_refused(workspace):
    matrix = mi.matrix_read(CSV, "draft.csv")
    with pytest.raises(DomainError) as caught:
        mi.matrix_import_preview(
            workspace=workspace, matrix=matrix, mapping={"objective": 0}, values=NEW, acting_user=None
        )
    assert [p.location for p in caught.value.problems] == ["activity"]
    with pytest.raises(DomainError) as caught:
        mi.matrix_import_preview(
            workspace=workspace, matrix=matrix, mapping=matrix.suggested_mapping(),
            values={"title": "", "period_start": "2030", "period_end": "2025", "currency": "dollars"},
            acting_user=None,
        )  # fmt: skip
    assert {p.location for p in caught.value.problems} == {"title", "period_end", "currency"}
    assert not ActionPlan.objects.exists()


def test_replace_a_plans_content_until_a_cost_line_is_entered_by_hand(registry):
    plan = apply(registry, CSV, "draft.csv").plan
    assert mi.plan_replaceable(plan)
    result = apply(registry, example(), plan=plan)
    assert result.plan == plan and result.preview.replaced_elements > 0
    assert ActionPlan.objects.count() == 1
    assert NapElement.objects.filter(plan=plan, level="activity").count() == 37
    assert not NapElement.objects.filter(plan=plan, title="Train prosecutors").exists()
    plan.refresh_from_db()
    assert plan.source_file == "matrix.xlsx" and plan.version == 2
    cost_line_make(NapElement.objects.filter(plan=plan, level="activity").first())
    assert not mi.plan_replaceable(plan)
    before = tree(plan)
    with pytest.raises(DomainError) as caught:
        apply(registry, CSV, "draft.csv", plan=plan)
    assert caught.value.code == ErrorCode.CONFLICT
    assert tree(plan) == before


def test_viewer_may_not_import(workspace):
    viewer = user_make("viewer")
    member_make(workspace, "viewer", viewer)
    with pytest.raises(DomainError):
        mi.matrix_import_apply(
            workspace=workspace, data=CSV, filename="d.csv", mapping={}, values=NEW, acting_user=viewer
        )


# --- The wizard ---------------------------------------------------------------------------------------


def test_wizard_upload_columns_check_apply(admin_client, workspace):
    url = reverse("nap-import", kwargs={"workspace": workspace.slug})
    assert admin_client.get(url).status_code == 200
    upload = SimpleUploadedFile("draft.csv", CSV, content_type="text/csv")
    target = {
        "mode": "new",
        "title": "Imported NAP",
        "period_start": "2025",
        "period_end": "2029",
        "currency": "USD",
    }
    page = admin_client.post(url, {**target, "step": "", "file": upload})
    assert page.status_code == 200
    digest = page.context["digest"]
    assert page.context["step"] == "mapping"
    assert page.context["mapping"] == {"objective": 0, "output": 1, "activity": 2, "indicator": 3,
                                       "timeframe": 4, "lead": 5, "budget": 6}  # fmt: skip
    html = page.content.decode()
    assert 'name="map_lead"' in html and "Responsible" in html
    mapping = {f"map_{name}": str(index) for name, index in page.context["mapping"].items()}
    page = admin_client.post(url, {**target, **mapping, "digest": digest, "step": "preview"})
    assert page.status_code == 200 and page.context["step"] == "preview"
    html = page.content.decode()
    assert "Shelters open" in html and "Prosecution Office" in html and "Nothing has been saved yet." in html
    assert not ActionPlan.objects.exists()
    page = admin_client.post(url, {**target, **mapping, "digest": digest, "step": "apply"})
    assert page.status_code == 200 and page.context["step"] == "done"
    plan = ActionPlan.objects.get(title="Imported NAP")
    assert NapElement.objects.filter(plan=plan, level="activity").count() == 3
    assert AuditEntry.objects.filter(action="nap.import").count() == 1


def test_wizard_shows_problems_by_row_and_column_and_stores_nothing(admin_client, workspace):
    url = reverse("nap-import", kwargs={"workspace": workspace.slug})
    bad = CSV.replace(b'"120,000"', b"a lot")
    target = {"mode": "new", "title": "X", "period_start": "2025", "period_end": "2029", "currency": "USD"}
    page = admin_client.post(url, {**target, "step": "", "file": SimpleUploadedFile("bad.csv", bad)})
    mapping = {f"map_{name}": str(index) for name, index in page.context["mapping"].items()}
    page = admin_client.post(url, {**target, **mapping, "digest": page.context["digest"], "step": "preview"})
    html = page.content.decode()
    assert "Budget (USD) (G)" in html and "a lot" in html and 'value="apply"' not in html
    page = admin_client.post(url, {**target, **mapping, "digest": page.context["digest"], "step": "apply"})
    assert page.status_code == 400
    assert not ActionPlan.objects.exists() and not AuditEntry.objects.filter(action="nap.import").exists()


def test_wizard_in_french_and_refuses_unreadable_files(admin_client, workspace):
    url = reverse("nap-import", kwargs={"workspace": workspace.slug})
    page = admin_client.post(
        url, {"mode": "new", "title": "X", "period_start": "2025", "period_end": "2029", "step": "",
              "file": SimpleUploadedFile("empty.csv", b"")},
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    assert page.status_code == 400 and not ActionPlan.objects.exists()
    assert admin_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_imported_indicators_have_codes_unique_in_the_plan_and_can_be_edited(registry):
    from ctip.web.nap import services

    plan = apply(registry, example()).plan
    codes = list(NapIndicator.objects.filter(element__plan=plan).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 13
    indicator = NapIndicator.objects.filter(element__plan=plan).first()
    services.indicator_update(indicator=indicator, values={"name": "Renamed after import"}, acting_user=None)
    indicator.refresh_from_db()
    assert indicator.name == "Renamed after import"


def test_a_currency_written_in_words_falls_back_to_the_plans_and_frw_is_rwf():
    assert mi._currency_code("FRW", "USD") == "RWF"
    assert mi._currency_code("US Dollars", "RWF") == "RWF"
    assert mi._currency_code("usd", "RWF") == "USD"
