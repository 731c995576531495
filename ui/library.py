"""The article library as the page shows it: adding uploaded files, and the status line."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from assistant import Assistant
from assistant.errors import AssistantError
from ui import rendering
from ui.uploads import Outcome, Status, rejection, save_upload, shown_name

log = logging.getLogger(__name__)

Progress = Callable[..., object]
# Errors of the store and ingest (which the UI may not import) whose messages say what to do.
_READABLE_ERRORS = frozenset({"StoreError", "EmbeddingMismatchError", "IngestLockedError"})


def status_line(assistant: Assistant) -> str:
    try:
        status = assistant.status()
    except Exception:
        log.exception("Reading the assistant's status failed")
        return "Status unavailable; the details were logged."
    return rendering.status_markdown(
        status.articles, status.backend, assistant.settings.openai_model
    )


def add_articles(
    assistant: Assistant, uploads: list[Path], progress: Progress | None = None
) -> tuple[list[Outcome], int | None]:
    """Check, save and ingest each upload on its own, so one bad file costs only itself.

    Returns what happened to each file and the number of chunks in the store afterwards."""
    folder = assistant.settings.articles_path
    max_bytes = int(assistant.settings.ui_max_upload_mb * 1024 * 1024)
    max_files = assistant.settings.ui_max_upload_files
    outcomes: list[Outcome] = []
    chunks: int | None = None
    for i, upload in enumerate(uploads):
        name = shown_name(upload)
        if i >= max_files:
            over = f"over {max_files} files in one upload (UI_MAX_UPLOAD_FILES); add it again"
            outcomes.append(Outcome(name, "skipped", reason=over))
            continue
        if progress is not None:
            progress((i, len(uploads)), desc=f"Adding {name}", unit="files")
        reason = rejection(upload, max_bytes)
        if reason:
            outcomes.append(Outcome(name, "skipped", reason=reason))
            continue
        try:
            saved, written = save_upload(upload, folder)
        except OSError as exc:
            log.warning("Saving upload %s failed: %s", name, exc)
            outcomes.append(Outcome(name, "skipped", reason="could not be saved to the library"))
            continue
        outcome, chunks_now = _ingest_one(assistant, name, saved)
        if outcome.status == "skipped" and written:
            saved.unlink(missing_ok=True)  # leave no unreadable file behind in the folder
        chunks = chunks_now if chunks_now is not None else chunks
        outcomes.append(outcome)
    if progress is not None:
        progress((len(uploads), len(uploads)), desc="Done", unit="files")
    return outcomes, chunks


def _ingest_one(assistant: Assistant, name: str, saved: Path) -> tuple[Outcome, int | None]:
    try:
        report = assistant.ingest([saved])
    except AssistantError as exc:
        return Outcome(name, "skipped", reason=str(exc)), None
    except Exception as exc:
        log.exception("Ingesting upload %s failed", name)
        if type(exc).__name__ in _READABLE_ERRORS:
            return Outcome(name, "skipped", reason=str(exc)), None
        return Outcome(name, "skipped", reason="could not be added; the details were logged"), None
    if report.skipped:
        return Outcome(name, "skipped", reason=report.skipped[0].reason), report.chunks
    results: list[tuple[Status, list[str]]] = [
        ("added", report.added),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
    ]
    for status, names in results:
        if saved.name in names:
            return Outcome(name, status, source=saved.name), report.chunks
    return Outcome(name, "skipped", reason="ingest did not take it in"), report.chunks
