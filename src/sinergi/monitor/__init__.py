"""Monitoring: coverage and convergence of interventions over an assessment run, and the at-risk
families no programme has reached."""

from sinergi.monitor.coverage import coverage, missed_by_programmes, totals

__all__ = ["coverage", "missed_by_programmes", "totals"]
