"""Words: jieba tokens with the notice's own terms kept whole, stopwords, and query expansion.

The term list, stopwords and synonyms are package data, so domain rules change without code.
"""

from __future__ import annotations

import logging
import re
from functools import cached_property
from importlib import resources

import jieba

DATA = resources.files("assistant") / "data"
_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z][A-Za-z\-&]*|\d+(?:\.\d+)?%?")
_LATIN = re.compile(r"[A-Za-z]")

jieba.setLogLevel(logging.WARNING)


def _data_lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


class Lexicon:
    """Tokenisation and expansion rules, loaded once and shared."""

    @cached_property
    def _tokenizer(self) -> jieba.Tokenizer:
        tokenizer = jieba.Tokenizer()
        with resources.as_file(DATA / "terms.txt") as path:
            tokenizer.load_userdict(str(path))
        return tokenizer

    @cached_property
    def stopwords(self) -> frozenset[str]:
        return frozenset(word for line in _data_lines("stopwords.txt") for word in line.split())

    @cached_property
    def synonyms(self) -> list[tuple[str, str]]:
        pairs = [line.split("\t", 1) for line in _data_lines("synonyms.tsv")]
        # longest phrases first, so "high-tech enterprise" wins over "enterprise"
        return sorted(((k.lower(), v) for k, v in pairs), key=lambda pair: -len(pair[0]))

    def tokens(self, text: str) -> list[str]:
        """Search tokens: jieba words and their sub-words, lower-cased, without stopwords."""
        words = self._tokenizer.lcut_for_search(text.lower())
        return [w for w in (w.strip() for w in words) if w and w not in self.stopwords and _WORD.match(w)]

    def content_words(self, text: str) -> list[str]:
        """Whole words that carry meaning (no sub-words), in order, without repeats."""
        words = self._tokenizer.lcut(text.lower())
        seen: dict[str, None] = {}
        for word in (w.strip() for w in words):
            if word and word not in self.stopwords and _WORD.match(word) and len(word) > 1:
                seen.setdefault(word, None)
        return list(seen)

    def search_text(self, query: str) -> str:
        """What to search with: the query plus the notice's own terms for the words it uses.

        An English query is searched by its Chinese equivalents only: the notice is Chinese.
        """
        additions = self.equivalents(query)
        if self.is_english(query):
            return " ".join(additions) or query
        return " ".join([query, *additions])

    def equivalents(self, query: str) -> list[str]:
        """The notice's own terms for colloquial or English words found in the query."""
        lowered = query.lower()
        additions: list[str] = []
        for phrase, expansion in self.synonyms:
            if _LATIN.search(phrase):
                found = re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", lowered)
            else:
                found = phrase in lowered  # type: ignore[assignment]
            if found:
                additions.append(expansion)
                lowered = lowered.replace(phrase, " ")
        return additions

    @staticmethod
    def is_english(text: str) -> bool:
        latin = len(_LATIN.findall(text))
        han = len(re.findall(r"[\u4e00-\u9fff]", text))
        return latin > 3 * max(han, 1) or (han == 0 and latin > 0)
