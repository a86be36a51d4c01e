"""The answer stage's data: question forms, refusal words, thresholds and messages (``data/rules.toml``)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from assistant.language.domain import LANGUAGE


@dataclass(frozen=True)
class Ask:
    """A detail a question may ask for: how it is asked, what states it, what to call it when it is missing."""

    kind: str  # contact | procedure | conditions | time | place | ordinal | who | support | name | figure | specifics
    cues: tuple[str, ...]
    states: re.Pattern[str]
    missing: str
    leads: re.Pattern[str] | None = None  # a clause before the thing's that states it all the same (会同…)
    unless: tuple[str, ...] = ()  # words of the asking clause that ask something else (具体要做哪些事: the acts)
    alone: bool = False  # asked only when no other detail is (具体叫啥 asks a name, 具体哪天 a date)


@dataclass(frozen=True)
class Unit:
    """The unit a figure is asked in (money, share, count), and what follows a number stated in it."""

    kind: str
    asked: tuple[str, ...]
    stated: re.Pattern[str]
    missing: str
    listed: re.Pattern[str] | None = None  # a clause giving the count as a list of the things counted
    occurrences: str = ""  # classifiers of how often or how long (场 次 天): no list of things answers them
    nouns: str = ""  # classifiers that are the counted thing's word (三地): they answer a count of it alone


@dataclass(frozen=True)
class Policy:
    """Thresholds of the answerability decision, fitted on the dev split (``python -m evals.fit``)."""

    min_coverage: float
    generic_share: float
    figure_coverage: float


@dataclass(frozen=True)
class Rules:
    asks: tuple[Ask, ...]  # in the order they are looked for
    units: tuple[Unit, ...]
    classifiers: dict[str, str]  # classifier → the classifiers counting the same things
    # which, mention, relevance(:which), greeting, pair(:joins), refer(:document), parts, few, intent:list, intent:who
    cues: dict[str, tuple[str, ...]]
    evidence: dict[str, re.Pattern[str]]  # intent → what makes a sentence a good answer to it
    refuse: dict[str, tuple[str, ...]]  # chitchat, scopes, relative_years, places
    aspects: dict[str, Any]  # total_asked, new_asked (cues); new_stated, total_stated (patterns)
    policy: Policy
    compose: dict[str, int]
    messages: dict[str, str]
    messages_many_documents: dict[str, str]

    @classmethod
    def load(cls, text: str | None = None) -> Rules:
        data: dict[str, Any] = tomllib.loads(text or (LANGUAGE / "rules.toml").read_text(encoding="utf-8"))
        spoken = dict(data["spoken"])

        def said(words: list[str]) -> tuple[str, ...]:
            """Cues and their spoken forms (叫什么 → 叫啥): a word's spoken form is what many questions use."""
            out = list(words)
            for written, form in spoken.items():
                out += [w.replace(written, form) for w in words if written in w]
            return tuple(dict.fromkeys(out))

        names = ("which", "mention", "relevance", "greeting", "pair", "refer", "parts", "few")
        cues = {name: said(data[name]["cues"]) for name in names}
        cues["pair:joins"] = tuple(data["pair"]["joins"])
        cues["refer:document"] = tuple(data["refer"]["document"])
        cues["relevance:which"] = tuple(data["relevance"]["with_which"])
        cues["greeting:closing"] = tuple(data["greeting"]["closing"])
        cues |= {f"intent:{name}": said(words) for name, words in data["intent"].items()}
        return cls(
            asks=tuple(
                Ask(
                    kind,
                    said(a["cues"]),
                    re.compile(a["states"]),
                    a["missing"],
                    re.compile(a["leads"]) if "leads" in a else None,
                    tuple(a.get("unless", ())),
                    a.get("alone", False),
                )
                for kind, a in data["asks"].items()
            ),
            units=tuple(
                Unit(
                    kind,
                    said(u["asked"]),
                    re.compile(u["stated"]),
                    u["missing"],
                    re.compile(u["listed"]) if "listed" in u else None,
                    u.get("occurrences", ""),
                    u.get("nouns", ""),
                )
                for kind, u in data["units"].items()
            ),
            classifiers=dict(data["classifiers"]),
            cues=cues,
            evidence={name: re.compile(pattern) for name, pattern in data["evidence"].items()},
            refuse={name: tuple(words) for name, words in data["refuse"].items()},
            aspects={
                "total_asked": tuple(data["aspects"]["total_asked"]),
                "new_asked": tuple(data["aspects"]["new_asked"]),
                "new_stated": re.compile(data["aspects"]["new_stated"]),
                "total_stated": re.compile(data["aspects"]["total_stated"]),
            },
            policy=Policy(**data["policy"]),
            compose=dict(data["compose"]),
            messages=dict(data["messages"]),
            messages_many_documents=dict(data["messages_many_documents"]),
        )

    def ask(self, kind: str) -> Ask:
        return next(a for a in self.asks if a.kind == kind)

    def unit(self, kind: str) -> Unit:
        return next(u for u in self.units if u.kind == kind)
