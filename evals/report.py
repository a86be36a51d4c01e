"""Eval report files: ``report.json``, ``report.md`` and a pass-rate chart (ours vs the baseline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COLUMNS = [
    "items",
    "pass_rate",
    "hit_at_1",
    "hit_at_3",
    "mrr",
    "fact_accuracy",
    "citation_precision",
    "citation_recall",
    "refusal_precision",
    "refusal_recall",
    "numeric_faithfulness",
    "citations_retrieved",
    "latency_p50_ms",
    "latency_p95_ms",
]
COMPARED = ["pass_rate", "hit_at_1", "mrr", "fact_accuracy", "citation_precision", "refusal_recall"]
CHART = "pass_rate_by_kind.png"


def _table(summary: dict[str, Any]) -> list[str]:
    lines = ["| kind | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    rows = [("**overall**", summary["overall"]), *summary["per_kind"].items()]
    return lines + [
        f"| {name} | " + " | ".join("n/a" if m[c] is None else str(m[c]) for c in COLUMNS) + " |" for name, m in rows
    ]


def _ratio(ours: float | None, baseline: float | None) -> str:
    if ours is None or baseline is None:
        return "n/a"
    return f"{ours / baseline:.2f}×" if baseline else "∞"


def markdown(result: dict[str, Any]) -> str:
    ours, baseline = result["ours"], result["baseline"]
    side = ["| metric | this assistant | naive baseline | ratio |", "|---|---|---|---|"]
    for m in COMPARED:
        a, b = ours["overall"][m], baseline["overall"][m]
        side.append(f"| {m} | {a} | {b} | {_ratio(a, b)} |")
    kinds = ["| kind | items | pass rate (ours) | pass rate (baseline) |", "|---|---|---|---|"]
    kinds += [
        f"| {kind} | {m['items']} | {m['pass_rate']} | {baseline['per_kind'][kind]['pass_rate']} |"
        for kind, m in ours["per_kind"].items()
    ]
    guard = ours.get("guard") or {}
    actions = ", ".join(f"{action} {count}" for action, count in guard.items())
    guard_lines = [f"**LLM guard** (answers per action): {actions}", ""] if guard else []
    failures = [
        f"- `{f['id']}` ({f['kind']}) {f['question']} — **{f['reason']}**; answer: {f['answer'].splitlines()[0][:80]}"
        for f in ours["failures"]
    ]
    return "\n".join(
        [
            f"# Eval report — {result['dataset']}",
            "",
            "## Ours vs the naive LangChain baseline",
            "",
            *side,
            "",
            *kinds,
            "",
            *guard_lines,
            f"![pass rate by kind]({CHART})",
            "",
            "## This assistant",
            "",
            *_table(ours),
            "",
            "## Naive baseline",
            "",
            *_table(baseline),
            "",
            f"## Failures ({len(failures)})",
            "",
            *(failures or ["none"]),
            "",
        ]
    )


def chart(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = list(result["ours"]["per_kind"])
    ours = [result["ours"]["per_kind"][k]["pass_rate"] for k in kinds]
    baseline = [result["baseline"]["per_kind"][k]["pass_rate"] for k in kinds]
    positions = range(len(kinds))
    figure, axes = plt.subplots(figsize=(9, 4), dpi=120)
    axes.bar([p - 0.2 for p in positions], ours, width=0.4, label="this assistant", color="#2b6cb0")
    axes.bar([p + 0.2 for p in positions], baseline, width=0.4, label="naive LangChain RAG", color="#cbd5e0")
    axes.set_xticks(list(positions), kinds)
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("pass rate")
    axes.set_title("Pass rate per question kind")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def write_report(result: dict[str, Any], out: Path) -> str:
    out.mkdir(parents=True, exist_ok=True)
    text = markdown(result)
    (out / "report.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "report.md").write_text(text, encoding="utf-8")
    chart(result, out / CHART)
    return text
