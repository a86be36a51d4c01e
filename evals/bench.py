"""Benchmark: ``python -m evals.bench`` prints warm latency p50/p95 and cold start to first answer.

Figures are printed, never asserted: speed depends on the machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from assistant.pipeline import Assistant
from assistant.settings import Settings

from .dataset import load

ROUNDS = 5


def cold_start(question: str) -> float:
    """Seconds from a new process to its first printed answer (index already built)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", "ask", question],
        check=True,
        capture_output=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    return time.perf_counter() - started


def main() -> int:
    items = load(Path(__file__).parent / "dataset.jsonl")
    started = time.perf_counter()
    assistant = Assistant.load(Settings())
    load_seconds = time.perf_counter() - started
    assistant.ask(items[0].question)  # warm-up
    latencies = []
    for _ in range(ROUNDS):
        for item in items:
            began = time.perf_counter()
            assistant.ask(item.question, item.history)
            latencies.append((time.perf_counter() - began) * 1000)
    latencies.sort()
    cold = [cold_start(items[0].question) for _ in range(3)]
    print(f"questions: {len(latencies)} ({len(items)} eval items × {ROUNDS} rounds), cpu cores: {os.cpu_count()}")
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"warm latency  p50 {statistics.median(latencies):.1f} ms   p95 {p95:.1f} ms   max {latencies[-1]:.1f} ms")
    print(f"in-process load (model + index + BM25): {load_seconds:.2f} s")
    print(
        f"cold start to first answer (new process, CLI): median {statistics.median(cold):.2f} s "
        f"(runs: {', '.join(f'{c:.2f}' for c in cold)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
