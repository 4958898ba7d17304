"""Server-rendered SVG charts: valid standalone XML, no script, values at the right place."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from sinergi.web.charts import bar_chart_svg, growth_chart_svg, line_chart_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def _assert_self_contained(svg: str) -> None:
    lowered = svg.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered and " style=" not in lowered  # CSP: no inline styles either
    assert not re.search(r"\son[a-z]+\s*=", lowered)  # no inline event handlers
    assert "href" not in lowered and "url(" not in lowered  # nothing fetched


def _axis(root: ET.Element, cls: str, coordinate: str) -> dict[float, float]:
    """Tick value -> pixel position, read back from the tick labels."""
    ticks = root.findall(f".//svg:text[@class='{cls}']", NS)
    return {float(t.get("data-value", "nan")): float(t.get(coordinate, "nan")) for t in ticks}


def _path_points(d: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]


def test_growth_chart_structure() -> None:
    points = [(0.0, 50.1), (6.0, 66.0), (12.5, 74.2), (24.0, 84.5)]
    svg = growth_chart_svg("L", "tbu", points)
    _assert_self_contained(svg)
    root = _parse(svg)
    curves = root.findall(".//svg:path[@class='sd-curve']", NS)
    assert sorted(int(c.get("data-z", "")) for c in curves) == [-3, -2, 0, 2, 3]
    circles = root.findall(".//svg:circle[@class='child-point']", NS)
    assert [(float(c.get("data-age", "")), float(c.get("data-value", ""))) for c in circles] == [
        *points
    ]
    assert root.find(".//svg:polyline[@class='child-line']", NS) is not None
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Umur (bulan)" in texts and "Panjang/tinggi badan (cm)" in texts
    assert "Laki-laki" in texts and "Pengukuran anak" in texts and "−2 SD" in texts


def test_minus_two_sd_height_at_24_months_for_boys_is_at_81_cm() -> None:
    root = _parse(growth_chart_svg("L", "tbu", []))
    x_ticks = _axis(root, "tick-x", "x")
    y_ticks = _axis(root, "tick-y", "y")
    # linear axes: pixel position of any value from two ticks
    (v0, p0), (v1, p1) = sorted(y_ticks.items())[:2]

    def y_of(cm: float) -> float:
        return p0 + (cm - v0) * (p1 - p0) / (v1 - v0)

    y_offset = 4.0  # tick labels sit 4 px below their grid line (text baseline)
    curve = root.find(".//svg:path[@class='sd-curve'][@data-z='-2']", NS)
    assert curve is not None
    segments = curve.get("d", "").split("M")[1:]
    assert len(segments) == 2  # length (lying) before 24 months, height (standing) from it
    height_start_x, height_start_y = _path_points(segments[1])[0]
    assert height_start_x == pytest.approx(x_ticks[24.0], abs=1.0)
    # WHO height-for-age, boys, 24 months, -2 SD: 81.0 cm (length-for-age there: 81.7 cm)
    assert height_start_y == pytest.approx(y_of(81.02) - y_offset, abs=0.3)
    length_end_y = _path_points(segments[0])[-1][1]
    assert length_end_y == pytest.approx(y_of(81.69) - y_offset, abs=0.3)


def test_weight_for_age_girls_in_english() -> None:
    svg = growth_chart_svg("P", "bbu", [(1, 3.4), (70, 20.0)], lang="en")
    _assert_self_contained(svg)
    root = _parse(svg)
    assert "Weight-for-age" in svg and "Girls" in svg and "Weight (kg)" in svg
    curve = root.find(".//svg:path[@class='sd-curve'][@data-z='0']", NS)
    assert curve is not None and len(curve.get("d", "").split("M")) == 2  # one continuous curve
    assert len(root.findall(".//svg:circle[@class='child-point']", NS)) == 1  # 70 months: off


def test_growth_chart_rejects_unknown_arguments() -> None:
    with pytest.raises(ValueError):
        growth_chart_svg("X", "tbu", [])
    with pytest.raises(ValueError):
        growth_chart_svg("L", "bbtb", [])


def test_text_is_escaped() -> None:
    svg = bar_chart_svg(["<b>&"], {"A<script>": [1.0]}, "Judul <script>alert(1)</script>")
    _assert_self_contained(svg)
    _parse(svg)


def test_bar_chart() -> None:
    svg = bar_chart_svg(
        ["Skenario A", "Skenario B", "Skenario C"],
        {"PMT": [1.2e9, 0.8e9, None], "Sanitasi": [0.3e9, 0.5e9, 0.9e9]},
        "Anggaran per skenario",
        y_label="Rupiah",
    )
    _assert_self_contained(svg)
    root = _parse(svg)
    bars = root.findall(".//svg:rect[@class='bar']", NS)
    assert len(bars) == 5
    heights = {float(b.get("data-value", "")): float(b.get("height", "")) for b in bars}
    assert heights[1.2e9] == pytest.approx(4 * heights[0.3e9], rel=0.01)
    assert ">1,2 M<" in svg and ">0,2 M<" in svg  # Indonesian decimal comma, M = miliar


def test_line_chart_breaks_on_missing_values() -> None:
    svg = line_chart_svg(
        ["2025-01", "2025-02", "2025-03", "2025-04"],
        {"Stunting (%)": [21.5, None, 20.1, 19.8], "Wasting (%)": [7.0, 6.5, 6.8, 6.0]},
        "Tren prevalensi",
        "Bulan",
        "%",
    )
    _assert_self_contained(svg)
    root = _parse(svg)
    lines = root.findall(".//svg:path[@class='series-line']", NS)
    assert len(lines) == 2
    assert lines[0].get("d", "").count("M") == 2
    assert len(root.findall(".//svg:circle[@class='series-point']", NS)) == 7


def test_line_chart_numeric_x() -> None:
    root = _parse(
        line_chart_svg([2021, 2022, 2023], {"Prevalensi": [24.0, 22.5, 20.0]}, "T", "", "")
    )
    x_ticks = _axis(root, "tick-x", "x")
    points = root.findall(".//svg:circle[@class='series-point']", NS)
    assert float(points[0].get("cx", "")) == pytest.approx(x_ticks[2021.0], abs=0.2)
