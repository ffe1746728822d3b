"""A workbook as LibreOffice computes it: the formula tests' independent check of live formulas."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import openpyxl
import pytest


def recalculated(tmp_path, content: bytes) -> openpyxl.Workbook:
    """The workbook as LibreOffice computes it (saved again by LibreOffice, read with its cached values)."""
    if shutil.which("soffice") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required on CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "in" / "workbook.xlsx"
    source.parent.mkdir()
    source.write_bytes(content)
    out = tmp_path / "out"
    profile = tmp_path / f"profile-{uuid.uuid4().hex}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return openpyxl.load_workbook(out / "workbook.xlsx", data_only=True)
