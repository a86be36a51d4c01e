"""The OpenAI-compatible API, driven by the official ``openai`` client against the live server."""

import time

import httpx
import pytest
from openai import NotFoundError, OpenAI

from assistant.web.loopback import LiveServer

MODEL_ID = "jiading-kjcx-2025"  # corpus/domain/deployment.toml


@pytest.fixture(scope="module")
def client(live):
    return OpenAI(base_url=f"{live.url}/v1", api_key="not-needed")


def test_models_lists_the_assistant(client):
    assert [m.id for m in client.models.list()] == ["jiading-kjcx-2025"]


def test_chat_completion_carries_labels_and_citations(client):
    response = client.chat.completions.create(
        model="jiading-kjcx-2025", messages=[{"role": "user", "content": "高新技术企业的认定目标是多少？"}]
    )
    content = response.choices[0].message.content
    assert "1100" in content and "〔二、（三）以服务加快创新主体培育〕" in content
    citations = response.model_extra["citations"]
    assert citations[0]["section"] == "二（三）" and "1100" in citations[0]["quote"]
    assert response.model_extra["answered"] is True


def test_history_in_messages_resolves_follow_ups(client):
    first = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": "高新技术企业的认定目标是多少？"}]
    )
    follow = client.chat.completions.create(
        model=MODEL_ID,
        messages=[
            {"role": "user", "content": "高新技术企业的认定目标是多少？"},
            {"role": "assistant", "content": first.choices[0].message.content},
            {"role": "user", "content": "那科技小巨人呢？"},
        ],
    )
    assert "20 家次" in follow.choices[0].message.content


def test_streaming_sends_the_answer_in_pieces_then_citations(client):
    stream = client.chat.completions.create(
        model=MODEL_ID, stream=True, messages=[{"role": "user", "content": "技术合同成交金额的目标是多少？"}]
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert len(chunks) > 3 and "280" in text and "〔二、（三）以服务加快创新主体培育〕" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["citations"][0]["section"] == "二（三）"


def test_out_of_scope_is_answered_honestly(client):
    response = client.chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": "今天天气怎么样？"}]
    )
    text = response.choices[0].message.content
    assert "不是关于文件内容的问题" in text and "只回答" in text and response.model_extra["answered"] is False


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'{"messages": []}', 400),
        (b'{"messages": [{"role": "assistant", "content": "x"}]}', 400),
        (b'{"messages": [{"role": "user", "content": "' + "问".encode() * 30000 + b'"}]}', 413),
        (b"[" * 20000 + b"]" * 20000, 400),  # nesting deeper than any parser should follow
        (b'{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}', 400),
        (b'{"messages": [{"role": "user", "content": [{"type": "text"}]}]}', 400),
        (b'{"messages": [{"role": "user", "content": 5}]}', 400),
        (b'{"messages": [{"role": "wizard", "content": "x"}]}', 400),
        (b'{"messages": [{"role": "user", "content": "x"}], "stream": "yes"}', 400),
        (b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": "many"}', 400),
        (b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": 0}', 400),
        (b'{"messages": [{"role": "user", "content": "x"}], "model": "gpt-4o"}', 404),
    ],
)
def test_bad_requests_get_clear_errors(live, body, status):
    response = httpx.post(f"{live.url}/v1/chat/completions", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_a_body_that_is_not_json_gets_415(live):
    body = b'{"messages": [{"role": "user", "content": "x"}]}'
    for kind in ("text/plain", "application/x-www-form-urlencoded", ""):
        response = httpx.post(f"{live.url}/v1/chat/completions", content=body, headers={"content-type": kind})
        assert response.status_code == 415, kind


def test_an_unknown_model_is_model_not_found(client):
    with pytest.raises(NotFoundError) as raised:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "你好"}])
    assert raised.value.body["code"] == "model_not_found"


def test_lone_surrogates_and_text_parts_are_read_as_text(live):
    body = (
        '{"messages": [{"role": "user", "content": [{"type": "text", "text": "\\ud800高新技术企业"}, '
        '{"type": "text", "text": "的认定目标是多少？"}]}], "max_tokens": 100}'
    )
    response = httpx.post(
        f"{live.url}/v1/chat/completions", content=body.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200 and "1100" in response.json()["choices"][0]["message"]["content"]


def test_empty_question_gets_a_friendly_answer_not_an_error(client):
    response = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": "   "}])
    assert "请输入问题" in response.choices[0].message.content


def test_login_protects_the_ui_and_the_api(assistant, settings, tmp_path):
    secured = LiveServer(assistant, settings.model_copy(update={"app_auth": "staff:s3cret"}), tmp_path / "f.db")
    try:
        for path in ("/", "/config", "/gradio_api/info", "/v1/models"):
            response = httpx.get(f"{secured.url}{path}")
            assert response.status_code == 401, path
        assert "Basic" in httpx.get(f"{secured.url}/").headers["www-authenticate"]
        assert httpx.get(f"{secured.url}/", auth=("staff", "wrong")).status_code == 401
        assert httpx.get(f"{secured.url}/", auth=("staff", "s3cret")).status_code == 200
        wrong = OpenAI(base_url=f"{secured.url}/v1", api_key="nope", max_retries=0)
        with pytest.raises(Exception, match="401"):
            wrong.models.list()
        right = OpenAI(base_url=f"{secured.url}/v1", api_key="s3cret")
        assert [m.id for m in right.models.list()] == ["jiading-kjcx-2025"]
    finally:
        secured.stop()


def test_the_load_tests_web_client_fits_the_page(live):
    # `make load` asks through Gradio's own client with the page's inputs: when they changed, every web question
    # of it failed and the figures went on being printed
    from evals.load import KINDS, _session

    until = time.monotonic() + 2
    kind, latencies, errors = _session(live.url, ["高新技术企业的认定目标是多少？"], KINDS.index("web"), until)
    assert kind == "web" and latencies and errors == 0


def test_fifty_concurrent_sessions_get_no_errors(live):
    from concurrent.futures import ThreadPoolExecutor

    questions = ["高新技术企业的认定目标是多少？", "那科技小巨人呢？", "今天天气怎么样？", "第二部分第三条讲了什么？"]

    def session(number: int) -> list[int]:
        with httpx.Client(base_url=live.url, timeout=120) as client:
            body = {"messages": [{"role": "user", "content": questions[number % len(questions)]}]}
            return [client.post("/v1/chat/completions", json=body).status_code for _ in range(3)]

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = [code for codes in pool.map(session, range(50)) for code in codes]
    assert codes == [200] * 150
