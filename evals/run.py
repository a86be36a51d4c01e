"""Deterministic eval runner: ``python -m evals.run [--dataset FILE] [--out DIR]``.

Retrieval hit@k/MRR on sections, fact accuracy (every ``must_include`` group in the answer),
citation precision/recall, refusal precision/recall, numeric faithfulness and latency.
Exits 1 when a figure is below ``evals/thresholds.toml``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.pipeline import Assistant
from assistant.settings import Settings

from .dataset import Item, load

HERE = Path(__file__).parent
NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


@dataclass
class Outcome:
    item: Item
    answer: dict[str, Any]
    ranked_sections: list[str]

    @property
    def cited(self) -> list[str]:
        return [c["section"] for c in self.answer["citations"]]

    @property
    def rank(self) -> int | None:
        gold = set(self.item.gold_sections)
        return next((n for n, s in enumerate(self.ranked_sections, 1) if s in gold), None)

    @property
    def fact_ok(self) -> bool:
        return self.answer["answered"] and self.item.includes(self.answer["answer"])

    @property
    def unfaithful_numbers(self) -> list[str]:
        direct = self.answer["answer"].split("\n\n")[0]
        quotes = "".join(c["quote"] for c in self.answer["citations"])
        return [n for n in NUMBER.findall(direct) if n not in quotes]

    @property
    def passed(self) -> bool:
        if not self.item.answerable:
            return not self.answer["answered"]
        return self.fact_ok and bool(set(self.cited) & set(self.item.gold_sections)) and not self.unfaithful_numbers


def evaluate(assistant: Assistant, items: list[Item]) -> list[Outcome]:
    outcomes = []
    for item in items:
        answer = assistant.ask(item.question, item.history)
        query = answer.resolved_question or item.question
        ranked = list(dict.fromkeys(d.metadata["section_id"] for d in assistant.retriever.invoke(query)))
        outcomes.append(Outcome(item, answer.to_json(), ranked))
    return outcomes


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 1.0


def metrics(outcomes: list[Outcome]) -> dict[str, float]:
    answerable = [o for o in outcomes if o.item.answerable]
    refusals = [o for o in outcomes if not o.item.answerable]
    refused = [o for o in outcomes if not o.answer["answered"]]
    cited = [o for o in answerable if o.cited]
    latencies = sorted(o.answer["latency_ms"] for o in outcomes)
    numbers = [o for o in outcomes if o.answer["answered"]]
    return {
        "items": len(outcomes),
        "pass_rate": _share([o.passed for o in outcomes]),
        "hit_at_1": _share([o.rank == 1 for o in answerable]),
        "hit_at_3": _share([o.rank is not None and o.rank <= 3 for o in answerable]),
        "mrr": round(statistics.fmean(1 / o.rank if o.rank else 0 for o in answerable), 4) if answerable else 1.0,
        "fact_accuracy": _share([o.fact_ok for o in answerable]),
        "citation_precision": round(
            statistics.fmean(len([s for s in o.cited if s in o.item.gold_sections]) / len(o.cited) for o in cited), 4
        )
        if cited
        else 1.0,
        "citation_recall": round(
            statistics.fmean(
                len(set(o.cited) & set(o.item.gold_sections)) / len(o.item.gold_sections) for o in answerable
            ),
            4,
        )
        if answerable
        else 1.0,
        "refusal_precision": _share([not o.item.answerable for o in refused]),
        "refusal_recall": _share([not o.answer["answered"] for o in refusals]),
        "numeric_faithfulness": _share([not o.unfaithful_numbers for o in numbers]),
        "latency_p50_ms": round(statistics.median(latencies), 2) if latencies else 0.0,
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else 0.0,
    }


def report(outcomes: list[Outcome]) -> dict[str, Any]:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.item.kind].append(outcome)
    return {
        "overall": metrics(outcomes),
        "per_kind": {kind: metrics(group) for kind, group in sorted(by_kind.items())},
        "failures": [
            {
                "id": o.item.id,
                "kind": o.item.kind,
                "question": o.item.question,
                "answer": o.answer["answer"],
                "cited": o.cited,
                "gold": o.item.gold_sections,
                "retrieved": o.ranked_sections[:3],
            }
            for o in outcomes
            if not o.passed
        ],
    }


def markdown(result: dict[str, Any]) -> str:
    columns = [
        "items",
        "pass_rate",
        "hit_at_1",
        "hit_at_3",
        "mrr",
        "fact_accuracy",
        "citation_precision",
        "citation_recall",
        "refusal_recall",
        "numeric_faithfulness",
        "latency_p50_ms",
        "latency_p95_ms",
    ]
    lines = ["| kind | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    rows = [("**overall**", result["overall"]), *result["per_kind"].items()]
    lines += [f"| {name} | " + " | ".join(str(m[c]) for c in columns) + " |" for name, m in rows]
    failures = [
        f"- `{f['id']}` {f['question']} → cited {f['cited']}, gold {f['gold']}: " + f["answer"].splitlines()[0]
        for f in result["failures"]
    ]
    return "# Eval report\n\n" + "\n".join(lines) + "\n\n## Failures\n\n" + ("\n".join(failures) or "none") + "\n"


def gate(overall: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    return [f"{name} {overall[name]} < {floor}" for name, floor in thresholds.items() if overall[name] < floor]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.run")
    parser.add_argument("--dataset", type=Path, default=HERE / "dataset.jsonl")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--thresholds", type=Path, default=HERE / "thresholds.toml")
    args = parser.parse_args(argv)
    items = load(args.dataset)
    assistant = Assistant.load(Settings())
    result = report(evaluate(assistant, items))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / "report.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    failed = gate(result["overall"], tomllib.loads(args.thresholds.read_text(encoding="utf-8"))["overall"])
    for line in failed:
        print(f"EVAL GATE FAILED: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
