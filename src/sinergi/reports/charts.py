"""Charts for officers, drawn by Excel itself inside the workbook (no image library needed)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.chart import LineChart, Reference


def add_line_chart(path: Path, frame: pd.DataFrame, x: str, y: str, series: str,
                   title: str) -> None:
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
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(names), min_row=1,
                             max_row=1 + len(xs)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(xs)))
    chart.width, chart.height = 22, 12
    ws.add_chart(chart, "E2")
    wb.save(path)
