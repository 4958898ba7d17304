"""Person linkage: one person, one cluster, whatever each source wrote of them.

`names` makes Indonesian names comparable, `records` reads the records to compare from the store,
`model` holds the Splink comparisons and their training, `run` links and clusters (``sinergi
link``), `review` is the officers' queue (``sinergi review``), `quality` measures the result
against the synthetic truth.
"""

#: The source of a roster person's record and of an e-PPGBM child's record.
ROSTER = "keluarga"
EPPGBM = "eppgbm"
