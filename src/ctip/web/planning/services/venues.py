"""Training locations: the workspace's map from the places the TNA and the registry name to the venues
where their staff are trained (``TrainingLocation`` rows; the rule is in ``ctip.core.planning.venues``).

:func:`venue_map` and :func:`venue_places` read; :func:`venues_set` writes (audited ``traininglocation.*``
rows, in one transaction). A training location the module catalogue does not know yet gets, for each
module, the costs the module has at the places that go there (the most common entry among them), so that
a venue keeps the workspace's own figures and currency; a venue none of whose places is in the catalogue
gets the default costs (``catalogue_locations_add``). Deriving the demand again
(``services.demand.demand_derive``) then counts the segments per training location.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.needs.model import ATTRIBUTE_LOCATION
from ctip.core.planning.venues import clean_name, venue_problems, venues_suggest
from ctip.core.workspace_profile import country_name
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update
from ctip.web.needs.data import default_instrument, workspace_needs_data
from ctip.web.planning.models import TrainingLocation, TrainingModule
from ctip.web.planning.services.catalogue import catalogue_locations_add
from ctip.web.planning.services.costs import REMOTE_NAMES, catalogue_locations
from ctip.web.stakeholders.models import Organisation

VENUE_FIELDS = ["place", "venue"]


def venue_map(workspace: Workspace) -> dict[str, str]:
    """The workspace's place → training location map."""
    return dict(
        TrainingLocation.objects.filter(workspace=workspace).order_by("place").values_list("place", "venue")
    )


def venue_places(workspace: Workspace) -> list[str]:
    """Every place to map: the registry organisations' locations, the places the default survey's
    respondents named, and the places already mapped; sorted, without case duplicates."""
    found = [
        str(place)
        for place in Organisation.objects.filter(workspace=workspace)
        .exclude(location="")
        .order_by("location")
        .values_list("location", flat=True)
    ]
    instrument = default_instrument(workspace)
    if instrument is not None:
        data = workspace_needs_data(workspace, instrument)
        found += list(data.attributes.get(ATTRIBUTE_LOCATION, ()))
    found += list(venue_map(workspace))
    places: dict[str, str] = {}
    for place in found:
        name = clean_name(place)
        if name:
            places.setdefault(name.casefold(), name)
    return sorted(places.values(), key=str.casefold)


def venues_suggested(workspace: Workspace, places: Iterable[str]) -> dict[str, str]:
    """The default training location of each place: its own name for an outer island, else the workspace's
    country (its name in the workspace's first language)."""
    languages = workspace.languages or ["en"]
    country = country_name(workspace.country, str(languages[0])) if workspace.country else ""
    return venues_suggest(places, country=country, remote_names=REMOTE_NAMES)


def venues_set(
    *, workspace: Workspace, mapping: Mapping[str, str], acting_user: User | None
) -> dict[str, str]:
    """Set the training location of each place in ``mapping`` (places not in it keep theirs) and return the
    whole map. Refused, with one problem per place and nothing changed, when a place or a venue is blank or
    too long."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    problems = venue_problems(mapping)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The training locations cannot be saved: %(count)s place(s) to correct. Nothing was changed."),
            {"count": len(problems)},
            problems=problems,
        )
    wanted = {clean_name(place): clean_name(venue) for place, venue in mapping.items()}
    with transaction.atomic():
        existing = {
            row.place: row
            for row in TrainingLocation.objects.select_for_update()
            .filter(workspace=workspace)
            .order_by("place")
        }
        for place, venue in sorted(wanted.items()):
            found = existing.get(place)
            if found is None:
                record_create(
                    model=TrainingLocation,
                    workspace=workspace,
                    values={"workspace": workspace, "place": place, "venue": venue},
                    acting_user=acting_user,
                    audited_fields=VENUE_FIELDS,
                )
            elif found.venue != venue:
                record_update(
                    instance=found,
                    workspace=workspace,
                    changes={"venue": venue},
                    acting_user=acting_user,
                    audited_fields=VENUE_FIELDS,
                )
        full = venue_map(workspace)
        _venue_costs_add(workspace, full, acting_user)
    return full


def _most_common(entries: list[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(json.dumps(entry, sort_keys=True) for entry in entries)
    best = max(counts.values())
    for entry in entries:  # the first of the most common, in the order of the places
        if counts[json.dumps(entry, sort_keys=True)] == best:
            return dict(entry)
    raise AssertionError("unreachable")


def _venue_costs_add(workspace: Workspace, full: Mapping[str, str], acting_user: User | None) -> None:
    """Offer each module at the venues the catalogue does not know yet (see the module docstring)."""
    modules = list(
        TrainingModule.objects.select_for_update().filter(workspace=workspace).order_by("position", "code")
    )
    if not modules:  # the catalogue is seeded later, with the demand's locations
        return
    known = {location.casefold() for location in catalogue_locations(workspace)}
    new = sorted({venue for venue in full.values() if venue.casefold() not in known}, key=str.casefold)
    places_of = {
        venue: sorted((place for place, target in full.items() if target == venue), key=str.casefold)
        for venue in new
    }
    covered: set[str] = set()
    for row in modules:
        costs = dict(row.costs or {})
        by_name = {str(location).casefold(): entry for location, entry in costs.items()}
        changed = False
        for venue in new:
            entries = [
                by_name[place.casefold()]
                for place in places_of[venue]
                if isinstance(by_name.get(place.casefold()), dict)
            ]
            if entries:
                costs[venue] = _most_common(entries)
                covered.add(venue)
                changed = True
        if changed:
            record_update(
                instance=row,
                workspace=workspace,
                changes={"costs": costs},
                acting_user=acting_user,
                audited_fields=["costs"],
            )
    uncovered = [venue for venue in new if venue not in covered]
    if uncovered:
        catalogue_locations_add(workspace=workspace, locations=uncovered, acting_user=acting_user)
