"""Batch execution of the same rule definitions away from the application database."""
