"""The organisation chart of the coordination bodies: SVG for the page, PNG for documents."""

from __future__ import annotations

import io
import re
import warnings

import pytest
from PIL import Image

from ctip.formats.charts import OrgBox, OrgChart, render_png, render_svg
from ctip.formats.charts.orgchart import _layout

BOXES = (
    OrgBox("imc", "Inter-ministerial committee", detail="Chair: MINIJUST", group="interministerial"),
    OrgBox("tc", "Technical committee", parent="imc", detail="Chair: MINIJUST", group="technical"),
    OrgBox("wg1", "Working group: Prevention", parent="tc", group="working_group"),
    OrgBox("wg2", "Working group: Protection", parent="tc", group="working_group"),
    OrgBox("rap", "National rapporteur", group="rapporteur"),
)
CHART = OrgChart("Coordination arrangement", BOXES)


def test_levels_go_top_down_and_parents_sit_over_their_children():
    layout = _layout(CHART, 6.5)
    depth = {key: placed.depth for key, placed in layout.placed.items()}
    assert depth == {"imc": 0, "tc": 1, "wg1": 2, "wg2": 2, "rap": 0}
    x = {key: placed.x for key, placed in layout.placed.items()}
    assert x["tc"] == pytest.approx((x["wg1"] + x["wg2"]) / 2)
    assert x["imc"] == pytest.approx(x["tc"])
    assert x["wg1"] < x["wg2"] < x["rap"]
    assert layout.top(1) < layout.top(0) and layout.top(2) < layout.top(1)
    # Every box fits in the page width.
    assert min(x.values()) - layout.box_width / 2 >= 0
    assert max(x.values()) + layout.box_width / 2 <= 6.5


def test_svg_holds_every_label_as_text_and_is_deterministic():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no layout-engine warning
        svg = render_svg(CHART)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>Coordination arrangement</title>" in svg
    text = re.sub(r"<[^>]+>", " ", svg)
    for word in ("Inter-ministerial", "Technical", "Prevention", "Protection", "rapporteur", "MINIJUST"):
        assert word in text
    assert render_svg(CHART) == svg


def test_png_has_the_requested_width_and_grows_with_levels():
    png = render_png(CHART, width_inches=6.5, dpi=100)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.mode == "RGB"
        assert image.size[0] == 650
        tall = image.size[1]
    flat = render_png(OrgChart("Flat", (OrgBox("a", "Only body"),)), width_inches=6.5, dpi=100)
    with Image.open(io.BytesIO(flat)) as image:
        assert image.size[1] < tall


def test_many_boxes_wrap_their_labels_instead_of_overflowing():
    wide = OrgChart(
        "",
        (
            OrgBox("top", "Committee"),
            *(OrgBox(f"w{i}", f"Working group on pillar number {i}", parent="top") for i in range(10)),
        ),
    )
    layout = _layout(wide, 6.5)
    assert max(p.x for p in layout.placed.values()) + layout.box_width / 2 <= 6.5
    assert "\n" in layout.placed["w0"].label
    assert render_png(wide, dpi=50)


def test_empty_chart_says_so_and_bad_lines_are_refused():
    assert "Nothing here" in render_svg(OrgChart("Bodies", ()), empty_text="Nothing here")
    with pytest.raises(ValueError, match="does not exist"):
        OrgChart("x", (OrgBox("a", "A", parent="zz"),))
    with pytest.raises(ValueError, match="loop"):
        OrgChart("x", (OrgBox("a", "A", parent="b"), OrgBox("b", "B", parent="a")))
    with pytest.raises(ValueError, match="unique"):
        OrgChart("x", (OrgBox("a", "A"), OrgBox("a", "B")))
