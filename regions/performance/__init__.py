"""The performance measures, in the order they build on each other: measures (what each measure is, and the
registry of counters), counting (live counts), rollups (the nightly months, figures, targets, kpi_report),
league (periods, league tables, RAG, trend), cases_behind (the cases behind a number) and views (the pages).
Callers import the module they use; this package re-exports nothing."""
