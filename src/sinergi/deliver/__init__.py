"""Deliver stage: the beneficiary workflow of family programmes, village projects of area
programmes, and each family's history across agencies."""
