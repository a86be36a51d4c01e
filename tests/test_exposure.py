"""What the app exposes: loopback by default, no files beyond its own, rate limits."""

import httpx
import pytest

from assistant.settings import Settings
from assistant.web.loopback import LiveServer


def test_binds_loopback_by_default():
    assert Settings(_env_file=None).host == "127.0.0.1"  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=/etc/passwd",
        "/file=/etc/passwd",
        "/gradio_api/file=../../../../etc/passwd",
        "/../../etc/passwd",
        "/static/../../../etc/passwd",
        "/gradio_api/file=corpus/jiading-2025-kjcx-gongzuo-yaodian.txt",
        "/gradio_api/file=data/feedback.sqlite3",
        "/gradio_api/file=.env",
    ],
)
def test_no_file_system_path_can_be_read(live, path):
    response = httpx.get(live.url + path)
    assert response.status_code in (400, 403, 404, 405)
    assert "root:" not in response.text and "嘉科" not in response.text


def test_too_many_requests_from_one_address_get_429(assistant, settings, tmp_path):
    limited = LiveServer(assistant, settings.model_copy(update={"rate_limit_per_minute": 5}), tmp_path / "f.db")
    try:
        body = {"messages": [{"role": "user", "content": "高企目标？"}]}
        codes = [httpx.post(f"{limited.url}/v1/chat/completions", json=body).status_code for _ in range(7)]
        assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
        assert httpx.get(f"{limited.url}/v1/models").status_code == 200  # reading is not limited
    finally:
        limited.stop()
