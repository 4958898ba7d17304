"""The demo: the whole story of `sinergi demo` on a synthetic Kutai Timur (`run.Demo`, one
method per step) and its seeded year of delivery (`year.simulate_year`). The CLI only prints
what these return."""
