"""PLACEHOLDER replaced by the backup section of the trainings app."""

SECTION = "trainings"


def section_export(workspace):  # type: ignore[no-untyped-def]
    raise NotImplementedError


def section_import(workspace, data, id_maps):  # type: ignore[no-untyped-def]
    raise NotImplementedError
