"""The demo: fictional users and two country workspaces, then every document the product can generate.

All people, roles and figures here are fictional; agency names and laws are public facts. Running it again
reuses what exists and rewrites the documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from ctip.core.workspace_profile import WorkspaceProfile
from ctip.formats.backup import backup_write
from ctip.web.accounts import selectors, services
from ctip.web.accounts.models import Membership, User, Workspace
from ctip.web.workspace_backup import workspace_backup

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "ctip-demo-2026"

DEMO_WORKSPACES = [
    WorkspaceProfile(
        slug="mauritius",
        name="Mauritius C-TIP programme (demo)",
        country="MU",
        languages=("en", "fr", "mfe"),
        currency="MUR",
        fiscal_year_start_month=7,
        plan_start_year=2025,
        plan_end_year=2027,
    ),
    WorkspaceProfile(
        slug="rwanda",
        name="Rwanda C-TIP programme (demo)",
        country="RW",
        languages=("en", "fr", "rw"),
        currency="RWF",
        fiscal_year_start_month=7,
        plan_start_year=2025,
        plan_end_year=2027,
    ),
]

# (username, first name, last name, role in mauritius, role in rwanda) — fictional people
DEMO_PEOPLE = [
    ("coordinator", "Anjali", "Ramdin (fictional)", "coordinator", None),
    ("analyst", "Jean-Marc", "Lebrun (fictional)", "analyst", "analyst"),
    ("trainer", "Priya", "Seetohul (fictional)", "trainer", None),
    ("reviewer", "Olivier", "Nkurunziza (fictional)", None, "reviewer"),
    ("donor", "Sarah", "Miller (fictional)", "viewer", "viewer"),
]


@dataclass
class DemoResult:
    username: str
    password: str
    workspace_slugs: list[str]
    manifest_path: Path
    manifest: list[dict[str, str]] = field(default_factory=list)


def _demo_user(username: str, first: str, last: str, *, staff: bool = False) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return services.user_create(
        username=username,
        email=f"{username}@example.org",
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        is_staff=staff,
        acting_user=None,
    )


def _demo_workspace(profile: WorkspaceProfile, admin: User) -> Workspace:
    existing = Workspace.objects.filter(slug=profile.slug).first()
    if existing is not None:
        return existing
    workspace = services.workspace_create(profile=profile, admin=admin, acting_user=admin)
    # A realistic history for the audit log: the plan period was first drafted one year shorter.
    services.workspace_update(workspace=workspace, acting_user=admin, plan_end_year=profile.plan_end_year + 1)
    services.workspace_update(workspace=workspace, acting_user=admin, plan_end_year=profile.plan_end_year)
    return workspace


def _demo_programme(workspace: Workspace, admin: User) -> None:
    """The Mauritius programme's fictional data, app by app (each step is idempotent)."""
    from ctip.web.desk_review.demo import demo_desk_review
    from ctip.web.inception.demo import demo_inception
    from ctip.web.meetings.demo import demo_meetings
    from ctip.web.monitoring.demo import seed_monitoring
    from ctip.web.planning.demo_plan import demo_plan
    from ctip.web.qualitative.demo import demo_qualitative
    from ctip.web.stakeholders.demo import demo_stakeholders
    from ctip.web.tna.demo import demo_tna
    from ctip.web.trainings.demo import demo_trainings

    demo_stakeholders(workspace=workspace, acting_user=admin)
    demo_tna(workspace=workspace, acting_user=admin)
    demo_desk_review(workspace=workspace, acting_user=admin)
    demo_inception(workspace=workspace, acting_user=admin)
    demo_meetings(workspace=workspace, acting_user=admin)
    demo_qualitative(workspace=workspace, acting_user=admin)
    demo_plan(workspace=workspace, acting_user=admin)
    seed_monitoring(workspace, admin)
    demo_trainings(workspace=workspace, acting_user=admin)


def demo_build(*, out_dir: Path) -> DemoResult:
    with transaction.atomic():
        admin = _demo_user(DEMO_USERNAME, "Demo", "Administrator (fictional)", staff=True)
        workspaces = [_demo_workspace(profile, admin) for profile in DEMO_WORKSPACES]
        people = {row[0]: _demo_user(row[0], row[1], row[2]) for row in DEMO_PEOPLE}
        for username, _first, _last, *roles in DEMO_PEOPLE:
            for workspace, role in zip(workspaces, roles, strict=True):
                if (
                    role
                    and not Membership.objects.filter(workspace=workspace, user=people[username]).exists()
                ):
                    services.membership_add(
                        workspace=workspace, user=people[username], role=role, acting_user=admin
                    )
        _demo_programme(workspaces[0], admin)
        _demo_action_plan(workspaces[1], admin)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest: list[dict[str, str]] = []
    manifest.extend(_inception_documents(workspaces[0], out_dir))
    manifest.extend(_tna_documents(workspaces[0], out_dir))
    manifest.extend(_needs_documents(workspaces[0], out_dir))
    manifest.extend(_plan_documents(workspaces[0], out_dir))
    manifest.extend(_training_documents(workspaces[0], out_dir))
    manifest.extend(_nap_documents(workspaces[1], out_dir))
    manifest.extend(_review_documents(workspaces[1], out_dir))
    for workspace in workspaces:
        manifest.extend(_workspace_documents(workspace, admin, out_dir))
    manifest.append(_openapi_document(out_dir))
    manifest_path = out_dir / "manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return DemoResult(
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
        workspace_slugs=[workspace.slug for workspace in workspaces],
        manifest_path=manifest_path,
        manifest=manifest,
    )


def _demo_action_plan(workspace: Workspace, admin: User) -> None:
    from ctip.web.nap.demo import demo_nap

    demo_nap(workspace=workspace, acting_user=admin)
    from ctip.web.reviews.demo import demo_review

    demo_review(workspace=workspace, acting_user=admin)


def _review_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    from django.urls import reverse

    from ctip.web.reviews.demo import demo_review_documents

    compare_path = reverse("reviews-compare", kwargs={"workspace": workspace.slug})
    return demo_review_documents(workspace, out_dir, compare_path=compare_path)


def _nap_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    from ctip.web.nap.demo import demo_nap_documents

    return demo_nap_documents(workspace, out_dir)


def _training_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    from ctip.web.trainings.demo import demo_training_documents

    return demo_training_documents(workspace, out_dir)


def _entry(kind: str, path: Path, out_dir: Path, title: str) -> dict[str, str]:
    return {"kind": kind, "path": path.relative_to(out_dir).as_posix(), "title": title}


def _workspace_documents(workspace: Workspace, admin: User, out_dir: Path) -> list[dict[str, str]]:
    folder = out_dir / workspace.slug
    folder.mkdir(parents=True, exist_ok=True)
    backup_path = folder / "workspace-backup.json"
    backup_write(workspace_backup(workspace=workspace, acting_user=admin), backup_path)
    audit_path = folder / "audit-log.csv"
    audit_path.write_text(
        selectors.audit_csv(selectors.audit_entries(workspace)), encoding="utf-8", newline=""
    )
    return [
        _entry("workspace-backup", backup_path, out_dir, f"{workspace.name}: full workspace backup (JSON)"),
        _entry("audit-log", audit_path, out_dir, f"{workspace.name}: audit log (CSV)"),
    ]


def _inception_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    from ctip.web.inception.report import inception_documents

    folder = out_dir / workspace.slug
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []
    for language in ("en", "fr"):
        documents = inception_documents(workspace, language=language)
        suffix = "" if language == "en" else f"-{language}"
        report_path = folder / f"inception-report{suffix}.docx"
        report_path.write_bytes(documents.docx)
        deck_path = folder / f"inception-meeting-deck{suffix}.pptx"
        deck_path.write_bytes(documents.pptx)
        entries += [
            _entry(
                "inception-report", report_path, out_dir, f"{workspace.name}: inception report ({language})"
            ),
            _entry(
                "inception-deck", deck_path, out_dir, f"{workspace.name}: inception meeting deck ({language})"
            ),
        ]
    return entries


TNA_DOCUMENT_KINDS = {
    "tna-survey-xlsform": ("tna-xlsform", "TNA survey questionnaire (XLSForm for KoboToolbox / ODK)"),
    "tna-questionnaire": ("tna-questionnaire", "TNA survey questionnaire, printable"),
    "tna-interview-guide": ("tna-interview-guide", "TNA key-informant interview guide"),
    "tna-focus-group-guide": ("tna-focus-group-guide", "TNA focus-group discussion guide"),
}


def _tna_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    from ctip.web.tna.demo import demo_tna_documents

    folder = out_dir / workspace.slug
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []
    for name, content in sorted(demo_tna_documents(workspace).items()):
        path = folder / name
        path.write_bytes(content)
        stem = path.stem
        language = ""
        for suffix in ("-en", "-fr"):
            if stem.endswith(suffix):
                stem, language = stem[: -len(suffix)], suffix[1:]
        kind, title = TNA_DOCUMENT_KINDS.get(stem, (stem, stem))
        entries.append(
            _entry(kind, path, out_dir, f"{workspace.name}: {title}" + (f" ({language})" if language else ""))
        )
    return entries


def _needs_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    from ctip.web.needs.demo import demo_needs_documents

    folder = out_dir / workspace.slug
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []
    for document in demo_needs_documents(workspace):
        path = folder / document.file_name
        path.write_bytes(document.content)
        entries.append(_entry(document.kind, path, out_dir, f"{workspace.name}: {document.title}"))
    return entries


def _plan_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    from ctip.web.planning.demo_documents import demo_plan_documents

    folder = out_dir / workspace.slug
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []
    for document in demo_plan_documents(workspace):
        path = folder / document.file_name
        path.write_bytes(document.content)
        entries.append(_entry(document.kind, path, out_dir, f"{workspace.name}: {document.title}"))
    return entries


def _openapi_document(out_dir: Path) -> dict[str, str]:
    from ctip.web.api import api

    schema: dict[str, Any] = api.get_openapi_schema()
    path = out_dir / "openapi.json"
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return _entry("api-schema", path, out_dir, "C-TIP Planner REST API: OpenAPI schema")
