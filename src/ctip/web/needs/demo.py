"""The TNA report, annex and validation deck of the demo workspace, for ``ctip demo`` to write.

The demo's survey answers, interviews and registry are fictional (see :mod:`ctip.web.tna.demo` and
:mod:`ctip.web.qualitative.demo`); the documents are written from them exactly as the report page writes
them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ctip.web.accounts.models import Workspace
from ctip.web.needs.data import default_instrument
from ctip.web.needs.report import needs_documents

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class DemoDocument:
    kind: str
    """The manifest's kind: ``tna-report``, ``tna-annex`` or ``tna-validation-deck``."""
    file_name: str
    title: str
    """In English, like the rest of the manifest."""
    content: bytes


def demo_needs_documents(workspace: Workspace) -> list[DemoDocument]:
    """The report and the deck in English and French, and the annex in English (French as well: its
    headings are translated). Empty when the workspace has no survey answers."""
    instrument = default_instrument(workspace)
    if instrument is None or not instrument.submissions.exists():
        return []
    found: list[DemoDocument] = []
    for language in LANGUAGES:
        documents = needs_documents(workspace, instrument, language=language)
        suffix = "" if language == "en" else f"-{language}"
        found += [
            DemoDocument(
                "tna-report", f"tna-report{suffix}.docx", f"TNA report ({language})", documents.docx
            ),
            DemoDocument(
                "tna-annex",
                f"tna-annex{suffix}.xlsx",
                f"TNA report annex: every table ({language})",
                documents.xlsx,
            ),
            DemoDocument(
                "tna-validation-deck",
                f"tna-validation-deck{suffix}.pptx",
                f"TNA validation workshop deck ({language})",
                documents.pptx,
            ),
        ]
    return found
