"""The bundled MiniLM embedder: shape, unit norm, meaning, and order under length batching."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore import LOCAL_MODEL_DIM, LOCAL_MODEL_NAME, MiniLMEmbeddings

TEXTS = [
    "Short one.",
    (
        "A considerably longer sentence about the ceasefire negotiations in Cairo between "
        "delegations from several countries, which resumed on Monday after a week-long pause."
    ),
    "Ports reopened.",
    "x",
    "The harbour reopened after a week of repairs to the sea wall damaged by last month's storm.",
    "Israel and Russia coordinate military operations over Syria.",
    "Stock markets fell sharply on Tuesday.",
    "",
]


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))  # the vectors are unit length


def test_model_identity_is_what_collections_are_stamped_with(embeddings: MiniLMEmbeddings) -> None:
    assert (embeddings.model_name, embeddings.dimension) == (LOCAL_MODEL_NAME, LOCAL_MODEL_DIM)
    assert (LOCAL_MODEL_NAME, LOCAL_MODEL_DIM) == ("all-MiniLM-L6-v2-onnx-int8", 384)


def test_vectors_have_dimension_384_and_unit_norm(embeddings: MiniLMEmbeddings) -> None:
    vectors = np.array(embeddings.embed_documents(TEXTS))
    assert vectors.shape == (len(TEXTS), 384)
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = embeddings.embed_query("Where did the talks take place?")
    assert len(query) == 384
    assert abs(np.linalg.norm(query) - 1.0) < 1e-5


@pytest.mark.parametrize(
    ("anchor", "similar", "unrelated"),
    [
        (
            "The cat sat on the mat.",
            "A cat was sitting on a rug.",
            "Stock markets fell sharply on Tuesday.",
        ),
        (
            "Israel coordinates its airstrikes in Syria with Russia.",
            "Israeli jets strike Syrian targets after deconfliction with Moscow.",
            "The recipe calls for two cups of flour and a pinch of salt.",
        ),
        (
            "Who is the Russian president?",
            "Vladimir Putin is the president of Russia.",
            "The harbour reopened after repairs to the sea wall.",
        ),
    ],
)
def test_similar_texts_are_closer_than_unrelated_ones(
    embeddings: MiniLMEmbeddings, anchor: str, similar: str, unrelated: str
) -> None:
    a, s, u = embeddings.embed_documents([anchor, similar, unrelated])
    assert cosine(a, s) > cosine(a, u) + 0.2


@pytest.mark.parametrize("batch_size", [1, 2, 3, 32])
def test_batching_by_length_keeps_input_order(batch_size: int) -> None:
    embedder = MiniLMEmbeddings(batch_size=batch_size)
    together = np.array(embedder.embed_documents(TEXTS))
    alone = np.array([embedder.embed_query(text) for text in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    # Distinct texts give distinct vectors, so a shuffled order could not pass the check above.
    assert len({tuple(np.round(v, 4)) for v in alone}) == len(TEXTS)


def test_query_and_document_embeddings_agree(embeddings: MiniLMEmbeddings) -> None:
    text = "Putin traveled to Iran on Tuesday."
    np.testing.assert_allclose(
        embeddings.embed_query(text), embeddings.embed_documents([text])[0], atol=1e-6
    )


def test_long_text_is_truncated_not_rejected(embeddings: MiniLMEmbeddings) -> None:
    long_text = "The talks continued late into the night. " * 200  # far over 256 tokens
    head = "The talks continued late into the night. " * 40  # already past the limit
    a, b = embeddings.embed_documents([long_text, head])
    assert abs(cosine(a, b) - 1.0) < 1e-5


def test_empty_list_gives_no_vectors(embeddings: MiniLMEmbeddings) -> None:
    assert embeddings.embed_documents([]) == []
    assert embeddings.embed_array([]).shape == (0, 384)
