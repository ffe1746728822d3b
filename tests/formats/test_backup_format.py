import json

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import BACKUP_VERSION, backup_envelope, backup_loads, backup_read, backup_write


def test_round_trip_through_a_file(tmp_path):
    document = backup_envelope(
        sections={"accounts": {"x": "Maurice"}}, created_at="2026-01-01T00:00:00+00:00", ctip_version="0"
    )
    path = tmp_path / "b.json"
    backup_write(document, path)
    assert backup_read(path) == document
    assert not (tmp_path / "b.json.partial").exists()


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("{not json", ErrorCode.BACKUP_FORMAT, "line 1, column 2"),
        ("[]", ErrorCode.BACKUP_FORMAT, "not a C-TIP Planner workspace backup"),
        (
            json.dumps({"format": "ctip-workspace-backup", "version": "one"}),
            ErrorCode.BACKUP_FORMAT,
            "version",
        ),
        (
            json.dumps({"format": "ctip-workspace-backup", "version": BACKUP_VERSION + 1}),
            ErrorCode.BACKUP_VERSION,
            "newer",
        ),
        (json.dumps({"format": "ctip-workspace-backup", "version": 1}), ErrorCode.BACKUP_FORMAT, "sections"),
    ],
)
def test_bad_files_get_specific_errors(text, code, fragment):
    with pytest.raises(DomainError) as caught:
        backup_loads(text, source="upload.json")
    assert caught.value.code is code
    assert fragment in str(caught.value)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(DomainError) as missing:
        backup_read(tmp_path / "nope.json")
    assert missing.value.code is ErrorCode.NOT_FOUND
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DomainError) as caught:
        backup_read(binary)
    assert "not UTF-8" in caught.value.message
