"""One user in a real browser: from Enter to the complete answer on the page. ``python -m evals.bench_browser``.

Starts the real app (``python app.py``, its own process, on loopback), opens it in Debian's Chromium at 1366×900,
and asks test-split questions one after another, timing each from the key press until the answer is on the page and
the send button is enabled again (what the user waits for). Figures are printed and kept in ``docs/eval/bench.json``
under ``browser``; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

from assistant.web.loopback import app_process

from .dataset import load
from .run import HERE, SPLITS

ROOT = HERE.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench_browser")
    parser.add_argument("--questions", type=int, default=30, help="how many test-split questions to ask")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "eval" / "bench.json")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print("error: Debian's chromium is not installed (make browser)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    # single questions only: a follow-up's history is the page's own conversation here
    questions = [item.question for item in load(SPLITS["test"]) if not item.history][: args.questions]
    waits: list[float] = []
    with app_process() as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page.set_default_timeout(30_000)
        page.goto(url)
        box = page.locator("#question textarea")
        for number, question in enumerate(questions):
            box.fill(question)
            bots = page.locator("#chat .message-row.bot-row").count()
            started = time.perf_counter()
            box.press("Enter")
            page.locator("#chat .message-row.bot-row").nth(bots).wait_for()
            page.locator("#send:not([disabled])").wait_for()
            waits.append((time.perf_counter() - started) * 1000)
            if number % 10 == 9:  # a fresh conversation now and then: a long one is not what is measured
                page.locator("#new").click()
                page.locator("#chat .message-row").first.wait_for(state="detached")
        browser.close()
    figures = {
        "what": "one user, Chromium 1366×900: Enter → the answer on the page and sending enabled again",
        "n": len(waits),
        "p50_ms": round(statistics.median(waits), 1),
        "p95_ms": round(_percentile(waits, 0.95), 1),
        "max_ms": round(max(waits), 1),
    }
    print(json.dumps(figures, ensure_ascii=False))
    kept = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    args.out.write_text(json.dumps({**kept, "browser": figures}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
