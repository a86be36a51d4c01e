"""Index fault injection: ``python -m evals.faults`` (``make faults``).

Builds the index once in a scratch folder, then for each fault copies it, damages the copy the way a crash, a
full disk or an operator might, and starts the assistant on it in a fresh process, as a restart would. A fault is
survived when the process starts, answers a known question with its figure, and leaves no traceback. Prints one
line per fault and the count survived; exits 1 if any was not.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION, EXPECTED = "高新技术企业的认定目标是多少？", "1100"
PAGE = 8192


def _segment(index: Path) -> Path:
    return next(p for p in index.iterdir() if p.is_dir() and p.name != "bm25")


def _overwrite(path: Path, offset: int, size: int = PAGE) -> None:
    with path.open("r+b") as handle:
        handle.seek(min(offset, max(path.stat().st_size - size, 0)))
        handle.write(os.urandom(size))


def _truncate(path: Path, size: int) -> None:
    with path.open("r+b") as handle:
        handle.truncate(size)


def _manifest(index: Path, **changes: object) -> None:
    path = index / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


FAULTS: dict[str, Callable[[Path], None]] = {
    "chroma.sqlite3 deleted": lambda i: (i / "chroma.sqlite3").unlink(),
    "chroma.sqlite3 emptied": lambda i: _truncate(i / "chroma.sqlite3", 0),
    "chroma.sqlite3 cut to 100 bytes": lambda i: _truncate(i / "chroma.sqlite3", 100),
    "chroma.sqlite3 cut in half": lambda i: _truncate(i / "chroma.sqlite3", (i / "chroma.sqlite3").stat().st_size // 2),
    "chroma.sqlite3 header overwritten": lambda i: _overwrite(i / "chroma.sqlite3", 0),
    "chroma.sqlite3 page 16 overwritten": lambda i: _overwrite(i / "chroma.sqlite3", 16 * PAGE),
    "chroma.sqlite3 page 64 overwritten": lambda i: _overwrite(i / "chroma.sqlite3", 64 * PAGE),
    "chroma.sqlite3 page 96 overwritten": lambda i: _overwrite(i / "chroma.sqlite3", 96 * PAGE),
    "chroma.sqlite3 last page overwritten": lambda i: _overwrite(i / "chroma.sqlite3", 1 << 40),
    "vector segment folder deleted": lambda i: shutil.rmtree(_segment(i)),
    "segment data_level0.bin deleted": lambda i: (_segment(i) / "data_level0.bin").unlink(),
    "segment data_level0.bin garbage": lambda i: _overwrite(_segment(i) / "data_level0.bin", 0, 4096),
    "segment header.bin emptied": lambda i: _truncate(_segment(i) / "header.bin", 0),
    "segment link_lists.bin deleted": lambda i: (_segment(i) / "link_lists.bin").unlink(),
    "segment length.bin garbage": lambda i: _overwrite(_segment(i) / "length.bin", 0, 64),
    "manifest.json deleted": lambda i: (i / "manifest.json").unlink(),
    "manifest.json garbage": lambda i: (i / "manifest.json").write_text("{half"),
    "manifest.json names another model": lambda i: _manifest(i, model_id="other-model"),
    "manifest.json names a missing collection": lambda i: _manifest(i, collection="notice-99"),
    "manifest.json says more chunks": lambda i: _manifest(i, chunks=99999),
    "records.sqlite3 deleted": lambda i: (i / "records.sqlite3").unlink(),
    "records.sqlite3 cut to 100 bytes": lambda i: _truncate(i / "records.sqlite3", 100),
    "records.sqlite3 garbage": lambda i: _overwrite(i / "records.sqlite3", 0, 4096),
    "bm25 folder deleted": lambda i: shutil.rmtree(i / "bm25"),
    "bm25 token cache garbage": lambda i: _overwrite(i / "bm25" / "tokens.sqlite3", 0, 4096),
    "index folder emptied": lambda i: [shutil.rmtree(p) if p.is_dir() else p.unlink() for p in i.iterdir()],
}


def _start(index: Path) -> tuple[bool, str]:
    """A fresh ``python -m assistant ask`` on ``index``: did it answer, and its last line of stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", QUESTION],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1", "LOG_LEVEL": "WARNING"},
        timeout=600,
        check=False,
    )
    ok = result.returncode == 0 and EXPECTED in result.stdout and "Traceback" not in result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("assistant: index")]
    if ok:
        return ok, notes[-1].removeprefix("assistant: ")[:160] if notes else "(opened as it was)"
    return ok, (result.stderr.strip().splitlines() or ["no output"])[-1][:160]


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        good = Path(scratch) / "good"
        built, note = _start(good)
        if not built:
            print(f"could not build a good index: {note}", file=sys.stderr)
            return 2
        survived = 0
        for name, fault in FAULTS.items():
            damaged = Path(scratch) / "case" / "index"
            shutil.rmtree(damaged.parent, ignore_errors=True)
            shutil.copytree(good, damaged)
            fault(damaged)
            ok, note = _start(damaged)
            survived += ok
            print(f"{'survived' if ok else 'FAILED  '}  {name:45}  {note}", flush=True)
        print(f"\n{survived} of {len(FAULTS)} faults survived (a restart answered {QUESTION} with {EXPECTED})")
    return 0 if survived == len(FAULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
