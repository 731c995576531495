"""Tests; a package so shared test servers import as `tests.fake_openai`."""
