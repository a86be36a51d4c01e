"""Chat glue for the web UI: Gradio's message history in, a cited answer out."""

from __future__ import annotations

from typing import Any

from .citations import Answer
from .conversation import History
from .pipeline import Assistant


def message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # multimodal parts: keep the text ones
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def history_pairs(messages: list[dict[str, Any]]) -> History:
    """Gradio ``[{"role", "content"}, …]`` → ``[(question, answer), …]``."""
    pairs: History = []
    pending: str | None = None
    for message in messages:
        role, text = message.get("role"), message_text(message.get("content"))
        if role == "user":
            pending = text
        elif role == "assistant" and pending is not None:
            pairs.append((pending, text))
            pending = None
    return pairs


def reply(assistant: Assistant, message: Any, messages: list[dict[str, Any]], scope: list[str] | None = None) -> Answer:
    return assistant.ask(message_text(message), history_pairs(messages), scope or [])
