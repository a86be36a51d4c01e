"""Deterministic eval runner: ``python -m evals.run [--split dev|test] [--dataset FILE] [--out DIR]``.

Ours and a naive LangChain baseline, on the dev and the test split side by side: retrieval hit@k/MRR on
sections, fact accuracy (every ``must_include`` group in the answer), citation precision/recall, refusal
precision/recall, figures given where the notice states none, numeric faithfulness and latency, overall and per
kind; a full/partial/refused/greeting confusion matrix; the failures with a reason.
Exits 1 when a figure of a split is below its floor in ``evals/thresholds.toml``.
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
from assistant.web.loopback import ThreadedServer

from .baseline import NaiveBaseline
from .dataset import EXPECTS, DatasetError, Item, load
from .report import write_report
from .scripted_llm import app as scripted_app

HERE = Path(__file__).parent
# dev: tune rules and thresholds on it. test: written blind, before it was run; report it, never tune on it.
SPLITS = {"dev": HERE / "dataset.jsonl", "test": HERE / "test.jsonl"}
NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


# What the assistant said, as ``ask --json`` names it; answers from before it said so are full or refused.
OUTCOMES = ("full", "partial", "refused", "greeting")
# An answer that is not a full one: what refusal precision and recall count.
NOT_FULL = ("partial", "refuse")


@dataclass
class Outcome:
    item: Item
    answer: dict[str, Any]
    ranked_sections: list[str]

    @property
    def cited(self) -> list[str]:
        return [self.item.key(c.get("doc"), c["section"]) for c in self.answer["citations"]]

    @property
    def said(self) -> str:
        """full, partial, refused or greeting."""
        return self.answer.get("outcome") or ("full" if self.answer["answered"] else "refused")

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
    def cites_gold(self) -> bool:
        return bool(set(self.cited) & set(self.item.gold_sections))

    @property
    def reason(self) -> str:
        """Why the item failed, in one line ("" when it passed)."""
        expect, said = self.item.expect, self.said
        if expect == "greeting":
            return "" if said == "greeting" else f"a greeting got a {said} answer"
        if expect != "full":
            if self.answer["answered"]:
                return "answered a question the notice does not answer"
            if expect == "partial" and said != "partial":
                return f"{said}, expected a partial answer (the thing is named, the detail is not)"
            if expect == "partial" and not self.cites_gold:
                return f"partial answer cites {self.cited}, expected one of {self.item.gold_sections}"
            return ""
        if not self.answer["answered"]:
            return f"{said}: refused an answerable question"
        if self.unfaithful_numbers:
            return f"numbers not in the cited quotes: {self.unfaithful_numbers}"
        if not self.cites_gold:
            return f"cited {self.cited}, expected one of {self.item.gold_sections}"
        missing = next((g for g in self.item.must_include if not any(a in self.answer["answer"] for a in g)), None)
        return f"answer lacks {missing}" if missing else ""

    @property
    def passed(self) -> bool:
        return self.reason == ""


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
    not_full = [o for o in outcomes if o.item.expect in NOT_FULL]
    refused = [o for o in outcomes if not o.answer["answered"] and o.item.expect != "greeting"]
    figure_not_stated = [o for o in outcomes if o.item.kind == "figure_not_stated"]
    cited = [o for o in answerable if o.cited]
    latencies = sorted(o.answer["latency_ms"] for o in outcomes)
    numbers = [o for o in outcomes if o.answer["answered"]]
    generated = [o for o in numbers if o.answer.get("answerer") == "llm"]
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
        # "not answered" (partial or refused) is the positive class; greetings are scored on their own.
        # Undefined for a system that never refuses (the baseline): reported as None, not as perfect
        "refusal_precision": _share([o.item.expect in NOT_FULL for o in refused]) if refused else None,
        "refusal_recall": _share([not o.answer["answered"] for o in not_full]),
        # a figure asked for that the notice never gives: any answer presenting a number is the worst failure
        "no_figure_when_not_stated": _share([not o.answer["answered"] for o in figure_not_stated]),
        "numeric_faithfulness": _share([not o.unfaithful_numbers for o in numbers]),
        # every section an LLM answer cites was retrieved for the question (what the LLM guard enforces); the
        # extractive answers (and their listings, which cite every section naming a term) when there is no LLM
        "citations_retrieved": _share([set(o.cited) <= set(o.ranked_sections) for o in generated or numbers]),
        "latency_p50_ms": round(statistics.median(latencies), 2) if latencies else 0.0,
        "latency_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if latencies else 0.0,
    }


def confusion(outcomes: list[Outcome]) -> dict[str, dict[str, int]]:
    """Expected outcome → what the assistant said → items."""
    table: dict[str, Counter[str]] = {expect: Counter() for expect in EXPECTS}
    for outcome in outcomes:
        table[outcome.item.expect][outcome.said] += 1
    return {expect: {said: table[expect][said] for said in OUTCOMES} for expect in EXPECTS if table[expect]}


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.item.kind].append(outcome)
    guard = Counter(o.answer["guard"]["action"] for o in outcomes if o.answer.get("guard"))
    return {
        "overall": metrics(outcomes),
        "per_kind": {kind: metrics(group) for kind, group in sorted(by_kind.items())},
        "confusion": confusion(outcomes),
        "guard": dict(sorted(guard.items())),
        "failures": [
            {
                "id": o.item.id,
                "kind": o.item.kind,
                "expect": o.item.expect,
                "said": o.said,
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
    return [
        f"{name} {overall[name]} < {floor}"
        for name, floor in thresholds.items()
        if overall[name] is None or overall[name] < floor
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.run")
    parser.add_argument(
        "--split", action="append", choices=list(SPLITS), help="dev or test (repeatable; default: both)"
    )
    parser.add_argument(
        "--dataset",
        type=Path,
        help="another eval file instead of the splits (gated by the floors named after its stem, else as dev)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--thresholds", type=Path, default=HERE / "thresholds.toml")
    parser.add_argument(
        "--scripted-llm",
        metavar="MODE",
        help="answer with ANSWERER=llm against the scripted LLM server (evals/scripted_llm.py) in MODE, e.g. mixed",
    )
    args = parser.parse_args(argv)
    files = {args.dataset.stem: args.dataset} if args.dataset else {s: SPLITS[s] for s in args.split or SPLITS}
    try:
        splits = {name: load(path) for name, path in files.items()}
        floors = tomllib.loads(args.thresholds.read_text(encoding="utf-8"))
    except (OSError, DatasetError, tomllib.TOMLDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    settings = Settings()
    scripted = ThreadedServer(scripted_app(args.scripted_llm)) if args.scripted_llm else None
    if scripted:
        settings = settings.model_copy(update={"answerer": "llm", "llm_base_url": scripted.url + "/v1"})
    try:
        assistant = Assistant.load(settings)
        ours = {name: summary(evaluate(Ours(assistant), items)) for name, items in splits.items()}
    finally:
        if scripted:
            scripted.stop()
    first = next(iter(splits.values()))[0]
    naive = NaiveBaseline(assistant.corpus.documents[first.document], assistant.retriever.embeddings)
    result = {
        "splits": {
            name: {"dataset": str(files[name]), "ours": ours[name], "baseline": summary(evaluate(naive, items))}
            for name, items in splits.items()
        }
    }
    print(write_report(result, args.out))
    failed = [
        f"{name}: {line}"
        for name in splits
        for line in gate(ours[name]["overall"], floors.get(name, floors.get("dev", {})))
    ]
    for line in failed:
        print(f"EVAL GATE FAILED: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
