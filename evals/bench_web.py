"""Web chat and API under concurrent users: ``python -m evals.bench_web [--users 10] [--rounds 10]``.

Starts the real app on loopback, then each simulated user asks eval questions one after another:
through the OpenAI-compatible API (non-streaming latency, streaming time to first token) and through
the web chat's own Gradio endpoint (time to first streamed update). Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from gradio_client import Client

from assistant.settings import Settings

from .dataset import load
from .live import app_process
from .run import HERE


def _api_latency(url: str, question: str) -> float:
    started = time.perf_counter()
    response = httpx.post(
        f"{url}/v1/chat/completions", json={"messages": [{"role": "user", "content": question}]}, timeout=60
    )
    response.raise_for_status()
    return time.perf_counter() - started


def _api_first_token(url: str, question: str) -> float:
    started = time.perf_counter()
    body = {"stream": True, "messages": [{"role": "user", "content": question}]}
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=60) as response:
        for line in response.iter_lines():
            if '"content": "' in line and '"content": ""' not in line:
                return time.perf_counter() - started
    raise RuntimeError("stream ended without content")


def _web_first_update(client: Client, question: str) -> float:
    started = time.perf_counter()
    job = client.submit(question, [], None, api_name="/respond")
    for _ in job:
        return time.perf_counter() - started
    raise RuntimeError("no update from the web chat")


def _load(users: int, rounds: int, questions: list[str], measure: Callable[[int, str], float]) -> list[float]:
    def user(number: int) -> list[float]:
        return [measure(number, questions[(number * rounds + i) % len(questions)]) for i in range(rounds)]

    with ThreadPoolExecutor(max_workers=users) as pool:
        return sorted(t * 1000 for times in pool.map(user, range(users)) for t in times)


def _line(name: str, figures: list[float]) -> str:
    p95 = figures[int(0.95 * (len(figures) - 1))]
    return f"{name:<38} n={len(figures):<4} p50 {statistics.median(figures):7.1f} ms   p95 {p95:7.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_web")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    questions = [item.question for item in load(HERE / "dataset.jsonl")]
    with app_process() as (url, _pid):
        clients = [Client(url + "/", verbose=False) for _ in range(args.users)]
        print(
            f"{args.users} concurrent users × {args.rounds} questions each, server in its own process on loopback "
            f"(concurrency limit {Settings().concurrency_limit}, {os.cpu_count()} cores)"
        )
        print(
            _line(
                "API chat completion (non-stream)",
                _load(args.users, args.rounds, questions, lambda _, q: _api_latency(url, q)),
            )
        )
        print(
            _line(
                "API streaming: time to first token",
                _load(args.users, args.rounds, questions, lambda _, q: _api_first_token(url, q)),
            )
        )
        print(
            _line(
                "web chat: time to first token",
                _load(args.users, args.rounds, questions, lambda n, q: _web_first_update(clients[n], q)),
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
