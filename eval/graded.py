"""Re-ask the graded questions (eval/wikinews-graded/) and report how the answers hold up.

    uv run python eval/graded.py eval/wikinews-graded/dev.jsonl [--json OUT.json]

For each answerable question: whether the answer's first sentence holds what the grader said
answers it (most of the quoted sentence's words, or every word of a short answer), whether the
answer holds it anywhere, and whether it was refused; for each unanswerable one, whether it was
refused. Offline backend, k=5, over eval/wikinews/articles.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tune_answerability import load, open_assistant

from assistant.citations import parse_answer
from assistant.evaluation import first_sentence
from assistant.records import Message

ARTICLES = Path(__file__).resolve().parent / "wikinews" / "articles"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graded", type=Path)
    parser.add_argument("--json", type=Path, help="write every question's result here")
    args = parser.parse_args()
    os.environ["ANSWER_BACKEND"] = "offline"
    assistant = open_assistant(ARTICLES)
    rows = []
    for item in load(args.graded):
        history = [Message(m["role"], m["content"]) for m in item.history]  # type: ignore[arg-type]
        answer = assistant.ask(item.question, history)
        # Sentences as the eval reads them (`assistant eval`'s first sentence), markers removed.
        text = " ".join(sentence.text for sentence in parse_answer(answer.answer))
        first = first_sentence(answer.answer)
        rows.append(
            {
                "id": item.id,
                "answerable": item.answerable,
                "first": item.holds(first),
                "anywhere": item.holds(text),
                "refused": answer.refused,
                "answer": answer.answer,
            }
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=0, ensure_ascii=False))
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]

    def share(key: str) -> str:
        return f"{sum(r[key] for r in answerable) / max(1, len(answerable)):.3f}"

    print(f"{args.graded}: {len(rows)} questions")
    print(f"  answerable {len(answerable)}: first sentence holds the answer {share('first')},")
    print(f"    anywhere {share('anywhere')}, refused {sum(r['refused'] for r in answerable)}")
    print(f"  unanswerable {len(unanswerable)}: refused {sum(r['refused'] for r in unanswerable)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
