"""Answer stage: what is asked → is it answerable (policy) → which sentences answer it (select) → the words
around the quotes (compose). ``ExtractiveAnswerer`` runs them in that order."""

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.rules import Rules

__all__ = ["ExtractiveAnswerer", "Rules"]
