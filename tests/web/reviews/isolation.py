"""Real objects of the target workspace for the review routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from tests.web.reviews.factories import comment_make, nap_version_make, round_make


def isolation_parameters(workspace) -> dict[str, str]:
    version = nap_version_make(workspace)
    review_round = round_make(version)
    comment = comment_make(review_round)
    return {
        "review_version": str(version.uuid),
        "review_round": str(review_round.uuid),
        "review_comment": str(comment.uuid),
    }
