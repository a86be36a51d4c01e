import pytest

from assistant.index.retrieval import named_sections


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("第二部分第三条讲了什么？", ["二（三）"]),
        ("第2部分第3条", ["二（三）"]),
        ("二（三）的内容", ["二（三）"]),
        ("二、(三)", ["二（三）"]),
        ("第三部分", ["三"]),
        ("What does part 3 item 4 say?", ["三（四）"]),
        ("第九部分第一条", []),
        ("高新技术企业的目标是多少？", []),
    ],
)
def test_named_sections(notice, question, expected):
    assert named_sections(question, notice) == expected


def test_named_part_returns_all_its_items(assistant):
    sections = {d.metadata["section_id"] for d in assistant.retriever.invoke("第四部分")}
    assert sections == {"四（一）", "四（二）", "四（三）"}


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("高新技术企业认定目标是多少？", "二（三）"),
        ("揭榜挂帅榜单发布机制", "二（四）"),
        ("拨投联动政策工作机制", "二（一）"),
        ("羲和光谷天使基金", "三（一）"),
        ("嘉昆太科普护照", "四（一）"),
        ("校外培训机构办学许可", "四（三）"),
        ("How many high-tech enterprises?", "二（三）"),
    ],
)
def test_hybrid_ranking_with_the_real_model(assistant, question, section):
    top = assistant.retriever.invoke(question)[0]
    assert top.metadata["section_id"] == section
    assert top.metadata["dense"] > 0 and top.metadata["fused"] > 0


def test_the_best_lexical_match_keeps_a_seat_whatever_the_fusion_made_of_it(assistant):
    # the one sentence with 主线 ranks first by BM25 but, with the filler after it, not in the fused top k
    question = "今年科技工作的主线是啥，一句话讲清楚"
    fused = assistant.retriever.rank(assistant.lexicon.search_text(question))[: assistant.retriever.k]
    assert not any("主线" in e.text for e in fused)
    assert any("主线" in e.text for e in assistant.retriever.search(question))
    assert "主线" in assistant.ask(question).answer.split("\n")[0]


def test_domain_terms_stay_whole(assistant):
    for term in ["科技小巨人", "揭榜挂帅", "羲和光谷", "拨投联动"]:
        assert term in assistant.lexicon.content_words(f"关于{term}的内容")


def test_retriever_is_a_langchain_retriever_with_offsets(assistant, notice):
    from langchain_core.retrievers import BaseRetriever

    assert isinstance(assistant.retriever, BaseRetriever)
    for document in assistant.retriever.invoke("科技小巨人"):
        meta = document.metadata
        raw = notice.original[meta["start"] : meta["end"]]
        assert raw.replace("\n", "") == document.page_content
