"""The web chat, served for real on loopback and driven over HTTP with gradio_client."""

import socket

import pytest

from app import build_ui
from assistant.chat import history_pairs, reply


def test_history_pairs_from_gradio_messages():
    messages = [
        {"role": "user", "content": "高企目标？"},
        {"role": "assistant", "content": "1100 家"},
        {"role": "user", "content": [{"type": "text", "text": "那小巨人呢？"}]},
    ]
    assert history_pairs(messages) == [("高企目标？", "1100 家")]


def test_reply_uses_the_conversation(assistant):
    first = reply(assistant, "高新技术企业的认定目标是多少？", [])
    messages = [
        {"role": "user", "content": "高新技术企业的认定目标是多少？"},
        {"role": "assistant", "content": first.answer},
    ]
    assert "20 家次" in reply(assistant, "那科技小巨人呢？", messages).answer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(assistant):
    port = _free_port()
    ui = build_ui(assistant)
    ui.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    ui.close()


def test_served_chat_answers_with_citations(served):
    from gradio_client import Client

    client = Client(served, verbose=False)
    answer = client.predict("高新技术企业的认定目标是多少？", api_name="/respond")
    assert "1100" in answer and "〔二、（三）以服务加快创新主体培育〕" in answer
    empty = client.predict("   ", api_name="/respond")
    assert "请输入" in empty
