"""Words: jieba tokens with the notice's own terms kept whole, stopwords, and query expansion.

The term list, stopwords and synonyms are data (the language's and the domain pack's, ``domain.py``), so they
change without code.
"""

from __future__ import annotations

import io
import logging
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import jieba

from assistant.language.domain import Domain

_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z][A-Za-z\-&]*|\d+(?:\.\d+)?%?")
_LATIN = re.compile(r"[A-Za-z]")

jieba.setLogLevel(logging.WARNING)

# Words rarer than this in general Chinese (jieba's IDF) name what a sentence is about (生物医药 8.6, 同济 10.3,
# 高新技术企业 and the documents' other terms 12); commoner ones say what is said of it (目标 5.3, 认定 7.2,
# 合作 5.5). Set by hand on the dev split's follow-ups, where it separates a subject from what is asked of it.
SPECIFIC_IDF = 8.0


class Lexicon:
    """Tokenisation and expansion rules, loaded once and shared."""

    def __init__(self, domain: Domain | None = None) -> None:
        self.domain = domain or Domain.load()
        self.stopwords = self.domain.stopwords

    @cached_property
    def _tokenizer(self) -> jieba.Tokenizer:
        tokenizer = jieba.Tokenizer()
        # jieba's prefix dictionary, kept as two lists: jieba's own cache is one marshalled dict of 500,000 words,
        # which takes 0.6 s to read; the lists and a dict built from them 0.2 s (a cold `ask` pays it every time)
        def build(_: Path) -> tuple[list[str], list[int], int]:
            tokenizer.initialize()
            return list(tokenizer.FREQ), list(tokenizer.FREQ.values()), tokenizer.total

        words, counts, total = _kept("dictionary", "dict.txt", build)
        if not tokenizer.initialized:
            tokenizer.FREQ, tokenizer.total = dict(zip(words, counts, strict=True)), total
            tokenizer.initialized = True
        for term in self.domain.terms:  # as a jieba user dictionary (None: one that keeps it whole)
            tokenizer.add_word(term.word, term.frequency, term.tag)
        return tokenizer

    @cached_property
    def terms(self) -> tuple[str, ...]:
        """The documents' own terms that must stay whole (科技小巨人, a park's or a programme's name)."""
        return tuple(term.word.lower() for term in self.domain.terms)

    @cached_property
    def _glossary(self) -> list[tuple[str, list[str], re.Pattern[str]]]:
        """Each glossary phrase with the documents' words for it and its pattern (English: whole words, plurals)."""
        def pattern(phrase: str) -> re.Pattern[str]:
            escaped = re.escape(phrase)
            return re.compile(rf"(?<![a-z]){escaped}(?:s|es)?(?![a-z])" if _LATIN.search(phrase) else escaped)

        return [(phrase, list(words), pattern(phrase)) for phrase, words in self.synonyms]

    @cached_property
    def _terms_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True)))

    @cached_property
    def synonyms(self) -> list[tuple[str, tuple[str, ...]]]:
        # longest phrases first, so "high-tech enterprise" wins over "enterprise"
        return sorted(self.domain.synonyms, key=lambda pair: -len(pair[0]))

    @cached_property
    def _idf(self) -> tuple[dict[str, float], float]:
        # read here, not through jieba.analyse: importing that builds its own TF-IDF and TextRank (~0.9 s cold);
        # kept parsed (0.05 s to load, not 0.4 s to parse)
        def parse(path: Path) -> tuple[dict[str, float], float]:
            rows = (line.split(" ") for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
            table = {word: float(value) for word, value in rows}
            values = sorted(table.values())
            return table, values[len(values) // 2]

        table, median = _kept("idf", "analyse/idf.txt", parse)
        return dict(table), float(median)

    def idf(self, word: str) -> float:
        """How rare ``word`` is in general Chinese (jieba's IDF table); an unknown word counts as a median one."""
        table, median = self._idf
        return float(table.get(word.lower(), median))

    @cached_property
    def _tagger(self) -> posseg.POSTokenizer:
        return _Tagger(self._tokenizer)

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """Content words of ``text`` (as :meth:`content_words`) with their part of speech, jieba's tags: n noun,
        v verb, r pronoun …; x for the documents' own terms, which the dictionary holds untagged."""
        return self.content(self.parts_of_speech(text.lower()))

    def content(self, cut: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The content words of a segmentation with their tags (see :meth:`tagged`), each once."""
        seen: dict[str, str] = {}
        for word, flag in ((w.strip(), f) for w, f in cut):
            if word and word not in self.stopwords and _WORD.match(word) and len(word) > 1:
                seen.setdefault(word, flag)
        return list(seen.items())

    def specific(self, word: str) -> bool:
        """Whether ``word`` names what a sentence is about, not what is said of it (see ``SPECIFIC_IDF``)."""
        return self.idf(word) >= SPECIFIC_IDF

    def is_word(self, text: str) -> bool:
        """Whether jieba's dictionary (or the documents' term list) knows ``text`` as a word."""
        return bool(self._tokenizer.FREQ.get(text))

    def tokens(self, text: str) -> list[str]:
        """Search tokens: jieba words and their sub-words, lower-cased, without stopwords."""
        words = self._tokenizer.lcut_for_search(text.lower())
        return [w for w in (w.strip() for w in words) if w and w not in self.stopwords and _WORD.match(w)]

    def parts_of_speech(self, text: str) -> list[tuple[str, str]]:
        """jieba's segmentation of ``text`` with each word's tag, as it is: no filtering."""
        return [(pair.word, pair.flag) for pair in self._tagger.cut(text)]

    def words(self, text: str) -> list[str]:
        """jieba's segmentation of ``text`` (the documents' terms kept whole), as it is: no filtering."""
        return list(self._tokenizer.lcut(text))

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
        return [" ".join(words) for _, words in self.glossed(query)[0]]

    def glossed(self, text: str) -> tuple[list[tuple[str, list[str]]], str]:
        """Glossary phrases found in ``text`` (longest first) with the documents' words for each, and the text
        left when they are taken out. English phrases match whole words, plurals included (incubators)."""
        lowered = text.lower()
        found: list[tuple[str, list[str]]] = []
        # a phrase overlapping a term of the documents is that term's, not the glossary's (医药 and 药企 in
        # 生物医药企业), unless it holds the whole term and more (技术合同额 holds 技术合同: the glossary's)
        spans = [m.span() for m in self._terms_pattern.finditer(lowered)]
        for phrase, expansion, pattern in self._glossary:
            if _LATIN.search(phrase) is None and phrase not in lowered:
                continue
            hits = [
                m
                for m in pattern.finditer(lowered)
                if not any(
                    a < m.end() and m.start() < b and not (m.start() <= a and b <= m.end()) for a, b in spans
                )
            ]
            if hits:
                found.append((phrase, expansion))
                for m in reversed(hits):
                    lowered = lowered[: m.start()] + " " * (m.end() - m.start()) + lowered[m.end() :]
        return found, lowered

    @staticmethod
    def is_english(text: str) -> bool:
        latin = len(_LATIN.findall(text))
        han = len(re.findall(r"[\u4e00-\u9fff]", text))
        return latin > 3 * max(han, 1) or (han == 0 and latin > 0)


def _kept(name: str, source: str, build: Callable[[Path], Any]) -> Any:
    """``build(path)`` of jieba's data file ``source``, kept marshalled in the temp folder beside jieba's own cache
    until that file changes; built again when the cache cannot be read, and not kept when it cannot be written."""
    with resources.as_file(resources.files("jieba") / source) as path:
        stat = path.stat()
        cache = Path(tempfile.gettempdir()) / f"assistant-{name}-{stat.st_size}-{int(stat.st_mtime)}.marshal"
        try:
            return marshal.loads(cache.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
        value = build(path)
    try:
        partial = cache.with_suffix(f".{os.getpid()}")
        partial.write_bytes(marshal.dumps(value))
        os.replace(partial, cache)
    except OSError:  # a read-only temp folder: built again next time
        pass
    return value


def _word_tags(path: Path) -> tuple[list[str], list[str]]:
    """The words of jieba's main dictionary and their parts of speech, as its tagger reads them."""
    rows = [line.strip().split(" ") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [word for word, _, _ in rows], [tag for _, _, tag in rows]


def _import_posseg() -> ModuleType:
    """jieba.posseg, whose import makes a default tagger that reads the main dictionary's word tags: 0.2 s of every
    cold start (`make bench`). The import is shown an empty dictionary file, and that tagger is then given the table
    as it would have read it, kept (``_kept``: 0.1 s)."""
    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    jieba.dt.get_dict_file = io.BytesIO
    try:
        from jieba import posseg
    finally:
        del jieba.dt.get_dict_file  # the Tokenizer's own method again
    words, tags = _kept("word-tags", "dict.txt", _word_tags)
    posseg.dt.word_tag_tab = dict(zip(words, tags, strict=True))
    return posseg


if TYPE_CHECKING:
    from jieba import posseg
else:
    posseg = _import_posseg()


class _Tagger(posseg.POSTokenizer):
    """jieba's tagger over our tokenizer, with the word-tag table of jieba.posseg's default tagger for the same main
    dictionary (POSTokenizer() would read it again: ~0.5 s cold). A copy: our terms' tags are added to it."""

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.word_tag_tab = dict(posseg.dt.word_tag_tab)
