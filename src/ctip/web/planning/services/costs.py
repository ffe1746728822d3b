"""Costs by location of the module catalogue: which places the workspace has, which of them are remote,
and the default costs a module gets at a place (see ``services/catalogue.py`` for the rules). Reads and
pure helpers only; the writes are in ``services/catalogue.py``."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from ctip.core.errors import FieldProblem, _
from ctip.core.planning.catalogue import CatalogueModule, Cost, default_module
from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import PlanSegment, TrainingModule
from ctip.web.stakeholders.models import Organisation

REMOTE_NAMES = ("rodrigues", "agalega", "st brandon", "saint-brandon", "saint brandon", "cargados carajos")
"""Parts of place names that mark a remote location (compared without accents or case)."""
LOCATION_MAX_LENGTH = 100


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())


def is_remote_name(location: str) -> bool:
    plain = _plain(location)
    return any(name in plain for name in REMOTE_NAMES)


def module_costs(row: TrainingModule) -> dict[str, Cost]:
    """The module's costs by location."""
    return {
        str(location): Cost(float(entry.get("session", 0) or 0), float(entry.get("participant", 0) or 0))
        for location, entry in sorted((row.costs or {}).items())
        if isinstance(entry, dict)
    }


def workspace_locations(workspace: Workspace) -> list[str]:
    """The places of the registry's organisations and of the plan's segments, sorted."""
    places = set(
        Organisation.objects.filter(workspace=workspace)
        .exclude(location="")
        .values_list("location", flat=True)
    )
    places |= set(PlanSegment.objects.filter(workspace=workspace).values_list("location", flat=True))
    return sorted({place.strip() for place in places if place.strip()}, key=str.casefold)


def catalogue_locations(workspace: Workspace) -> dict[str, bool]:
    """Every location that appears in the catalogue's costs → whether it is remote."""
    found: dict[str, bool] = {}
    for costs in TrainingModule.objects.filter(workspace=workspace).values_list("costs", flat=True):
        for location, entry in (costs or {}).items():
            marked = bool(isinstance(entry, dict) and entry.get("remote"))
            found[location] = found.get(location, False) or marked or is_remote_name(location)
    return dict(sorted(found.items(), key=lambda item: item[0].casefold()))


def cost_entry(cost: Cost, *, remote: bool, factor: float = 1.0) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "session": round(cost.session * factor, 2),
        "participant": round(cost.participant * factor, 2),
    }
    if remote:
        entry["remote"] = True
    return entry


def default_costs(
    module: CatalogueModule, locations: Iterable[str], remote: Collection[str], factor: float
) -> dict[str, dict[str, Any]]:
    return {
        location: cost_entry(
            module.cost_for(remote=location in remote), remote=location in remote, factor=factor
        )
        for location in locations
    }


def costs_for_new_location(row: TrainingModule, location: str, *, remote: bool) -> dict[str, Any] | None:
    default = default_module(row.code)
    if default is not None:
        return cost_entry(default.cost_for(remote=remote), remote=remote)
    same_kind = [
        entry
        for place, entry in sorted((row.costs or {}).items())
        if isinstance(entry, dict) and (bool(entry.get("remote")) or is_remote_name(place)) == remote
    ]
    if not same_kind:
        return None
    return {
        "session": same_kind[0].get("session", 0),
        "participant": same_kind[0].get("participant", 0),
        **({"remote": True} if remote else {}),
    }


def clean_costs(value: object, problems: list[FieldProblem]) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping):
        problems.append(
            FieldProblem("costs", _("Give the costs as location → session and participant costs."))
        )
        return {}
    cleaned: dict[str, dict[str, Any]] = {}
    for location, entry in value.items():
        name = " ".join(str(location).split())
        where = f"costs[{name}]"
        if not name or len(name) > LOCATION_MAX_LENGTH:
            problems.append(
                FieldProblem(
                    "costs",
                    _("Each location needs a name of at most %(limit)s characters."),
                    {"limit": LOCATION_MAX_LENGTH},
                )
            )
            continue
        if not isinstance(entry, Mapping):
            problems.append(FieldProblem(where, _("Give a session cost and a participant cost.")))
            continue
        numbers: dict[str, float] = {}
        for part in ("session", "participant"):
            raw = entry.get(part)
            try:
                number = float(raw)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                number = float("nan")
            if not number >= 0 or number == float("inf"):
                problems.append(
                    FieldProblem(
                        where,
                        _(
                            "The %(part)s cost at %(location)s must be a number of 0 or more, not “%(value)s”."
                        ),
                        {"part": part, "location": name, "value": raw},
                    )
                )
            numbers[part] = round(number, 2) if number >= 0 else 0.0
        cleaned[name] = {
            **numbers,
            **({"remote": True} if entry.get("remote") or is_remote_name(name) else {}),
        }
    return cleaned
