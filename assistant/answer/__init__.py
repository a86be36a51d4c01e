"""Answer stage: what is asked → is it answerable (policy) → which sentences answer it (select) → the words
around the quotes (compose). ``ExtractiveAnswerer`` runs them in that order."""

from .extractive import ExtractiveAnswerer
from .rules import Rules

__all__ = ["ExtractiveAnswerer", "Rules"]
