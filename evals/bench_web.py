"""Web chat and API under concurrent users: ``python -m evals.bench_web [--users 10] [--rounds 10]``.

Starts the real app on loopback, then each simulated user asks eval questions one after another:
through the OpenAI-compatible API (non-streaming latency, streaming time to first token) and through
the web chat's own Gradio endpoint (the complete answer: the page shows it whole, it is ready at once). Figures are
printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from gradio_client import Client

from assistant.settings import Settings
from assistant.web.loopback import app_process

from .dataset import load
from .load import page_inputs
from .run import HERE


def _api_latency(client: httpx.Client, question: str) -> float:
    started = time.perf_counter()
    response = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": question}]})
    response.raise_for_status()
    return time.perf_counter() - started


def _api_first_token(client: httpx.Client, question: str) -> float:
    started = time.perf_counter()
    body = {"stream": True, "messages": [{"role": "user", "content": question}]}
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        for line in response.iter_lines():
            if '"content": "' in line and '"content": ""' not in line:
                return time.perf_counter() - started
    raise RuntimeError("stream ended without content")


def _web_complete(client: Client, question: str) -> float:
    """From sending to the last update: the whole answer shown, chips and evidence panel included."""
    started = time.perf_counter()
    client.submit(*page_inputs(question, []), api_name="/respond").result()
    return time.perf_counter() - started


def _load(
    users: int, rounds: int, questions: list[str], measure: Callable[[int, str], float]
) -> tuple[list[float], float]:
    """Each user's latencies (ms, sorted), and answers a second over the whole run."""
    def user(number: int) -> list[float]:
        return [measure(number, questions[(number * rounds + i) % len(questions)]) for i in range(rounds)]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        figures = sorted(t * 1000 for times in pool.map(user, range(users)) for t in times)
    return figures, len(figures) / (time.perf_counter() - started)


def _figures(measured: tuple[list[float], float]) -> dict[str, float]:
    figures, rate = measured
    return {
        "n": len(figures),
        "p50_ms": round(statistics.median(figures), 1),
        "p95_ms": round(figures[int(0.95 * (len(figures) - 1))], 1),
        "answers_per_s": round(rate, 1),
    }


def _line(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name:<38} n={figures['n']:<4} p50 {figures['p50_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms   "
        f"{figures['answers_per_s']:5.1f} answers/s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_web")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=HERE.parent / "docs" / "eval" / "bench.json")
    args = parser.parse_args(argv)
    questions = [item.question for item in load(HERE / "dataset.jsonl")]
    with app_process() as (url, _pid):
        clients = [Client(url + "/", verbose=False) for _ in range(args.users)]
        # one connection per user, kept open, as a browser or an API client library keeps it
        api = [httpx.Client(base_url=url, timeout=60) for _ in range(args.users)]
        print(
            f"{args.users} concurrent users × {args.rounds} questions each, server in its own process on loopback "
            f"(concurrency limit {Settings().concurrency_limit}, {os.cpu_count()} cores)"
        )
        measures: dict[str, Callable[[int, str], float]] = {
            "API chat completion (non-stream)": lambda n, q: _api_latency(api[n], q),
            "API streaming: time to first token": lambda n, q: _api_first_token(api[n], q),
            "web chat: complete answer": lambda n, q: _web_complete(clients[n], q),
        }
        measured = {name: _figures(_load(args.users, args.rounds, questions, m)) for name, m in measures.items()}
    for name, figures in measured.items():
        print(_line(name, figures))
    # kept beside `python -m evals.bench`'s figures, one entry per number of users
    kept = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    kept.setdefault("serve", {})[f"{args.users} users"] = measured
    args.out.write_text(json.dumps(kept, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
