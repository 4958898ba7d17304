"""Reports for officers: tables written as formatted XLSX or plain CSV."""

from sinergi.reports.tables import write_table

__all__ = ["write_table"]
