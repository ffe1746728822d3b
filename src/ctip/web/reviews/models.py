"""Models of review and validation (issue 9): versions of a deliverable with the snapshot of their
structured content, review rounds tied to meetings, reviewers invited by email, the comments with their
responses and decisions, and the notifications waiting for the next digest.

Fields and constraints only; every change goes through ``services/``; the rules are in
``ctip.core.review``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctip.core.review.workflow import DECISION_LABELS, STATUS_LABELS
from ctip.web.accounts.models import User, Workspace, WorkspaceOwned
from ctip.web.meetings.models import Meeting

DELIVERABLE_CHOICES = [
    ("inception_report", _("Inception report")),
    ("tna_report", _("TNA report")),
    ("capacity_plan", _("Capacity development plan")),
    ("nap", _("National Action Plan")),
]
VERSION_STATUS_CHOICES = [(status.value, _(label)) for status, label in STATUS_LABELS.items()]
DECISION_CHOICES = [(decision.value, _(label)) for decision, label in DECISION_LABELS.items()]
ROUND_STATUS_CHOICES = [("open", _("Open")), ("closed", _("Closed"))]


class DeliverableVersion(WorkspaceOwned):
    """Version ``number`` of a deliverable: the snapshot of its structured content when it was saved."""

    deliverable = models.CharField(_("deliverable"), max_length=40, choices=DELIVERABLE_CHOICES)
    subject = models.CharField(_("subject"), max_length=64, blank=True)
    """Which one, when a workspace has several of the deliverable (a NAP's UUID); empty otherwise."""
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=250)
    status = models.CharField(_("status"), max_length=20, choices=VERSION_STATUS_CHOICES, default="draft")
    note = models.TextField(_("what changed"), blank=True)
    elements = models.JSONField(default=list, editable=False)
    """``ctip.core.review.diff.element_to_json`` of every element, in the deliverable's order."""
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    author_label = models.CharField(_("author"), max_length=200)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    validation_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validation meeting"),
    )
    validation_decision = models.TextField(_("decision of the validation meeting"), blank=True)
    validation_conditions = models.TextField(_("conditions"), blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["deliverable", "subject", "-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "deliverable", "subject", "number"], name="review_version_number_unique"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="review_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class ReviewRound(WorkspaceOwned):
    """One round of comments on a version, usually tied to a meeting (a Technical Committee workshop)."""

    deliverable_version = models.ForeignKey(
        DeliverableVersion, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("version")
    )
    """The version under review (``version`` is the round's own optimistic-lock number)."""
    title = models.CharField(_("title"), max_length=250)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("meeting")
    )
    due_date = models.DateField(_("comments due by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ROUND_STATUS_CHOICES, default="open")
    opened_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    reviewers = models.ManyToManyField(User, blank=True, related_name="+", verbose_name=_("reviewers"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")

    def __str__(self) -> str:
        return self.title


class ReviewerInvitation(WorkspaceOwned):
    """An invitation by email to join the workspace as a reviewer (and this round's reviewers). Only a
    SHA-256 hash of the link's secret is stored."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=250, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reviewer invitation")
        verbose_name_plural = _("reviewer invitations")

    def __str__(self) -> str:
        return self.email


class ReviewComment(WorkspaceOwned):
    """A reviewer's comment on one element (or, with no element, on the document as a whole), and the
    author's response, decision and the change that resolved it."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments")
    number = models.PositiveIntegerField(_("number"))
    element_id = models.CharField(_("element"), max_length=100, blank=True)
    element_kind = models.CharField(max_length=40, blank=True)
    element_label = models.CharField(max_length=300, blank=True)
    text = models.TextField(_("comment"))
    reviewer = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewer_label = models.CharField(_("reviewer"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=250, blank=True)
    response = models.TextField(_("response"), blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=DECISION_CHOICES, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    responded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    resolved_in = models.ForeignKey(
        DeliverableVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    """The version whose changes resolved the comment (the diff from the round's version to it)."""
    resolved_element_id = models.CharField(max_length=100, blank=True)
    """The element whose change in that diff resolved the comment (the link's anchor)."""

    class Meta:
        ordering = ["round", "number"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="review_comment_number_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.text[:60]}"


class PendingNotification(models.Model):
    """One line of the next email digest to ``recipient`` (a round opened, a comment arrived, …)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    line = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.line[:80]
