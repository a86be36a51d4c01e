"""Eval report files: ``report.json``, ``report.md`` and a pass-rate chart (ours vs the baseline, per split)."""

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
    "no_figure_when_not_stated",
    "numeric_faithfulness",
    "citations_retrieved",
    "latency_p50_ms",
    "latency_p95_ms",
]
COMPARED = [
    "items",
    "pass_rate",
    "hit_at_1",
    "mrr",
    "fact_accuracy",
    "citation_precision",
    "refusal_precision",
    "refusal_recall",
    "no_figure_when_not_stated",
]
CHART = "pass_rate_by_kind.png"


def _cell(value: Any) -> str:
    return "n/a" if value is None else str(value)


def _table(summary: dict[str, Any]) -> list[str]:
    lines = ["| kind | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    rows = [("**overall**", summary["overall"]), *summary["per_kind"].items()]
    return lines + [f"| {name} | " + " | ".join(_cell(m[c]) for c in COLUMNS) + " |" for name, m in rows]


def _side_by_side(splits: dict[str, Any]) -> list[str]:
    names = list(splits)
    header = "| metric | " + " | ".join(f"{n}: ours | {n}: naive baseline" for n in names) + " |"
    lines = [header, "|---" * (1 + 2 * len(names)) + "|"]
    for metric in COMPARED:
        cells = [
            f"{_cell(splits[n]['ours']['overall'][metric])} | {_cell(splits[n]['baseline']['overall'][metric])}"
            for n in names
        ]
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    return lines


def _confusion(summary: dict[str, Any]) -> list[str]:
    table = summary["confusion"]
    said = list(next(iter(table.values())))
    lines = ["| expected \\ said | " + " | ".join(said) + " |", "|---" * (len(said) + 1) + "|"]
    return lines + [f"| {expect} | " + " | ".join(str(row[s]) for s in said) + " |" for expect, row in table.items()]


def _kinds(split: dict[str, Any]) -> list[str]:
    ours, baseline = split["ours"], split["baseline"]
    lines = ["| kind | items | pass rate (ours) | pass rate (baseline) |", "|---|---|---|---|"]
    return lines + [
        f"| {kind} | {m['items']} | {m['pass_rate']} | {baseline['per_kind'][kind]['pass_rate']} |"
        for kind, m in ours["per_kind"].items()
    ]


def markdown(result: dict[str, Any]) -> str:
    splits = result["splits"]
    lines = ["# Eval report", "", "## Ours vs the naive LangChain baseline, per split", "", *_side_by_side(splits), ""]
    lines += [f"![pass rate by kind]({CHART})", ""]
    for name, split in splits.items():
        ours = split["ours"]
        guard = ours.get("guard") or {}
        actions = ", ".join(f"{action} {count}" for action, count in guard.items())
        failures = [
            f"- `{f['id']}` ({f['kind']}, expected {f['expect']}, said {f['said']}) {f['question']} — "
            f"**{f['reason']}**; answer: {f['answer'].splitlines()[0][:80]}"
            for f in ours["failures"]
        ]
        lines += [
            f"## Split `{name}` — {split['dataset']}",
            "",
            "Outcomes (expected → what the assistant said):",
            "",
            *_confusion(ours),
            "",
            *_kinds(split),
            "",
            *([f"**LLM guard** (answers per action): {actions}", ""] if guard else []),
            "### This assistant",
            "",
            *_table(ours),
            "",
            "### Naive baseline",
            "",
            *_table(split["baseline"]),
            "",
            f"### Failures ({len(failures)})",
            "",
            *(failures or ["none"]),
            "",
        ]
    return "\n".join(lines)


def chart(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    splits = result["splits"]
    figure, axes_row = plt.subplots(len(splits), 1, figsize=(11, 3.6 * len(splits)), dpi=110, squeeze=False)
    for axes, (name, split) in zip(axes_row[:, 0], splits.items(), strict=True):
        kinds = list(split["ours"]["per_kind"])
        ours = [split["ours"]["per_kind"][k]["pass_rate"] for k in kinds]
        baseline = [split["baseline"]["per_kind"][k]["pass_rate"] for k in kinds]
        positions = range(len(kinds))
        axes.bar([p - 0.2 for p in positions], ours, width=0.4, label="this assistant", color="#2b6cb0")
        axes.bar([p + 0.2 for p in positions], baseline, width=0.4, label="naive LangChain RAG", color="#cbd5e0")
        axes.set_xticks(list(positions), kinds, rotation=30, ha="right", fontsize=8)
        axes.set_ylim(0, 1.05)
        axes.set_ylabel("pass rate")
        axes.set_title(f"Pass rate per question kind — {name} split ({split['ours']['overall']['items']} items)")
    handles, labels = axes_row[0, 0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="upper center", ncol=2, frameon=False, fontsize=9)
    figure.tight_layout(rect=(0, 0, 1, 0.97))  # room for the legend above the charts, clear of the bars
    figure.savefig(path)
    plt.close(figure)


def write_report(result: dict[str, Any], out: Path) -> str:
    out.mkdir(parents=True, exist_ok=True)
    text = markdown(result)
    (out / "report.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "report.md").write_text(text, encoding="utf-8")
    chart(result, out / CHART)
    return text
