"""Chat glue for the web UI: Gradio's message history in, a cited answer out."""

from __future__ import annotations

from typing import Any

from .citations import Answer
from .conversation import History
from .pipeline import Assistant

EXAMPLES = [
    "高新技术企业的认定目标是多少？",
    "我是生物医药企业，哪些措施和我有关？",
    "技术合同成交金额的目标是多少？",
    "第三部分第四条讲了什么？",
    "What is the biomedicine output target?",
]


def _text(content: Any) -> str:
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
        role, text = message.get("role"), _text(message.get("content"))
        if role == "user":
            pending = text
        elif role == "assistant" and pending is not None:
            pairs.append((pending, text))
            pending = None
    return pairs


def reply(assistant: Assistant, message: Any, messages: list[dict[str, Any]]) -> Answer:
    return assistant.ask(_text(message), history_pairs(messages))
