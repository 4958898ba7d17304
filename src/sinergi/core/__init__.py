"""Shared vocabulary every stage may import without pulling a stage in: age arithmetic
(`ages`), growth categories (`growth`), beneficiary workflow statuses (`statuses`), NIK masking
(`masking`), plain values for drivers, templates and JSON (`values`), and spreadsheet-safe
output (`spreadsheet`). Nothing here imports a stage."""
