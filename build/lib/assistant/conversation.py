"""Follow-ups: an elliptical or referring question is rewritten against the previous turn.

``那科技小巨人呢？`` after ``高新技术企业的目标是多少？`` becomes ``科技小巨人的目标是多少？``;
``这一条由谁牵头？`` is scoped to the section the previous answer cited.
"""

from __future__ import annotations

import re

from .citations import cited_labels
from .corpus import Corpus
from .lexicon import Lexicon

History = list[tuple[str, str]]

_ELLIPSIS = re.compile(
    r"^(那么?|那末|还有|另外|再问一下|and|what about|how about)?\s*(?P<subject>.+?)\s*(呢|怎么样|如何)?\s*[?？]?$",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"这一?条|该条|这项|该项|这个措施|这部分|该部分|上面|上述|刚才|this (item|section|one)", re.IGNORECASE
)
_MAX_ELLIPTICAL = 16


def resolve(question: str, history: History, corpus: Corpus, lexicon: Lexicon) -> str:
    """The question to search with, given the conversation so far."""
    if not history:
        return question
    previous_question, previous_answer = history[-1]
    if _REFERENCE.search(question):
        # the documents the previous answer quoted (it names each above its quotes), else any
        cited = [d for d in corpus.documents.values() if d.reference() in previous_answer]
        found = [
            (notice, section)
            for label in cited_labels(previous_answer)
            for notice in cited or corpus.documents.values()
            if (section := notice.section_for_label(label))
        ]
        if found:
            notice, section = found[0]
            # with several documents, naming the title scopes the search to the one quoted
            title = f"{notice.title} " if len(corpus.documents) > 1 else ""
            return f"{title}{section.id} {_REFERENCE.sub('', question)}"
    match = _ELLIPSIS.match(question.strip())
    elliptical = len(question) <= _MAX_ELLIPTICAL and match and (match.group(1) or match.group(3))
    if not (elliptical and match):
        return question
    subject = match.group("subject")
    # Replace what the previous question was about with the new subject.
    previous_terms = [w for w in lexicon.content_words(previous_question) if w in previous_question]
    for term in sorted(previous_terms, key=len, reverse=True):
        if term not in subject:
            return previous_question.replace(term, subject, 1)
    return f"{subject} {previous_question}"
