"""指标一览: every figure a notice sets, in the words it sets it, with its section. For district staff who track
targets: the web chat's 指标一览 tab and ``python -m assistant targets`` (CSV with ``--csv``) list the same rows.

A figure is what the answer stage would quote for "多少": a number in digits in a unit the rules name (家, 亿元,
%, …), not a year, not an edition (第 26 届), not part of a name in quotes (“科创 12 条”). The row is the part of
its sentence between semicolons that holds it, verbatim, so it reads on its own and is exact.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.corpus.records import Notice

# a name in quotes (“科创 12 条”): its number is no figure, in a notice nor in a question about one
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_SEGMENT = re.compile(r"(?<=[；;])")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Target:
    document: str  # how the document is cited: 《…》（文号，date）
    section: str  # as the document numbers it: 二、（三）以服务加快创新主体培育
    text: str  # the clauses stating the figures, verbatim
    figures: tuple[str, ...]  # each figure as written: 1100 家, 280 亿元, 15%
    doc: str = ""  # the document's id and the section's, for opening it
    section_id: str = ""


def targets(notices: Iterable[Notice], patterns: Iterable[re.Pattern[str]]) -> list[Target]:
    """The figures of ``notices`` in document order; ``patterns`` say what states a figure (the rules' units)."""
    patterns = list(patterns)
    found: list[Target] = []
    for notice in notices:
        for section in notice.sections.values():
            for sentence in section.sentences:
                if not sentence.is_evidence:
                    continue
                for segment in _SEGMENT.split(sentence.text):
                    if figures := _figures(segment, patterns):
                        text = segment.strip().rstrip("；;。") + "。"
                        cited = (notice.reference(), section.citation())
                        found.append(Target(*cited, text, figures, notice.id, section.id))
    return found


def _figures(segment: str, patterns: list[re.Pattern[str]]) -> tuple[str, ...]:
    names = [(m.start(), m.end()) for m in QUOTED.finditer(segment)]
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(segment):
            start, end = match.span()
            if not _DIGIT.search(match.group()) or segment[:start].rstrip().endswith("第"):
                continue  # 第 26 届 is an edition; 二十届, 三大 name things (targets are set in digits)
            end += segment.startswith("次", end)  # 家次, 人次: counted per occurrence
            if any(a <= start and end <= b for a, b in names):
                continue  # “科创 12 条” is a name
            if not any(start < b and a < end for a, b in spans):
                spans.append((start, end))
    return tuple(segment[a:b].strip() for a, b in sorted(spans))


def as_csv(rows: list[Target]) -> str:
    """The table as CSV with a header, UTF-8 with a byte-order mark so that Excel opens the Chinese right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["文件", "条目", "指标原文", "数值"])
    for row in rows:
        writer.writerow([row.document, row.section, row.text, "；".join(row.figures)])
    return "\ufeff" + out.getvalue()


def as_markdown(rows: list[Target], many: bool) -> str:
    """The table for the chat's 指标一览 tab (the document column only when there are several)."""
    head = ("| 文件 " if many else "") + "| 条目 | 指标原文 | 数值 |"
    rule = ("|---" if many else "") + "|---|---|---|"
    lines = [head, rule]
    for row in rows:
        cells = [row.document] if many else []
        cells += [f"〔{row.section}〕", row.text, "、".join(row.figures)]
        lines.append("| " + " | ".join(c.replace("|", "｜") for c in cells) + " |")
    return "\n".join(lines)
