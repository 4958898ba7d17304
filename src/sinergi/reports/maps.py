"""Static maps for printed reports: the villages of the bundled boundaries (Kutai Timur,
`sinergi.wilayah.boundaries`) shaded by a value, a few of them outlined and numbered, with a
legend, a north arrow and the boundaries' attribution line — a PNG (matplotlib, headless) that a
`Gambar` block carries into the PDF and the XLSX.

The map draws regions, never persons: its values are village aggregates (a count, a rank, a
score). A village without a value is drawn grey and named in the legend as "no data".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers and CI
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.colors import Normalize, PowerNorm  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from sinergi.core.display import num  # noqa: E402
from sinergi.messages import Lang, t  # noqa: E402
from sinergi.wilayah.boundaries import load_boundaries, village_points  # noqa: E402

NO_DATA_COLOUR = "#d9d9d9"
OUTLINE_COLOUR = "#08306b"
# The regency lies across the equator (0–2° N): one degree of longitude is as long as one of
# latitude to within 0.1 %, so an equal aspect is a true-shape map here.
_ASPECT = 1.0
Ring = list[tuple[float, float]]


@cache
def _rings(level: str) -> tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """Per feature of the bundled ``level`` boundaries: its code and its outer rings."""
    collection = load_boundaries(level)  # type: ignore[arg-type]
    out = []
    for feature in collection["features"]:
        geometry: dict[str, Any] = feature.get("geometry") or {}
        polygons = (
            [geometry["coordinates"]]
            if geometry.get("type") == "Polygon"
            else list(geometry.get("coordinates") or [])
        )
        rings = tuple(
            tuple((float(p[0]), float(p[1])) for p in polygon[0]) for polygon in polygons if polygon
        )
        out.append((str(feature["properties"]["kode"]), rings))
    return tuple(out)


def village_map_png(
    values: dict[str, float],
    highlight: Sequence[str],
    title: str,
    lang: Lang = "id",
    *,
    label: str = "",
    names: dict[str, str] | None = None,
) -> bytes:
    """A PNG map of the bundled villages: each shaded by ``values`` (village code → number;
    a village without one is grey, "no data"), the ``highlight`` villages outlined and numbered
    in that order (1 = first), listed beside the map with their names (``names``, default the
    boundaries' names); ``label`` says what the shade is (the colour bar's title)."""
    villages = _rings("desa")
    boundary_names = {
        f["properties"]["kode"]: str(f["properties"].get("nama") or "")
        for f in load_boundaries("desa")["features"]
    }
    names = names or {}
    points = village_points()
    known = [v for v in values.values() if v is not None and v == v]
    low, high = min(known, default=0.0), max(known, default=1.0)
    norm: Normalize
    if low == high:
        norm = Normalize(vmin=low - 1, vmax=high + 1)
    elif low >= 0:
        # Counts are skewed (one town holds many times a village's families): a square-root
        # scale keeps the villages apart instead of painting all but the town alike.
        norm = PowerNorm(0.5, vmin=low, vmax=high)
    else:
        norm = Normalize(vmin=low, vmax=high)
    cmap = colormaps["YlOrRd"]

    fig, ax = plt.subplots(figsize=(11.0, 6.4), dpi=150)
    polygons: list[Ring] = []
    colours: list[Any] = []
    for kode, rings in villages:
        value = values.get(kode)
        colour = NO_DATA_COLOUR if value is None or value != value else cmap(norm(value))
        for ring in rings:
            polygons.append(list(ring))
            colours.append(colour)
    ax.add_collection(
        PolyCollection(polygons, facecolors=colours, edgecolors="#ffffff", linewidths=0.3)
    )
    kecamatan = [list(ring) for _kode, rings in _rings("kecamatan") for ring in rings]
    ax.add_collection(
        PolyCollection(kecamatan, facecolors="none", edgecolors="#525252", linewidths=0.7)
    )
    chosen = [k for k in highlight if k in dict(villages)]
    by_code = dict(villages)
    ax.add_collection(
        PolyCollection(
            [list(r) for k in chosen for r in by_code[k]],
            facecolors="none",
            edgecolors=OUTLINE_COLOUR,
            linewidths=1.6,
        )
    )
    for number, kode in enumerate(chosen, start=1):
        if kode in points:
            lat, lng = points[kode]
            ax.annotate(
                str(number),
                (lng, lat),
                ha="center",
                va="center",
                fontsize=7,
                fontweight="bold",
                color="white",
                bbox={"boxstyle": "circle,pad=0.2", "fc": OUTLINE_COLOUR, "ec": "none"},
            )
    ax.autoscale_view()
    ax.set_aspect(_ASPECT)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title, fontsize=11)

    scalar = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(scalar, ax=ax, orientation="horizontal", fraction=0.04, pad=0.02)
    if isinstance(norm, PowerNorm):
        # Ticks evenly spaced on the square-root scale, so their labels do not crowd.
        bar.set_ticks([low + (high - low) * f * f for f in (0.0, 0.25, 0.5, 0.75, 1.0)])
    bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: num(v, lang)))
    bar.set_label(label, fontsize=8)
    bar.ax.tick_params(labelsize=7)

    handles = [
        Patch(facecolor=NO_DATA_COLOUR, edgecolor="#999999", label=t("lap_peta_tanpa_data", lang))
    ]
    handles += [
        Patch(
            facecolor="none",
            edgecolor=OUTLINE_COLOUR,
            linewidth=1.6,
            label=f"{number}. {names.get(kode) or boundary_names.get(kode, kode)}",
        )
        for number, kode in enumerate(chosen, start=1)
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=7,
        frameon=False,
        title=t("lap_peta_prioritas", lang) if chosen else None,
        title_fontsize=8,
    )
    ax.annotate(
        t("lap_peta_utara", lang),
        xy=(0.04, 0.96),
        xytext=(0.04, 0.86),
        xycoords="axes fraction",
        ha="center",
        fontsize=9,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2},
    )
    fig.text(0.01, 0.01, t("lap_peta_atribusi", lang), fontsize=6, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
