"""Hybrid retrieval: reciprocal rank fusion, diversity, BM25 freshness, and recall on the bundled corpus."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.documents import Document

from assistant import retrieval
from assistant.api import Assistant
from assistant.components import attach_keyword_index
from assistant.config import Settings, load_settings
from assistant.evaluation import GoldQuestion, load_gold
from assistant.retrieval import HybridRetriever, diversify, reciprocal_rank_fusion
from assistant.text import terms
from ingest import sync_paths
from tests.conftest import _SETTINGS_ENV, BUNDLED_ARTICLES, GOLD_SET
from vectorstore import ArticleStore, MiniLMEmbeddings, StoredChunk, StoreLocation, keyword_index

# --- reciprocal_rank_fusion -------------------------------------------------------------------


def test_fusion_sums_one_over_k_plus_rank() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    assert fused == {
        "a": 1 / 61 + 1 / 62,
        "b": 1 / 62,
        "c": 1 / 63 + 1 / 61,
        "d": 1 / 63,
    }


def test_ids_in_both_rankings_outrank_ids_in_one() -> None:
    fused = reciprocal_rank_fusion([["x", "only_dense", "both"], ["both", "only_lexical"]])
    order = sorted(fused, key=lambda id_: -fused[id_])
    assert order[0] == "both"  # third and first beats first alone
    assert fused["both"] == 1 / 63 + 1 / 61
    assert fused["x"] == 1 / 61


def test_fusion_takes_k() -> None:
    assert reciprocal_rank_fusion([["a", "b"]], k=1) == {"a": 1 / 2, "b": 1 / 3}


@pytest.mark.parametrize("rankings", [[], [[]], [[], []]])
def test_fusion_of_nothing_is_empty(rankings: list[list[str]]) -> None:
    assert reciprocal_rank_fusion(rankings) == {}


# --- diversify ------------------------------------------------------------------------------


def chunk(id_: str, source: str, start: int, end: int) -> StoredChunk:
    return StoredChunk(id=id_, text=id_, metadata={"source": source, "start": start, "end": end})


def ids(chunks: list[StoredChunk]) -> list[str]:
    return [c.id for c in chunks]


def test_diversify_skips_a_near_duplicate_span_of_the_same_source() -> None:
    ranked = [
        chunk("a0", "A", 0, 100),
        chunk("a0-dup", "A", 30, 130),  # shares 70% of a0
        chunk("b0", "B", 30, 130),  # same offsets, other article: not a duplicate
        chunk("a1", "A", 50, 150),  # shares exactly 50% of a0: still allowed
    ]
    assert ids(diversify(ranked, 3)) == ["a0", "b0", "a1"]


def test_diversify_caps_one_source_when_others_can_fill() -> None:
    ranked = [
        chunk("a0", "A", 0, 100),
        chunk("a1", "A", 200, 300),
        chunk("a2", "A", 400, 500),
        chunk("b0", "B", 0, 100),
        chunk("c0", "C", 0, 100),
    ]
    assert ids(diversify(ranked, 3)) == ["a0", "a1", "b0"]  # cap max(2, ceil(0.6 * 3)) = 2
    assert ids(diversify(ranked, 3, per_source_cap=1)) == ["a0", "b0", "c0"]
    assert ids(diversify(ranked, 5)) == ["a0", "a1", "a2", "b0", "c0"]  # cap 3


def test_diversify_fills_from_held_back_chunks_when_nothing_else_is_left() -> None:
    ranked = [
        chunk("a0", "A", 0, 100),
        chunk("a1", "A", 200, 300),
        chunk("a2", "A", 400, 500),
        chunk("b0", "B", 0, 100),
        chunk("a3", "A", 600, 700),
    ]
    assert ids(diversify(ranked, 5, per_source_cap=2)) == ["a0", "a1", "b0", "a2", "a3"]


def test_diversify_never_fills_with_a_near_duplicate_of_a_chosen_chunk() -> None:
    ranked = [chunk("a0", "A", 0, 100), chunk("a0-dup", "A", 10, 110), chunk("a1", "A", 200, 300)]
    assert ids(diversify(ranked, 3)) == ["a0", "a1"]


def test_diversify_held_back_fill_skips_near_duplicates_among_themselves() -> None:
    ranked = [
        chunk("a0", "A", 0, 100),
        chunk("a1", "A", 200, 300),
        chunk("a2", "A", 400, 500),
        chunk("a2-dup", "A", 420, 520),  # shares 80% of a2; both are held back by the cap
    ]
    assert ids(diversify(ranked, 4, per_source_cap=2)) == ["a0", "a1", "a2"]


@pytest.mark.parametrize("k", [1, 2, 5])
def test_diversify_returns_at_most_k_in_rank_order_of_the_unheld(k: int) -> None:
    ranked = [chunk(f"s{i}", f"S{i}", 0, 100) for i in range(6)]
    assert ids(diversify(ranked, k)) == [f"s{i}" for i in range(k)]


# --- the bundled corpus ---------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    store: ArticleStore
    articles: Path
    assistant: Assistant


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings) -> Corpus:
    """The bundled articles synced once into a real Chroma store, with an offline Assistant on it."""
    root = tmp_path_factory.mktemp("retrieval")
    articles = root / "articles"
    shutil.copytree(BUNDLED_ARTICLES, articles)
    store = ArticleStore.open(StoreLocation(path=root / "chroma"), embeddings)
    report = sync_paths(store, [articles])
    assert len(report.added) == 5
    with pytest.MonkeyPatch.context() as env:  # module scope runs before the per-test isolation
        for name in _SETTINGS_ENV:
            env.delenv(name, raising=False)
        settings = load_settings(
            chroma_path=root / "chroma", articles_path=articles, _env_file=None
        )
    return Corpus(store, articles, Assistant(settings, store))


ANSWERABLE = [g for g in load_gold(GOLD_SET) if g.answerable]


def test_the_gold_set_has_answerable_questions_and_follow_ups() -> None:
    assert len(ANSWERABLE) == 23
    assert sum(1 for g in ANSWERABLE if g.history) == 2


@pytest.mark.parametrize("gold", ANSWERABLE, ids=[g.id for g in ANSWERABLE])
def test_every_answerable_gold_question_finds_an_expected_source_in_the_top_5(
    corpus: Corpus, gold: GoldQuestion
) -> None:
    question = gold.question
    if gold.history:
        answer = corpus.assistant.ask(gold.question, history=gold.history)
        assert answer.rewritten_question is not None
        question = answer.rewritten_question
    found = [s.source for s in corpus.assistant.retriever.search(question, 5).sources]
    assert len(found) == 5
    assert set(found) & set(gold.sources), f"{question!r} retrieved {found}, wanted {gold.sources}"


def test_search_ranks_sources_best_first_and_numbers_them(corpus: Corpus) -> None:
    result = corpus.assistant.retriever.search("Why did Israel avoid sanctioning Russia?", 5)
    assert [s.n for s in result.sources] == [1, 2, 3, 4, 5]
    scores = [s.score for s in result.sources]
    assert scores == sorted(scores, reverse=True)
    assert len({s.chunk_id for s in result.sources}) == 5
    # Every chosen chunk has a cosine similarity, even one found only by BM25.
    assert set(result.similarity) >= {s.chunk_id for s in result.sources}
    assert all(-1.0 <= result.similarity[s.chunk_id] <= 1.0 for s in result.sources)
    assert result.query_terms == terms("Why did Israel avoid sanctioning Russia?")


@pytest.mark.parametrize("k", [1, 3, 8])
def test_search_returns_k_sources(corpus: Corpus, k: int) -> None:
    assert len(corpus.assistant.retriever.search("Putin's visit to Iran", k).sources) == k


def test_source_text_is_the_article_slice_at_its_offsets(corpus: Corpus) -> None:
    for source in corpus.assistant.retriever.search("S-400 air defense over Syria", 8).sources:
        article = corpus.store.article_text(source.source)
        assert article is not None
        assert article[source.start : source.end] == source.text


def test_the_langchain_retriever_interface_returns_documents(corpus: Corpus) -> None:
    retriever = corpus.assistant.retriever
    docs = retriever.invoke("Which Russian air defense system controls Syrian airspace?")
    assert len(docs) == retriever.k == 5
    assert all(isinstance(d, Document) for d in docs)
    assert {"source", "chunk_id", "start", "end"} <= set(docs[0].metadata)
    assert docs[0].metadata["source"] == "001_e39134460b26401a.txt"
    assert [d.metadata["n"] for d in docs] == [1, 2, 3, 4, 5]
    for doc in docs:
        assert doc.id == doc.metadata["chunk_id"]
        article = corpus.store.article_text(doc.metadata["source"])
        assert article is not None
        assert article[doc.metadata["start"] : doc.metadata["end"]] == doc.page_content
    assert any("S-400" in d.page_content for d in docs)


def test_the_langchain_retriever_batches(corpus: Corpus) -> None:
    batches = corpus.assistant.retriever.batch(["Who is Zvi Magen?", "Abraham Accords"])
    assert [b[0].metadata["source"] for b in batches] == [
        "004_c2d5eab1c8a75578.txt",
        "002_884ea457e23f1205.txt",
    ]


def test_oov_terms_get_a_middling_weight_and_rare_terms_more_than_common_ones(
    corpus: Corpus,
) -> None:
    index = corpus.assistant.retriever.index
    index.refresh()
    assert index.ready and index.notice is None
    assert index.weight("zzqxnotaword") == retrieval.OOV_WEIGHT
    (rare,) = terms("Turkmenistan")
    (common,) = terms("Israel")
    assert index.weight(rare) > index.weight(common) > 0


# --- the BM25 index follows the store -------------------------------------------------------

ARTICLE_A = (
    "The harbour authority of Valparaíso approved a new breakwater on Monday. "
    "Engineers said the work will take three years and protect the fishing fleet."
)
ARTICLE_B = (
    "A rare quokkaflorin bloom turned the coastal lagoon purple this spring. "
    "Biologists counted the quokkaflorin cells every morning and warned fishermen."
)


@pytest.fixture
def no_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    # The index looks for a newer generation at most once a second; tests must not wait for it.
    monkeypatch.setattr(keyword_index, "CHECK_SECONDS", 0.0)


@pytest.fixture
def keyed(store: ArticleStore, tmp_path: Path) -> ArticleStore:
    """The test's store with its keyword index attached, as the assistant wires it."""
    attach_keyword_index(Settings(_env_file=None, chroma_path=tmp_path / "chroma"), store)  # type: ignore[call-arg]
    return store


def test_the_bm25_index_follows_the_store(
    keyed: ArticleStore, tmp_path: Path, no_throttle: None
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "harbour.txt").write_text(ARTICLE_A, encoding="utf-8")
    sync_paths(keyed, [folder])
    retriever = HybridRetriever.over(keyed, k=2)
    (word,) = terms("quokkaflorin")
    assert retriever.index.search([word], 5) == []
    assert [s.source for s in retriever.search("breakwater").sources] == ["harbour.txt"]

    (folder / "bloom.txt").write_text(ARTICLE_B, encoding="utf-8")
    sync_paths(keyed, [folder])
    hits = retriever.index.search([word], 5)
    assert [c.metadata["source"] for c, _ in hits] == ["bloom.txt"]
    assert retriever.search("quokkaflorin").sources[0].source == "bloom.txt"

    (folder / "bloom.txt").unlink()
    sync_paths(keyed, [folder])
    assert retriever.index.search([word], 5) == []
    assert [s.source for s in retriever.search("quokkaflorin").sources] == ["harbour.txt"]
    # Every step was an incremental update by the writes themselves: nothing was rebuilt.
    assert keyed.keywords is not None and keyed.keywords.rebuilds == 0


def test_the_bm25_index_is_not_reloaded_while_the_store_is_unchanged(
    keyed: ArticleStore, tmp_path: Path, no_throttle: None
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "harbour.txt").write_text(ARTICLE_A, encoding="utf-8")
    sync_paths(keyed, [folder])
    index = HybridRetriever.over(keyed).index
    index.refresh()
    loaded = index.keywords.current()
    assert loaded is not None and loaded.docs == keyed.count()
    index.refresh(force=True)
    assert index.keywords.current() is loaded
    (folder / "bloom.txt").write_text(ARTICLE_B, encoding="utf-8")
    sync_paths(keyed, [folder])
    index.refresh()
    newer = index.keywords.current()
    assert newer is not None and newer.generation == loaded.generation + 1
    assert newer.docs == keyed.count() > loaded.docs


def test_a_store_without_a_keyword_index_is_refused_with_advice(store: ArticleStore) -> None:
    with pytest.raises(ValueError, match="attach_keyword_index"):
        HybridRetriever.over(store)


def test_an_empty_store_says_the_library_is_empty(keyed: ArticleStore) -> None:
    """Not "nothing matched": with no articles at all, the answer would be a wrong refusal."""
    from vectorstore import LibraryEmptyError

    with pytest.raises(LibraryEmptyError, match="holds no articles. Add some with `assistant"):
        HybridRetriever.over(keyed).search("Why did Israel avoid sanctioning Russia?")
