"""The ``ctip`` command. Thin: parses arguments, sets Django up, calls services; prints clear errors.

Run ``ctip --help`` or ``ctip COMMAND --help``; docs/cli.md is generated from this help text.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ctip import (
    cli_analyze,
    cli_evaluate,
    cli_nap_export,
    cli_nap_import,
    cli_plan,
    cli_plan_optimize,
    cli_reviews,
)
from ctip.core.errors import DomainError

if TYPE_CHECKING:
    from ctip.web.accounts.models import User, Workspace
    from ctip.web.tna.models import SurveyInstrument

DEFAULT_SETTINGS = "ctip.web.config.settings.development"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _user(username: str) -> User:
    from ctip.web.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise _not_found(f"There is no user '{username}'. Create it with: ctip user add {username}")
    return user


def _workspace(slug: str) -> Workspace:
    from ctip.web.accounts.models import Workspace

    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        known = ", ".join(Workspace.objects.values_list("slug", flat=True)) or "none yet"
        raise _not_found(f"There is no workspace '{slug}' (workspaces: {known}).")
    return workspace


def _only_workspace() -> Workspace:
    from ctip.core.errors import ErrorCode
    from ctip.web.accounts.models import Workspace

    slugs = list(Workspace.objects.order_by("slug").values_list("slug", flat=True))
    if len(slugs) != 1:
        raise DomainError(
            ErrorCode.REQUIRED,
            f"Say which workspace to back up with --workspace ({', '.join(slugs) or 'there are none yet'}).",
        )
    return Workspace.objects.get()


def _not_found(message: str) -> DomainError:
    from ctip.core.errors import ErrorCode

    return DomainError(ErrorCode.NOT_FOUND, message)


# --- commands -------------------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from ctip.web.demo import demo_build

    _migrate()
    with cli_plan.solver_output_hidden():  # the demo solves its plan: keep HiGHS's banner off the output
        result = demo_build(out_dir=Path(args.out))
    print(
        f"Demo workspaces ready: {', '.join(result.workspace_slugs)} (all people and figures are fictional)."
    )
    print(f"{len(result.manifest)} documents written; list in {result.manifest_path}")
    print(f"Sign in as '{result.username}' with password '{result.password}'.")
    if args.no_serve:
        return 0
    return _serve(args.host, args.port)


def _serve(host: str, port: int) -> int:
    from django.core.management import call_command

    print(f"Serving C-TIP Planner at http://{host}:{port}/ — press Ctrl+C to stop.", flush=True)
    call_command("runserver", f"{host}:{port}", use_reloader=False)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _migrate()
    return _serve(args.host, args.port)


def cmd_migrate(args: argparse.Namespace) -> int:
    _migrate(verbosity=1)
    return 0


def cmd_workspace_create(args: argparse.Namespace) -> int:
    from ctip.core.workspace_profile import WorkspaceProfile
    from ctip.web.accounts.services import workspace_create

    admin = _user(args.admin) if args.admin else None
    profile = WorkspaceProfile(
        slug=args.slug,
        name=args.name,
        country=args.country,
        languages=tuple(code for code in args.languages.split(",") if code.strip()),
        currency=args.currency,
        fiscal_year_start_month=args.fiscal_year_start,
        plan_start_year=args.plan_start,
        plan_end_year=args.plan_end,
    )
    workspace = workspace_create(profile=profile, admin=admin, acting_user=None)
    print(f"Created workspace '{workspace.slug}' ({workspace.name}).")
    if admin is None:
        print(f"It has no administrator yet: ctip member add {workspace.slug} USERNAME admin")
    return 0


def cmd_workspace_list(args: argparse.Namespace) -> int:
    from ctip.web.accounts.models import Workspace

    for workspace in Workspace.objects.order_by("slug"):
        print(
            f"{workspace.slug}\t{workspace.name}\t{workspace.country}\t{workspace.plan_start_year}–{workspace.plan_end_year}"
        )
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from ctip.web.accounts.services import user_create

    password: str | None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.username}: ")
        if password != getpass.getpass("Again: "):
            print("error: the two passwords differ; nothing was created.", file=sys.stderr)
            return 2
    else:
        password = None
    user = user_create(
        username=args.username,
        email=args.email,
        password=password,
        first_name=args.first_name,
        last_name=args.last_name,
        is_staff=args.staff,
        acting_user=None,
    )
    print(f"Created user '{user.username}'.")
    if password is None:
        print(
            "No password set: the user signs in after 'Forgotten your password?' (needs an e-mail address)."
        )
    return 0


def cmd_member_add(args: argparse.Namespace) -> int:
    from ctip.web.accounts.services import membership_add

    membership = membership_add(
        workspace=_workspace(args.workspace), user=_user(args.username), role=args.role, acting_user=None
    )
    print(f"{membership.user.username} is now {membership.role} in {membership.workspace.slug}.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from ctip.formats.backup import backup_write
    from ctip.web.workspace_backup import workspace_backup

    workspace = _workspace(args.workspace) if args.workspace else _only_workspace()
    document = workspace_backup(workspace=workspace, acting_user=None)
    backup_write(document, Path(args.file))
    print(f"Backed up workspace '{workspace.slug}' to {args.file}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ctip.formats.backup import backup_read
    from ctip.web.workspace_backup import workspace_restore

    _migrate()
    workspace = workspace_restore(document=backup_read(Path(args.file)), acting_user=None)
    print(f"Restored workspace '{workspace.slug}' ({workspace.name}) from {args.file}.")
    return 0


def cmd_stakeholders_import(args: argparse.Namespace) -> int:
    from ctip.web.stakeholders.services import (
        CREATE,
        UPDATE,
        stakeholder_import_apply,
        stakeholder_import_preview,
    )

    workspace = _workspace(args.workspace)
    path = Path(args.file)
    if not path.is_file():
        raise _not_found(f"There is no file at {path}.")
    data = path.read_bytes()
    if args.dry_run:
        preview = stakeholder_import_preview(
            workspace=workspace, data=data, filename=path.name, acting_user=None
        )
    else:
        preview = stakeholder_import_apply(
            workspace=workspace, data=data, filename=path.name, acting_user=None
        ).preview
    created = sum(1 for row in preview.rows if row.action == CREATE)
    updated = sum(1 for row in preview.rows if row.action == UPDATE)
    unchanged = len(preview.rows) - created - updated
    verb = "Would create" if args.dry_run else "Created"
    print(f"{verb} {created}, updated {updated}, left {unchanged} unchanged ({path.name}).")
    for row in preview.rows:
        if row.action == UPDATE:
            changes = "; ".join(f"{c.column}: {c.before!r} → {c.after!r}" for c in row.changes)
            print(f"  row {row.row} {row.key}: {changes}")
    return 0


def cmd_report_inception(args: argparse.Namespace) -> int:
    from ctip.web.inception.report import inception_documents

    workspace = _workspace(args.workspace)
    documents = inception_documents(workspace, language=args.language)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(documents.docx)
    print(f"Wrote the inception report to {out}.")
    if args.deck:
        deck = Path(args.deck)
        deck.parent.mkdir(parents=True, exist_ok=True)
        deck.write_bytes(documents.pptx)
        print(f"Wrote the inception meeting deck to {deck}.")
    return 0


def _tna_instrument(workspace: Workspace, instrument: str | None) -> SurveyInstrument:
    from ctip.web.tna import selectors

    return selectors.instrument_chosen(workspace, instrument)


def cmd_tna_import(args: argparse.Namespace) -> int:
    from ctip.web.tna import services

    workspace = _workspace(args.workspace)
    path = Path(args.file)
    if not path.is_file():
        raise _not_found(f"There is no file at {path}.")
    mapping = None
    instrument = None
    if args.mapping:
        saved = services.column_mapping_named(workspace=workspace, name=args.mapping)
        mapping = saved.mapping
        instrument = saved.instrument if not args.instrument else None
    if instrument is None:
        instrument = _tna_instrument(workspace, args.instrument)
    result = services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=path.read_bytes(),
        filename=path.name,
        mapping=mapping,
        valid_rows_only=args.valid_rows_only,
        acting_user=None,
    )
    print(
        f"{path.name}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
        f"{result.rejected} rejected."
    )
    if result.rejected_rows_csv:
        rejected = path.with_name(f"{path.stem}-rejected.csv")
        rejected.write_bytes(result.rejected_rows_csv)
        print(f"The rejected rows, with the reason in a 'problem' column, are in {rejected}.")
    return 0


def cmd_tna_instrument(args: argparse.Namespace) -> int:
    from ctip.web.tna import documents

    workspace = _workspace(args.workspace)
    out = Path(args.xlsform)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(documents.instrument_xlsform(_tna_instrument(workspace, args.instrument)))
    print(f"Wrote the XLSForm to {out}; upload it to KoboToolbox or ODK Central.")
    return 0


def cmd_tna_pull_kobo(args: argparse.Namespace) -> int:
    import os

    from ctip.web.tna import services

    workspace = _workspace(args.workspace)
    token = os.environ.get(args.token_env, "")
    if not token:
        raise _not_found(
            f"The environment variable {args.token_env} is empty; put the KoboToolbox API token in it."
        )
    instrument = _tna_instrument(workspace, args.instrument) if args.instrument else None
    connection = services.kobo_connection_ensure(
        workspace=workspace,
        server_url=args.server,
        asset_uid=args.asset,
        instrument=instrument,
        acting_user=None,
    )

    def progress(done: int, total: int | None) -> None:
        print(f"\r  {done} of {total if total is not None else '?'} submissions received", end="", flush=True)

    outcome = services.kobo_pull(
        workspace=workspace, connection=connection, token=token, acting_user=None, on_progress=progress
    )
    print()
    result = outcome.result
    if result is None:
        print("No new submissions.")
    else:
        print(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, {result.rejected} rejected."
        )
    return 0


# --- parser ---------------------------------------------------------------------------------------------


def cmd_plan_optimize(args: argparse.Namespace) -> int:
    return cli_plan_optimize.cmd_plan_optimize(args, _workspace(args.workspace))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctip",
        description="C-TIP Planner: counter-trafficking capacity development and national action planning.",
        epilog="The database is DATABASE_URL (default: SQLite in ./var/). See docs/settings.md.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser(
        "demo",
        help="build the demo workspaces, write every document the product can generate, then serve",
        description="Migrate the database, build fictional demo workspaces (Mauritius, Rwanda), write every "
        "document the product can generate into --out with a manifest.json listing them, print the demo "
        "sign-in, and serve the web app until interrupted (unless --no-serve). Safe to run again.",
    )
    demo.add_argument("--out", default="out", help="folder for the generated documents (default: out)")
    demo.add_argument("--no-serve", action="store_true", help="do everything but serve the web app")
    _add_server_arguments(demo)
    demo.set_defaults(handler=cmd_demo)

    serve = commands.add_parser(
        "serve",
        help="serve the web app (development server)",
        description="Apply migrations, then serve the web app. For production, run gunicorn with "
        "ctip.web.config.wsgi and DJANGO_SETTINGS_MODULE=ctip.web.config.settings.production.",
    )
    _add_server_arguments(serve)
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="create or upgrade the database tables")
    migrate.set_defaults(handler=cmd_migrate)

    workspace = commands.add_parser(
        "workspace", help="create and list workspaces (one per country programme)"
    )
    workspace_commands = workspace.add_subparsers(dest="workspace_command", metavar="ACTION", required=True)
    create = workspace_commands.add_parser(
        "create",
        help="create a workspace",
        description="Create a workspace for one country programme. Codes are checked: country ISO 3166 "
        "(MU, RW), languages ISO 639 (en, fr, mfe, rw), currency ISO 4217 (MUR, RWF).",
    )
    create.add_argument("--slug", required=True, help="web address name, e.g. mauritius")
    create.add_argument("--name", required=True, help="programme name")
    create.add_argument("--country", required=True, help="ISO 3166 two-letter code, e.g. MU")
    create.add_argument("--languages", default="en,fr", help="comma-separated ISO 639 codes (default: en,fr)")
    create.add_argument("--currency", default="USD", help="ISO 4217 code (default: USD)")
    create.add_argument("--fiscal-year-start", type=int, default=1, help="month the fiscal year starts, 1–12")
    create.add_argument("--plan-start", type=int, required=True, help="first year of the plan period")
    create.add_argument("--plan-end", type=int, required=True, help="last year of the plan period")
    create.add_argument("--admin", help="username of the first administrator")
    create.set_defaults(handler=cmd_workspace_create)
    listing = workspace_commands.add_parser("list", help="list workspaces")
    listing.set_defaults(handler=cmd_workspace_list)

    user = commands.add_parser("user", help="manage user accounts")
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_commands.add_parser(
        "add",
        help="create a user account",
        description="Create a user. The password is asked for at the terminal, or read from standard input "
        "with --password-stdin; without either the account has no password until reset by e-mail.",
    )
    add.add_argument("username")
    add.add_argument("--email", default="", help="e-mail address (needed for password reset)")
    add.add_argument("--first-name", default="")
    add.add_argument("--last-name", default="")
    add.add_argument("--staff", action="store_true", help="may create workspaces")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(handler=cmd_user_add)

    member = commands.add_parser("member", help="manage workspace memberships")
    member_commands = member.add_subparsers(dest="member_command", metavar="ACTION", required=True)
    member_add = member_commands.add_parser("add", help="give a user a role in a workspace")
    member_add.add_argument("workspace", help="workspace slug")
    member_add.add_argument("username")
    member_add.add_argument(
        "role", choices=["admin", "coordinator", "analyst", "trainer", "reviewer", "viewer"], help="the role"
    )
    member_add.set_defaults(handler=cmd_member_add)

    backup = commands.add_parser(
        "backup",
        help="write a full, versioned JSON backup of a workspace",
        description="Write everything one workspace holds (details, members' accounts with password hashes, "
        "roles, audit log, and all later data) to FILE as versioned JSON. Keep backups safe: they hold "
        "personal data.",
    )
    backup.add_argument("file", help="the backup file to write")
    backup.add_argument(
        "--workspace", help="slug of the workspace to back up (may be left out when there is only one)"
    )
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="restore a workspace from a backup file",
        description="Recreate the workspace in FILE in this database (which must not already hold it). All or "
        "nothing: a damaged file changes nothing. Users that already exist (same username) are kept as they are.",
    )
    restore.add_argument("file", help="a file written by ctip backup")
    restore.set_defaults(handler=cmd_restore)

    stakeholders = commands.add_parser("stakeholders", help="the stakeholder registry")
    stakeholder_commands = stakeholders.add_subparsers(
        dest="stakeholders_command", metavar="ACTION", required=True
    )
    stakeholder_import = stakeholder_commands.add_parser(
        "import",
        help="import organisations from a CSV or XLSX file",
        description="Import organisations into a workspace's registry from CSV (comma or semicolon) or XLSX, "
        "with the columns of the import template (download it from the registry's Import page). All or "
        "nothing: any problem is reported with its row and column, and nothing is saved. Rows are matched "
        "by id or acronym, so importing the same file again changes nothing.",
    )
    stakeholder_import.add_argument("file", help="the CSV or XLSX file")
    stakeholder_import.add_argument("--workspace", required=True, help="workspace slug")
    stakeholder_import.add_argument(
        "--dry-run", action="store_true", help="show what would change, save nothing"
    )
    stakeholder_import.set_defaults(handler=cmd_stakeholders_import)

    report = commands.add_parser("report", help="generate reports and decks from a workspace")
    report_commands = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    inception = report_commands.add_parser(
        "inception",
        help="the inception report (DOCX) and, with --deck, the inception meeting deck (PPTX)",
        description="Generate the inception report from the workspace: background, objectives, methodology "
        "with the sampling plan, stakeholder mapping, literature review, legal review and gaps, timeline, "
        "tools and risks. Uses the workspace's own Word template when one was uploaded.",
    )
    inception.add_argument("--workspace", required=True, help="workspace slug")
    inception.add_argument("--out", required=True, help="the .docx file to write")
    inception.add_argument("--deck", help="also write the meeting deck to this .pptx file")
    inception.add_argument("--language", choices=["en", "fr"], default="en", help="language (default: en)")
    inception.set_defaults(handler=cmd_report_inception)

    tna = commands.add_parser("tna", help="training needs assessment: instruments and survey data")
    tna_commands = tna.add_subparsers(dest="tna_command", metavar="ACTION", required=True)
    tna_import = tna_commands.add_parser(
        "import",
        help="import survey answers (KoboToolbox or ODK export, or any CSV/XLSX with a saved mapping)",
        description="Import survey answers into a workspace. KoboToolbox CSV/XLSX and ODK Central CSV/zip "
        "exports are recognised; other files need a column mapping saved on the import page (--mapping). "
        "All or nothing unless --valid-rows-only, which imports the valid rows and writes the rejected ones, "
        "with the reason, next to the file. Importing the same export again changes nothing.",
    )
    tna_import.add_argument("file", help="the export file")
    tna_import.add_argument("--workspace", required=True, help="workspace slug")
    tna_import.add_argument(
        "--instrument", help="survey instrument id (may be left out when there is only one)"
    )
    tna_import.add_argument("--mapping", help="name of a saved column mapping")
    tna_import.add_argument(
        "--valid-rows-only", action="store_true", help="import the valid rows, write the rest"
    )
    tna_import.set_defaults(handler=cmd_tna_import)
    tna_instrument = tna_commands.add_parser(
        "instrument", help="write a survey instrument as an XLSForm for KoboToolbox or ODK Central"
    )
    tna_instrument.add_argument("--workspace", required=True, help="workspace slug")
    tna_instrument.add_argument("--xlsform", required=True, help="the .xlsx file to write")
    tna_instrument.add_argument(
        "--instrument", help="survey instrument id (may be left out when there is only one)"
    )
    tna_instrument.set_defaults(handler=cmd_tna_instrument)
    pull = tna_commands.add_parser(
        "pull-kobo",
        help="fetch new submissions from the KoboToolbox API",
        description="Fetch the submissions newer than the last pull from a KoboToolbox project (API v2, pages "
        "of up to 1,000, retried on server errors) and import them like an export file. The API token is "
        "read from the environment variable named by --token-env and never stored.",
    )
    pull.add_argument("--workspace", required=True, help="workspace slug")
    pull.add_argument("--server", required=True, help="e.g. https://kf.kobotoolbox.org")
    pull.add_argument("--asset", required=True, help="the project's asset uid")
    pull.add_argument("--token-env", required=True, help="name of the environment variable holding the token")
    pull.add_argument(
        "--instrument", help="survey instrument id (needed the first time when there are several)"
    )
    pull.set_defaults(handler=cmd_tna_pull_kobo)
    cli_analyze.add_parser(tna_commands)
    plan_commands = cli_plan.add_parser(commands)
    cli_plan_optimize.add_optimize_parser(plan_commands, cmd_plan_optimize)
    cli_evaluate.add_parser(commands)
    nap_actions = cli_nap_export.add_parser(commands)
    cli_nap_import.add_import_parser(nap_actions)
    cli_reviews.add_parser(commands)

    manage = commands.add_parser(
        "manage", help="run a Django management command (e.g. ctip manage check --deploy)"
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=None)
    return parser


def _add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "manage":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ctip manage", *args.arguments])
        return 0
    handler: Callable[[argparse.Namespace], int] = args.handler
    uses_database = getattr(args, "uses_database", True)  # ctip tna analyze, ctip evaluate: files only
    if uses_database:
        _setup_django()
    try:
        if uses_database:
            _migrate()  # every command works on a fresh database: create or upgrade the tables first
        return handler(args)
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem.location}: {problem.message}", file=sys.stderr)
        return 2
