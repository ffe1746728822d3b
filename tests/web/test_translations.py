"""The French catalogue is complete: every string marked for translation in the code and templates has a
French translation, none is fuzzy, and every placeholder survives translation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CATALOGUE = ROOT / "src/ctip/web/locale/fr/LC_MESSAGES/django.po"


def entries(po_text: str) -> dict[str, str]:
    """msgid → msgstr (plural entries keyed by msgid, value the first plural form); header excluded."""
    result: dict[str, str] = {}
    for block in po_text.split("\n\n"):
        if re.search(r"^#~", block, re.MULTILINE):
            continue
        msgid = _joined(block, "msgid")
        if not msgid:
            continue
        result[msgid] = _joined(block, "msgstr") or _joined(block, r"msgstr\[0\]")
    return result


def _joined(block: str, keyword: str) -> str:
    match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block + "\n", re.MULTILINE)
    if not match:
        return ""
    return "".join(re.findall(r'"(.*)"', match.group(1)))


def test_every_entry_is_translated_and_none_is_fuzzy():
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1], "fuzzy translations must be checked and unflagged"
    untranslated = [msgid for msgid, msgstr in entries(text).items() if not msgstr]
    assert untranslated == []


def test_placeholders_survive_translation():
    for msgid, msgstr in entries(CATALOGUE.read_text(encoding="utf-8")).items():
        for pattern in (r"%\(\w+\)s", r"\{\{ ?\w+ ?\}\}"):
            assert sorted(re.findall(pattern, msgid)) == sorted(re.findall(pattern, msgstr)), msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is installed by `make messages`")
def test_the_catalogue_covers_every_marked_string(tmp_path):
    """Run makemessages on a copy of the source and compare its msgids with the committed catalogue."""
    copy = tmp_path / "ctip"
    shutil.copytree(ROOT / "src/ctip", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "fr",
            "--ignore=web/*/migrations/*",
            "--no-obsolete",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "ctip.web.config.settings.test",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
        },
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = entries((copy / "web/locale/fr/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    committed = entries(CATALOGUE.read_text(encoding="utf-8"))
    missing = sorted(set(fresh) - set(committed))
    assert missing == [], "run `make messages-update`, translate the new strings, commit django.po"
