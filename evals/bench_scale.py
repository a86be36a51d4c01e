"""Scale benchmark: ``python -m evals.bench_scale 0 1000 10000`` (``make bench-scale N="0 1000 10000"``).

For each N, in a fresh process so peak memory is its own: the Jiading notice plus N distractor notices
(``evals/distractors.py``) are indexed from nothing into a temporary folder, and it reports indexing
throughput, disk, peak memory, restart time (everything already indexed), retrieval latency, and the Jiading
eval set's accuracy with the distractors present — scoped to the Jiading notice (as a user who picked it in
the 范围 filter) and over all documents. Results are merged into ``docs/eval/scale.json`` and printed as a
table.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.pipeline import Assistant
from assistant.settings import Settings

from .dataset import load
from .distractors import generate
from .run import Ours, evaluate, summary

HERE = Path(__file__).parent
ROOT = HERE.parent
RESULTS = ROOT / "docs" / "eval" / "scale.json"


def _disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return round(statistics.median(ordered), 1), round(ordered[int(0.95 * (len(ordered) - 1))], 1)


def measure(count: int, work: Path) -> dict[str, Any]:
    corpus_dir, index_dir = work / "corpus", work / "index"
    corpus_dir.mkdir(parents=True)
    for source in (ROOT / "corpus").iterdir():
        shutil.copy(source, corpus_dir / source.name)
    generate(count, corpus_dir)
    settings = Settings(corpus_dir=corpus_dir, index_dir=index_dir, models_dir=ROOT / "models", _env_file=None)

    started = time.perf_counter()
    assistant = Assistant.load(settings, progress=count >= 1000)
    build_s = time.perf_counter() - started
    chunks = len(assistant.retriever.chunks)
    started = time.perf_counter()
    assistant = Assistant.load(settings)  # a restart: nothing to embed or tokenise
    restart_s = time.perf_counter() - started

    items = load(HERE / "dataset.jsonl")
    scoped = summary(evaluate(Ours(assistant, scoped=True), items))["overall"]
    unscoped = summary(evaluate(Ours(assistant), items))["overall"]
    latencies = []
    for item in items:
        started = time.perf_counter()
        assistant.retriever.invoke(item.question, scope=[item.document])
        latencies.append((time.perf_counter() - started) * 1000)
    p50, p95 = _percentiles(latencies)
    return {
        "distractors": count,
        "documents": len(assistant.corpus.documents),
        "chunks": chunks,
        "index_seconds": round(build_s, 1),
        "chunks_per_second": round(chunks / build_s, 1),
        "restart_seconds": round(restart_s, 1),
        "disk_mib": round(_disk_mib(index_dir), 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "retrieval_p50_ms": p50,
        "retrieval_p95_ms": p95,
        "scoped": {k: scoped[k] for k in ("pass_rate", "hit_at_1", "mrr", "refusal_recall", "latency_p50_ms")},
        "all_documents": {k: unscoped[k] for k in ("pass_rate", "hit_at_1", "mrr", "refusal_recall")},
    }


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| distractors | documents | chunks | index chunks/s | index time | restart | disk | peak RSS "
        "| retrieval p50 / p95 | pass (scoped) | hit@1 (scoped) | pass (all docs) | hit@1 (all docs) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in sorted(results, key=lambda r: r["distractors"]):
        s, a = r["scoped"], r["all_documents"]
        lines.append(
            f"| {r['distractors']:,} | {r['documents']:,} | {r['chunks']:,} | {r['chunks_per_second']} "
            f"| {r['index_seconds']} s | {r['restart_seconds']} s | {r['disk_mib']} MiB | {r['peak_rss_mib']} MiB "
            f"| {r['retrieval_p50_ms']} / {r['retrieval_p95_ms']} ms | {s['pass_rate']:.3f} | {s['hit_at_1']:.3f} "
            f"| {a['pass_rate']:.3f} | {a['hit_at_1']:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_scale")
    parser.add_argument("sizes", nargs="*", type=int, default=[0, 1000, 10000], help="distractor counts")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: measure one size, print JSON
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.one is not None:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as work:
            print(json.dumps(measure(args.one, Path(work))))
        return 0
    known = {r["distractors"]: r for r in json.loads(args.out.read_text())} if args.out.exists() else {}
    for size in args.sizes:
        print(f"N = {size:,} distractors …", file=sys.stderr, flush=True)
        child = subprocess.run(
            [sys.executable, "-m", "evals.bench_scale", "--one", str(size)], stdout=subprocess.PIPE, text=True
        )
        if child.returncode:
            print(f"N = {size}: failed (exit {child.returncode})", file=sys.stderr)
            return 1
        known[size] = json.loads(child.stdout.strip().splitlines()[-1])
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(sorted(known.values(), key=lambda r: r["distractors"]), indent=2) + "\n")
    print(table(list(known.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
