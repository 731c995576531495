"""The `assistant` command: ingest, ask, chat, serve and eval."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Question answering over news articles, with citations. Offline by default.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO (timings)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="clean, chunk, embed and sync articles into Chroma")
    ingest.add_argument("paths", nargs="*", type=Path, help="files or folders (default: ARTICLES_PATH)")
    ingest.add_argument("--reset", action="store_true", help="drop the collection first")
    ingest.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from assistant.errors import AssistantError

    try:
        from assistant.config import load_settings

        settings = load_settings()
        handler = globals()[f"_cmd_{args.command}"]
        return int(handler(args, settings))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the store and ingest raise their own types; show them plainly
        from ingest import IngestLockedError
        from vectorstore import StoreError

        if isinstance(exc, (StoreError, IngestLockedError)):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        raise


def _cmd_ingest(args: argparse.Namespace, settings: Any) -> int:
    from assistant.components import ingest_lock_path, open_store
    from ingest import IngestOptions, sync_paths

    paths = args.paths or [settings.articles_path]
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        print(f"error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(settings) if not args.reset else _open_for_reset(settings)
    report = sync_paths(
        store,
        paths,
        options=IngestOptions(
            chunk_size=settings.chunk_size,
            chunk_overlap=settings.chunk_overlap,
            max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
        ),
        dry_run=args.dry_run,
        reset=args.reset,
        lock_path=ingest_lock_path(settings),
    )
    if args.json:
        print(json.dumps(report.to_json()))
        return EXIT_OK
    verb = "Would sync" if report.dry_run else "Synced"
    print(
        f"{verb} {', '.join(map(str, paths))}: {len(report.added)} added, "
        f"{len(report.updated)} updated, {len(report.deleted)} deleted, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped; "
        f"{report.chunks} chunks in store ({report.embedded} embedded, {report.seconds:.1f}s)"
    )
    for label, names in (("added", report.added), ("updated", report.updated), ("deleted", report.deleted)):
        for name in names:
            print(f"  {label}: {name}")
    for skipped in report.skipped:
        print(f"  skipped: {skipped.path}: {skipped.reason}")
    return EXIT_OK


def _open_for_reset(settings: Any) -> Any:
    """With --reset a model mismatch is the point: open the collection without checking it."""
    from assistant.components import make_embeddings, store_location
    from vectorstore import ArticleStore, open_client

    location = store_location(settings)
    return ArticleStore(open_client(location), location.collection, make_embeddings(settings))


if __name__ == "__main__":
    sys.exit(main())
