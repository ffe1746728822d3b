"""The gap analysis as plain JSON-able data (for the command line, the API and archived results)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from ctip.core.needs.model import LearningProfile, NeedsAnalysis, PairedTest
from ctip.core.needs.triangulation import Triangulated

FORMAT = "ctip-tna-analysis"
VERSION = 1
_DECIMALS = 4


def _significant(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.4g}")


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return round(value, _DECIMALS) if math.isfinite(value) else None
    if isinstance(value, PairedTest):
        # p-values keep 4 significant digits: rounded to 4 decimals, a clear need would read "p = 0".
        return {
            field.name: _significant(getattr(value, field.name))
            if field.name in ("p_value", "p_adjusted")
            else _plain(getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence):
        return [_plain(item) for item in value]
    if hasattr(value, "item"):  # a numpy scalar that slipped through
        return _plain(value.item())
    raise TypeError(f"cannot serialise {type(value).__name__}")


def analysis_to_json(
    analysis: NeedsAnalysis,
    *,
    profiles: Sequence[LearningProfile] = (),
    triangulation: Sequence[Triangulated] = (),
) -> dict[str, Any]:
    """The analysis as a plain dict (``json.dumps`` it as it is). Floats are rounded to 4 decimals, p-values
    to 4 significant digits (and
    ``null`` where not computable), texts are ``{"en", "fr"}``, enumerations their values, and keys come in
    this fixed order:

    * ``format``: ``"ctip-tna-analysis"``; ``version``: ``1``
    * ``options``: ``weighting`` (``standard``/``own_importance``), ``adjustment`` (``holm``/``bh``),
      ``missing`` (``listwise``/``pairwise``), ``confidence``, ``min_cell``
    * ``n_respondents``, ``scale_max``
    * ``items`` (rank order; unrated items last): ``code``, ``title``, ``group``, ``level``, ``n``,
      ``mean_importance``, ``mean_competence``, ``mean_discrepancy``, ``discrepancy_ci`` (``[low, high]``
      or ``null``), ``share_with_need``, ``mwds``, ``rank``, ``tied``, ``quadrant`` (``HH``/``HL``/``LH``/
      ``LL``), ``priority`` (1–3), ``test``: {``n_nonzero``, ``statistic`` (W+), ``z``, ``p_value``,
      ``p_adjusted``}
    * ``importance_cut``, ``discrepancy_cut``: the Locus for Focus cut lines
    * ``reliability``: per scale ``group``, ``rating`` (``importance``/``competence``), ``k``, ``n``,
      ``alpha``, ``ci`` (``[low, high]`` or ``null``), ``missing_rule``, ``items``: [{``code``, ``mean``,
      ``sd``, ``item_rest_correlation``, ``alpha_if_deleted``}]
    * ``review``: [{``code``, ``rating``, ``reason`` (``alpha_if_deleted_rises``/``near_constant``),
      ``value``}]
    * ``disaggregations``: [{``by`` (attribute names), ``groups``: [{``values``, ``n``, ``suppressed``
      (``""``/``small_cell``/``complementary``), ``needs``: [{``code``, ``n``, ``mean_importance``,
      ``mean_competence``, ``mean_discrepancy``, ``share_with_need``, ``mwds``, ``rank``,
      ``suppressed``}]}], ``suppression_rule``}]
    * ``institutions``: [{``organisation``, ``n``, ``suppressed``, ``priorities`` (as ``needs`` above, in
      rank order), ``institutional``: {question: {answer: count}}}]
    * ``training_effect``: [{``code``, ``n_with``, ``n_without``, ``mean_with``, ``mean_without``,
      ``difference``, ``effect_size`` (Hedges' g), ``suppressed``}]
    * ``methods``: {method: sentence} (see ``describe_methods``)
    * ``learning_profiles``: [{``respondent``, ``gaps``: [{``code``, ``importance``, ``competence``,
      ``discrepancy``}]}]
    * ``triangulation``: [{``code``, ``rank``, ``priority``, ``themes``: [{``theme``, ``title``,
      ``sources``, ``organisation_types``, ``quote``}], ``sources``, ``agreement``
      (``agree``/``survey_only``/``interviews_only``/``neither``)}]
    """
    body = _plain(analysis)
    return {
        "format": FORMAT,
        "version": VERSION,
        **body,
        "learning_profiles": _plain(profiles),
        "triangulation": _plain(triangulation),
    }
