"""Typos of pinyin input: a run of characters that the documents do not use, but that sounds exactly like a word
they do (高心技术企业 → 高新技术企业, 技术和同 → 技术合同), is read as that word.

The vocabulary is the documents' own words, so nothing here names a notice. Only characters outside the
dictionary words of jieba's segmentation are changed: a typo leaves fragments or guessed words (高心, 规化), while a
real word (公司, 人才) is never rewritten into a sound-alike one. A two-character window is only corrected when it
is no word of its own (规化 is none; 事业 is one), and only toward a word that shares one of its characters.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pypinyin import lazy_pinyin

from .lexicon import Lexicon

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
LONGEST = 8  # characters: the longest window looked up


class Spelling:
    def __init__(self, words: set[str], text: str, lexicon: Lexicon) -> None:
        self.text = text  # the documents' text: a window found in it is no typo
        self.lexicon = lexicon
        self.by_sound: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for word in sorted(words):
            if 2 <= len(word) <= LONGEST and _HAN_RUN.fullmatch(word):
                self.by_sound[tuple(lazy_pinyin(word))].append(word)

    @classmethod
    def of(cls, texts: list[str], lexicon: Lexicon) -> Spelling:
        """The vocabulary of ``texts`` (section titles and text): jieba words, and their search sub-words."""
        words = {w for text in texts for w in lexicon.tokens(text)}
        return cls(words, "".join(texts).lower(), lexicon)

    def _loose(self, text: str) -> list[bool]:
        """For each character of ``text``: whether it stands outside the dictionary words jieba finds in it."""
        loose: list[bool] = []
        for word in self.lexicon.words(text):
            loose += [len(word) == 1 or not self.lexicon.is_word(word)] * len(word)
        return loose

    def _sound_alike(self, window: str, sounds: list[str]) -> str | None:
        if window in self.text:
            return None
        shared = 1 if len(window) == 2 else len(window) // 2  # a typo changes one character in two, at most
        if len(window) == 2 and self.lexicon.is_word(window):
            return None
        for word in self.by_sound.get(tuple(sounds), []):
            if word != window and sum(a == b for a, b in zip(word, window, strict=True)) >= shared:
                return word
        return None

    def correct(self, question: str) -> str:
        """``question`` with each sound-alike typo replaced by the documents' word, longest windows first."""
        pieces: list[str] = []
        last = 0
        for run in _HAN_RUN.finditer(question):
            text = run.group()
            sounds = lazy_pinyin(text)
            fixed = list(text)
            loose = self._loose(text)
            taken = [False] * len(text)
            for size in range(min(LONGEST, len(text)), 1, -1):
                for start in range(len(text) - size + 1):
                    if any(taken[start : start + size]):
                        continue
                    word = self._sound_alike(text[start : start + size], sounds[start : start + size])
                    if word and all(loose[start + i] for i, ch in enumerate(word) if ch != text[start + i]):
                        fixed[start : start + size] = [*word]
                        taken[start : start + size] = [True] * size
            pieces += [question[last : run.start()], "".join(fixed)]
            last = run.end()
        return "".join(pieces) + question[last:]
