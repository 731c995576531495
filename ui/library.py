"""The article library as the page shows it: adding uploaded files, and the status line."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from assistant import Assistant
from assistant.errors import AssistantError, StoreError
from ui import rendering
from ui.uploads import Outcome, Status, rejection, save_upload, shown_name

log = logging.getLogger(__name__)

Progress = Callable[..., object]
# Errors of the store and ingest (which the UI may not import) whose messages say what to do.
_READABLE_ERRORS = frozenset({"IngestLockedError"})


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
    """Check and save a batch of uploads, then ingest them in one sync (one keyword-index
    update, however many files). One bad file costs only itself; the same file given several
    times counts once; a file repeating an article of the library is refused, naming it; beyond
    UI_MAX_UPLOAD_FILES files the rest are refused (upload them in another batch).

    Returns what happened to each distinct file and the number of chunks in the store after."""
    settings = assistant.settings
    max_bytes = int(settings.ui_max_upload_mb * 1024 * 1024)
    entries = _distinct(uploads)
    outcomes: dict[int, Outcome] = {}
    saved: dict[int, tuple[Path, bool]] = {}
    accepted = 0
    for i, (upload, copies) in enumerate(entries):
        name = shown_name(upload)
        if progress is not None:
            progress((i, len(entries)), desc=f"Checking {name}", unit="files")
        reason = rejection(upload, max_bytes)
        if reason is None and accepted >= settings.ui_max_upload_files:
            reason = (
                f"more than {settings.ui_max_upload_files} files in one upload "
                "(UI_MAX_UPLOAD_FILES); add this one in another batch"
            )
        if reason:
            outcomes[i] = Outcome(name, "skipped", reason=reason, copies=copies)
            continue
        try:
            saved[i] = save_upload(upload, settings.articles_path)
        except OSError as exc:
            log.warning("Saving upload %s failed: %s", name, exc)
            reason = "could not be saved to the library"
            outcomes[i] = Outcome(name, "skipped", reason=reason, copies=copies)
            continue
        accepted += 1
    chunks: int | None = None
    if saved:
        if progress is not None:
            progress((len(entries), len(entries)), desc=f"Adding {len(saved)} files", unit="files")
        chunks = _ingest_batch(assistant, entries, saved, outcomes)
    if progress is not None:
        progress((len(entries), len(entries)), desc="Done", unit="files")
    return [outcomes[i] for i in range(len(entries))], chunks


def _distinct(uploads: list[Path]) -> list[tuple[Path, int]]:
    """The uploads with repeated entries (the same name and bytes) collapsed, in order, each with
    how many times it was given."""
    seen: dict[tuple[str, str], int] = {}
    entries: list[tuple[Path, int]] = []
    for upload in uploads:
        try:
            digest = hashlib.sha256(upload.read_bytes()).hexdigest()
        except OSError:
            digest = f"unreadable:{upload}"  # rejection() names it
        key = (shown_name(upload), digest)
        if key in seen:
            path, copies = entries[seen[key]]
            entries[seen[key]] = (path, copies + 1)
            continue
        seen[key] = len(entries)
        entries.append((upload, 1))
    return entries


def _ingest_batch(
    assistant: Assistant,
    entries: list[tuple[Path, int]],
    saved: dict[int, tuple[Path, bool]],
    outcomes: dict[int, Outcome],
) -> int | None:
    """One sync of every saved upload; fills `outcomes` for them. Returns the chunk count."""
    statuses: dict[str, Status] = {}
    reasons: dict[str, str] = {}
    failure, chunks = "", None
    try:
        report = assistant.ingest([path for path, _ in saved.values()])
    except (AssistantError, StoreError) as exc:
        failure = str(exc)
    except Exception as exc:  # the ingest lock, or a bug: the page must still say what happened
        log.exception("Ingesting %d uploads failed", len(saved))
        readable = type(exc).__name__ in _READABLE_ERRORS
        failure = str(exc) if readable else "could not be added; the details were logged"
    else:
        chunks = report.chunks
        results: list[tuple[Status, list[str]]] = [
            ("added", report.added),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
        ]
        for status, names in results:
            statuses.update(dict.fromkeys(names, status))
        reasons = {Path(s.path).name: s.reason for s in report.skipped}
    for i, (path, written) in saved.items():
        name, copies = shown_name(entries[i][0]), entries[i][1]
        if path.name in statuses:
            outcomes[i] = Outcome(name, statuses[path.name], source=path.name, copies=copies)
            continue
        reason = failure or reasons.get(path.name) or "ingest did not take it in"
        if reason.startswith("duplicate of "):
            original = reason.removeprefix("duplicate of ")
            reason = f"the same article as {original}, which is already in the library"
        outcomes[i] = Outcome(name, "skipped", reason=reason, copies=copies)
        if written:
            path.unlink(missing_ok=True)  # leave no refused file behind in the folder
    return chunks
