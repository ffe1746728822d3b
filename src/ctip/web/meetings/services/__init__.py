"""Every state change of meetings: the meeting itself, attendance (by hand or from a sign-in sheet),
decisions and action points. Each service checks ``edit_content``, validates, writes and audits in one
transaction."""

from ctip.web.meetings.services.attendance_import import (
    AttendanceImport,
    AttendanceImportRow,
    attendance_import_apply,
    attendance_import_preview,
)
from ctip.web.meetings.services.meetings import (
    action_point_add,
    action_point_remove,
    action_point_update,
    attendee_add,
    attendee_remove,
    attendee_update,
    decision_add,
    decision_remove,
    meeting_create,
    meeting_delete,
    meeting_update,
)

__all__ = [
    "AttendanceImport",
    "AttendanceImportRow",
    "action_point_add",
    "action_point_remove",
    "action_point_update",
    "attendance_import_apply",
    "attendance_import_preview",
    "attendee_add",
    "attendee_remove",
    "attendee_update",
    "decision_add",
    "decision_remove",
    "meeting_create",
    "meeting_delete",
    "meeting_update",
]
