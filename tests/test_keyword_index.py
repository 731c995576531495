"""The persisted keyword index: BM25 as bm25s scores it, incremental updates equal to a rebuild,
other processes' writes, crashes, damaged files and the server cache (real Chroma throughout)."""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import pytest

from assistant.api import Assistant
from assistant.components import attach_keyword_index, keyword_index_folder, open_store
from assistant.config import Settings
from assistant.retrieval import analyzer_id, chunk_terms
from assistant.text import terms
from ingest import sync_paths
from tests.conftest import BUNDLED_ARTICLES, PROJECT_ROOT
from tests.test_store_server import Server, server  # noqa: F401  (the module's chroma run)
from vectorstore import ArticleStore, KeywordIndex, MiniLMEmbeddings, StoreLocation, keyword_index
from vectorstore.keyword_segments import K1, B

DIM = 384
WORDS = [
    "harbour", "breakwater", "fleet", "lagoon", "bloom", "sanction", "embassy", "treaty", "summit",
    "pipeline", "drone", "missile", "grain", "tariff", "election", "ceasefire", "refinery",
    "satellite", "vaccine", "glacier",
]  # fmt: skip
QUERIES = [
    ["harbour"],
    ["sanction", "treati"],
    ["drone", "missil", "drone"],
    ["glacier", "vaccin", "elect", "grain"],
    ["bloom"],
]


@pytest.fixture(autouse=True)
def no_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    # The index looks for a newer generation at most once a second; tests must not wait for it.
    monkeypatch.setattr(keyword_index, "CHECK_SECONDS", 0.0)


def settings_for(root: Path, **extra: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        chroma_path=root / "chroma",
        articles_path=root / "articles",
        answer_backend="offline",
        keyword_cache_path=root / "cache",
        **extra,
    )


def unit_vectors(rng: random.Random, n: int) -> list[list[float]]:
    vectors = np.array([[rng.gauss(0, 1) for _ in range(DIM)] for _ in range(n)], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.tolist()


def random_text(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 40))]
    return " ".join(words).capitalize() + "."


def meta(source: str, index: int, section: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": source,
        "chunk_index": index,
        "start": 0,
        "end": 100 * (index + 1),
    }
    if section:
        data["section"] = section
    return data


def ranking(index: KeywordIndex, query: list[str], n: int = 10) -> list[tuple[str, float]]:
    snapshot = index.current()
    assert snapshot is not None, index.problem
    return snapshot.search(query, n)


def fresh_index(store: ArticleStore, folder: Path) -> KeywordIndex:
    """Another index over the same store, in an empty folder: a full rebuild when refreshed."""
    index = KeywordIndex(folder, store, chunk_terms, analyzer_id())
    index.refresh(force=True)
    return index


# --- scoring -------------------------------------------------------------------------------------


def test_scores_are_bm25s_lucene_scores(store: ArticleStore, tmp_path: Path) -> None:
    rng = random.Random(7)
    texts = [random_text(rng) for _ in range(60)]
    ids = [f"c{i:03d}" for i in range(60)]
    store.keywords = KeywordIndex(tmp_path / "kw", store, chunk_terms, analyzer_id())
    store.upsert(ids, texts, [meta(f"s{i // 6}", i % 6) for i in range(60)], unit_vectors(rng, 60))

    reference = bm25s.BM25(k1=K1, b=B, method="lucene")
    reference.index([chunk_terms(t, {}) for t in texts], show_progress=False)
    store.keywords.refresh(force=True)
    for query in QUERIES:
        expected = reference.get_scores(query)
        ours = dict(ranking(store.keywords, query, n=60))
        assert set(ours) == {ids[i] for i in np.flatnonzero(expected > 0)}
        for id_, score in ours.items():
            assert score == pytest.approx(float(expected[ids.index(id_)]), rel=1e-5)


def exhaustive_top(texts: dict[str, str], query: list[str], n: int) -> list[tuple[str, float]]:
    """Lucene BM25 over every text, term by term, no pruning: the reference for the index."""
    docs = {id_: chunk_terms(text, {}) for id_, text in texts.items()}
    avgdl = sum(len(t) for t in docs.values()) / len(docs)
    scores: dict[str, float] = {}
    for id_, doc_terms in docs.items():
        score = 0.0
        for term in query:
            df = sum(1 for t in docs.values() if term in t)
            tf = doc_terms.count(term)
            if df and tf:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                score += idf * tf / (tf + K1 * (1 - B + B * len(doc_terms) / avgdl))
        if score > 0:
            scores[id_] = score
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:n]


@pytest.mark.parametrize("seed", [11, 12])
def test_the_pruned_top_n_is_the_exhaustive_top_n(
    store: ArticleStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    monkeypatch.setattr(keyword_index, "FLUSH_DOCS", 25)  # several segments, some with deletes
    rng = random.Random(seed)
    store.keywords = KeywordIndex(tmp_path / "kw", store, chunk_terms, analyzer_id())
    texts: dict[str, str] = {}
    for batch in range(6):
        ids = [f"d{batch}-{i:02d}" for i in range(30)]
        new = {i: random_text(rng) for i in ids}
        store.upsert(ids, list(new.values()), [meta("s", 0)] * 30, unit_vectors(rng, 30))
        texts.update(new)
        gone = rng.sample(sorted(texts), 6)
        store.delete(gone)
        for id_ in gone:
            del texts[id_]
    store.keywords.refresh(force=True)
    stems = [chunk_terms(w, {})[0] for w in WORDS]
    for _ in range(40):
        query = [rng.choice(stems) for _ in range(rng.randint(1, 6))]
        for n in (1, 3, 10):
            ours = ranking(store.keywords, query, n)
            reference = exhaustive_top(texts, query, len(texts))
            assert len(ours) == min(n, len(reference))
            cut = reference[len(ours) - 1][1] if ours else 0.0
            allowed = {id_ for id_, score in reference if score >= cut - 1e-9}
            for (id_, score), (_, expected) in zip(ours, reference):
                assert score == pytest.approx(expected, rel=1e-9)
                assert id_ in allowed


# --- incremental updates rank like a rebuild ---------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_adds_updates_and_deletes_rank_like_a_full_rebuild(
    store: ArticleStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # Small steps so that sessions save mid-way, segments pile up, merge and get compacted.
    monkeypatch.setattr(keyword_index, "FLUSH_DOCS", 9)
    rng = random.Random(seed)
    store.keywords = KeywordIndex(tmp_path / "kw", store, chunk_terms, analyzer_id())
    live: dict[str, tuple[str, dict[str, Any]]] = {}
    next_id = 0
    for _ in range(12):
        with store.writing():
            for _ in range(rng.randint(1, 4)):
                operation = rng.choice(["add", "add", "update", "delete", "relabel"])
                if operation == "add" or not live:
                    n = rng.randint(1, 12)
                    ids = [f"chunk-{next_id + i:04d}" for i in range(n)]
                    next_id += n
                    texts = [random_text(rng) for _ in ids]
                    metas = [meta(f"art-{rng.randint(0, 9)}", i) for i in range(n)]
                    store.upsert(ids, texts, metas, unit_vectors(rng, n))
                    live.update({i: (t, m) for i, t, m in zip(ids, texts, metas)})
                elif operation == "update":  # same ids, new text: upsert replaces
                    ids = rng.sample(sorted(live), min(len(live), rng.randint(1, 5)))
                    texts = [random_text(rng) for _ in ids]
                    metas = [live[i][1] for i in ids]
                    store.upsert(ids, texts, metas, unit_vectors(rng, len(ids)))
                    live.update({i: (t, m) for i, t, m in zip(ids, texts, metas)})
                elif operation == "delete":
                    ids = rng.sample(sorted(live), min(len(live), rng.randint(1, 8)))
                    store.delete(ids)
                    for i in ids:
                        del live[i]
                else:  # a new section heading is indexed with the text
                    ids = rng.sample(sorted(live), min(len(live), rng.randint(1, 5)))
                    metas = [{**live[i][1], "section": rng.choice(WORDS).title()} for i in ids]
                    store.update_metadata(ids, metas)
                    live.update({i: (live[i][0], m) for i, m in zip(ids, metas)})

    incremental = store.keywords
    incremental.refresh(force=True)
    rebuilt = fresh_index(store, tmp_path / "rebuilt")
    assert incremental.rebuilds == 0 and rebuilt.rebuilds == 1
    a, b = incremental.current(), rebuilt.current()
    assert a is not None and b is not None
    assert a.docs == b.docs == store.count() == len(live)
    assert a.total_len == b.total_len
    assert dict(a.vocabulary()) == dict(b.vocabulary())
    assert a.catalogue == b.catalogue
    assert len(a.segments) >= 1
    for query in [*QUERIES, [t for t in terms("Harbour section")]]:
        assert ranking(incremental, query, 15) == ranking(rebuilt, query, 15)


def test_a_write_session_updates_the_index_once_and_moves_the_revision_once(
    store: ArticleStore, tmp_path: Path
) -> None:
    rng = random.Random(4)
    store.keywords = KeywordIndex(tmp_path / "kw", store, chunk_terms, analyzer_id())
    before = store.revision()
    with store.writing():
        for i in range(3):
            store.upsert([f"x{i}"], [random_text(rng)], [meta("a", i)], unit_vectors(rng, 1))
        store.delete(["x0"])
    after = store.revision()
    assert after[1] == before[1] + 1 and after[2] == 2
    manifest = json.loads((tmp_path / "kw" / "manifest.json").read_text())
    assert manifest["revision"] == list(after) and manifest["docs"] == 2
    assert manifest["generation"] == 2  # the empty index the session started from, then one save


# --- other processes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Library:
    root: Path
    settings: Settings


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """The bundled corpus ingested through the assistant (its index saved beside the store)."""
    shutil.copytree(BUNDLED_ARTICLES, tmp_path / "articles")
    settings = settings_for(tmp_path)
    assistant = Assistant.from_settings(settings)
    assert len(assistant.ingest().added) == 5
    return Library(tmp_path, settings)


def run_python(code: str, settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "CHROMA_PATH": str(settings.chroma_path),
        "ARTICLES_PATH": str(settings.articles_path),
        "KEYWORD_CACHE_PATH": str(settings.keyword_cache_path),
        "ANSWER_BACKEND": "offline",
    }
    if settings.chroma_host:
        env.update(CHROMA_HOST=settings.chroma_host, CHROMA_PORT=str(settings.chroma_port))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        cwd=settings.chroma_path.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


READ_IN_A_NEW_PROCESS = """
    import json, sys
    from assistant.components import open_store
    from assistant.config import load_settings
    from vectorstore import ArticleStore

    def refuse(*args, **kwargs):
        raise AssertionError("the index read every chunk from the store")

    ArticleStore.iter_chunks = refuse
    store = open_store(load_settings())
    store.keywords.refresh(force=True)
    snapshot = store.keywords.current()
    queries = json.loads(sys.argv[1])
    print(json.dumps({
        "state": store.keywords.state,
        "rebuilds": store.keywords.rebuilds,
        "rankings": [snapshot.search(q, 10) for q in queries],
    }))
"""


def test_a_new_process_ranks_from_the_saved_index_without_reading_the_chunks(
    library: Library,
) -> None:
    queries = [terms(q) for q in ("Zvi Magen", "S-400 air defence Syria", "Abraham Accords")]
    store = open_store(library.settings)
    assert store.keywords is not None
    store.keywords.refresh(force=True)
    here = [ranking(store.keywords, q) for q in queries]
    assert all(here)
    done = run_python(READ_IN_A_NEW_PROCESS, library.settings, json.dumps(queries))
    assert done.returncode == 0, done.stderr
    there = json.loads(done.stdout)
    assert there["state"] == "ready" and there["rebuilds"] == 0
    assert there["rankings"] == [[[id_, score] for id_, score in r] for r in here]


NEW_ARTICLE = (
    "A rare quokkaflorin bloom turned the coastal lagoon purple this spring. "
    "Biologists counted the quokkaflorin cells every morning and warned fishermen."
)


def test_a_running_reader_sees_another_process_ingest(library: Library) -> None:
    reader = Assistant.from_settings(library.settings)
    index = reader.retriever.index
    (word,) = terms("quokkaflorin")
    assert index.search([word], 5) == []
    before = index.keywords.current()
    (library.root / "articles" / "bloom.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    cli = Path(sys.executable).parent / "assistant"
    done = subprocess.run(
        [str(cli), "ingest"],
        cwd=library.root,
        env={
            **os.environ,
            "CHROMA_PATH": str(library.settings.chroma_path),
            "ARTICLES_PATH": str(library.settings.articles_path),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    hits = index.search([word], 5)
    assert [c.metadata["source"] for c, _ in hits] == ["bloom.txt"]
    after = index.keywords.current()
    assert before is not None and after is not None and after.generation > before.generation
    assert index.keywords.rebuilds == 0  # reloaded, not rebuilt
    assert reader.status().articles == 6
    assert reader.retrieve("quokkaflorin bloom").notice is None


HOLD_A_WRITE_SESSION = """
    import sys
    from assistant.components import open_store
    from assistant.config import load_settings

    store = open_store(load_settings())
    with store.writing():
        store.upsert(["held-1"], ["Quokkaflorin bloom in the lagoon."], [{"source": "held.txt",
                     "chunk_index": 0, "start": 0, "end": 33}])
        print("written", flush=True)
        sys.stdin.readline()
        if sys.argv[1] == "crash":
            import os
            os._exit(3)  # dies inside the session: the index is never saved
    print("saved", flush=True)
"""


@pytest.mark.parametrize("ending", ["finish", "crash"])
def test_readers_keep_the_last_generation_while_a_writer_works_and_never_trust_a_crashed_one(
    library: Library, monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    monkeypatch.setattr(keyword_index, "FOREGROUND_REBUILD_CHUNKS", 0)
    reader = Assistant.from_settings(library.settings)
    index = reader.retriever.index
    index.refresh(force=True)
    (word,) = terms("quokkaflorin")
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "CHROMA_PATH": str(library.settings.chroma_path),
    }
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLD_A_WRITE_SESSION), ending],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline().strip() == "written"
        # The store moved on, but the writer started from our generation: keep answering from it.
        index.refresh(force=True)
        assert index.keywords.state == "updating" and index.notice is None
        assert index.search(terms("Zvi Magen"), 3)
        assert index.search([word], 5) == []
        writer.stdin.write("go\n")
        writer.stdin.flush()
        writer.wait(timeout=120)
    finally:
        if writer.poll() is None:
            writer.kill()
    if ending == "finish":
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        assert [c.id for c, _ in index.search([word], 5)] == ["held-1"]
        assert index.keywords.rebuilds == 0
        return
    assert writer.returncode == 3
    # The index on disk is one generation behind a store the crashed writer changed: stale.
    # (The rebuild is held until the question below is answered: on a fast machine the
    # background rebuild of this small library could otherwise finish first, and the answer
    # would rightly carry no notice; CI failed on that race once.)
    gate = threading.Event()
    rebuild = index.keywords._rebuild

    def held_rebuild(*args: Any) -> Any:
        gate.wait(timeout=120)
        return rebuild(*args)

    monkeypatch.setattr(index.keywords, "_rebuild", held_rebuild)
    index.refresh(force=True)
    assert index.keywords.state in ("rebuilding", "stale")
    result = reader.retrieve("quokkaflorin bloom")
    gate.set()
    assert result.sources and result.notice is not None
    wait_for_rebuild(index.keywords)
    assert [c.id for c, _ in index.search([word], 5)] == ["held-1"]
    assert index.keywords.rebuilds == 1


def wait_for_rebuild(keywords: KeywordIndex) -> None:
    thread = keywords._rebuilder
    if thread is not None:
        thread.join(timeout=120)
        assert not thread.is_alive()
    keywords.refresh(force=True)
    assert keywords.state == "ready", keywords.problem


# --- damaged or missing files ----------------------------------------------------------------------


def damage(folder: Path, how: str) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    segment = folder / manifest["segments"][0]["name"]
    if how == "manifest garbage":
        (folder / "manifest.json").write_text("{not json")
    elif how == "manifest gone":
        (folder / "manifest.json").unlink()
    elif how == "truncated postings":
        postings = segment / "post_doc.npy"
        postings.write_bytes(postings.read_bytes()[:200])
    elif how == "segment gone":
        shutil.rmtree(segment)
    elif how == "stats disagree":
        np.save(folder / f"{manifest['stats']}-df.npy", np.zeros(3, dtype=np.int64))
    elif how == "folder gone":
        shutil.rmtree(folder)
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "manifest garbage",
        "manifest gone",
        "truncated postings",
        "segment gone",
        "stats disagree",
        "folder gone",
    ],
)
def test_a_damaged_or_missing_index_is_rebuilt_in_the_background_while_answers_come_from_dense(
    library: Library, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr(keyword_index, "FOREGROUND_REBUILD_CHUNKS", 0)
    question = "What did Zvi Magen say about the meeting between Putin and Raisi?"
    healthy = Assistant.from_settings(library.settings)
    expected = [s.chunk_id for s in healthy.retrieve(question).sources]
    damage(keyword_index_folder(library.settings), how)

    # Hold the rebuild until the first answer is in, so the test sees the dense-only path.
    release = threading.Event()
    real_rebuild = KeywordIndex._rebuild

    def held_rebuild(self: KeywordIndex, *args: Any) -> Any:
        assert release.wait(timeout=120)
        return real_rebuild(self, *args)

    monkeypatch.setattr(KeywordIndex, "_rebuild", held_rebuild)
    assistant = Assistant.from_settings(library.settings)
    result = assistant.retrieve(question)
    assert result.notice is not None and "semantic search alone" in result.notice
    assert len(result.sources) == 5
    answer = assistant.ask(question)
    assert answer.citations and not answer.refused
    assert answer.notice is not None and "semantic search alone" in answer.notice
    assert assistant.status().articles == 5 and assistant.status().notice is not None
    release.set()
    wait_for_rebuild(assistant.retriever.index.keywords)
    again = assistant.retrieve(question)
    assert again.notice is None
    assert [s.chunk_id for s in again.sources] == expected


def test_an_ingest_rebuilds_a_stale_index_before_updating_it(
    library: Library,
) -> None:
    damage(keyword_index_folder(library.settings), "truncated postings")
    (library.root / "articles" / "bloom.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    writer = Assistant.from_settings(library.settings)
    report = writer.ingest()
    assert report.added == ["bloom.txt"]
    assert writer.retriever.index.keywords.rebuilds == 1
    reader = open_store(library.settings)
    assert reader.keywords is not None
    reader.keywords.refresh(force=True)
    assert reader.keywords.state == "ready" and reader.keywords.rebuilds == 0
    (top, _), *_ = ranking(reader.keywords, terms("quokkaflorin"))
    assert reader.get([top])[0].metadata["source"] == "bloom.txt"


def test_an_index_folder_that_cannot_be_written_does_not_stop_ingest_or_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copytree(BUNDLED_ARTICLES, tmp_path / "articles")
    settings = settings_for(tmp_path)
    settings.chroma_path.mkdir(parents=True)
    (settings.chroma_path / "keyword-index").write_text("a file where the folder should be")
    assistant = Assistant.from_settings(settings)
    report = assistant.ingest()
    assert len(report.added) == 5 and assistant.store.count() == report.chunks
    assert "cannot be written" in caplog.text
    result = assistant.retrieve("Who is Zvi Magen?")
    assert len(result.sources) == 5 and result.notice is not None
    answer = assistant.ask("Who is Zvi Magen?")
    assert answer.citations
    assert assistant.status().chunks == report.chunks


def test_an_index_made_by_another_term_analyzer_is_rebuilt(library: Library) -> None:
    store = open_store(library.settings)
    assert store.keywords is not None
    store.keywords.analyzer_id = "another-analyzer"
    store.keywords.refresh(force=True)  # a small store: rebuilt before answering
    assert store.keywords.rebuilds == 1 and store.keywords.state == "ready"
    manifest = json.loads((keyword_index_folder(library.settings) / "manifest.json").read_text())
    assert manifest["analyzer"] == "another-analyzer"


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("TOKENIZER_VERSION", 10**6),
        ("_IRREGULAR", {"forsook": "forsake"}),
        ("STOPWORDS", frozenset({"besides"})),
    ],
)
def test_the_analyzer_id_follows_the_tokenizers_version_and_tables(
    monkeypatch: pytest.MonkeyPatch, name: str, changed: Any
) -> None:
    """An index made before the tokenizer changed (new irregular forms, stopwords) is not
    reused: its analyzer id no longer matches, so it is rebuilt."""
    from assistant import text

    before = analyzer_id()
    assert analyzer_id() == before  # stable within a version
    monkeypatch.setattr(text, name, changed)
    assert analyzer_id() != before


# --- status and catalogue ----------------------------------------------------------------------


def test_status_and_catalogue_come_from_the_index_and_follow_deletes(library: Library) -> None:
    assistant = Assistant.from_settings(library.settings)
    catalogue = assistant.catalogue()
    store = assistant.store
    by_source: dict[str, list[dict[str, Any]]] = {}
    for chunk in store.iter_chunks(include_text=False):
        by_source.setdefault(chunk.metadata["source"], []).append(chunk.metadata)
    assert [e.source for e in catalogue] == sorted(by_source)
    for entry in catalogue:
        metas = by_source[entry.source]
        assert entry.chunks == len(metas)
        assert entry.chars == max(m["end"] for m in metas)
        assert entry.title == metas[0].get("title")
        assert entry.original_source == metas[0].get("original_source")
        view = assistant.article(entry.source)
        assert view is not None and entry.chars == len(view.text)
    status = assistant.status()
    assert (status.articles, status.chunks, status.notice) == (5, store.count(), None)

    gone = catalogue[0].source
    (library.root / "articles" / gone).unlink()
    assistant.ingest()
    assert [e.source for e in assistant.catalogue()] == sorted(set(by_source) - {gone})
    assert assistant.status().articles == 4


# --- a Chroma server: a local cache keyed by collection identity and revision -----------------------


def test_server_mode_keeps_the_index_in_a_local_cache_keyed_by_collection_and_revision(
    server: Server,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
    embeddings: MiniLMEmbeddings,
) -> None:
    shutil.copytree(BUNDLED_ARTICLES, tmp_path / "articles")
    settings = settings_for(
        tmp_path, chroma_host="127.0.0.1", chroma_port=server.port, chroma_collection="kwcache"
    )
    assistant = Assistant.from_settings(settings)
    assistant.ingest()
    folder = keyword_index_folder(settings)
    assert folder.parent == tmp_path / "cache"
    assert not (tmp_path / "chroma").exists()  # nothing of the index beside a store we do not hold
    manifest = json.loads((folder / "manifest.json").read_text())
    collection_id, _, chunks = assistant.store.revision()
    assert manifest["revision"] == list(assistant.store.revision())
    assert manifest["revision"][0] == collection_id == str(assistant.store.collection.id)
    assert manifest["docs"] == chunks
    other = settings_for(
        tmp_path, chroma_host="127.0.0.1", chroma_port=server.port, chroma_collection="kwother"
    )
    assert keyword_index_folder(other) != folder

    # Another machine writes to the collection without this cache: it no longer matches.
    remote = ArticleStore.open(settings_for_location(settings), embeddings)
    remote.upsert(["remote-1"], [NEW_ARTICLE], [{"source": "remote.txt", "chunk_index": 0,
                  "start": 0, "end": len(NEW_ARTICLE)}])  # fmt: skip
    index = assistant.retriever.index
    index.refresh(force=True)  # small: rebuilt in the foreground
    assert index.keywords.rebuilds == 1 and index.ready
    (word,) = terms("quokkaflorin")
    assert [c.id for c, _ in index.search([word], 3)] == ["remote-1"]

    # The collection is recreated (same name, new identity): the next process opening it finds
    # a cache made for another collection and rebuilds it.
    remote.reset()
    remote.upsert(["after-reset"], [NEW_ARTICLE], [{"source": "again.txt", "chunk_index": 0,
                  "start": 0, "end": len(NEW_ARTICLE)}])  # fmt: skip
    again = Assistant.from_settings(settings)
    assert [c.id for c, _ in again.retriever.index.search([word], 3)] == ["after-reset"]
    keywords = again.retriever.index.keywords
    assert keywords.rebuilds == 1 and keywords.folder == folder
    current = keywords.current()
    assert current is not None and current.revision[0] == str(remote.collection.id) != collection_id


def settings_for_location(settings: Settings) -> StoreLocation:
    """Where the server collection of `settings` is, for a store opened without this cache."""
    return StoreLocation(
        host=settings.chroma_host, port=settings.chroma_port, collection=settings.chroma_collection
    )


# --- the store's write session --------------------------------------------------------------------


class FailingEmbeddings:
    """The real model, failing on its third call (a model server that goes away mid-ingest)."""

    def __init__(self, inner: MiniLMEmbeddings) -> None:
        self.inner, self.calls = inner, 0
        self.model_name, self.dimension = inner.model_name, inner.dimension

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls == 3:
            raise RuntimeError("embedding server went away")
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def test_an_ingest_that_fails_half_way_leaves_an_index_that_is_rebuilt_not_trusted(
    tmp_path: Path, embeddings: MiniLMEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest import sync as sync_module

    monkeypatch.setattr(sync_module, "EMBED_BATCH", 16)
    shutil.copytree(BUNDLED_ARTICLES, tmp_path / "articles")
    settings = settings_for(tmp_path)
    store = ArticleStore.open(
        StoreLocation(path=settings.chroma_path), FailingEmbeddings(embeddings)
    )  # type: ignore[arg-type]
    keywords = attach_keyword_index(settings, store)
    with pytest.raises(RuntimeError, match="went away"):
        sync_paths(store, [tmp_path / "articles"])
    written = store.count()
    assert 0 < written < 51  # the batches before the failure are in the store
    keywords.refresh(force=True)  # small store: rebuilt in the foreground, then ready
    assert keywords.rebuilds == 1 and keywords.state == "ready"
    current = keywords.current()
    assert current is not None and current.docs == written
