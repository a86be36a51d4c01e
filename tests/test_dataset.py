"""The eval set cannot drift from the notice: every expected answer is in its gold sections."""

import pytest

from evals.dataset import DatasetError, load

from .conftest import ROOT

DATASET = ROOT / "evals" / "dataset.jsonl"


@pytest.fixture(scope="module")
def items():
    return load(DATASET)


def test_gold_sections_exist_and_answers_occur_in_them(items, notice):
    for item in items:
        for section in item.gold_sections:
            assert section in notice.sections, f"{item.id}: unknown section {section}"
        if item.answerable:
            text = "".join(notice.sections[s].text for s in item.gold_sections)
            for group in item.must_include:
                assert any(alternative in text for alternative in group), f"{item.id}: {group} not in gold text"


def test_refusals_have_no_gold_and_every_kind_is_covered(items):
    assert all(not i.gold_sections and not i.must_include for i in items if i.kind == "refuse")
    assert {i.kind for i in items} == {
        "fact",
        "list",
        "paraphrase",
        "break",
        "multi",
        "section",
        "followup",
        "english",
        "refuse",
    }
    assert len(items) >= 30


def test_bad_lines_are_reported_with_their_line_number(tmp_path):
    good = DATASET.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "bad.jsonl"
    path.write_text(good + "\n{not json\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"bad.jsonl:2"):
        load(path)
    path.write_text(good.replace('"kind": "fact"', '"kind": "nonsense"') + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r":1: unknown kind"):
        load(path)


def test_every_section_of_the_notice_is_asked_about(items, notice):
    asked = {s for item in items for s in item.gold_sections}
    assert {s.id for s in notice.sections.values() if s.sentences} <= asked


def test_each_kind_has_at_least_ten_items_and_the_set_has_150(items):
    from collections import Counter

    counts = Counter(item.kind for item in items)
    assert len(items) >= 150 and min(counts.values()) >= 10, counts
