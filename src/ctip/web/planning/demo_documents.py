"""The capacity development plan, its workbook and its deck for the demo workspace, for ``ctip demo`` to
write: the adopted scenario's documents, written exactly as the plan documents page writes them."""

from __future__ import annotations

from ctip.web.accounts.models import Workspace
from ctip.web.needs.demo import DemoDocument
from ctip.web.planning.models import PlanSession
from ctip.web.planning.report import adopted_scenario, plan_documents

LANGUAGES = ("en", "fr")


def demo_plan_documents(workspace: Workspace) -> list[DemoDocument]:
    """The plan, the workbook and the deck in English and French; empty when the workspace has no adopted
    scenario or the adopted scenario has no sessions."""
    scenario = adopted_scenario(workspace)
    if scenario is None or not PlanSession.objects.filter(scenario=scenario).exists():
        return []
    found: list[DemoDocument] = []
    for language in LANGUAGES:
        documents = plan_documents(workspace, scenario, language=language)
        suffix = "" if language == "en" else f"-{language}"
        found += [
            DemoDocument(
                "capacity-plan",
                f"capacity-plan{suffix}.docx",
                f"Capacity development plan ({language})",
                documents.docx,
            ),
            DemoDocument(
                "capacity-plan-workbook",
                f"capacity-plan{suffix}.xlsx",
                f"Capacity development plan workbook: schedule, seats, budget, targets ({language})",
                documents.xlsx,
            ),
            DemoDocument(
                "capacity-plan-deck",
                f"capacity-plan-deck{suffix}.pptx",
                f"Capacity development plan validation deck ({language})",
                documents.pptx,
            ),
        ]
    return found
