"""Server-rendered SVG charts: WHO growth charts, bar charts and line charts.

Every chart is one self-contained ``<svg>`` string meant to be inlined in a page: no scripts, no
event handlers, no ``style`` element or attribute and no external references, only SVG
presentation attributes. That keeps the charts working under the app's Content-Security-Policy
(no inline script, no inline style), offline, and in printed reports. Hover text uses SVG
``<title>`` elements, which browsers show as native tooltips.

Elements carry classes (``sd-curve``, ``child-point``, ``tick-y`` ...) and ``data-*`` values so
pages can restyle them from a stylesheet and tests can read positions back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from sinergi.assess.who_tables import load_table, value_at_z
from sinergi.core.ages import DAYS_PER_MONTH, LYING_BEFORE_DAYS, MAX_AGE_DAYS
from sinergi.core.display import dec
from sinergi.messages import Lang, t

__all__ = ["SD_LINES", "bar_chart_svg", "growth_chart_svg", "line_chart_svg"]

CURVE_STEP_DAYS = 15  # ~half a month: smooth at chart size, ~120 points per curve

# z -> (stroke colour, stroke width): WHO chart convention, median green, +-2 red, +-3 black
SD_LINES: dict[int, tuple[str, float]] = {
    -3: ("#222222", 1.2),
    -2: ("#c62828", 1.4),
    0: ("#2e7d32", 1.8),
    2: ("#c62828", 1.4),
    3: ("#222222", 1.2),
}
CHILD_COLOUR = "#1565c0"
# Okabe-Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#000000")

_INDICATORS = {"tbu": ("lhfa", "cm"), "bbu": ("wfa", "kg")}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class _Frame:
    """The plot rectangle inside the SVG and the data ranges mapped onto it."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float
    x_min: float
    x_max: float
    y_min: float
    y_max: float

    def x(self, value: float) -> float:
        span = self.x_max - self.x_min or 1.0
        return self.left + (value - self.x_min) / span * (self.width - self.left - self.right)

    def y(self, value: float) -> float:
        span = self.y_max - self.y_min or 1.0
        plot_height = self.height - self.top - self.bottom
        return self.top + (self.y_max - value) / span * plot_height

    @property
    def plot_right(self) -> float:
        return self.width - self.right

    @property
    def plot_bottom(self) -> float:
        return self.height - self.bottom


# --- growth chart ---------------------------------------------------------------------------------


def growth_chart_svg(
    sex: str, indicator: str, points: Sequence[tuple[float, float]], lang: str = "id"
) -> str:
    """WHO 2006 growth chart (-3, -2, 0, +2, +3 SD) for ages 0-60 months with a child's points.

    ``sex`` is ``"L"`` (laki-laki) or ``"P"`` (perempuan); ``indicator`` is ``"tbu"`` (length/
    height-for-age, cm) or ``"bbu"`` (weight-for-age, kg); ``points`` are ``(age in months,
    value)``. Points outside 0-60 months are left out. The SD curves break at 24 months where
    WHO switches from lying length to standing height (the height curve is 0.7 cm lower).
    """
    if sex not in ("L", "P"):
        raise ValueError(f"sex must be 'L' or 'P', got {sex!r}")
    if indicator not in _INDICATORS:
        raise ValueError(f"indicator must be 'tbu' or 'bbu', got {indicator!r}")

    lg: Lang = "en" if lang == "en" else "id"

    def text(key: str) -> str:
        return t(f"grafik_{key}", lg)

    table_name, unit = _INDICATORS[indicator]
    curves = _sd_curves(table_name, 0 if sex == "L" else 1)
    child = sorted(
        (float(age), float(value))
        for age, value in points
        if 0 <= age <= 60 and math.isfinite(value)
    )

    values = [v for curve in curves.values() for segment in curve for _, v in segment]
    values += [v for _, v in child]
    y_ticks = _nice_ticks(min(values), max(values), 8)
    frame = _Frame(820, 500, 64, 52, 240, 56, 0, 60, y_ticks[0], y_ticks[-1])
    x_ticks = list(range(0, 61, 6))
    title = f"{t(f'indikator_{indicator}', lg)} — {text(sex)}"

    parts = _open_svg(frame, title, f"{text('source')}; {len(child)} {text('child').lower()}")
    parts += _grid_and_axes(
        frame, x_ticks, y_ticks, text("x"), text(f"y_{indicator}"), lang, minor_x=range(0, 61, 1)
    )
    for z, segments in curves.items():
        colour, stroke_width = SD_LINES[z]
        data = " ".join(
            "M" + " L".join(f"{frame.x(m):.1f},{frame.y(v):.1f}" for m, v in segment)
            for segment in segments
        )
        parts.append(
            f'<path class="sd-curve" data-z="{z}" d="{data}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke_width}" stroke-linejoin="round"/>'
        )
        last_month, last_value = segments[-1][-1]
        parts.append(
            f'<text class="sd-label" x="{frame.x(last_month) + 4:.1f}" '
            f'y="{frame.y(last_value) + 4:.1f}" font-size="11" fill="{colour}">'
            f"{_sd_name(z)}</text>"
        )
    parts += _child_marks(frame, child, unit, text("month"), lang)

    legend = [(f"±{z} SD" if z else text("median"), SD_LINES[z][0], "line") for z in (3, 2, 0)]
    legend.append((text("child"), CHILD_COLOUR, "point"))
    parts += _legend(frame.plot_right + 56, frame.top + 8, legend)
    parts.append("</svg>")
    return "".join(parts)


def _sd_curves(table_name: str, sex_index: int) -> dict[int, list[list[tuple[float, float]]]]:
    """z -> curve segments of (age in months, value): one before and one from day 731."""
    table = load_table(table_name)
    last = min(MAX_AGE_DAYS, int(table.x0 + (table.n - 1) * table.step))
    days = sorted(
        {*range(0, last + 1, CURVE_STEP_DAYS), LYING_BEFORE_DAYS - 1, LYING_BEFORE_DAYS, last}
    )
    index = np.array([int(round((d - table.x0) / table.step)) for d in days])
    lms = (table.L[sex_index, index], table.M[sex_index, index], table.S[sex_index, index])
    # Only length/height changes reference at 731 days; weight is one continuous curve.
    split = table_name == "lhfa"
    curves: dict[int, list[list[tuple[float, float]]]] = {}
    for z in SD_LINES:
        values = value_at_z(*lms, np.full(len(days), float(z)))
        before: list[tuple[float, float]] = []
        after: list[tuple[float, float]] = []
        for day, value in zip(days, values, strict=True):
            month = day / DAYS_PER_MONTH
            (after if split and day >= LYING_BEFORE_DAYS else before).append((month, float(value)))
        curves[z] = [segment for segment in (before, after) if segment]
    return curves


def _sd_name(z: int) -> str:
    return "0 SD" if z == 0 else f"{'+' if z > 0 else '−'}{abs(z)} SD"


def _child_marks(
    frame: _Frame, child: list[tuple[float, float]], unit: str, month_word: str, lang: str
) -> list[str]:
    if not child:
        return []
    parts = []
    if len(child) > 1:
        coordinates = " ".join(f"{frame.x(m):.1f},{frame.y(v):.1f}" for m, v in child)
        parts.append(
            f'<polyline class="child-line" points="{coordinates}" fill="none" '
            f'stroke="{CHILD_COLOUR}" stroke-width="2"/>'
        )
    for month, value in child:
        label = f"{_number(month, 1, lang)} {month_word}: {_number(value, 1, lang)} {unit}"
        parts.append(
            f'<circle class="child-point" data-age="{month:g}" data-value="{value:g}" '
            f'cx="{frame.x(month):.1f}" cy="{frame.y(value):.1f}" r="4" fill="{CHILD_COLOUR}" '
            f'stroke="#ffffff" stroke-width="1.5"><title>{escape(label)}</title></circle>'
        )
    return parts


# --- general charts -------------------------------------------------------------------------------


def bar_chart_svg(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    title: str,
    *,
    y_label: str = "",
    lang: str = "id",
) -> str:
    """Grouped bar chart: one group per label, one bar per series (``None`` draws no bar).

    Suits budget scenarios (label = scenario, series = cost lines) or a handful of villages.
    """
    names = list(series)
    for name in names:
        if len(series[name]) != len(labels):
            raise ValueError(f"series {name!r} has {len(series[name])} values for {len(labels)}")
    values = [v for name in names for v in series[name] if v is not None]
    y_ticks = _nice_ticks(min([0.0, *values]), max([0.0, *values]), 6)
    frame = _Frame(
        720, 420, 72, 52, 24 if len(names) < 2 else 150, 72, 0, len(labels), y_ticks[0], y_ticks[-1]
    )
    parts = _open_svg(frame, title, "")
    parts += _grid_and_axes(frame, [], y_ticks, "", y_label, lang)

    slot = (frame.plot_right - frame.left) / max(len(labels), 1)
    bar_width = slot * 0.8 / max(len(names), 1)
    baseline = frame.y(max(0.0, y_ticks[0]))
    for i, label in enumerate(labels):
        centre = frame.left + slot * (i + 0.5)
        parts.append(
            f'<text class="tick-x" x="{centre:.1f}" y="{frame.plot_bottom + 18:.1f}" '
            f'font-size="12" text-anchor="middle">{escape(_shorten(str(label), slot))}'
            f"<title>{escape(str(label))}</title></text>"
        )
        for j, name in enumerate(names):
            value = series[name][i]
            if value is None:
                continue
            top = frame.y(value)
            x = centre - slot * 0.4 + j * bar_width
            parts.append(
                f'<rect class="bar" data-series="{escape(name)}" data-value="{value:g}" '
                f'x="{x:.1f}" y="{min(top, baseline):.1f}" width="{bar_width * 0.92:.1f}" '
                f'height="{abs(baseline - top):.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(f'{label} — {name}: {_number(value, None, lang)}')}</title>"
                "</rect>"
            )
    if len(names) > 1:
        items = [(name, PALETTE[j % len(PALETTE)], "box") for j, name in enumerate(names)]
        parts += _legend(frame.plot_right + 16, frame.top + 8, items)
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(
    x: Sequence[float | str],
    series: Mapping[str, Sequence[float | None]],
    title: str,
    x_label: str,
    y_label: str,
    *,
    lang: str = "id",
) -> str:
    """Line chart of one or more series over ``x`` (numbers, or labels such as ``"2025-03"``).

    Numeric ``x`` is scaled; text ``x`` is spaced evenly in the order given. A ``None`` value
    breaks the line (a month without data is not drawn as a slope).
    """
    names = list(series)
    for name in names:
        if len(series[name]) != len(x):
            raise ValueError(f"series {name!r} has {len(series[name])} values for {len(x)} x")
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in x)
    positions = [float(v) for v in x] if numeric else [float(i) for i in range(len(x))]
    values = [v for name in names for v in series[name] if v is not None]
    y_ticks = _nice_ticks(min(values, default=0.0), max(values, default=1.0), 6)
    if numeric and positions:
        x_ticks: list[float] = _nice_ticks(min(positions), max(positions), 8)
        x_min, x_max = x_ticks[0], x_ticks[-1]
    else:
        x_ticks = []
        x_min, x_max = -0.5, max(len(x) - 0.5, 0.5)
    frame = _Frame(
        720, 420, 72, 52, 24 if len(names) < 2 else 150, 64, x_min, x_max, y_ticks[0], y_ticks[-1]
    )
    parts = _open_svg(frame, title, "")
    parts += _grid_and_axes(frame, x_ticks, y_ticks, x_label, y_label, lang)
    if not numeric:
        every = max(1, math.ceil(len(x) / 12))  # at most ~12 labels fit under the axis
        for i in range(0, len(x), every):
            parts.append(
                f'<text class="tick-x" x="{frame.x(i):.1f}" y="{frame.plot_bottom + 18:.1f}" '
                f'font-size="12" text-anchor="middle">{escape(str(x[i]))}</text>'
            )

    for j, name in enumerate(names):
        colour = PALETTE[j % len(PALETTE)]
        runs: list[list[tuple[float, float]]] = [[]]
        for position, value in zip(positions, series[name], strict=True):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((position, float(value)))
        data = " ".join(
            "M" + " L".join(f"{frame.x(px):.1f},{frame.y(py):.1f}" for px, py in run)
            for run in runs
            if run
        )
        if data:
            parts.append(
                f'<path class="series-line" data-series="{escape(name)}" d="{data}" fill="none" '
                f'stroke="{colour}" stroke-width="2" stroke-linejoin="round"/>'
            )
        for i, (position, value) in enumerate(zip(positions, series[name], strict=True)):
            if value is None:
                continue
            label = f"{name} — {x[i]}: {_number(value, None, lang)}"
            parts.append(
                f'<circle class="series-point" data-series="{escape(name)}" data-value="{value:g}"'
                f' cx="{frame.x(position):.1f}" cy="{frame.y(value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(label)}</title></circle>"
            )
    if len(names) > 1:
        items = [(name, PALETTE[j % len(PALETTE)], "line") for j, name in enumerate(names)]
        parts += _legend(frame.plot_right + 16, frame.top + 8, items)
    parts.append("</svg>")
    return "".join(parts)


# --- shared pieces --------------------------------------------------------------------------------


def _open_svg(frame: _Frame, title: str, description: str) -> list[str]:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width:g} {frame.height:g}" '
        f'role="img" aria-label="{escape(title)}" font-family="{escape(FONT)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    parts.append(f'<rect width="{frame.width:g}" height="{frame.height:g}" fill="#ffffff"/>')
    parts.append(
        f'<text class="chart-title" x="{frame.width / 2:g}" y="28" font-size="16" '
        f'font-weight="600" text-anchor="middle" fill="#222222">{escape(title)}</text>'
    )
    return parts


def _grid_and_axes(
    frame: _Frame,
    x_ticks: Sequence[float],
    y_ticks: Sequence[float],
    x_label: str,
    y_label: str,
    lang: str,
    minor_x: Sequence[float] = (),
) -> list[str]:
    left, right, top, bottom = frame.left, frame.plot_right, frame.top, frame.plot_bottom
    parts = ['<g class="grid" stroke-width="1">']
    parts += [
        f'<line x1="{frame.x(v):.1f}" y1="{top:g}" x2="{frame.x(v):.1f}" y2="{bottom:g}" '
        'stroke="#f0f0f0"/>'
        for v in minor_x
        if v not in x_ticks
    ]
    parts += [
        f'<line x1="{frame.x(v):.1f}" y1="{top:g}" x2="{frame.x(v):.1f}" y2="{bottom:g}" '
        'stroke="#d9d9d9"/>'
        for v in x_ticks
    ]
    parts += [
        f'<line x1="{left:g}" y1="{frame.y(v):.1f}" x2="{right:g}" y2="{frame.y(v):.1f}" '
        'stroke="#d9d9d9"/>'
        for v in y_ticks
    ]
    parts.append("</g>")
    parts.append(
        f'<path class="axes" d="M{left:g},{top:g} L{left:g},{bottom:g} L{right:g},{bottom:g}" '
        'fill="none" stroke="#555555" stroke-width="1"/>'
    )
    parts += [
        f'<text class="tick-y" data-value="{v:g}" x="{left - 6:g}" y="{frame.y(v) + 4:.1f}" '
        f'font-size="12" text-anchor="end" fill="#333333">{label}</text>'
        for v, label in zip(y_ticks, _tick_labels(y_ticks, lang), strict=True)
    ]
    parts += [
        f'<text class="tick-x" data-value="{v:g}" x="{frame.x(v):.1f}" y="{bottom + 18:g}" '
        f'font-size="12" text-anchor="middle" fill="#333333">{label}</text>'
        for v, label in zip(x_ticks, _tick_labels(x_ticks, lang), strict=True)
    ]
    if x_label:
        parts.append(
            f'<text class="axis-label" x="{(left + right) / 2:g}" y="{bottom + 40:g}" '
            f'font-size="13" text-anchor="middle" fill="#222222">{escape(x_label)}</text>'
        )
    if y_label:
        middle = (top + bottom) / 2
        parts.append(
            f'<text class="axis-label" x="18" y="{middle:g}" font-size="13" text-anchor="middle" '
            f'fill="#222222" transform="rotate(-90 18 {middle:g})">{escape(y_label)}</text>'
        )
    return parts


def _legend(x: float, y: float, items: Sequence[tuple[str, str, str]]) -> list[str]:
    """Legend entries (label, colour, kind) stacked from (x, y); kind: line, point or box."""
    parts = ['<g class="legend" font-size="12" fill="#222222">']
    for i, (label, colour, kind) in enumerate(items):
        row = y + i * 22
        if kind == "line":
            swatch = (
                f'<line x1="{x:g}" y1="{row:g}" x2="{x + 22:g}" y2="{row:g}" stroke="{colour}" '
                'stroke-width="2"/>'
            )
        elif kind == "point":
            swatch = (
                f'<line x1="{x:g}" y1="{row:g}" x2="{x + 22:g}" y2="{row:g}" stroke="{colour}" '
                f'stroke-width="2"/><circle cx="{x + 11:g}" cy="{row:g}" r="4" fill="{colour}"/>'
            )
        else:
            swatch = f'<rect x="{x:g}" y="{row - 6:g}" width="14" height="12" fill="{colour}"/>'
        parts.append(
            f'<g class="legend-item">{swatch}<text x="{x + 28:g}" y="{row + 4:g}">'
            f"{escape(label)}</text></g>"
        )
    parts.append("</g>")
    return parts


def _nice_ticks(low: float, high: float, count: int) -> list[float]:
    """Round tick values (step 1, 2, 2.5 or 5 x 10^k) covering [low, high] in about count steps."""
    if not (math.isfinite(low) and math.isfinite(high)):
        low, high = 0.0, 1.0
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step + 1e-9) * step
    stop = math.ceil(high / step - 1e-9) * step
    ticks_count = int(round((stop - start) / step))
    # round() drops binary noise such as 0.30000000000000004 from the labels and data-value
    return [round(start + i * step, 10) for i in range(ticks_count + 1)]


# (threshold, Indonesian suffix, English suffix): budgets run into the billions of rupiah
_SCALES = ((1e12, "T", "T"), (1e9, "M", "B"), (1e6, "jt", "M"))


def _tick_labels(ticks: Sequence[float], lang: str) -> list[str]:
    """Tick texts with one shared number of decimals; large values as 150 jt, 1,5 M (rupiah)."""
    largest = max((abs(t) for t in ticks), default=0.0)
    divisor, suffix = 1.0, ""
    for threshold, suffix_id, suffix_en in _SCALES:
        if largest >= threshold:
            divisor, suffix = threshold, " " + (suffix_en if lang == "en" else suffix_id)
            break
    scaled = [t / divisor for t in ticks]
    decimals = next(
        (
            d
            for d in range(7)
            if all(abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v)) for v in scaled)
        ),
        6,
    )
    return [_number(v, decimals, lang) + (suffix if v else "") for v in scaled]


def _number(value: float, decimals: int | None, lang: str) -> str:
    """A number the way the page's language writes it: 1.234,5 in Indonesian, 1,234.5 in English;
    without ``decimals``, whole numbers and values from 100 up without decimals, others with one."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 100 else 1
    return dec(value, lang, decimals)


def _shorten(label: str, width: float) -> str:
    """The label cut to what fits in ``width`` pixels at 12 px (the full text is in <title>)."""
    fits = max(3, int(width / 7))
    return label if len(label) <= fits else label[: fits - 1] + "…"
