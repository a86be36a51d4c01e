"""The words of a deployment: the engine's language data plus a domain pack.

The engine's own data (``assistant/data``) holds what is true of any Chinese policy notice: question forms,
refusal words, messages, stopwords, and a glossary of common policy terms. A domain pack is a folder
(``DOMAIN_DIR``, by default ``CORPUS_DIR/domain``) holding what belongs to one set of notices:

- ``terms.txt``: the documents' own names to keep whole when tokenising (one per line, optionally with the
  frequency jieba should give it and the part of speech it should tag it with);
- ``synonyms.tsv``: what users call the documents' things (phrase, tab, the documents' words);
- ``profiles.toml``: the industries and statuses of 我的企业;
- ``examples.toml``: example questions (``welcome``, ``staff``, ``enterprise``);
- ``deployment.toml``: branding (``title``, ``model_id``, ``realm``).

Each file is optional. Word lists add to the language data (a phrase in both gets both sets of words); profiles
and examples replace it; branding not given is derived from the documents (see :meth:`Domain.branding`).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

LANGUAGE = resources.files("assistant") / "data"
DEFAULT_TITLE = "政策文件问答助手"
_SLUG = re.compile(r"[^a-z0-9]+")
_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")
_TAG = re.compile(r"[a-z]{1,3}")  # jieba's parts of speech: n, nz, vn …


@dataclass(frozen=True)
class Term:
    """A word to keep whole when tokenising: a frequency for jieba when the line gives one (else one that keeps it
    whole), and a part of speech where jieba's dictionary tags it wrongly for questions (积分, an adverb there)."""

    word: str
    frequency: int | None = None
    tag: str | None = None


@dataclass(frozen=True)
class Profile:
    """An industry or status of 我的企业: its name and the words the notice uses for it."""

    name: str
    terms: tuple[str, ...]


class DomainError(ValueError):
    """A domain pack file that cannot be read: which file, and why."""


@dataclass(frozen=True)
class Branding:
    """How the deployment names itself: the page's title, the API's model id, the login prompt's realm."""

    title: str
    model_id: str
    realm: str  # ASCII, as HTTP headers want
    created: int  # the model's creation time for /v1/models: the newest document's date


@dataclass(frozen=True)
class Domain:
    folder: Path | None  # the domain pack, if any
    terms: tuple[Term, ...] = ()
    stopwords: frozenset[str] = frozenset()
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # phrase (lower-cased) → the documents' words
    profiles: tuple[Profile, ...] = ()
    examples: dict[str, list[str]] = field(default_factory=dict)
    deployment: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None) -> Domain:
        """The language data, with the pack in ``folder`` (when it exists) added."""
        packs: list[Traversable] = [LANGUAGE]
        if folder is not None and folder.is_dir():
            packs.append(folder)
        elif folder is not None and folder.exists():
            raise DomainError(f"DOMAIN_DIR {folder} is a file, not a folder")
        synonyms: dict[str, list[str]] = {}
        for pack in packs:
            for line in _lines(pack, "synonyms.tsv"):
                phrase, tab, words = line.partition("\t")
                if not tab:
                    raise DomainError(f"{_name(pack, 'synonyms.tsv')}: no tab in {line[:40]!r}")
                known = synonyms.setdefault(phrase.strip().lower(), [])
                known += [w for w in words.split() if w not in known]
        tables = {name: _table(packs, name) for name in ("profiles.toml", "examples.toml", "deployment.toml")}
        try:
            profiles = tuple(Profile(p["name"], tuple(p["terms"])) for p in tables["profiles.toml"].get("profile", []))
        except (KeyError, TypeError) as error:
            raise DomainError(f"profiles.toml: each [[profile]] needs a name and terms ({error})") from error
        deployment = {k: str(v) for k, v in tables["deployment.toml"].items()}
        for key in ("model_id", "realm"):  # they travel in HTTP headers and JSON ids
            if key in deployment and not _TOKEN.fullmatch(deployment[key]):
                where = _name(packs[-1], "deployment.toml")
                raise DomainError(f"{where}: {key} must be ASCII letters, digits, '.', '_' or '-'")
        return cls(
            folder=folder if len(packs) > 1 else None,
            terms=tuple(_term(line) for pack in packs for line in _lines(pack, "terms.txt")),
            stopwords=frozenset(w for pack in packs for line in _lines(pack, "stopwords.txt") for w in line.split()),
            synonyms=tuple((phrase, tuple(words)) for phrase, words in synonyms.items()),
            profiles=profiles,
            examples={k: [str(q) for q in v] for k, v in tables["examples.toml"].items() if isinstance(v, list)},
            deployment=deployment,
        )

    @property
    def fingerprint(self) -> str:
        """Changes when the words that shape tokens change (cached tokens are then stale)."""
        lines = [f"{t.word} {t.frequency}" for t in self.terms] + ["", *sorted(self.stopwords)]
        digest = hashlib.sha256("\n".join(lines).encode("utf-8"))
        return digest.hexdigest()[:16]

    def branding(self, titles: Iterable[str], ids: Iterable[str], dates: Iterable[str]) -> Branding:
        """``deployment.toml``'s values, else from the documents: one document's title names the deployment, its
        file name the model; several are the general assistant."""
        titles, ids = list(titles), list(ids)
        title = self.deployment.get("title") or (f"《{titles[0]}》问答助手" if len(titles) == 1 else DEFAULT_TITLE)
        slug = _SLUG.sub("-", ids[0].lower()).strip("-") if len(ids) == 1 else ""
        model_id = self.deployment.get("model_id") or slug or "policy-assistant"
        realm = self.deployment.get("realm") or model_id
        return Branding(title, model_id, realm, _created(dates))


def _created(dates: Iterable[str]) -> int:
    days = []
    for text in dates:
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            continue
    if not days:
        return 0
    newest = max(days)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())


def _term(line: str) -> Term:
    """A line of ``terms.txt``: the term, then optionally the frequency jieba should give it (主线 100000) and the
    part of speech, one of jieba's tags (积分 n)."""
    word, *rest = line.split()
    frequency = int(rest.pop(0)) if rest and rest[0].isdigit() else None
    if len(rest) > 1 or (rest and not _TAG.fullmatch(rest[0])):
        raise DomainError(f"terms.txt: {line[:40]!r}: a term may be followed only by its frequency and its tag")
    return Term(word, frequency, rest[0] if rest else None)


def _name(pack: Traversable, name: str) -> str:
    return str(pack / name)


def _lines(pack: Traversable, name: str) -> list[str]:
    path = pack / name
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as error:
        raise DomainError(f"{_name(pack, name)}: cannot be read ({error.__class__.__name__})") from error
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _table(packs: list[Traversable], name: str) -> dict[str, Any]:
    """The last pack's ``name`` (the domain's over the language's)."""
    for pack in reversed(packs):
        path = pack / name
        if path.is_file():
            try:
                return tomllib.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                raise DomainError(f"{_name(pack, name)}: {error}") from error
    return {}
