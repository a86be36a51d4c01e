"""Question stage: what a user typed → one clean question in the documents' script, or a message why not.

Runs before everything else reads the question, so retrieval, follow-ups and the answer stage all see the same
text: 繁體 becomes 简体 (OpenCC), full-width letters and digits become half-width, control characters go.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

# Full-width ASCII (Ａ, ５, ％ …) → half-width, but not the punctuation Chinese text is written with (，？（）：；！),
# which the documents use too.
_CHINESE_PUNCTUATION = "，？（）：；！"
_HALF_WIDTH = {
    code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _CHINESE_PUNCTUATION
} | {0x3000: 0x20}


# What OpenCC leaves in a 繁體 question that the documents (and the question forms) write otherwise: 甚麼, the usual
# spelling of 什么 there, becomes 甚么; 「」『』 are the quotation marks of 繁體 text (“科创 12 条”).
_VARIANTS = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
_WORD_VARIANTS = {"甚么": "什么"}


@lru_cache(maxsize=1)
def _simplifier() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """繁體 → 简体 and full-width → half-width; Simplified text is left as it is (the notice converts to itself).
    Lone surrogates (from a bad decode upstream) are dropped: they are no text, and OpenCC cannot take them."""
    text = text.encode("utf-8", errors="ignore").decode("utf-8")
    text = _simplifier().convert(text.translate(_HALF_WIDTH)).translate(_VARIANTS)
    for variant, word in _WORD_VARIANTS.items():
        text = text.replace(variant, word)
    return text


def clean_question(raw: str | bytes, messages: dict[str, str], limit: int) -> tuple[str, str | None]:
    """The question as typed, tidied (NFC, no control characters, single spaces), or a message for input that
    cannot be a question (``messages``: ``empty``, ``unreadable``, ``too_long``)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", raw)
    printable = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    garbage = text.count("\ufffd") + (len(text) - len(printable))
    question = " ".join(printable.replace("\ufffd", " ").split())
    if not question:
        return "", messages["empty" if garbage == 0 else "unreadable"]
    if garbage > max(3, len(text) // 4):
        return "", messages["unreadable"]
    if len(question) > limit:
        return "", messages["too_long"].format(length=len(question), limit=limit)
    return question, None
