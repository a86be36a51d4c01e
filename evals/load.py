"""Load and soak: ``python -m evals.load [--users 50] [--seconds 60] [--soak 2000]``.

1. ``--users`` concurrent sessions ask eval questions through the API of the app (own process, loopback)
   for ``--seconds``; prints requests, errors, p50/p95 and the server's memory before and after.
2. ``--soak`` questions with growing histories in one process; prints resident memory every 500 questions,
   to show that no cache or history makes it grow.
Loops are bounded in count and time; all traffic stays on 127.0.0.1. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from assistant.pipeline import Assistant
from assistant.settings import Settings

from .dataset import load
from .live import app_process, rss_mib
from .run import HERE


def _session(url: str, questions: list[str], number: int, until: float) -> tuple[list[float], int]:
    latencies, errors, turn = [], 0, 0
    history: list[dict[str, str]] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        while time.monotonic() < until and turn < 10_000:
            question = questions[(number * 7 + turn) % len(questions)]
            started = time.perf_counter()
            messages = [*history[-6:], {"role": "user", "content": question}]
            try:
                response = client.post("/v1/chat/completions", json={"messages": messages})
                ok = response.status_code == 200
                if ok:
                    answer = response.json()["choices"][0]["message"]["content"]
                    history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not ok
            turn += 1
    return latencies, errors


def load_test(users: int, seconds: float, questions: list[str]) -> None:
    with app_process() as (url, pid):
        before = rss_mib(pid)
        until = time.monotonic() + seconds
        with ThreadPoolExecutor(max_workers=users) as pool:
            results = list(pool.map(lambda n: _session(url, questions, n, until), range(users)))
        after = rss_mib(pid)
    latencies = sorted(t for times, _ in results for t in times)
    errors = sum(e for _, e in results)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"load: {users} sessions for {seconds:.0f} s through the API: {len(latencies)} requests, {errors} errors, "
        f"{len(latencies) / seconds:.1f} req/s, p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms; "
        f"server memory {before:.0f} → {after:.0f} MiB"
    )


def soak(count: int, questions: list[str]) -> None:
    assistant = Assistant.load(Settings())
    history: list[tuple[str, str]] = []
    marks = []
    for n in range(count):
        answer = assistant.ask(questions[n % len(questions)], history)
        history = [*history, (answer.question, answer.answer)][-50:]  # a long conversation, as a chat keeps it
        if n % 500 == 0 or n == count - 1:
            marks.append(f"{n + 1}: {rss_mib(os.getpid()):.0f} MiB")
    print(f"soak: {count} questions in one process, resident memory " + ", ".join(marks))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--soak", type=int, default=2000)
    args = parser.parse_args(argv)
    questions = [item.question for item in load(HERE / "dataset.jsonl")]
    load_test(args.users, args.seconds, questions)
    soak(args.soak, questions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
