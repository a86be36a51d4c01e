"""Chat glue for the web UI: Gradio's message history in, a cited answer out."""

from __future__ import annotations

import re
from typing import Any

from assistant.answer.conversation import History
from assistant.answer.records import Answer
from assistant.pipeline import Assistant, LiveAssistant

_SURROGATE = re.compile("[\ud800-\udfff]")


def message_text(content: Any) -> str:
    """A message's text (the text parts of a multimodal one). Lone surrogates (a JSON "\\ud800" escape) become
    U+FFFD: they are no text, and nothing downstream could encode them."""
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):  # multimodal parts: keep the text ones
        text = "".join(
            part.get("text", "") if isinstance(part, dict) else str(getattr(part, "text", "")) for part in content
        )
    else:
        text = str(content or "")
    return _SURROGATE.sub("\ufffd", text)


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


def reply(
    assistant: Assistant | LiveAssistant,
    message: Any,
    messages: list[dict[str, Any]],
    scope: list[str] | None = None,
    profile: str = "",
) -> Answer:
    return assistant.ask(message_text(message), history_pairs(messages), scope or [], profile)
