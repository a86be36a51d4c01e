"""👍/👎 feedback in SQLite (WAL, synchronous=FULL): what was acknowledged survives a crash or restart.

``python -m assistant feedback export`` turns 👎 items into candidate eval lines (to be reviewed).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    history TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    answer_key TEXT
)
"""
# one vote per answer (the web chat's 👍/👎 under each message): a changed vote updates its row. Stores made before
# votes had keys get the column added; their rows keep a NULL key, which the unique index allows any number of.
MIGRATIONS = ["ALTER TABLE feedback ADD COLUMN answer_key TEXT"]
INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS feedback_answer_key ON feedback (answer_key)"
MAX_FIELD = 20_000  # characters kept of any one field: enough for any real answer, bounded for the disk


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(feedback)")}
        if "answer_key" not in columns:
            for statement in MIGRATIONS:
                self._db.execute(statement)
        self._db.execute(INDEX)

    def add(
        self,
        rating: int,
        question: str,
        answer: str,
        citations: list[dict[str, Any]],
        history: list[tuple[str, str]] | None = None,
        reason: str = "",
        answer_key: str | None = None,
    ) -> int:
        """Store one rating; returns its id once it is durably committed. With ``answer_key`` (one per answer shown),
        rating the same answer again replaces its rating (and its reason, when a new one is given): one row per
        answer."""
        if rating not in (-1, 1):
            raise ValueError("rating must be 1 (👍) or -1 (👎)")
        row = (
            time.time(),
            rating,
            question[:MAX_FIELD],
            answer[:MAX_FIELD],
            json.dumps(citations, ensure_ascii=False)[:MAX_FIELD],
            json.dumps(history or [], ensure_ascii=False)[:MAX_FIELD],
            reason[:MAX_FIELD],
            answer_key,
        )
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO feedback (created, rating, question, answer, citations, history, reason, answer_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (answer_key) DO UPDATE SET created = excluded.created, rating = excluded.rating,"
                " reason = CASE WHEN excluded.reason != '' THEN excluded.reason ELSE feedback.reason END"
                " RETURNING id",
                row,
            )
            (identifier,) = cursor.fetchone()
        return int(identifier)

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._db.execute("SELECT * FROM feedback ORDER BY id")
            names = [column[0] for column in cursor.description]
            rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        for row in rows:
            row["citations"] = json.loads(row["citations"])
            row["history"] = json.loads(row["history"])
        return rows

    def eval_candidates(self) -> list[dict[str, Any]]:
        """👎 items as eval lines: the cited sections as a first guess of gold, to be reviewed by a person."""
        return [
            {
                "id": f"feedback-{row['id']}",
                "kind": ("followup" if row["history"] else "fact") if row["citations"] else "refuse",
                "question": row["question"],
                "history": row["history"],
                "gold_sections": list(dict.fromkeys(c["section"] for c in row["citations"])),
                "must_include": [],
                "answerable": bool(row["citations"]),
                "needs_review": True,
                "reason": row["reason"],
                "answer_given": row["answer"],
            }
            for row in self.all()
            if row["rating"] == -1
        ]

    def close(self) -> None:
        with self._lock:
            self._db.close()
