"""Every environment variable the settings read is documented in docs/settings.md."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_every_environment_variable_is_documented():
    read = set()
    for module in (ROOT / "src/ctip/web/config/settings").glob("*.py"):
        read |= set(re.findall(r'env\.[a-z_]+\(\s*"([A-Z_]+)"', module.read_text()))
    documented = set(re.findall(r"`([A-Z_]{4,})`", (ROOT / "docs/settings.md").read_text()))
    assert read, "no environment variables found: the pattern above is out of date"
    assert read - documented == set(), "add these to docs/settings.md"
