"""The `assistant` command: ingest, ask, chat, serve and eval."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

from assistant.citations import plain_text
from assistant.terminal import echo, echo_json

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Question answering over news articles, with citations. Offline by default.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO (timings)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="clean, chunk, embed and sync articles into Chroma")
    ingest.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: ARTICLES_PATH)"
    )
    ingest.add_argument("--reset", action="store_true", help="drop the collection first")
    ingest.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")

    ask = sub.add_parser("ask", help="answer one question from the articles")
    ask.add_argument("question", help="the question (quote it)")
    ask.add_argument(
        "--history", type=Path, help='JSON file: [{"role": "user"|"assistant", "content": ...}]'
    )
    ask.add_argument(
        "--k", type=_positive_int, help="how many chunks to retrieve (default RETRIEVAL_K)"
    )
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")

    chat = sub.add_parser("chat", help="a terminal chat that keeps history")
    chat.add_argument("--k", type=_positive_int, help="how many chunks to retrieve")

    serve = sub.add_parser("serve", help="the chat UI in the browser")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument("--share", action="store_true", help="create a public Gradio share link")
    serve.add_argument(
        "--no-ingest", action="store_true", help="skip syncing ARTICLES_PATH at start"
    )

    evaluate = sub.add_parser("eval", help="score answers on a gold set of questions (JSONL)")
    evaluate.add_argument(
        "file", type=Path, nargs="?", help="gold set (default: the bundled eval/questions.jsonl)"
    )
    evaluate.add_argument("--k", type=_positive_int)
    evaluate.add_argument(
        "--articles",
        type=Path,
        help="the folder the gold set is about (synced into a collection of its own first); "
        "default ARTICLES_PATH as ingested",
    )
    evaluate.add_argument("--json", action="store_true", help="print the full report as JSON")
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from assistant.errors import AssistantError

    if args.command in ("ask",) and not args.question.strip():
        echo("error: the question is empty; ask something about the articles", file=sys.stderr)
        return EXIT_USAGE
    settings = None
    try:
        from assistant.config import load_settings
        from assistant.logs import configure_logging

        settings = load_settings()
        configure_logging(
            "INFO" if args.verbose else settings.log_level,
            debug_loggers=settings.debug_logger_names(),
            secrets=[
                s.get_secret_value() for s in (settings.openai_api_key, settings.ui_password) if s
            ],
        )
        handler = globals()[f"_cmd_{args.command}"]
        return int(handler(args, settings))
    except AssistantError as exc:
        from assistant.errors import QuestionError

        echo(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, QuestionError) else EXIT_FAILURE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`assistant ask ... | head`): not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # the store and ingest raise their own types; show them plainly
        from assistant.storage import explain_store_fault
        from ingest import IngestLockedError
        from vectorstore import StoreError

        fault = explain_store_fault(exc, settings)
        if fault is not None:
            echo(f"error: {fault}", file=sys.stderr)
            return EXIT_FAILURE
        if isinstance(exc, (StoreError, IngestLockedError)):
            echo(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        raise


def _cmd_ingest(args: argparse.Namespace, settings: Any) -> int:
    from assistant.components import ingest_lock_path, open_store
    from assistant.storage import check_store_writable
    from ingest import IngestOptions, sync_paths
    from ingest.sync import ingest_lock

    paths = args.paths or [settings.articles_path]
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        echo(f"error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return EXIT_USAGE
    check_store_writable(settings)  # before taking the lock, which is a file in the store
    # The lock covers opening the store too: two first ingests must not both create it.
    with contextlib.nullcontext() if args.dry_run else ingest_lock(ingest_lock_path(settings)):
        store = open_store(settings) if not args.reset else _open_for_reset(settings)
        report = sync_paths(
            store,
            paths,
            options=IngestOptions(
                chunk_size=settings.chunk_size,
                chunk_overlap=settings.chunk_overlap,
                max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
                max_text_chars=settings.max_text_chars,
            ),
            dry_run=args.dry_run,
            reset=args.reset,
        )
    if args.json:
        echo_json(json.dumps(report.to_json(), ensure_ascii=False))
        return EXIT_OK
    verb = "Would sync" if report.dry_run else "Synced"
    echo(
        f"{verb} {', '.join(map(str, paths))}: {len(report.added)} added, "
        f"{len(report.updated)} updated, {len(report.deleted)} deleted, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped; "
        f"{report.chunks} chunks in store ({report.embedded} embedded, {report.seconds:.1f}s)"
    )
    for label, names in (
        ("added", report.added),
        ("updated", report.updated),
        ("deleted", report.deleted),
    ):
        for name in names:
            echo(f"  {label}: {name}")
    for skipped in report.skipped:
        echo(f"  skipped: {skipped.path}: {skipped.reason}")
    return EXIT_OK


def _cmd_ask(args: argparse.Namespace, settings: Any) -> int:
    from assistant.api import Assistant

    history = _read_history(args.history) if args.history else []
    assistant = Assistant.from_settings(settings)
    answer = assistant.ask(args.question, history=history, k=args.k)
    if args.json:
        echo_json(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        echo(format_answer(answer))
    return EXIT_OK


def format_answer(answer: Any) -> str:
    """An answer for the terminal: rewritten question, text, what verification did to each
    sentence that isn't plainly verified, notices, numbered sources."""
    lines = []
    if answer.rewritten_question:
        lines.append(f"(understood as: {answer.rewritten_question})")
    lines.append(answer.answer)
    checks = [v for v in answer.verdicts if v.status in ("unsupported", "corrected")]
    if checks:
        lines.append("")
        lines.append("Checks:")
        for verdict in checks:
            sentence = _short(verdict.sentence, 90)
            label = "not supported" if verdict.status == "unsupported" else "citation corrected"
            lines.append(f'  {label}: "{sentence}": {verdict.reason}')
    if answer.notice:
        lines.append(f"note: {answer.notice}")
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            label = c.title or _short(plain_text(c.quote), 70)
            date = f" ({c.date})" if c.date else ""
            lines.append(f"  [{c.n}] {label}{date}, {c.source}, chars {c.start}-{c.end}")
    return "\n".join(lines)


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def _read_history(path: Path) -> list[dict[str, str]]:
    from assistant.errors import QuestionError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionError(f"Cannot read history file {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise QuestionError(f"History file {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise QuestionError(f"History file {path} must hold a JSON list of messages")
    return data


def _cmd_chat(args: argparse.Namespace, settings: Any) -> int:
    from assistant.api import Assistant
    from assistant.errors import AssistantError
    from assistant.records import Answer, Message

    assistant = Assistant.from_settings(settings)
    status = assistant.status()
    echo(
        f"Chatting over {status.articles} articles ({status.chunks} chunks), backend "
        f"{status.backend}. Empty line or Ctrl-D quits; /clear forgets the conversation."
    )
    history: list[Message] = []
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            echo()
            return EXIT_OK
        if not question:
            return EXIT_OK
        if question == "/clear":
            history = []
            echo("(conversation cleared)")
            continue
        try:
            final = None
            echo("assistant> ", end="", flush=True)
            for item in assistant.stream(question, history=history, k=args.k):
                if isinstance(item, Answer):
                    final = item
                else:
                    echo(item, end="", flush=True)
            echo()
        except AssistantError as exc:
            echo(f"\nerror: {exc}")
            continue
        assert final is not None
        # The answer was streamed above; now what surrounds it.
        details = format_answer(final)
        rest = details[details.index(final.answer) + len(final.answer) :].strip("\n")
        if final.rewritten_question:
            rest = f"(understood as: {final.rewritten_question})\n{rest}".rstrip()
        if rest:
            echo(rest)
        history += [Message("user", question), Message("assistant", final.answer)]


def _cmd_serve(args: argparse.Namespace, settings: Any) -> int:
    from assistant.api import Assistant

    assistant = Assistant.from_settings(settings)
    if not args.no_ingest:
        report = assistant.ingest(progress=None)
        echo(
            f"Articles in {settings.articles_path}: {len(report.added)} added, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.skipped)} skipped; {report.chunks} chunks"
        )
    from ui.app import serve  # the UI sits on top of the assistant; imported only here

    auth = None
    if settings.ui_username and settings.ui_password:
        auth = (settings.ui_username, settings.ui_password.get_secret_value())
    serve(assistant, host=args.host, port=args.port, share=args.share, auth=auth)
    return EXIT_OK


def _cmd_eval(args: argparse.Namespace, settings: Any) -> int:
    from assistant.api import Assistant
    from assistant.evaluation import BUNDLED_GOLD_SET, format_report, load_gold, run_eval
    from ingest import UnreadableFile, clean_article, read_article_file

    gold = load_gold(args.file or BUNDLED_GOLD_SET)
    if args.articles is not None:
        import hashlib

        from assistant.config import revalidate

        if not args.articles.is_dir():
            echo(f"error: no such folder: {args.articles}", file=sys.stderr)
            return EXIT_USAGE
        # A collection per folder, so the eval never touches the library's own collection.
        key = hashlib.sha256(str(args.articles.resolve()).encode()).hexdigest()[:10]
        settings = revalidate(
            settings, articles_path=args.articles, chroma_collection=f"eval-{key}"
        )
        Assistant.from_settings(settings).ingest(progress=None)
    assistant = Assistant.from_settings(settings)
    assistant.retriever.index.refresh()
    assistant.ask("warm-up question about the articles")

    def article_text(source: str) -> str | None:
        # Check quotes against a fresh cleaning of the file itself, not the store's copy.
        path = settings.articles_path / source
        try:
            loaded = read_article_file(path)
        except UnreadableFile:
            view = assistant.article(source)
            return view.text if view else None
        return clean_article(loaded.text, loaded.meta).text

    report = run_eval(gold, lambda q, h: assistant.ask(q, history=h, k=args.k), article_text)
    if args.json:
        echo_json(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        echo(format_report(report, args.k or settings.retrieval_k))
    return EXIT_OK


def _open_for_reset(settings: Any) -> Any:
    """With --reset a model mismatch is the point: open the collection without checking its
    model. A collection another tool made is refused: its data is not ours to drop."""
    from assistant.components import attach_keyword_index, make_embeddings, store_location
    from assistant.storage import check_store_writable
    from vectorstore import ArticleStore

    check_store_writable(settings)
    store = ArticleStore.open_for_reset(store_location(settings), make_embeddings(settings))
    attach_keyword_index(settings, store)  # the re-ingest rebuilds the keyword index as it goes
    return store


if __name__ == "__main__":
    sys.exit(main())
