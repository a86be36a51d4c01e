"""Web chat (Gradio) over the same answer function as the CLI. Run: ``make run``."""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from assistant.chat import EXAMPLES, reply
from assistant.pipeline import Assistant
from assistant.settings import Settings

TITLE = "《2025年嘉定区科技创新工作要点》问答助手"
DESCRIPTION = "嘉科〔2025〕4号 · 上海市嘉定区科学技术委员会 · 2025年3月31日印发。回答均摘自原文并标注条目。"


def build_ui(assistant: Assistant) -> gr.Blocks:
    def respond(message: Any, history: list[dict[str, Any]]) -> str:
        return reply(assistant, message, history).answer

    return gr.ChatInterface(
        respond, title=TITLE, description=DESCRIPTION, examples=EXAMPLES, cache_examples=False, concurrency_limit=4
    )


def main() -> None:
    settings = Settings()
    logging.basicConfig(level=settings.log_level.upper(), format="assistant: %(message)s")
    assistant = Assistant.load(settings, progress=True)
    build_ui(assistant).queue(max_size=64).launch(server_name=settings.host, server_port=settings.port)


if __name__ == "__main__":
    main()
