"""Load and soak: ``python -m evals.load [--users 50] [--seconds 60] [--soak 2000]``.

1. ``--users`` concurrent sessions ask eval questions of the app (own process, loopback) for ``--seconds``, in
   turn through the API, the API streaming and the web chat (Gradio's own client); prints requests, errors,
   p50/p95 per kind and the server's memory before and after.
2. ``--soak`` questions with growing histories in one process; prints resident memory every 500 questions,
   to show that no cache or history makes it grow.
Loops are bounded in count and time; all traffic stays on 127.0.0.1. Figures are printed, not asserted; any
failed request makes it exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from gradio_client import Client

from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.web.loopback import app_process, rss_mib

from .dataset import load
from .run import HERE

KINDS = ("api", "stream", "web")  # sessions take turns: the API, the API streaming, the web chat (Gradio's queue)


def page_inputs(question: str, chat: list[dict[str, Any]]) -> tuple[Any, ...]:
    """What the page sends with a question: it, the chat, the answers so far (server state), the scope and the
    我的企业 profile (none)."""
    return question, chat, None, "", None


def _ask_api(client: httpx.Client, messages: list[dict[str, str]], stream: bool) -> str | None:
    body = {"messages": messages, "stream": stream}
    if not stream:
        response = client.post("/v1/chat/completions", json=body)
        return response.json()["choices"][0]["message"]["content"] if response.status_code == 200 else None
    text, done = "", False
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        if response.status_code != 200:
            return None
        for line in response.iter_lines():
            if line == "data: [DONE]":
                done = True
            elif line.startswith("data: "):
                text += json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
    return text if done else None


def _session(url: str, questions: list[str], number: int, until: float) -> tuple[str, list[float], int]:
    kind = KINDS[number % len(KINDS)]
    latencies, errors, turn = [], 0, 0
    history: list[dict[str, str]] = []
    chat: list[dict[str, Any]] = []  # the web chat's own history, as the page keeps it
    web = Client(url, verbose=False, httpx_kwargs={"timeout": 120}) if kind == "web" else None
    with httpx.Client(base_url=url, timeout=120) as client:
        while time.monotonic() < until and turn < 10_000:
            question = questions[(number * 7 + turn) % len(questions)]
            started = time.perf_counter()
            messages = [*history[-6:], {"role": "user", "content": question}]
            answer: str | None
            try:
                if web is not None:
                    chat = web.predict(*page_inputs(question, chat[-6:]), api_name="/respond")[0]
                    last = chat[-1] if chat and chat[-1]["role"] == "assistant" else {"content": []}
                    answer = "".join(part.get("text", "") for part in last["content"]) or None
                else:
                    answer = _ask_api(client, messages, stream=kind == "stream")
            except Exception:  # a failed request of any client library counts as an error, not a crash
                answer = None
            if answer:
                history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not answer
            turn += 1
    return kind, latencies, errors


def load_test(users: int, seconds: float, questions: list[str]) -> int:
    """Prints the figures; returns the number of failed requests."""
    with app_process() as (url, pid):
        before = rss_mib(pid)
        until = time.monotonic() + seconds
        with ThreadPoolExecutor(max_workers=users) as pool:
            results = list(pool.map(lambda n: _session(url, questions, n, until), range(users)))
        after = rss_mib(pid)
    every = sorted(t for _, times, _ in results for t in times)
    errors = sum(e for _, _, e in results)
    print(
        f"load: {users} sessions ({', '.join(KINDS)} in turn) for {seconds:.0f} s: {len(every)} requests, {errors} "
        f"errors, {len(every) / seconds:.1f} req/s; server memory {before:.0f} → {after:.0f} MiB"
    )
    for kind in KINDS:
        times = sorted(t for k, ts, _ in results if k == kind for t in ts)
        if times:
            failed = sum(e for k, _, e in results if k == kind)
            print(
                f"  {kind:6}: {len(times)} requests, {failed} errors, p50 {statistics.median(times):.0f} ms, "
                f"p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms"
            )
    return errors


def soak(count: int, questions: list[str]) -> None:
    assistant = Assistant.load(Settings())
    history: list[tuple[str, str]] = []
    marks = []
    for n in range(count):
        answer = assistant.ask(questions[n % len(questions)], history)
        history = [*history, (answer.question, answer.answer)][-50:]  # a long conversation, as a chat keeps it
        if n % 500 == 0 or n == count - 1:
            marks.append(f"{n + 1}: {rss_mib(os.getpid()):.0f} MiB")
    print(f"soak: {count} questions in one process, resident memory " + ", ".join(marks))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--soak", type=int, default=2000)
    args = parser.parse_args(argv)
    questions = [item.question for item in load(HERE / "dataset.jsonl")]
    errors = load_test(args.users, args.seconds, questions)
    soak(args.soak, questions)
    # latencies are figures, but a failed request is a fault: a client the page no longer fits (its inputs
    # changed) once counted every question as an error and still exited 0
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
