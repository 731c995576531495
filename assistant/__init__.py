"""Settings, prompts, the conversational retrieval chain, answer backends, citations, API, CLI."""

from typing import TYPE_CHECKING, Any

from assistant.records import Answer, Citation, Message, Retrieved, Source, Verdict

if TYPE_CHECKING:
    from assistant.api import ArticleInfo, ArticleView, Assistant, Status

__all__ = [
    "Answer",
    "ArticleInfo",
    "ArticleView",
    "Assistant",
    "Citation",
    "Message",
    "Retrieved",
    "Source",
    "Status",
    "Verdict",
]


def __getattr__(name: str) -> Any:
    # Imported lazily so `assistant --help` does not load Chroma and the model.
    if name in {"Assistant", "ArticleInfo", "ArticleView", "Status"}:
        from assistant import api

        return getattr(api, name)
    raise AttributeError(name)
