"""A first end-to-end check: the bundled corpus syncs into a real store, and a re-run embeds nothing."""

from pathlib import Path

from ingest import sync_paths
from vectorstore import ArticleStore


def test_bundled_corpus_syncs_then_is_unchanged(store: ArticleStore, corpus_dir: Path) -> None:
    first = sync_paths(store, [corpus_dir])
    assert len(first.added) == 5 and first.embedded == store.count() > 0
    second = sync_paths(store, [corpus_dir])
    assert second.embedded == 0
    assert sorted(second.unchanged) == sorted(first.added)
