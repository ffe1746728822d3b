"""The TNA gap analysis (DOMAIN.md §4): Borich mean weighted discrepancy scores, Locus for Focus, paired
tests, scale reliability, disaggregation with small-cell suppression, institution and individual levels,
and triangulation with the qualitative evidence. Pure and vectorised: no Django, no loops over
respondents.

The vocabulary (inputs and results) is in :mod:`ctip.core.needs.model`.
"""

from ctip.core.needs.analysis import analyse_needs, describe_methods, describe_suppression
from ctip.core.needs.data import (
    attribute_values,
    filter_respondents,
    needs_data_from_submissions,
    years_band,
)
from ctip.core.needs.levels import learning_profiles
from ctip.core.needs.serialise import analysis_to_json
from ctip.core.needs.triangulation import ThemeEvidence, Triangulated, triangulate

__all__ = [
    "ThemeEvidence",
    "Triangulated",
    "analyse_needs",
    "analysis_to_json",
    "attribute_values",
    "describe_methods",
    "describe_suppression",
    "filter_respondents",
    "learning_profiles",
    "needs_data_from_submissions",
    "triangulate",
    "years_band",
]
