"""Distractor notices for the scale benchmark parse like real ones and copy nothing from the Jiading notice."""

import json

from assistant.corpus import chunking, parsing
from evals.distractors import generate


def test_distractors_parse_into_sections_and_share_no_sentence_with_the_notice(tmp_path, notice):
    paths = generate(40, tmp_path)
    own = {s.text for section in notice.sections.values() for s in section.sentences if len(s.text) > 12}
    kinds = set()
    for path in paths:
        meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
        parsed = parsing.parse(path.read_text(encoding="utf-8"), meta)
        items = [s for s in parsed.sections.values() if s.is_item]
        assert items and all(s.sentences for s in items)
        kinds.add("article" if items[0].id.startswith("第") else "item")
        sentences = {s.text for section in parsed.sections.values() for s in section.sentences}
        assert not sentences & own
        assert chunking.chunk(parsed)
    assert kinds == {"article", "item"}


def test_generation_is_deterministic(tmp_path):
    first = [p.read_text(encoding="utf-8") for p in generate(5, tmp_path / "a")]
    second = [p.read_text(encoding="utf-8") for p in generate(5, tmp_path / "b")]
    assert first == second
