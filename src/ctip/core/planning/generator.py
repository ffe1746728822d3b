"""Seeded random planning instances for benchmarks and tests.

The national instance (:func:`generate_preset` ``"national"``) has 30 segments, 40 modules, 12 quarters and
3 locations: the capital, a northern region (costs +15 %) and a remote island (costs +60 %, some
specialised modules not offered, and at least 15 % of its weighted need must be covered, like Rodrigues).
Each pillar has one foundational module; specialised modules require their pillar's foundational module;
every 7th is a cascade of the training of trainers (led by national trainers), every 5th other one needs
an international expert (so the national trainers' share can bind). The regional instance is five
countries' worth: the same catalogue offered in 5 × 3 locations, 150 segments, 5 times the budget and
the trainer-days. The same seed gives the same instance.
"""

from __future__ import annotations

import numpy as np

from ctip.core.planning.model import (
    Demand,
    Instance,
    Module,
    ModuleLevel,
    Parameters,
    Segment,
    TrainerProfile,
)
from ctip.core.tna.model import Text

PILLARS = ("prevention", "protection", "prosecution", "partnership")
LOCATIONS = ("capital", "north", "island")
_LOCATION_WEIGHTS = (0.6, 0.25, 0.15)
_COST_FACTOR = {"capital": 1.0, "north": 1.15, "island": 1.6}


PRESETS = ("national", "regional")
ISLAND_NEED_FLOOR = 0.15


def generate_preset(preset: str, *, seed: int = 0) -> Instance:
    """The benchmark instances: ``national`` (one country) or ``regional`` (five countries)."""
    if preset == "national":
        return generate_instance(seed=seed)
    if preset == "regional":
        return generate_instance(seed=seed, segments=150, countries=5)
    raise ValueError(f"unknown preset {preset!r}; use one of {', '.join(PRESETS)}")


def _place(country: int, countries: int, location: str) -> str:
    return location if countries == 1 else f"c{country}-{location}"


def generate_instance(
    *,
    seed: int = 0,
    segments: int = 30,
    modules: int = 40,
    quarters: int = 12,
    competencies: int = 30,
    countries: int = 1,
) -> Instance:
    """A random but plausible instance; ``modules`` counts the foundational modules and the ToT."""
    rng = np.random.default_rng(seed)
    places = [(country, location) for country in range(1, countries + 1) for location in LOCATIONS]
    catalogue: list[Module] = []
    for pillar in PILLARS:
        catalogue.append(
            _module(
                rng, f"F-{pillar[:4].upper()}", (f"F-{pillar}",), pillar, ModuleLevel.FOUNDATIONAL, (), places
            )
        )
    tot = _module(rng, "TOT", ("training-delivery",), "partnership", ModuleLevel.SPECIALISED, (), places)
    catalogue.append(
        Module(
            **{
                **tot.__dict__,
                "is_training_of_trainers": True,
                "trainer_profile": TrainerProfile.INTERNATIONAL,
            }
        )
    )
    specialised = [f"S{index:02d}" for index in range(1, competencies + 1)]
    for index in range(1, modules - len(catalogue) + 1):
        pillar = PILLARS[index % len(PILLARS)]
        builds = tuple(
            str(code)
            for code in rng.choice(
                specialised, size=min(int(rng.integers(1, 4)), competencies), replace=False
            )
        )
        module = _module(
            rng,
            f"M{index:02d}",
            builds,
            pillar,
            ModuleLevel.SPECIALISED,
            (f"F-{pillar[:4].upper()}",),
            places,
        )
        if index % 7 == 0:  # a cascade: national trainers trained in the ToT lead it
            module = Module(
                **{**module.__dict__, "cascade_of": "TOT", "trainer_profile": TrainerProfile.NATIONAL}
            )
        elif index % 5 == 0:  # needs an international expert
            module = Module(**{**module.__dict__, "trainer_profile": TrainerProfile.INTERNATIONAL})
        catalogue.append(module)
    people: list[Segment] = []
    demands: list[Demand] = []
    for index in range(1, segments + 1):
        country = 1 + (index - 1) % countries
        location = _place(country, countries, str(rng.choice(LOCATIONS, p=_LOCATION_WEIGHTS)))
        segment = Segment(
            code=f"G{index:02d}",
            organisation=f"Organisation {index:02d}",
            role_group=str(rng.choice(("officers", "managers", "specialists"))),
            location=location,
            is_frontline=bool(rng.random() < 0.5),
            staff_female=int(rng.integers(10, 120)),
            staff_male=int(rng.integers(10, 120)),
        )
        people.append(segment)
        pillar = PILLARS[index % len(PILLARS)]
        needed = [
            f"F-{pillar}",
            *(
                str(code)
                for code in rng.choice(
                    specialised, size=min(int(rng.integers(4, 9)), competencies), replace=False
                )
            ),
        ]
        if index % 6 == 0:
            needed.append("training-delivery")
        for competency in needed:
            share = float(rng.uniform(0.3, 1.0))
            demands.append(
                Demand(
                    segment=segment.code,
                    competency=competency,
                    staff_female=round(segment.staff_female * share),
                    staff_male=round(segment.staff_male * share),
                    weight=round(float(rng.uniform(1.0, 6.0)), 2),
                )
            )
    parameters = Parameters(
        quarters=quarters,
        budget_per_year=tuple(countries * value for value in (400_000.0, 450_000.0, 450_000.0)),
        trainer_days_per_quarter=90.0 * countries,
        sessions_per_location_per_quarter=8,
        location_need_floor_by_location={
            _place(country, countries, "island"): ISLAND_NEED_FLOOR for country in range(1, countries + 1)
        },
    )
    name = f"national-{seed}" if countries == 1 else f"regional-{countries}-{seed}"
    return Instance(tuple(catalogue), tuple(people), tuple(demands), parameters, name=name)


def _module(
    rng: np.random.Generator,
    code: str,
    competencies: tuple[str, ...],
    pillar: str,
    level: ModuleLevel,
    prerequisites: tuple[str, ...],
    places: list[tuple[int, str]],
) -> Module:
    per_session = float(rng.integers(20, 60) * 100)
    per_participant = float(rng.integers(4, 16) * 10)
    # The island is not offered every specialised module.
    countries = max(country for country, _location in places)
    offered = [
        (_place(country, countries, location), location)
        for country, location in places
        if location != "island" or level is ModuleLevel.FOUNDATIONAL or rng.random() < 0.7
    ]
    maximum = int(rng.integers(12, 31))
    return Module(
        code=code,
        title=Text(f"Module {code}", f"Module {code}"),
        pillar=pillar,
        level=level,
        competencies=competencies,
        duration_days=float(rng.integers(1, 6)),
        participants_min=min(8, maximum),
        participants_max=maximum,
        cost_per_session={place: round(per_session * _COST_FACTOR[kind], 2) for place, kind in offered},
        cost_per_participant={
            place: round(per_participant * _COST_FACTOR[kind], 2) for place, kind in offered
        },
        prerequisites=prerequisites,
    )
