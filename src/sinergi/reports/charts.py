"""Charts for officers: drawn by Excel itself inside the workbook, and as PNG images (matplotlib,
headless) for reports, slides and messages where a picture travels better than a workbook."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and CI
import matplotlib.pyplot as plt  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402
from openpyxl.chart import LineChart, Reference  # noqa: E402

from sinergi.core.display import dec, num  # noqa: E402
from sinergi.messages import Lang, t  # noqa: E402


def add_line_chart(
    path: Path, frame: pd.DataFrame, x: str, y: str, series: str, title: str
) -> None:
    """Add a sheet 'Grafik' with one line per value of ``series`` (y against x)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Grafik")
    xs = sorted(frame[x].unique())
    names = sorted(frame[series].unique())
    ws.append([x, *names])
    for value in xs:
        row = frame[frame[x] == value].set_index(series)[y]
        ws.append([float(value), *[float(row.get(n, float("nan"))) for n in names]])
    chart = LineChart()
    chart.title = title
    chart.x_axis.title = x
    chart.y_axis.title = y
    chart.add_data(
        Reference(ws, min_col=2, max_col=1 + len(names), min_row=1, max_row=1 + len(xs)),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(xs)))
    chart.width, chart.height = 22, 12
    ws.add_chart(chart, "E2")
    wb.save(path)


def scenario_png(path: Path, frame: pd.DataFrame, title: str, lang: Lang = "id") -> None:
    """Families reached against budget, one line per method, budgets in billions of rupiah."""
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    for method, g in frame.sort_values("anggaran").groupby("metode", sort=True):
        ax.plot(
            g["anggaran"] / 1e9,
            g["keluarga_terjangkau"],
            marker="o",
            label=t(f"metode_{method}", lang),
        )
    ax.set_title(title)
    ax.set_xlabel(t("sumbu_anggaran", lang))
    ax.set_ylabel(t("sumbu_keluarga", lang))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: dec(v, lang, 0 if float(v).is_integer() else 1))
    )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: num(v, lang)))
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
