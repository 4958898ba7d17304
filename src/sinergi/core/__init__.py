"""Shared vocabulary every stage may import without pulling a stage in."""
