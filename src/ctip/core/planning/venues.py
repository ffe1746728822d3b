"""Training locations (venues): where the staff of each place named in the TNA are trained.

The TNA and the registry name the places people work (a town, a district, an office); sessions are
organised per *training location*, a venue region such as a country's main island or an outer island that
its staff cannot leave cheaply. A workspace maps each place to its training location; the plan's segments
are counted per training location (see :mod:`ctip.core.planning.demand`).

:func:`venues_suggest` proposes a first map: a place whose name names a remote place (an outer island such
as Rodrigues or Agaléga, from the catalogue's list of remote names) keeps its own name; every other place
goes to the country (the workspace's country name, when given), else stays where it is.
:func:`venue_problems` checks a map before it is saved.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from ctip.core.errors import FieldProblem, _

VENUE_MAX_LENGTH = 100
"""A venue becomes a segment's and a session's location: the same limit."""
PLACE_MAX_LENGTH = 100


def plain_name(text: str) -> str:
    """``text`` compared without case, accents or extra spaces (``"Agaléga "`` → ``"agalega"``)."""
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())


def clean_name(text: object) -> str:
    """A place or venue name with its spaces collapsed."""
    return " ".join(str(text or "").split())


def names_remote_place(place: str, remote_names: Iterable[str]) -> bool:
    """Whether ``place`` contains one of ``remote_names`` (compared with :func:`plain_name`)."""
    plain = plain_name(place)
    return any(name and plain_name(name) in plain for name in remote_names)


def venues_suggest(
    places: Iterable[str], *, country: str = "", remote_names: Iterable[str] = ()
) -> dict[str, str]:
    """A first training location for each place (see the module docstring), in the order of ``places``;
    blank places are skipped."""
    remote = tuple(remote_names)
    venue_of_country = clean_name(country)
    suggested: dict[str, str] = {}
    for place in places:
        name = clean_name(place)
        if not name or name in suggested:
            continue
        if names_remote_place(name, remote) or not venue_of_country:
            suggested[name] = name
        else:
            suggested[name] = venue_of_country
    return suggested


def venue_problems(mapping: Mapping[str, str]) -> list[FieldProblem]:
    """Every problem of a place → venue map, each located at its place: a blank or too long name."""
    problems: list[FieldProblem] = []
    for place, venue in mapping.items():
        name = clean_name(place)
        where = name or "place"
        if not name:
            problems.append(
                FieldProblem(where, _("A row has no place name: give the place the venue is for."))
            )
        elif len(name) > PLACE_MAX_LENGTH:
            problems.append(
                FieldProblem(
                    where,
                    _("The place name “%(place)s” is too long: use at most %(limit)s characters."),
                    {"place": name, "limit": PLACE_MAX_LENGTH},
                )
            )
        text = clean_name(venue)
        if not text:
            problems.append(
                FieldProblem(
                    where,
                    _(
                        "The training location of “%(place)s” is empty: give the venue where its staff are "
                        "trained (for example the island, or the place itself)."
                    ),
                    {"place": name},
                )
            )
        elif len(text) > VENUE_MAX_LENGTH:
            problems.append(
                FieldProblem(
                    where,
                    _("The training location of “%(place)s” is too long: use at most %(limit)s characters."),
                    {"place": name, "limit": VENUE_MAX_LENGTH},
                )
            )
    return problems
