"""Deterministic eval runner: ``python -m evals.run [--dataset FILE] [--out DIR]``.

Ours and a naive LangChain baseline, side by side: retrieval hit@k/MRR on sections, fact accuracy
(every ``must_include`` group in the answer), citation precision/recall, refusal precision/recall,
numeric faithfulness and latency, overall and per kind; the failures with a reason.
Exits 1 when a figure is below ``evals/thresholds.toml``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from assistant.pipeline import Assistant
from assistant.settings import Settings

from .baseline import NaiveBaseline
from .dataset import DatasetError, Item, load
from .live import ThreadedServer
from .report import write_report
from .scripted_llm import app as scripted_app

HERE = Path(__file__).parent
NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


@dataclass
class Outcome:
    item: Item
    answer: dict[str, Any]
    ranked_sections: list[str]

    @property
    def cited(self) -> list[str]:
        return [self.item.key(c.get("doc"), c["section"]) for c in self.answer["citations"]]

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
    def reason(self) -> str:
        """Why the item failed, in one line ("" when it passed)."""
        if not self.item.answerable:
            return "answered a question the notice does not cover" if self.answer["answered"] else ""
        if not self.answer["answered"]:
            return "refused an answerable question"
        if self.unfaithful_numbers:
            return f"numbers not in the cited quotes: {self.unfaithful_numbers}"
        if not set(self.cited) & set(self.item.gold_sections):
            return f"cited {self.cited}, expected one of {self.item.gold_sections}"
        missing = next((g for g in self.item.must_include if not any(a in self.answer["answer"] for a in g)), None)
        return f"answer lacks {missing}" if missing else ""

    @property
    def passed(self) -> bool:
        if not self.item.answerable:
            return not self.answer["answered"]
        return self.fact_ok and bool(set(self.cited) & set(self.item.gold_sections)) and not self.unfaithful_numbers


class System(Protocol):
    name: str

    def run(self, item: Item) -> tuple[dict[str, Any], list[str]]:
        """The answer as ``ask --json`` prints it, and the retrieved sections in rank order."""
        ...


class Ours:
    name = "this assistant"

    def __init__(self, assistant: Assistant, scoped: bool = False) -> None:
        self.assistant = assistant
        self.scoped = scoped  # ask within the item's document, as a user who picked it in the scope filter

    def run(self, item: Item) -> tuple[dict[str, Any], list[str]]:
        scope = [item.document] if self.scoped else []
        answer = self.assistant.ask(item.question, item.history, scope)
        query = answer.resolved_question or item.question
        evidence = self.assistant.retriever.invoke(query, scope=scope or None)
        ranked = list(dict.fromkeys(item.key(d.metadata["doc"], d.metadata["section_id"]) for d in evidence))
        return answer.to_json(), ranked


def evaluate(system: System, items: list[Item]) -> list[Outcome]:
    return [Outcome(item, *system.run(item)) for item in items]


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 1.0


def metrics(outcomes: list[Outcome]) -> dict[str, Any]:
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
        # undefined for a system that never refuses (the baseline): reported as None, not as perfect
        "refusal_precision": _share([not o.item.answerable for o in refused]) if refused else None,
        "refusal_recall": _share([not o.answer["answered"] for o in refusals]),
        "numeric_faithfulness": _share([not o.unfaithful_numbers for o in numbers]),
        # every cited section was among those retrieved for the question (what the LLM guard enforces)
        "citations_retrieved": _share([set(o.cited) <= set(o.ranked_sections) for o in numbers]),
        "latency_p50_ms": round(statistics.median(latencies), 2) if latencies else 0.0,
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else 0.0,
    }


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.item.kind].append(outcome)
    guard = Counter(o.answer["guard"]["action"] for o in outcomes if o.answer.get("guard"))
    return {
        "overall": metrics(outcomes),
        "per_kind": {kind: metrics(group) for kind, group in sorted(by_kind.items())},
        "guard": dict(sorted(guard.items())),
        "failures": [
            {
                "id": o.item.id,
                "kind": o.item.kind,
                "question": o.item.question,
                "reason": o.reason,
                "answer": o.answer["answer"],
                "cited": o.cited,
                "gold": o.item.gold_sections,
                "retrieved": o.ranked_sections[:3],
            }
            for o in outcomes
            if not o.passed
        ],
    }


def gate(overall: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    return [f"{name} {overall[name]} < {floor}" for name, floor in thresholds.items() if overall[name] < floor]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.run")
    parser.add_argument("--dataset", type=Path, default=HERE / "dataset.jsonl")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--thresholds", type=Path, default=HERE / "thresholds.toml")
    parser.add_argument(
        "--scripted-llm",
        metavar="MODE",
        help="answer with ANSWERER=llm against the scripted LLM server (evals/scripted_llm.py) in MODE, e.g. mixed",
    )
    args = parser.parse_args(argv)
    try:
        items = load(args.dataset)
    except (OSError, DatasetError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    settings = Settings()
    scripted = ThreadedServer(scripted_app(args.scripted_llm)) if args.scripted_llm else None
    if scripted:
        settings = settings.model_copy(update={"answerer": "llm", "llm_base_url": scripted.url + "/v1"})
    try:
        assistant = Assistant.load(settings)
        ours = summary(evaluate(Ours(assistant), items))
    finally:
        if scripted:
            scripted.stop()
    gold_document = assistant.corpus.documents[items[0].document]
    baseline = summary(evaluate(NaiveBaseline(gold_document, assistant.retriever.embeddings), items))
    result = {"dataset": str(args.dataset), "ours": ours, "baseline": baseline}
    print(write_report(result, args.out))
    failed = gate(ours["overall"], tomllib.loads(args.thresholds.read_text(encoding="utf-8"))["overall"])
    for line in failed:
        print(f"EVAL GATE FAILED: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
