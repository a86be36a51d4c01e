"""Typos of pinyin input: a run of characters that the documents do not use, but that sounds exactly like a word
they do (高心技术企业 → 高新技术企业, 技术和同 → 技术合同), is read as that word.

The vocabulary is the documents' own words, so nothing here names a notice. Only characters outside the
dictionary words of jieba's segmentation are changed: a typo leaves fragments or guessed words (高心, 规化), while a
real word (公司, 人才) is never rewritten into a sound-alike one. A two-character window is only corrected when it
is no word of its own (规化 is none; 事业 is one), and only toward a word that shares one of its characters.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict

# Sounds only compare words with each other, every one read a character at a time: pypinyin's phrase readings (多音字
# in context) are not needed, and reading its phrase dictionary was 0.13 s of every cold start (`make bench`)
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
from pypinyin import Style, lazy_pinyin, pinyin

from assistant.corpus.parsing import MASTHEAD_LABELS
from assistant.corpus.records import Corpus
from assistant.language.lexicon import Lexicon

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
LONGEST = 8  # characters: the longest window looked up
# a numeral is what was typed, never a typo: 多少个亿来着 asks a sum in 亿, not 以来 (it carries the asked unit)
_NUMERALS = frozenset("零〇一二两三四五六七八九十百千万亿")


def sounds(text: str) -> list[str]:
    """How ``text`` is typed in pinyin, a syllable a character (tones left out): 技术和同 and 技术合同 alike."""
    return lazy_pinyin(text)


# the reading of a character that is written by mistake for another (劵 for 券: 优惠劵, 双创劵), as that one's
_MISWRITTEN = {"劵": "quan"}


def readings(text: str) -> list[tuple[str, ...]]:
    """Every reading of each character of ``text`` (卷: juan, quan …): a pinyin input method offers a character
    under each, so 双创卷 may be typed for 双创券."""
    heard = pinyin(text, style=Style.NORMAL, heteronym=True)
    return [tuple(dict.fromkeys([*r, *_MISWRITTEN.get(ch, "").split()])) for ch, r in zip(text, heard, strict=True)]


class Spelling:
    def __init__(self, words: set[str], text: str, lexicon: Lexicon) -> None:
        self.text = text  # the documents' text: a window found in it is no typo
        self.lexicon = lexicon
        # by length and first syllable: a window is compared with the words it could be
        self.by_sound: dict[tuple[int, str], list[tuple[list[str], str]]] = defaultdict(list)
        for word in sorted(words):
            if 2 <= len(word) <= LONGEST and _HAN_RUN.fullmatch(word):
                heard = sounds(word)
                self.by_sound[(len(word), heard[0])].append((heard, word))

    @classmethod
    def of_corpus(cls, corpus: Corpus, lexicon: Lexicon) -> Spelling:
        """The vocabulary of every section's title and text, and the names of a 文头's lines (文好 is 文号)."""
        texts = [s.title + s.text for d in corpus.documents.values() for s in d.sections.values()]
        return cls.of([*texts, *(label for label, _ in MASTHEAD_LABELS)], lexicon)

    @classmethod
    def of(cls, texts: list[str], lexicon: Lexicon) -> Spelling:
        """The vocabulary of ``texts`` (section titles and text): jieba words, and their search sub-words."""
        words = {w for text in texts for w in lexicon.tokens(text)}
        return cls(words, "".join(texts).lower(), lexicon)

    def _words(self, text: str) -> list[tuple[int, int]]:
        """Where the dictionary words of two characters or more stand in jieba's segmentation of ``text``."""
        spans, at = [], 0
        for word in self.lexicon.words(text):
            if len(word) > 1 and self.lexicon.is_word(word):
                spans.append((at, at + len(word)))
            at += len(word)
        return spans

    def _sound_alike(self, window: str, heard: list[tuple[str, ...]]) -> str | None:
        if window in self.text:
            return None
        shared = 1 if len(window) == 2 else len(window) // 2  # a typo changes one character in two, at most
        if len(window) == 2 and self.lexicon.is_word(window):
            return None
        for first in heard[0]:
            for sound, word in self.by_sound.get((len(window), first), []):
                if word == window or not all(s in h for s, h in zip(sound, heard, strict=True)):
                    continue
                if sum(a == b for a, b in zip(word, window, strict=True)) >= shared:
                    return word
        return None

    def correct(self, question: str) -> str:
        """``question`` with each sound-alike typo replaced by the documents' word, longest windows first."""
        pieces: list[str] = []
        last = 0
        for run in _HAN_RUN.finditer(question):
            text = run.group()
            heard = readings(text)
            fixed = list(text)
            words = self._words(text)
            starts = {a for a, _ in words}
            taken = [False] * len(text)
            for size in range(min(LONGEST, len(text)), 1, -1):
                for start in range(len(text) - size + 1):
                    if any(taken[start : start + size]):
                        continue
                    end = start + size
                    # a window never cuts a real word (是大 of 我是大学); it may rewrite one whole only when it is
                    # three characters or more sounding like a dictionary word the documents use (高薪区 → 高新区)
                    if any(a < end and start < b and not (start <= a and b <= end) for a, b in words):
                        continue
                    word = self._sound_alike(text[start:end], heard[start:end])
                    changed = [start + i for i, ch in enumerate(word or "") if ch != text[start + i]]
                    inside = any(a <= i < b for i in changed for a, b in words)
                    # a function word right before a word is what was meant (做是为了…: 是, not 做实's 实; but 技术和同
                    # is 技术合同: no word starts after its 和)
                    function = any(text[i] in self.lexicon.stopwords and (i + 1) in starts for i in changed)
                    function = function or any(text[i] in _NUMERALS for i in changed)
                    if word and not function and (not inside or (size >= 3 and self.lexicon.is_word(word))):
                        fixed[start:end] = [*word]
                        taken[start:end] = [True] * size
            pieces += [question[last : run.start()], "".join(fixed)]
            last = run.end()
        return "".join(pieces) + question[last:]
