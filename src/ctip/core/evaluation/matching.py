"""Matching pre- and post-test results by participant id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Matching:
    pre: int
    post: int
    matched: tuple[str, ...]
    """Ids in both, in the pre-test's order."""
    missing_post: tuple[str, ...]
    """Ids in the pre-test only (no post-test)."""
    missing_pre: tuple[str, ...]
    """Ids in the post-test only (no pre-test)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "pre": self.pre,
            "post": self.post,
            "matched": len(self.matched),
            "missing_post": list(self.missing_post),
            "missing_pre": list(self.missing_pre),
        }


def match_ids(pre: Iterable[str], post: Iterable[str]) -> Matching:
    """Which ids are in both lists, and which in one only (each list's order kept)."""
    pre_ids = list(dict.fromkeys(pre))
    post_ids = list(dict.fromkeys(post))
    in_post = set(post_ids)
    in_pre = set(pre_ids)
    return Matching(
        pre=len(pre_ids),
        post=len(post_ids),
        matched=tuple(pid for pid in pre_ids if pid in in_post),
        missing_post=tuple(pid for pid in pre_ids if pid not in in_post),
        missing_pre=tuple(pid for pid in post_ids if pid not in in_pre),
    )
