"""The pre/post ("dumbbell") chart: drawn as SVG and PNG like every chart of ctip.formats.charts."""

from __future__ import annotations

import math

import pytest

from ctip.formats.charts import PrePostChart, PrePostRow, render_png, render_svg


def chart(rows: tuple[PrePostRow, ...], **values: object) -> PrePostChart:
    return PrePostChart(title="Scores before and after", rows=rows, value_label="Score (%)", **values)  # type: ignore[arg-type]


def test_the_svg_keeps_labels_as_text_and_is_the_same_each_time():
    rows = (PrePostRow("P001", 40, 80), PrePostRow("P002", 60, 50), PrePostRow("P003", 30, math.nan))
    drawn = chart(rows, reference=70.0, reference_label="Pass mark (70%)")
    svg = render_svg(drawn)
    assert svg.startswith("<svg") and 'role="img"' in svg
    for text in (
        "Scores before and after",
        "P001",
        "P003",
        "Pre-test",
        "Post-test",
        "Score rose",
        "Score fell",
        "Pass mark (70%)",
    ):
        assert text in svg, text
    assert render_svg(drawn) == svg


def test_the_legend_names_only_the_changes_that_happened():
    svg = render_svg(chart((PrePostRow("Everyone", 35.5, 72.0), PrePostRow("Women (n = 6)", 30, 75))))
    assert "Score rose" in svg and "Score fell" not in svg and "Pass mark" not in svg


def test_a_chart_with_nothing_to_show_says_so():
    svg = render_svg(chart((PrePostRow("P001", math.nan, math.nan),)), empty_text="Rien à montrer")
    assert "Rien à montrer" in svg
    assert "Rien à montrer" in render_svg(chart(()), empty_text="Rien à montrer")


def test_the_png_is_an_image():
    data = render_png(
        chart(tuple(PrePostRow(f"P{n:03d}", n, min(100, n + 30)) for n in range(0, 100, 5))), dpi=80
    )
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


def test_scores_outside_the_scale_are_refused():
    with pytest.raises(ValueError, match="outside 0–100"):
        chart((PrePostRow("P001", 120, 80),))
    assert chart((PrePostRow("P001", 12, 18),), maximum=20.0).maximum == 20.0
