import datetime as dt
import io
import math
import threading
import xml.etree.ElementTree as ElementTree

import pytest
from PIL import Image

from ctip.formats.charts import (
    BarChart,
    Edge,
    GanttChart,
    GanttTask,
    NetworkChart,
    Node,
    Point,
    ScatterChart,
    Series,
    network_layout,
    render_png,
    render_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def bar_chart() -> BarChart:
    return BarChart(
        "Victims identified by form of exploitation",
        ("Forced labour", "Sexual exploitation", "Domestic servitude"),
        (Series("2024", (42, 31, math.nan)), Series("2025", (51, 28, 17))),
        value_label="Victims identified",
    )


def scatter_chart() -> ScatterChart:
    return ScatterChart(
        "Stakeholder influence and interest",
        (
            Point("Ministry of Interior", 4.5, 4.8, 2.0, "Government"),
            Point("Labour inspectorate", 3, 3, 1.0, "Government"),
            Point("Trade union", 3, 3, 1.0, "Civil society"),
            Point("Media fund of $5,000", 1.5, 2.5),
        ),
        "Interest",
        "Influence",
        x_cut=3,
        y_cut=3,
        quadrant_labels=("Keep satisfied", "Manage closely", "Monitor", "Keep informed"),
    )


def network_chart(count: int = 5) -> NetworkChart:
    nodes = tuple(
        Node(f"n{i}", f"Agency {i}", "Services" if i % 2 else "Law enforcement") for i in range(count)
    )
    edges = (
        Edge("n0", "n1", "Victim referral"),
        Edge("n1", "n0", "Victim referral"),
        Edge("n2", "n3", "Case file"),
    )
    return NetworkChart("Referral pathways", nodes, edges)


def gantt_chart(locale: str = "en") -> GanttChart:
    return GanttChart(
        "Phases",
        (
            GanttTask("Inception", dt.date(2026, 1, 5), dt.date(2026, 3, 31), "Inception"),
            GanttTask("Validation workshop", dt.date(2026, 8, 12), dt.date(2026, 8, 12), "Validation"),
            GanttTask("Plan drafting", dt.date(2026, 10, 1), dt.date(2027, 6, 30)),
        ),
        locale=locale,
    )


ALL_CHARTS = [bar_chart(), scatter_chart(), network_chart(), gantt_chart()]
ALL_CHARTS += [
    BarChart(
        "Training by agency", ("Police", "Labour"), (Series("Done", (3, 4)),), horizontal=True, stacked=True
    )
]


def svg_texts(svg: str) -> str:
    root = ElementTree.fromstring(svg)
    return " ".join(element.text or "" for element in root.iter())


@pytest.mark.parametrize("chart", ALL_CHARTS, ids=lambda chart: type(chart).__name__)
def test_every_chart_renders_to_a_png_of_the_requested_width(chart):
    png = render_png(chart, width_inches=6.5, dpi=100)

    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        assert image.width == 650
        assert 150 < image.height < 1200
        assert image.mode == "RGB"


@pytest.mark.parametrize("chart", ALL_CHARTS, ids=lambda chart: type(chart).__name__)
def test_every_chart_renders_to_an_svg_with_its_title_and_labels_as_text(chart):
    svg = render_svg(chart)

    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == chart.title
    assert chart.title in svg_texts(svg)


def test_svg_labels_include_categories_points_nodes_and_tasks():
    assert "Domestic servitude" in svg_texts(render_svg(bar_chart()))
    scatter = svg_texts(render_svg(scatter_chart()))
    assert "Ministry of Interior" in scatter
    assert "Manage closely" in scatter
    assert "Media fund of $5,000" in scatter  # a dollar sign is text, not mathtext
    network = svg_texts(render_svg(network_chart()))
    assert "Agency 3" in network
    assert "Case file" in network
    gantt = svg_texts(render_svg(gantt_chart()))
    assert "Validation workshop" in gantt
    assert "Jan 2026" in gantt


def test_gantt_month_names_follow_the_locale():
    assert "janv. 2026" in svg_texts(render_svg(gantt_chart("fr")))


def test_the_same_chart_gives_the_same_svg_bytes():
    first = render_svg(scatter_chart())
    second = render_svg(scatter_chart())

    assert first == second
    assert "<?xml" not in first
    assert "dc:date" not in first


def test_different_charts_use_different_svg_ids_so_they_can_share_a_page():
    ids_of = [set(ElementTree.fromstring(render_svg(chart)).iter()) for chart in (bar_chart(), gantt_chart())]
    clip_ids = [
        {element.get("id") for element in elements if element.tag == f"{SVG}clipPath"} for elements in ids_of
    ]
    assert clip_ids[0] and clip_ids[1]
    assert not clip_ids[0] & clip_ids[1]


@pytest.mark.parametrize(
    "chart",
    [
        BarChart("Nothing yet", (), ()),
        BarChart("All missing", ("Police",), (Series("2025", (math.nan,)),)),
        ScatterChart("Nothing yet", (), "Interest", "Influence"),
        NetworkChart("Nothing yet", (), ()),
        GanttChart("Nothing yet", ()),
    ],
    ids=lambda chart: type(chart).__name__,
)
def test_a_chart_without_data_says_so(chart):
    svg = render_svg(chart)

    assert "No data yet" in svg_texts(svg)
    assert "Aucune donnée" in svg_texts(render_svg(chart, empty_text="Aucune donnée"))
    assert render_png(chart, dpi=50).startswith(PNG_SIGNATURE)


def test_inconsistent_definitions_are_refused():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        BarChart("x", ("a", "b", "c"), (Series("s", (1, 2)),))
    with pytest.raises(ValueError, match="names a node that does not exist"):
        NetworkChart("x", (Node("a", "A"),), (Edge("a", "b"),))
    with pytest.raises(ValueError, match="ends before it starts"):
        GanttChart("x", (GanttTask("t", dt.date(2026, 2, 1), dt.date(2026, 1, 1)),))


def test_network_layout_is_deterministic_circular_and_two_shells_when_large():
    small = network_layout(network_chart(6))
    assert small == network_layout(network_chart(6))
    assert all(math.isclose(math.hypot(x, y), 1.0) for x, y in small.values())

    large = network_layout(network_chart(15))
    radii = sorted({round(math.hypot(x, y), 3) for x, y in large.values()})
    assert radii == [0.45, 1.0]


def test_rendering_from_several_threads_at_once_works():
    results: list[bytes] = []

    def render() -> None:
        results.append(render_svg(bar_chart()).encode())

    threads = [threading.Thread(target=render) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 4
    assert len(set(results)) == 1
