"""The eval set: one JSON object per line, validated with line numbers in errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The document gold sections belong to unless an item says otherwise ("document": "<id>").
DEFAULT_DOCUMENT = "jiading-2025-kjcx-gongzuo-yaodian"
# The first 164 dev items were written with the code; the rest of dev and all of test were written blind, from the
# notice alone, in users' voices (docs/eval/README.md).
KINDS = {
    "fact", "list", "paraphrase", "break", "multi", "section", "followup", "english", "refuse",
    "colloquial", "traditional", "mixed", "typo", "yesno", "figure_stated", "figure_not_stated",
    "detail_not_stated", "out_of_scope", "greeting", "relevance", "metadata",
}  # fmt: skip
# What a right answer is: a full answer; a partial one (the thing is named, the detail asked is not given);
# a refusal; a short introduction for a greeting.
EXPECTS = ("full", "partial", "refuse", "greeting")


class DatasetError(ValueError):
    pass


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    question: str
    gold_sections: list[str]
    must_include: list[list[str]]
    answerable: bool
    history: list[tuple[str, str]] = field(default_factory=list)
    document: str = DEFAULT_DOCUMENT
    expect: str = ""  # one of EXPECTS; "" → full for answerable items, refuse for the others
    persona: str = ""

    def __post_init__(self) -> None:
        if not self.expect:
            object.__setattr__(self, "expect", "full" if self.answerable else "refuse")

    def key(self, doc: str | None, section: str) -> str:
        """A section as gold lists it: bare in the item's document, "doc/section" in any other."""
        return section if doc in (None, "", self.document) else f"{doc}/{section}"

    def includes(self, text: str) -> bool:
        return all(any(alternative in text for alternative in group) for group in self.must_include)


def _history(turns: list[Any]) -> list[tuple[str, str]]:
    """Earlier turns as ``[question, answer]`` pairs, or as chat messages (``{"role", "content"}``, as the API and
    the web chat take them), each user message paired with the assistant's reply to it."""
    if all(isinstance(t, dict) for t in turns):
        roles = [t.get("role") for t in turns]
        if roles != ["user", "assistant"] * (len(turns) // 2) or len(turns) % 2:
            raise ValueError(f"history messages must alternate user, assistant: {roles}")
        return [(str(q["content"]), str(a["content"])) for q, a in zip(turns[::2], turns[1::2], strict=True)]
    if not all(isinstance(t, list) and len(t) == 2 for t in turns):
        raise ValueError("history is a list of [question, answer] pairs or of {role, content} messages")
    return [(str(q), str(a)) for q, a in turns]


def load(path: Path) -> list[Item]:
    items: list[Item] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            item = Item(
                id=str(raw["id"]),
                kind=str(raw["kind"]),
                question=str(raw["question"]),
                gold_sections=[str(s) for s in raw["gold_sections"]],
                must_include=[[str(a) for a in group] for group in raw["must_include"]],
                answerable=bool(raw["answerable"]),
                history=_history(raw.get("history", [])),
                document=str(raw.get("document", DEFAULT_DOCUMENT)),
                expect=str(raw.get("expect", "")),
                persona=str(raw.get("persona", "")),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise DatasetError(f"{path}:{number}: {error.__class__.__name__}: {error}") from error
        if item.kind not in KINDS:
            raise DatasetError(f"{path}:{number}: unknown kind {item.kind!r} (one of {sorted(KINDS)})")
        if item.expect not in EXPECTS:
            raise DatasetError(f"{path}:{number}: unknown expect {item.expect!r} (one of {list(EXPECTS)})")
        if item.answerable != (item.expect == "full") or (item.kind == "refuse" and item.answerable):
            raise DatasetError(f"{path}:{number}: answerable is true exactly for the items expecting a full answer")
        if bool(item.gold_sections) != (item.expect in ("full", "partial")):
            raise DatasetError(f"{path}:{number}: full and partial items need gold sections; the others none")
        items.append(item)
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        raise DatasetError(f"{path}: duplicate ids")
    return items
