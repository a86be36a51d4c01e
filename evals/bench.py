"""Benchmark: ``python -m evals.bench`` prints warm latency on each embedding backend (onnx, torch, onnx-int8) and
the cold CLI answer on onnx and torch, in one run on one machine, beside a bare sentence-transformers encode of the
same question in paired runs, and writes them to ``docs/eval/bench.json`` (``--out``).

Figures are printed, never asserted: speed depends on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.pipeline import Assistant
from assistant.settings import Settings

from .dataset import load
from .run import SPLITS

ROUNDS = 3  # passes over the eval questions, warm
COLD_RUNS = 5  # paired cold runs: a bare encode, then each backend's CLI answer
BACKENDS = ("onnx", "torch")
ROOT = Path(__file__).resolve().parent.parent
# what a cold CLI answer is compared with: the least any torch-based answer pays, import and one encode
BARE_ENCODE = (
    "import sys; from sentence_transformers import SentenceTransformer; "
    "SentenceTransformer(sys.argv[1], device='cpu').encode([sys.argv[2]])"
)


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1", **env})
    return time.perf_counter() - started


def cold(question: str, model: Path) -> dict[str, list[float]]:
    """Seconds from a new process to its output, in paired runs (one of each per round, so load drifts alike)."""
    runs: dict[str, list[float]] = {"bare_encode": [], **{f"cli_{b}": [] for b in BACKENDS}}
    for _ in range(COLD_RUNS):
        runs["bare_encode"].append(_timed([sys.executable, "-c", BARE_ENCODE, str(model), question], {}))
        for backend in BACKENDS:
            command = [sys.executable, "-m", "assistant", "ask", question]
            runs[f"cli_{backend}"].append(_timed(command, {"EMBEDDING_BACKEND": backend}))
    return runs


def warm(backend: str, questions: list[tuple[str, list[tuple[str, str]]]], index_dir: Path) -> dict[str, float]:
    started = time.perf_counter()
    assistant = Assistant.load(Settings(embedding_backend=backend, index_dir=index_dir))
    load_seconds = time.perf_counter() - started
    assistant.ask(questions[0][0])  # warm-up
    latencies = []
    for _ in range(ROUNDS):
        for question, history in questions:
            began = time.perf_counter()
            assistant.ask(question, history)
            latencies.append((time.perf_counter() - began) * 1000)
    latencies.sort()
    return {
        "questions": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "max_ms": round(latencies[-1], 1),
        "load_s": round(load_seconds, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "eval" / "bench.json")
    args = parser.parse_args(argv)
    settings = Settings()
    items = [*load(SPLITS["dev"]), *load(SPLITS["test"])]
    questions = [(item.question, item.history) for item in items]
    warm_figures = {backend: warm(backend, questions, settings.index_dir) for backend in BACKENDS}
    with tempfile.TemporaryDirectory() as own:  # int8 vectors differ a little: an index of their own
        warm_figures["onnx-int8"] = warm("onnx-int8", questions, Path(own))
    runs = cold(items[0].question, settings.models_dir / settings.embedding_model)
    medians = {name: round(statistics.median(values), 2) for name, values in runs.items()}
    ratio = round(medians["cli_onnx"] / medians["bare_encode"], 2)
    print(f"cpu cores: {os.cpu_count()}; warm: {len(questions)} eval questions × {ROUNDS} rounds")
    for backend, figures in warm_figures.items():
        print(
            f"warm {backend:5}  p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  max {figures['max_ms']} ms"
            f"  (load {figures['load_s']} s)"
        )
    for name, median in medians.items():
        print(f"cold {name:12} median {median:.2f} s  (runs: {', '.join(f'{r:.2f}' for r in runs[name])})")
    print(f"cold CLI on onnx / bare sentence-transformers encode: {ratio}")
    result = {
        "machine": {"cpu_cores": os.cpu_count(), "python": platform.python_version()},
        "warm": warm_figures,
        "cold": {"question": items[0].question, "runs_s": runs, "median_s": medians, "onnx_over_bare_encode": ratio},
    }
    kept = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}  # evals.bench_web's too
    args.out.write_text(json.dumps({**kept, **result}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
