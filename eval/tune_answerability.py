"""Fit the answer layer's weights on the dev splits of the question sets, and print the figures.

    uv run python eval/tune_answerability.py eval/wikinews/dev.jsonl eval/wikinews-2/dev.jsonl \\
        eval/wikinews-graded/dev.jsonl --articles eval/wikinews/articles

A gold set's sentence holds the answer when it holds a key fact; a graded set's
(`eval/wikinews-graded/README.md`) when it holds the quoted sentence or the short answer.

For every question it retrieves as the chain does and scores every sentence with
answerability.judge (every sentence embedded), recording each sentence's features and whether it
holds a key fact. Then:
1. the ranking weights: a logistic regression (does the sentence hold a key fact?) over the
   features and the question-to-sentence similarity; reported as how often the top sentence
   holds a key fact, with only the lexically best EMBEDDED_CANDIDATES embedded, as at run time;
2. the outcome model: a logistic regression (is the question answerable?) over the best
   sentence and the question, and the threshold on its probability that makes the fewest
   mistakes.
Paste the printed constants into assistant/answerability.py. Never run it on a held-out split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant import answerability
from assistant.api import Assistant
from assistant.config import load_settings, revalidate
from assistant.evaluation import load_gold
from assistant.offline import display
from assistant.questions import analyse
from assistant.records import Message
from assistant.rewriting import is_follow_up, names_something, rewrite_offline, search_text
from assistant.spelling import cased


@dataclass
class Item:
    id: str
    answerable: bool
    asks: str
    rows: list[list[float]]  # per candidate: FEATURES..., similarity, lexical rank
    facts: list[bool]  # per candidate: holds a key fact
    question: list[float]  # unmatched, names_missing
    essential_missing: bool
    group: str = ""  # the article the question is about: cross-validation folds keep it whole
    texts: list[str] = field(default_factory=list)  # per candidate: the sentence
    asked: str = ""  # the question as answered (a follow-up rewritten)


@dataclass
class Labelled:
    """A question and what tells whether a sentence answers it: a gold set's key facts, or a
    graded question's quoted sentence or short answer (`../wikinews-graded/`)."""

    id: str
    question: str
    history: list[dict[str, str]]
    answerable: bool
    asks: str
    group: str
    must: list[list[str]]
    quote: str | None = None
    answer: str | None = None

    def holds(self, text: str) -> bool:
        text = text.lower()
        if self.quote:
            # the sentence holds most of the quoted one, or is most of it (a quote of two)
            quoted, said = _words(self.quote), _words(text)
            return len(quoted & said) > QUOTE_SHARE * len(quoted) or (
                len(said) >= 6 and len(quoted & said) > 0.8 * len(said)
            )
        if self.answer:
            wanted = _words(self.answer) - _STOP
            return bool(wanted) and wanted <= _words(text)
        return any(any(a.lower() in text for a in group) for group in self.must)


QUOTE_SHARE = 0.6  # the share the helpers' re-ask figure uses (eval/wikinews-graded/README.md)
_STOP = frozenset(
    {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from"}
    | {"is", "was", "were", "are", "be"}
)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def load(path: Path) -> list[Labelled]:
    """A gold set, or a graded set (rows with `quote` or `answer` instead of `must`)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if rows and "must" in rows[0]:
        return [
            Labelled(
                g.id, g.question, g.history, g.answerable, g.asks, (g.sources or [g.id])[0], g.must
            )
            for g in load_gold(path)
        ]
    return [
        Labelled(
            r["id"],
            r["question"],
            r["history"],
            r["answerable"],
            "",
            (r["sources"] or [r["id"]])[0],
            [],
            r.get("quote"),
            r.get("answer"),
        )
        for r in rows
    ]


def open_assistant(articles: Path) -> Assistant:
    settings = load_settings()
    key = hashlib.sha256(str(articles.resolve()).encode()).hexdigest()[:10]
    settings = revalidate(settings, articles_path=articles, chroma_collection=f"eval-{key}")
    assistant = Assistant.from_settings(settings)
    assistant.ingest(progress=None)
    return assistant


def collect(golds: list[Labelled], articles: Path) -> list[Item]:
    assistant = open_assistant(articles)
    index = assistant.retriever.index
    vectors = answerability.SentenceVectors(assistant.store.embeddings)
    items: list[Item] = []
    for gold in golds:
        history = [Message(m["role"], m["content"]) for m in gold.history]  # type: ignore[arg-type]
        question, search = gold.question, gold.question
        if is_follow_up(question, history):
            question = rewrite_offline(question, history)
            search = question
            if question == gold.question or not names_something(question):
                search = search_text(question, history)
        result = assistant.retriever.search(search, 5)
        question = cased(question, [s.text for s in result.sources])
        intent = analyse(question)
        judgement = answerability.judge(
            intent,
            result.sources,
            index.weight,
            index.knows,
            result.similarity,
            embed=vectors,
            query_vector=np.asarray(result.query_vector, dtype=np.float32),
            embed_all=True,
            article=assistant.store.article_text,
        )
        lexical = sorted(
            range(len(judgement.candidates)),
            key=lambda i: -answerability._rank(judgement.candidates[i].features, 0.0, False),
        )
        lexical_rank = {i: r for r, i in enumerate(lexical)}
        rows, labels = [], []
        for i, c in enumerate(judgement.candidates):
            rows.append([*c.features, c.similarity, float(lexical_rank[i])])
            labels.append(gold.holds(display(c.passage)))
        items.append(
            Item(
                gold.id,
                gold.answerable,
                intent.asks,
                rows,
                labels,
                list(judgement.question_features),
                judgement.outcome == "unrelated" and judgement.probability == 0.0,
                gold.group,
                [c.passage.text for c in judgement.candidates],
                question,
            )
        )
    return items


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, bias: bool = True) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; returns [bias, weights...]."""
    if bias:
        x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    reg = np.eye(x.shape[1]) * l2
    if bias:
        reg[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + reg @ w
        hessian = (x.T * (p * (1 - p))) @ x + reg
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def top_hits(items: list[Item], weights: np.ndarray, sim_weight: float, embedded: int) -> float:
    """Share of answerable questions whose top sentence holds a key fact, embedding only the
    `embedded` lexically best sentences (as at run time)."""
    answerable = [i for i in items if i.answerable and i.rows]
    hits = 0
    for item in answerable:
        rows = np.array(item.rows)
        features = rows[:, : len(answerability.FEATURES)]
        lexical = features @ weights
        order = np.argsort(-lexical)
        embedded_set = set(order[:embedded].tolist())
        scores = [
            lexical[i]
            + (sim_weight * rows[i, len(answerability.FEATURES)] if i in embedded_set else 0.0)
            for i in range(len(rows))
        ]
        hits += item.facts[int(np.argmax(scores))]
    return hits / len(answerable)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="+", help="gold or graded sets (dev splits)")
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="save/load the collected features (JSON)")
    args = parser.parse_args()
    if any("heldout" in path.name for path in args.gold):
        print("error: tuning never reads a held-out split", file=sys.stderr)
        return 2
    if args.cache and args.cache.exists():
        items = [Item(**raw) for raw in json.loads(args.cache.read_text())]
    else:
        items = collect([g for path in args.gold for g in load(path)], args.articles)
        if args.cache:
            args.cache.write_text(json.dumps([i.__dict__ for i in items]))
    n_features = len(answerability.FEATURES)
    answerable = [i for i in items if i.answerable and i.rows]
    print(f"{len(items)} questions, {len(answerable)} answerable with candidates")

    # 1. ranking
    # Pairwise: within a question, a sentence holding a key fact against one that doesn't;
    # fitted with and without the similarity feature, both applied without it.
    def pairs_of(columns: int) -> tuple[np.ndarray, np.ndarray]:
        pairs = []
        for item in answerable:
            rows = np.array(item.rows)[:, :columns]
            good = [r for r, f in zip(rows, item.facts, strict=True) if f]
            bad = [r for r, f in zip(rows, item.facts, strict=True) if not f]
            pairs += [g - b for g in good for b in bad[:40]]
        x = np.array(pairs + [-p for p in pairs])
        return x, np.array([1.0] * len(pairs) + [0.0] * len(pairs))

    fits = {
        "with similarity": fit_logistic(*pairs_of(n_features + 1), l2=1.0, bias=False)[:n_features],
        "lexical only": fit_logistic(*pairs_of(n_features), l2=1.0, bias=False),
    }
    print("\nranking (top sentence holds a key fact, answerable dev questions):")
    current = np.array(answerability.RANK_WEIGHTS)
    print(f"  current          {top_hits(items, current, 0.0, 0):.3f}")
    for name, weights in fits.items():
        print(
            f"  {name:16} {top_hits(items, weights, 0.0, 0):.3f}  "
            "(" + ", ".join(f"{v:.2f}" for v in weights) + ")"
        )
        for k in (4, 8):
            print(
                f"    plus similarity of the {k} best at weight 1.8: "
                f"{top_hits(items, weights, 1.8, k):.3f}"
            )
    # The pairwise fit optimises pairs, not the top sentence: a coordinate search from the best
    # of the three, a weight at a time, in coarse steps, on the top-sentence hit rate itself.
    start = max([current, *fits.values()], key=lambda w: top_hits(items, w, 0.0, 0))
    rank_weights = np.array(start, dtype=float)
    best_rate = top_hits(items, rank_weights, 0.0, 0)
    for _ in range(3):
        for k in range(n_features):
            for value in {0.0, rank_weights[k] * 0.5, rank_weights[k] * 1.5,
                          rank_weights[k] + 0.5, rank_weights[k] - 0.5}:  # fmt: skip
                trial = rank_weights.copy()
                trial[k] = round(value, 2)
                rate = top_hits(items, trial, 0.0, 0)
                if rate > best_rate + 1e-9:
                    rank_weights, best_rate = trial, rate
    print(f"  coordinate search  {best_rate:.3f}")
    sim_weight = 0.0  # similarity lowered the top sentence's hit rate above: outcome only
    print("  RANK_WEIGHTS = (" + ", ".join(f"{v:.2f}" for v in rank_weights) + ")")

    # 2. outcome: the lead (best typed sentence of the TYPED_POOL best) and its evidence,
    # with the fitted ranking and EMBEDDED_CANDIDATES embedded, as at run time.
    def lead(item: Item) -> tuple[float, float, bool]:
        rows = np.array(item.rows)
        lexical = rows[:, :n_features] @ rank_weights
        order = np.argsort(-lexical)
        embedded = set(order[: answerability.EMBEDDED_CANDIDATES].tolist())
        sims = [rows[i, n_features] if i in embedded else 0.0 for i in range(len(rows))]
        scores = [lexical[i] + sim_weight * sims[i] for i in range(len(rows))]
        ranked = sorted(range(len(rows)), key=lambda i: -scores[i])
        typed_at = answerability.FEATURES.index("typed")
        coverage_at = answerability.FEATURES.index("coverage")
        pick = next(
            (i for i in ranked[: answerability.TYPED_POOL] if rows[i, typed_at] > 0.5), ranked[0]
        )
        best_any = max(max(rows[i, coverage_at], sims[i]) for i in ranked)
        return max(rows[pick, coverage_at], sims[pick]), best_any, rows[pick, typed_at] > 0.5

    usable = [i for i in items if i.rows and not i.essential_missing]
    leads = [(i.answerable, *lead(i)) for i in usable]
    refused_anyway = sum(1 for i in items if not i.rows or i.essential_missing)
    print(f"\noutcome (answered vs refused); {refused_anyway} questions unrelated regardless")
    print(f"  {'MIN_EVIDENCE':>12} {'accuracy':>8} {'false-ref':>9} {'false-ans':>9}")
    for threshold in [0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]:
        false_refusals = sum(
            1 for a, ev, _, typed in leads if a and not (typed and ev >= threshold)
        )
        false_answers = sum(1 for a, ev, _, typed in leads if not a and typed and ev >= threshold)
        false_refusals += sum(
            1 for i in items if i.answerable and (not i.rows or i.essential_missing)
        )
        false_answers += 0
        accuracy = 1 - (false_refusals + false_answers) / len(items)
        print(f"  {threshold:12.2f} {accuracy:8.3f} {false_refusals:9d} {false_answers:9d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
