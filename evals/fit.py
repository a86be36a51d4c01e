"""Fit the answerability thresholds on the dev split: ``python -m evals.fit``.

Retrieval is run once per item; the answer stage is then re-run for every point of a grid over
``[policy]`` in ``assistant/data/rules.toml`` (min_coverage, generic_share, figure_coverage), scored exactly as
``evals.run`` scores it. Prints the best points; the test split is never read.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path
from typing import Any

from assistant.answer import ExtractiveAnswerer, Rules
from assistant.answer.conversation import resolve
from assistant.answer.records import AnswerRequest
from assistant.answer.rules import Policy
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .dataset import Item, load
from .run import SPLITS, Outcome

GRID = {
    "min_coverage": [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7],
    "generic_share": [0.2, 0.25, 0.3, 0.35, 0.4],
    "figure_coverage": [0.3, 0.4, 0.5, 0.6, 0.7],
}


def _inputs(assistant: Assistant, item: Item) -> tuple[dict[str, Any], list[str]]:
    """What the answer stage receives for ``item``, and the sections retrieved (for scoring)."""
    question = assistant.normalised(item.question)
    turns = [(assistant.normalised(q), a) for q, a in item.history]
    query = resolve(question, turns, assistant.corpus, assistant.lexicon)
    evidence = assistant.retriever.search(query)
    ranked = list(dict.fromkeys(item.key(e.doc, e.section_id) for e in evidence))
    return AnswerRequest(item.question, query, (), tuple(evidence)), ranked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.fit")
    parser.add_argument("--dataset", type=Path, default=SPLITS["dev"])
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    if args.dataset.resolve() == SPLITS["test"].resolve():
        print("error: thresholds are fitted on dev; the test split is only reported", file=sys.stderr)
        return 2
    assistant = Assistant.load(Settings())
    items = load(args.dataset)
    prepared = [(item, *_inputs(assistant, item)) for item in items]
    rules = Rules.load()
    results = []
    for values in itertools.product(*GRID.values()):
        policy = Policy(**dict(zip(GRID, values, strict=True)))
        answerer = ExtractiveAnswerer(assistant.corpus, assistant.lexicon, dataclasses.replace(rules, policy=policy))
        outcomes = [Outcome(item, answerer(inputs).to_json(), ranked) for item, inputs, ranked in prepared]
        passed = sum(o.passed for o in outcomes) / len(outcomes)
        wrong_figures = sum(o.item.kind == "figure_not_stated" and o.answer["answered"] for o in outcomes)
        results.append((passed, -wrong_figures, policy))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    current = rules.policy
    print(f"dev items: {len(items)}; current {current}")
    for passed, wrong, policy in results[: args.top]:
        mark = "  ← current" if policy == current else ""
        print(f"pass {passed:.4f}  figures where none is stated {-wrong}  {policy}{mark}")
    # how far each threshold may move, the others at their best, before dev drops: pick from the middle
    for name, values in GRID.items():
        best = {v: max(r[0] for r in results if getattr(r[2], name) == v) for v in values}
        print(f"{name}: " + "  ".join(f"{v}→{p:.4f}" for v, p in best.items()))
    here = next((r for r in results if r[2] == current), None)
    if here:
        print(f"current: pass {here[0]:.4f}, rank {results.index(here) + 1} of {len(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
