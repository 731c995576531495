"""ui/library.py: adding uploaded files to the library, within the per-upload file limit."""

from __future__ import annotations

from pathlib import Path

from tests.ui_helpers import make_assistant
from ui.library import add_articles


def test_files_beyond_the_per_upload_limit_are_skipped_and_named(tmp_path: Path) -> None:
    assistant = make_assistant(tmp_path / "lib", ui_max_upload_files=2)
    uploads = []
    for i, place in enumerate(["Haifa", "Ashdod", "Eilat"]):
        upload = tmp_path / f"port{i}.txt"
        upload.write_text(
            f"The port of {place} opened a new container terminal this week, the port authority "
            f"said on Monday.\n",
            encoding="utf-8",
        )
        uploads.append(upload)
    outcomes, chunks = add_articles(assistant, uploads)
    assert [(o.name, o.status) for o in outcomes] == [
        ("port0.txt", "added"),
        ("port1.txt", "added"),
        ("port2.txt", "skipped"),
    ]
    assert outcomes[2].reason == (
        "more than 2 files in one upload (UI_MAX_UPLOAD_FILES); add this one in another batch"
    )
    assert not (assistant.settings.articles_path / "port2.txt").exists()
    assert chunks == assistant.status().chunks
