"""The chart kinds the gap analysis added: the heat map with withheld cells, bars that say why a value is
missing, and scatter labels that keep clear of each other."""

import io
import math
import re
import xml.etree.ElementTree as ElementTree

import pytest
from PIL import Image

from ctip.formats.charts import BarChart, HeatMapChart, Point, ScatterChart, Series, render_png, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def heat_map() -> HeatMapChart:
    return HeatMapChart(
        "Training needs by organisation (MWDS)",
        ("Anti-Trafficking Unit", "Safe Haven Shelter", "Labour Inspectorate"),
        ("ID01", "RF01", "CP01"),
        ((5.25, -1.5, 0.0), ("n<5", "n<5", "n<5"), (2.0, math.nan, "hidden")),
        value_label="Mean weighted discrepancy score",
    )


def svg_texts(svg: str) -> list[str]:
    return [element.text or "" for element in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def test_a_heat_map_writes_every_cell_and_marks_withheld_ones():
    svg = render_svg(heat_map())

    texts = svg_texts(svg)
    assert texts.count("n<5") == 3 and texts.count("hidden") == 1
    assert "5.2" in texts and "-1.5" in texts and "0" in texts and "–" in texts  # nothing left blank
    for label in (
        "Anti-Trafficking Unit",
        "Labour Inspectorate",
        "ID01",
        "CP01",
        "Mean weighted discrepancy score",
    ):
        assert label in texts
    assert svg.startswith("<svg") and render_svg(heat_map()) == svg  # deterministic


def test_a_heat_map_renders_to_a_png_and_says_when_empty():
    png = render_png(heat_map(), width_inches=5, dpi=100)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size[0] == 500
    empty = HeatMapChart("Needs by organisation", (), ("ID01",), ())
    assert "Nothing to show" in svg_texts(render_svg(empty, empty_text="Nothing to show"))


def test_inconsistent_heat_maps_are_refused():
    with pytest.raises(ValueError, match="rows of values"):
        HeatMapChart("x", ("a", "b"), ("c",), ((1.0,),))
    with pytest.raises(ValueError, match="has 2 values for 1 columns"):
        HeatMapChart("x", ("a",), ("c",), ((1.0, 2.0),))


def test_a_bar_series_says_why_a_value_is_missing():
    chart = BarChart(
        "Mean discrepancy by sex",
        ("ID01", "RF01"),
        (
            Series("Women", (1.2, 0.9)),
            Series("Other (n<5: not shown)", (math.nan, math.nan), missing_label="n<5"),
        ),
        value_label="Mean discrepancy",
    )
    texts = svg_texts(render_svg(chart))
    assert texts.count("n<5") == 2
    assert "Other (n<5: not shown)" in texts
    assert "0.25" in texts  # value ticks keep the decimals they need (not "0.2")


def test_close_scatter_points_get_labels_that_hide_neither_labels_nor_points():
    points = tuple(
        Point(code, x, y)
        for code, x, y in (
            ("FD03", 4.25, 0.87),
            ("FD04", 4.27, 0.87),
            ("FD07", 4.29, 0.86),
            ("FD08", 4.27, 0.84),
            ("FD05", 4.26, 0.82),
            ("ID01", 3.97, 1.11),
        )
    )
    chart = ScatterChart(
        "Locus for Focus", points, "Mean importance", "Mean discrepancy", x_cut=4.1, y_cut=0.95
    )
    root = ElementTree.fromstring(render_svg(chart))
    markers = []
    for group in root.iter(f"{SVG}g"):
        if group.get("id", "").startswith("PathCollection"):
            for path in group.iter(f"{SVG}path"):
                numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
                xs, ys = numbers[0::2], numbers[1::2]
                markers.append(((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2))
    assert len(markers) == len(points)
    boxes = []
    for text in root.iter(f"{SVG}text"):
        if (text.text or "") in {point.label for point in points}:
            # A 4-character label at 7.5 pt is about 19 pt wide and 7 pt high above its baseline (y).
            x, y = float(text.get("x", "0")), float(text.get("y", "0"))
            left = x - 19 if "text-anchor: end" in text.get("style", "") else x
            boxes.append((left, y - 7, left + 19, y))
    assert len(boxes) == len(points)
    for index, (a0, b0, a1, b1) in enumerate(boxes):
        for c0, d0, c1, d1 in boxes[index + 1 :]:
            assert a1 <= c0 or c1 <= a0 or b1 <= d0 or d1 <= b0, "two labels overlap"
        covered = [(x, y) for x, y in markers if a0 - 2 <= x <= a1 + 2 and b0 - 2 <= y <= b1 + 2]
        assert not covered, "a label covers a point"
