"""Scale benchmark: ``python -m evals.bench_scale 0 1000 10000`` (``make bench-scale N="0 1000 10000"``).

For each N the Jiading notice plus N distractor notices (``evals/distractors.py``) are indexed from nothing in
a child process (throughput, disk, peak memory), and kept in ``evals/out/scale/N`` so a later run only measures
again (``--rebuild`` to index anew). A second child starts on the built index (restart time, peak memory while
serving), times retrieval, and runs the Jiading eval set with the distractors present: scoped to the Jiading
notice, as a user who picked it in the 范围 filter, and over every document (answerable items only: there,
another district's plan may rightly answer a question the Jiading notice does not). Results are merged into
``docs/eval/scale.json`` and printed as a table.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
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
WORK = HERE / "out" / "scale"


def _disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _percentiles(values: list[float]) -> list[float]:
    ordered = sorted(values)
    return [round(statistics.median(ordered), 1), round(ordered[int(0.95 * (len(ordered) - 1))], 1)]


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _settings(work: Path) -> Settings:
    return Settings(corpus_dir=work / "corpus", index_dir=work / "index", models_dir=ROOT / "models", _env_file=None)


def build(count: int, work: Path) -> dict[str, Any]:
    """Index the notice plus ``count`` distractors from nothing; kept in ``work`` for later runs."""
    shutil.rmtree(work, ignore_errors=True)
    corpus_dir = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus_dir)  # the notice with its domain pack
    generate(count, corpus_dir)
    started = time.perf_counter()
    assistant = Assistant.load(_settings(work), progress=count >= 1000)
    seconds = time.perf_counter() - started
    chunks = len(assistant.retriever.chunks)
    return {
        "distractors": count,
        "documents": len(assistant.corpus.documents),
        "chunks": chunks,
        "index_seconds": round(seconds, 1),
        "chunks_per_second": round(chunks / seconds, 1),
        "disk_mib": round(_disk_mib(work / "index"), 1),
        "build_peak_rss_mib": _peak_rss_mib(),
    }


def serve(work: Path) -> dict[str, Any]:
    """Start on the built index (nothing to embed or tokenise), then run the eval and time retrieval."""
    started = time.perf_counter()
    assistant = Assistant.load(_settings(work))
    restart_s = time.perf_counter() - started
    items = load(HERE / "dataset.jsonl")
    scoped = summary(evaluate(Ours(assistant, scoped=True), items))["overall"]
    everywhere = evaluate(Ours(assistant), items)
    answerable = summary([o for o in everywhere if o.item.answerable])["overall"]
    latencies = {"scoped": [], "all": []}
    for item in items:
        for name, scope in (("scoped", [item.document]), ("all", None)):
            started = time.perf_counter()
            assistant.retriever.invoke(item.question, scope=scope)
            latencies[name].append((time.perf_counter() - started) * 1000)
    return {
        "restart_seconds": round(restart_s, 1),
        "serve_peak_rss_mib": _peak_rss_mib(),
        "retrieval_scoped_ms": _percentiles(latencies["scoped"]),
        "retrieval_all_ms": _percentiles(latencies["all"]),
        "scoped": {k: scoped[k] for k in ("pass_rate", "hit_at_1", "mrr", "refusal_recall", "latency_p50_ms")},
        # over every document, refusal items are not comparable: another district's plan may rightly answer them
        "all_documents_answerable": {k: answerable[k] for k in ("pass_rate", "hit_at_1", "mrr")},
    }


def _child(*args: str) -> dict[str, Any]:
    child = subprocess.run([sys.executable, "-m", "evals.bench_scale", *args], stdout=subprocess.PIPE, text=True)
    if child.returncode:
        raise RuntimeError(f"{' '.join(args)}: exit {child.returncode}")
    return dict(json.loads(child.stdout.strip().splitlines()[-1]))


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| distractors | chunks | index | index time | disk | peak RSS build / serve | restart "
        "| retrieval p50 / p95, scoped | all documents | pass, scoped | hit@1, scoped | pass / hit@1, all documents¹ |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---|",
    ]
    for r in sorted(results, key=lambda r: r["distractors"]):
        s, a = r["scoped"], r["all_documents_answerable"]
        (sp50, sp95), (ap50, ap95) = r["retrieval_scoped_ms"], r["retrieval_all_ms"]
        lines.append(
            f"| {r['distractors']:,} | {r['chunks']:,} | {r['chunks_per_second']} chunks/s | {r['index_seconds']} s "
            f"| {r['disk_mib']} MiB | {r['build_peak_rss_mib']:.0f} / {r['serve_peak_rss_mib']:.0f} MiB "
            f"| {r['restart_seconds']} s | {sp50} / {sp95} ms | {ap50} / {ap95} ms | {s['pass_rate']:.3f} "
            f"| {s['hit_at_1']:.3f} | {a['pass_rate']:.3f} / {a['hit_at_1']:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_scale")
    parser.add_argument("sizes", nargs="*", type=int, default=[0, 1000, 10000], help="distractor counts")
    parser.add_argument("--rebuild", action="store_true", help="index again even when a built index is kept")
    parser.add_argument("--work", type=Path, default=WORK, help="where corpora and indexes are kept between runs")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)  # child process: build one size
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # child process: measure one built size
    args = parser.parse_args(argv)
    if args.build is not None:
        print(json.dumps(build(args.build, args.work / str(args.build))))
        return 0
    if args.serve is not None:
        print(json.dumps(serve(args.work / str(args.serve))))
        return 0
    known = {r["distractors"]: r for r in json.loads(args.out.read_text())} if args.out.exists() else {}
    for size in args.sizes:
        record = args.work / str(size) / "build.json"
        if args.rebuild or not record.exists():
            print(f"N = {size:,}: building …", file=sys.stderr, flush=True)
            record.parent.mkdir(parents=True, exist_ok=True)
            built = _child("--build", str(size), "--work", str(args.work))
            record.write_text(json.dumps(built))
        print(f"N = {size:,}: measuring …", file=sys.stderr, flush=True)
        known[size] = {**json.loads(record.read_text()), **_child("--serve", str(size), "--work", str(args.work))}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(sorted(known.values(), key=lambda r: r["distractors"]), indent=2) + "\n")
    print(table(list(known.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
