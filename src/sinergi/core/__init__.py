"""Shared vocabulary every stage may import without pulling a stage in: age arithmetic
(`ages`), growth categories (`growth`), beneficiary workflow statuses (`statuses`), NIK masking
(`masking`), plain values for drivers, templates and JSON (`values`), numbers and dates written
for a reader in the reader's language (`display`), and spreadsheet-safe output
(`spreadsheet`). Nothing here imports a stage."""
