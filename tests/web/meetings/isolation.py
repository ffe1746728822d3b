"""Real objects of the target workspace for the meetings routes' path parameters (see
tests/web/accounts/test_isolation.py)."""

from __future__ import annotations

from ctip.web.meetings import services
from tests.web.meetings.factories import meeting_make


def isolation_parameters(workspace) -> dict[str, str]:
    meeting = meeting_make(workspace, "Isolation meeting")
    attendee = services.attendee_add(workspace=workspace, meeting=meeting, name="A. Person", acting_user=None)
    decision = services.decision_add(workspace=workspace, meeting=meeting, text="Agreed.", acting_user=None)
    action = services.action_point_add(workspace=workspace, meeting=meeting, text="Do it.", acting_user=None)
    return {
        "meeting": str(meeting.uuid),
        "attendee": str(attendee.uuid),
        "decision": str(decision.uuid),
        "action": str(action.uuid),
    }
