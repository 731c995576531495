"""Benchmarks: our pipeline against the LangChain tutorial baseline, printed as tables (a report, not a test)."""
