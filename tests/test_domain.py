"""The domain pack and the 文头: what a deployment adds to the engine's words, and what a notice says of itself.
No model: these run in the fast layer."""

from __future__ import annotations

import tempfile

import pytest

from assistant.corpus.parsing import masthead
from assistant.language.domain import Domain, DomainError, Term
from assistant.language.lexicon import Lexicon

MASTHEAD = """上海市云溪区科学技术委员会

云科〔2026〕 7 号

关于印发《2026年云溪区科技创新工作要点》的通知

机关各科室，各街镇：

《2026年云溪区科技创新工作要点》已经区科委党组会研究通过，现印发给你们。

上海市云溪区科学技术委员会

2026年4月5日

2026 年云溪区科技创新工作要点
"""


def test_the_masthead_gives_title_number_issuer_and_date():
    assert masthead(MASTHEAD) == {
        "issuer": "上海市云溪区科学技术委员会",
        "doc_number": "云科〔2026〕7号",
        "title": "2026年云溪区科技创新工作要点",  # what is issued, not the cover title
        "date": "2026-04-05",
    }
    assert masthead("关于举办2025年科技活动周的通知\n\n一、活动时间\n") == {"title": "关于举办2025年科技活动周的通知"}


def test_a_pack_adds_words_and_replaces_profiles_and_examples(tmp_path):
    (tmp_path / "terms.txt").write_text("# names\n云溪智谷\n主线 100000\n明细 n\n", encoding="utf-8")
    (tmp_path / "synonyms.tsv").write_text("voucher\t科创券\nincubator\t双创载体\n", encoding="utf-8")
    (tmp_path / "profiles.toml").write_text('[[profile]]\nname = "人工智能"\nterms = ["人工智能", "算力"]\n', "utf-8")
    (tmp_path / "examples.toml").write_text('welcome = ["科创券怎么申领？"]\n', encoding="utf-8")
    bare, pack = Domain.load(), Domain.load(tmp_path)
    assert pack.folder == tmp_path and bare.folder is None
    assert {Term("云溪智谷"), Term("主线", 100000), Term("明细", None, "n")} < set(pack.terms)
    assert set(bare.terms) < set(pack.terms)
    synonyms = dict(pack.synonyms)
    assert synonyms["voucher"] == ("科创券",)
    assert synonyms["incubator"] == (*dict(bare.synonyms)["incubator"], "双创载体")  # a phrase in both: both
    assert [p.name for p in pack.profiles] == ["人工智能"] and not bare.profiles
    assert pack.examples == {"welcome": ["科创券怎么申领？"]}
    assert pack.fingerprint != bare.fingerprint  # cached BM25 tokens of the other word list are stale
    assert Lexicon(pack).is_word("云溪智谷") and not Lexicon(bare).is_word("云溪智谷")  # kept whole by the pack
    # a word jieba's dictionary tags an adverb is a noun in questions when the pack says so (…明细有哪些？)
    assert Lexicon(bare).parts_of_speech("明细") == [("明细", "ad")]
    assert Lexicon(pack).parts_of_speech("明细") == [("明细", "n")]


def test_branding_is_the_packs_or_derived_from_the_documents(tmp_path):
    derived = Domain.load().branding(["2026年云溪区科技创新工作要点"], ["yunxi-2026"], ["2026-04-15"])
    assert derived.title == "《2026年云溪区科技创新工作要点》问答助手"
    assert (derived.model_id, derived.realm) == ("yunxi-2026", "yunxi-2026")
    several = Domain.load().branding(["甲", "乙"], ["a", "b"], ["2025-01-02", "bad date"])
    assert several.title == "政策文件问答助手" and several.model_id == "policy-assistant" and several.created > 0
    (tmp_path / "deployment.toml").write_text('model_id = "yunxi-kjcx"\n', encoding="utf-8")
    assert Domain.load(tmp_path).branding(["甲"], ["a"], []).model_id == "yunxi-kjcx"


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("profiles.toml", "[[profile]]\nname = 1\n", "profiles.toml"),
        ("examples.toml", "welcome = [", "examples.toml"),
        ("synonyms.tsv", "no tab here\n", "no tab"),
        ("terms.txt", "云溪智谷 often\n", "frequency"),
        ("deployment.toml", 'realm = "云溪"\n', "ASCII"),
    ],
)
def test_a_broken_pack_file_is_named_in_a_clear_error(tmp_path, name, text, says):
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DomainError, match=says):
        Domain.load(tmp_path)
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(DomainError, match="not a folder"):
        Domain.load(tmp_path / "file")


def test_jiebas_dictionary_is_kept_as_read_and_rebuilt_when_damaged(tmp_path, monkeypatch):
    # a cold question reads jieba's dictionary from a cache of our own (0.2 s, not jieba's 0.6 s): the same words
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    built = Lexicon()._tokenizer
    (kept,) = tmp_path.glob("assistant-dictionary-*.marshal")
    read = Lexicon()._tokenizer
    assert read.FREQ == built.FREQ and read.total == built.total and read is not built
    kept.write_bytes(b"not marshal")
    assert Lexicon()._tokenizer.FREQ == built.FREQ
    assert Lexicon().words("高新技术企业认定目标") == ["高新技术企业", "认定", "目标"]


def test_the_word_tags_jieba_posseg_reads_at_import_are_given_to_it_whole():
    # its import is shown an empty dictionary (0.2 s of a cold start); the kept table must be what it would read
    import jieba
    from jieba import posseg

    assert posseg.dt.word_tag_tab == posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab
    assert jieba.dt.get_dict_file.__self__ is jieba.dt  # the tokenizer's own method again, not the stand-in
    assert dict(Lexicon().tagged("浦东的餐厅")) == {"浦东": "ns", "餐厅": "n"}


def test_the_language_datas_policy_words_stay_whole():
    """升规 (of 升规纳统) is one word to users, two single characters to jieba's dictionary."""
    assert ("升规", "x") in Lexicon().tagged("区里会不会帮我们这种企业升规？")
