"""``ctip reviews``: the review and validation of deliverables from the command line.

    ctip reviews digest                     send the waiting review notifications, one email per person
    ctip reviews matrix --workspace W [--round UUID] [--format docx|xlsx] [--language fr] [--out FILE]

``digest`` is meant for a scheduler (e.g. hourly with cron): comments and responses are gathered into one
email per person rather than one per comment. ``matrix`` writes the comment matrix of a review round
(without ``--round``, the workspace's latest round). Exit status: 0 done, 2 bad input.
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import Any

from ctip.core.errors import DomainError, ErrorCode


def add_parser(commands: Any) -> None:
    reviews = commands.add_parser("reviews", help="review and validation of deliverables")
    actions = reviews.add_subparsers(dest="reviews_command", metavar="ACTION", required=True)
    digest = actions.add_parser(
        "digest",
        help="send the waiting review notifications as one email per person",
        description="Send every waiting review notification (comments that arrived, responses to "
        "comments) as one digest email per person and workspace. Run it from a scheduler.",
    )
    digest.set_defaults(handler=cmd_reviews_digest)
    matrix = actions.add_parser(
        "matrix",
        help="write the comment matrix of a review round",
        description="Write the comment matrix of a review round as Word or Excel: element, comment, "
        "reviewer, organisation, date, response, decision and the change that resolved it.",
    )
    matrix.add_argument("--workspace", required=True, metavar="SLUG", help="the workspace")
    matrix.add_argument("--round", metavar="UUID", help="the review round (default: the latest)")
    matrix.add_argument("--format", choices=("docx", "xlsx"), default="xlsx", help="xlsx (default) or docx")
    matrix.add_argument("--language", choices=("en", "fr"), default="en", help="en (default) or fr")
    matrix.add_argument("--out", metavar="FILE", help="the file to write (default: in the current folder)")
    matrix.set_defaults(handler=cmd_reviews_matrix)


def cmd_reviews_digest(args: argparse.Namespace) -> int:
    from ctip.web.reviews.services import notifications_send_digest

    sent = notifications_send_digest()
    print(f"{sent} digest email(s) sent.")
    return 0


def _round(workspace_slug: str, round_id: str | None) -> Any:
    from ctip.web.accounts.models import Workspace
    from ctip.web.reviews.models import ReviewRound

    workspace = Workspace.objects.filter(slug=workspace_slug).first()
    if workspace is None:
        known = ", ".join(Workspace.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        raise DomainError(
            ErrorCode.NOT_FOUND, f"There is no workspace '{workspace_slug}' (workspaces: {known})."
        )
    rounds = ReviewRound.objects.filter(workspace=workspace).select_related(
        "deliverable_version", "meeting", "workspace"
    )
    if round_id:
        try:
            wanted = uuid.UUID(round_id)
        except ValueError:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                f"'{round_id}' is not a round id: give the UUID shown on the round's page.",
            ) from None
        found = rounds.filter(uuid=wanted).first()
        if found is None:
            raise DomainError(
                ErrorCode.NOT_FOUND, f"The workspace '{workspace_slug}' has no review round {round_id}."
            )
        return found
    latest = rounds.order_by("-created_at").first()
    if latest is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"The workspace '{workspace_slug}' has no review round yet.")
    return latest


def cmd_reviews_matrix(args: argparse.Namespace) -> int:
    from django.urls import reverse

    from ctip.formats.review_documents import comment_matrix_docx, comment_matrix_xlsx
    from ctip.web.reviews.selectors import comment_matrix

    review_round = _round(args.workspace, args.round)
    compare_path = reverse("reviews-compare", kwargs={"workspace": review_round.workspace.slug})
    matrix = comment_matrix(review_round, language=args.language, compare_path=compare_path)
    content = comment_matrix_docx(matrix) if args.format == "docx" else comment_matrix_xlsx(matrix)
    out = Path(
        args.out
        or f"comment-matrix-{review_round.workspace.slug}-v{review_round.deliverable_version.number}-{args.language}.{args.format}"
    )
    out.write_bytes(content)
    print(f"Wrote {out} ({len(matrix.rows)} comments).")
    return 0
