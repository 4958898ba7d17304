"""Person linkage: one person, one cluster, whatever each source wrote of them.

`names` makes Indonesian names comparable, `records` reads the records to compare from the store,
`model` holds the Splink comparisons and their training, `run` links and clusters (``sinergi
link``), `golden` keeps one golden record per person and joins a P3KE family to the roster family
it is (the survivorship rules), `review` is the officers' queue (``sinergi review``), `quality`
measures the result against the synthetic truth.
"""

#: The source of a roster person's record and of an e-PPGBM child's record.
ROSTER = "keluarga"
EPPGBM = "eppgbm"
#: The source of a person named on an agency list (``intervensi``), and of the head of a P3KE
#: family the roster does not hold (its No KK names no roster member).
AGENCY = "intervensi"
P3KE = "p3ke"
#: The source of a pregnant woman as an ANC register (``ibu_hamil``) writes her.
PREGNANCY = "ibu_hamil"
#: Which source wins a tie of data dates in a golden record (`sinergi.link.golden`).
PRIORITY = (ROSTER, EPPGBM, PREGNANCY, AGENCY, P3KE)
