"""我的企业: the sections that concern an industry or status, each with its key quote.

A profile is only a name and the words the notice uses for it (``data/profiles.toml``);
which sections concern it is read from the notice's text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from .citations import Citation
from .corpus import Notice
from .lexicon import DATA


@dataclass(frozen=True)
class Profile:
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Concern:
    citation: Citation  # the key quote: the section's sentence naming the most terms
    mentions: int  # sentences of the section naming a term (a heading that names one counts once)


def load_profiles() -> list[Profile]:
    data = tomllib.loads((DATA / "profiles.toml").read_text(encoding="utf-8"))
    return [Profile(p["name"], tuple(p["terms"])) for p in data["profile"]]


def concerns(notice: Notice, profile: Profile) -> list[Concern]:
    """Sections naming the profile's terms, most mentions first (document order breaks ties)."""
    mentions = notice.mentions(profile.terms)
    for section in notice.sections.values():  # "科技类校外培训机构" names its audience in the heading
        if section.id not in mentions and section.sentences and any(t in section.title for t in profile.terms):
            mentions[section.id] = [next(s for s in section.sentences if s.is_evidence)]
    found = []
    for order, (section_id, sentences) in enumerate(mentions.items()):
        section = notice.sections[section_id]
        key = max(sentences, key=lambda s: sum(t.lower() in s.text.lower() for t in profile.terms))
        titled = any(t in section.title for t in profile.terms)
        found.append((Concern(Citation.of(notice, section, key), len(sentences) + titled), order))
    return [concern for concern, _ in sorted(found, key=lambda pair: (-pair[0].mentions, pair[1]))]
