"""The answer stage without a model, on another district's notice: answerability, the asked detail, outcomes.

Evidence comes from a fake search that returns every sentence of the notice, so these tests check what the answer
stage decides from evidence (not what retrieval finds) and run in well under a second.
"""

import re

import pytest

from assistant.answer import ExtractiveAnswerer, Rules
from assistant.answer.asked import Asked, pair, read, shape, strip
from assistant.answer.conversation import resolve
from assistant.answer.header import card
from assistant.answer.policy import Coverage, View, coverage, in_scope, out_of_bounds, unsaid
from assistant.answer.profiles import concerns
from assistant.answer.records import AnswerRequest
from assistant.answer.select import clauses, past_semicolon, rank
from assistant.corpus import chunking, parsing
from assistant.corpus.records import Corpus
from assistant.index.evidence import Evidence
from assistant.language.lexicon import Lexicon

OTHER = """上海市示例区科学技术局

示例科〔2026〕2号

关于印发《2026年示例区科技创新工作要点》的通知

各科室：

《2026年示例区科技创新工作要点》已经局务会研究通过，现印发给你们。

上海市示例区科学技术局

2026年2月10日

2026 年示例区科技创新工作要点

2026 年，示例区科技创新工作以服务产业为主线，全区聚力打造创新高地，总结“十四五”成绩。

一、做强创新主体

（一）壮大科技企业

到 2026 年底，力争新增高新技术企业 300 家。设立规模 10 亿元的示例天使基金，支持早期科技项目。
联动街镇，支持甲镇星河科技园、乙镇云帆科技园等园区发展。会同示例科投集团等单位，设立示例风投基金。
集成电路产业方面。全年集成电路总产出目标50亿元、规上工业总产值目标20亿元。

（二）建设创新平台

推动示例生物医药公共服务平台建设，会同区财政局研究平台支持办法。打造“一城两园 三中心”空间布局。
在示例新城会展中心举办第五届示例创新大会。
围绕医疗器械产业链布局，常态化跟踪区“五十项”创新清单。印制示例科普地图，汇聚两地科普场馆资源。
"""
META = {"title": "2026年示例区科技创新工作要点", "issuer": "上海市示例区科学技术局", "date": "2026-02-10"}


@pytest.fixture(scope="module")
def notice():
    return parsing.parse(OTHER, META, "shili-2026")


@pytest.fixture(scope="module")
def answer(notice):
    corpus = Corpus.of(notice)
    answerer = ExtractiveAnswerer(corpus, Lexicon())
    evidence = [
        Evidence(c, notice.sections[c.section_id].citation(), notice.reference(), "search")
        for c in chunking.chunk(notice)
        if c.kind == chunking.SENTENCE
    ]

    def ask(question):
        return answerer(AnswerRequest(question, question, (), tuple(evidence)))

    return ask


# the rest of a small notice whose first subsection a test writes (asking needs a few sections to weigh words by)
SMALL_REST = (
    "（二）场馆\n\n汇聚两地科普场馆资源。\n\n"
    "二、创新\n\n（一）园区\n\n支持甲镇星河科技园发展。\n\n（二）大会\n\n举办第五届示例创新大会。\n"
)


def asking(text):
    """Questions to an answerer over a small made-up notice, every sentence of it as evidence."""
    notice = parsing.parse(text, {"title": "2026年示例区要点", "issuer": "上海市示例区科学技术局"})
    answerer = ExtractiveAnswerer(Corpus.of(notice), Lexicon())
    evidence = tuple(
        Evidence(c, notice.sections[c.section_id].citation(), notice.reference(), "search")
        for c in chunking.chunk(notice)
        if c.kind == chunking.SENTENCE
    )
    return lambda question: answerer(AnswerRequest(question, question, (), evidence))


def test_area_and_year_come_from_the_metadata(notice):
    assert (notice.area, notice.year) == ("示例区", "2026")


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("天使基金规模有多大？", "10 亿元"),  # a notice that states a fund's 规模 answers it
        ("今年新增多少家高新技术企业？", "300 家"),
        ("全区今年新增多少家高新技术企业？", "300 家"),  # 全区 is the documents' own area, no topic word
        ("高新技术企业今年要新增几个？", "300 家"),  # 个, the spoken classifier of anything, counts 家 too
        ("示例创新大会是第几届？", "第五届"),
        ("科普地图汇聚了几个地方的场馆资源？", "两地"),  # places are counted as 地
        ("医疗器械创新清单有多少项？", "五十项"),  # named by a common word, its rare words in the clause before
    ],
)
def test_a_stated_figure_is_answered_from_its_clause(answer, question, figure):
    result = answer(question)
    assert result.outcome == "full" and result.answered and figure in result.answer.split("\n")[0]


@pytest.mark.parametrize("question", ["示例科普地图要花钱买吗？", "示例科普地图要不要钱？", "示例科普地图是免费的吗？"])
def test_whether_a_thing_costs_money_asks_a_sum(answer, question):
    result = answer(question)
    assert result.outcome == "partial" and "具体金额" in result.answer, result.answer


def test_places_counted_answer_no_count_of_another_thing(answer):
    """两地 counts places: it answers 几个地方 (above), not how many 场馆 the map holds, which is not stated."""
    result = answer("示例科普地图里一共收录了多少个科普场馆？")
    assert result.outcome == "partial" and not result.answered, result.answer


@pytest.mark.parametrize(
    "question", ["空间布局是几城几园几中心？", "空间布局说的“几园几中心”是什么？", "空间布局里有几个园？"]
)
def test_a_name_asked_in_its_shape_is_answered_where_it_stands(answer, question):
    result = answer(question)
    assert result.outcome == "full" and "一城两园 三中心" in result.answer.split("\n")[0]


def test_a_shape_stands_for_numerals_only():
    assert re.search(shape("几个几"), "跟踪“4个100”清单") and not re.search(shape("几个几"), "超 2600 家")
    assert re.search(shape("几个谷"), "两谷两区") and not re.search(shape("几谷几区"), "山谷和园区")


def test_a_shape_is_asked_of_a_thing_the_documents_name(answer):
    assert answer("示例区有几个园？").outcome != "full"  # 两园 is of the platform layout, not of the district


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("示例天使基金每年投多少个项目？", "具体数字"),  # the fund is named, the count is not
        ("高新技术企业能拿多少奖励？", "具体金额"),  # 300 家 is a figure, but no money
        ("示例创新大会哪天开幕？", "具体日期"),
        ("平台支持办法的申报条件是什么？", "具体条件或标准"),
        ("2025年新增多少家高新技术企业？", "2025的情况"),  # another year of a thing the notice names
        ("想拿示例风投基金的钱，找谁申请？", "联系方式"),  # whom to turn to, not who runs it
        ("生物医药产业的产值目标是多少？", "具体数字"),  # the 20亿元 stands under 集成电路产业方面
        ("十四五期间新增了多少家高新技术企业？", "具体数字"),  # another period than the 300 家's
        ("示例生物医药公共服务平台的支持有没有写额度？", "具体金额"),  # 额度 asks a sum of a thing named
        ("新增高新技术企业要去哪个系统填报？", "申报或办理程序"),  # 去哪…填报, a few words between
        ("示例天使基金投的项目准备放在哪些国家？", "具体地点"),  # a country asked as a place
        ("示例风投基金具体怎么操作？", "申报或办理程序"),  # how it is run: not stated
        ("平台支持办法具体有哪些支持内容？", "具体内容"),  # its particulars: no clause naming it lists them
        ("示例天使基金对投资项目有什么要求？", "具体条件或标准"),  # 有什么要求 of a programme: its conditions
        ("我是大学生，示例创新大会我能报名吗？", "具体条件或标准"),  # whether one may: who may, not stated
    ],
)
def test_a_detail_not_stated_gets_a_partial_answer(answer, question, missing):
    result = answer(question)
    first = result.answer.split("\n")[0]
    assert result.outcome == "partial" and not result.answered
    assert first.startswith("文件提到") and missing in first and result.citations
    assert not any(ch.isdigit() for ch in first.replace("2025", ""))  # no figure presented as the answer


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("高新技术企业目标什么时候完成？", "到 2026 年底"),
        ("示例创新大会在哪里举办？", "示例新城会展中心"),
        ("平台支持办法由谁来研究？", "区财政局"),
        ("这份通知是哪天印发的？", "2026年2月10日"),  # the date line speaks for the 文头
        ("乙镇那个科技园叫什么？", "乙镇云帆科技园"),  # a name need not be quoted: it ends in what it names
        ("我们几个想去乙镇创业，那个科技园叫什么？", "乙镇云帆科技园"),  # 我们几个: a few of us, no count asked
        ("示例风投基金是谁在搞？", "示例科投集团"),  # named before the thing, by a clause saying it acts with it
        ("今年要总结第几个五年的成绩？", "十四五"),  # a five-year plan is named by its number
        ("园区具体有哪些？", "乙镇云帆科技园"),  # particulars listed in the clause naming the thing
        ("示例天使基金具体要做哪些事？", "支持早期科技项目"),  # what is done: the sentence about it says
        ("示例天使基金今年有啥具体动作？", "支持早期科技项目"),  # 动作: what is done, too
        ("我们是高新技术企业，文件对我们有什么要求？", "力争新增高新技术企业 300 家"),  # of who asks: what it says
        ("我们是高新技术企业，今年具体要求我们怎么干？", "力争新增高新技术企业 300 家"),  # 要求我们: the same
        ("示例创新大会具体在什么地方办？", "示例新城会展中心"),  # 具体 asks a place here, no particulars besides
    ],
)
def test_when_where_and_who_are_answered_where_stated(answer, question, stated):
    result = answer(question)
    assert result.outcome == "full" and stated in result.answer.split("\n\n")[0]


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("这份通知是谁发的？哪天印发？", ["上海市示例区科学技术局", "2026年2月10日"]),
        ("文号是多少？", ["示例科〔2026〕2号"]),
        ("Which office issued this notice, and when?", ["上海市示例区科学技术局", "2026年2月10日"]),
        ("这份通知是哪天发布的？", ["2026年2月10日"]),  # pointed at, the document answers though 发布 is no 文头 word
        ("这份通知完整标题叫什么", ["关于印发《2026年示例区科技创新工作要点》的通知"]),  # 叫 makes no 标题叫
    ],
)
def test_a_question_about_the_document_is_answered_from_its_header(answer, question, stated):
    """Who issued it, when, its 文号: the 文头 line by line, each line named, whatever notice it is."""
    result = answer(question)
    first = result.answer.split("\n\n")[0]
    assert result.outcome == "full" and all(s in first for s in stated), first
    assert "发文单位：上海市示例区科学技术局" in first and "主送：各科室" in first
    assert {c.section for c in result.citations} == {"文头"}


def test_a_line_name_inside_another_thing_is_no_question_about_the_document(answer):
    """The 标题 of a conference is its own, not the notice's: no 文头 card."""
    result = answer("示例创新大会的标题是什么？")
    assert not result.answer.startswith("文件的文头写明"), result.answer
    assert answer("这份文件的文号是什么？").answer.startswith("文件的文头写明")


def test_a_header_line_is_named_by_what_it_is(notice):
    lines = card(notice.sections["文头"])
    assert lines[:2] == ["发文单位：上海市示例区科学技术局", "文号：示例科〔2026〕2号"]
    assert lines.count("发文单位：上海市示例区科学技术局") == 1  # printed twice, named once
    assert "日期：2026年2月10日" in lines and "标题：关于印发《2026年示例区科技创新工作要点》的通知" in lines


def test_a_thing_the_issuer_is_named_after_is_no_question_about_the_document(answer):
    """科学技术局 in the issuer's name is no 科学技术奖: only words the 文头 holds whole make it about the document."""
    assert "发文单位" not in answer("谁来设立区级科学技术奖？").answer


@pytest.mark.parametrize(
    "question",
    [
        "示例天使基金是不是在文件里出现了？",  # 里 says where, not what
        "文件有没有提到天使基金之类的？",  # 之类 says "and the like", no word of the thing
    ],
)
def test_a_mention_question_is_about_the_thing_not_where_in_the_file(answer, question):
    result = answer(question)
    assert result.outcome == "full" and "示例天使基金" in result.answer


def test_a_section_its_heading_names_is_listed_with_all_its_sentences(notice):
    (platform,) = [c for c in concerns(notice, ("创新平台",)) if c.citation.section == "一（二）"]
    assert [q.quote[:4] for q in platform.quotes] == ["推动示例", "打造“一", "在示例新", "围绕医疗", "印制示例"]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("文件提到人才公寓了吗？", "本文件未提及“人才公寓”"),  # 人才 alone is not the thing asked
        ("浦东的高企目标是多少？", "未提及浦东"),
        ("2025年示例区的人才公寓有多少套？", "未提及2025的情况"),
        ("全市的高新技术企业目标是多少？", "只给出示例区的目标数字"),  # the area comes from the metadata
    ],
)
def test_what_the_notice_does_not_cover_is_refused(answer, question, message):
    result = answer(question)
    assert result.outcome == "refused" and not result.answered and message in result.answer


def test_a_refusal_cites_the_nearest_sections(answer):
    result = answer("文件提到人才公寓了吗？")
    assert result.citations and "可参考的相关条目" in result.answer


@pytest.mark.parametrize("question", ["您好，请问你能做什么？", "您好，能帮我查查办法吗？"])
def test_a_greeting_gets_an_introduction_with_examples(answer, question):
    result = answer(question)
    assert result.outcome == "greeting" and not result.answered and result.answer.count("\n- ") == 3
    assert "《2026年示例区科技创新工作要点》" in result.answer


def test_where_in_the_document_a_thing_is_written_asks_no_place(answer):
    result = answer("示例天使基金是做什么的？文件哪儿写的？")
    assert result.outcome == "full" and "示例天使基金" in result.answer.split("\n")[0], result.answer


def test_a_greeting_asking_of_a_named_thing_is_answered(answer):
    assert answer("您好，示例天使基金的政策规模多大？").outcome == "full"


@pytest.mark.parametrize("question", ["这份文件主要讲了什么？", "这个通知讲的啥", "What is this notice about?"])
def test_a_question_of_the_whole_document_gets_its_parts(answer, question):
    """Nothing is left once the question forms are out: it asks of the document, not of nothing."""
    result = answer(question)
    assert result.outcome == "full" and "的正文分为以下部分：\n- 一、做强创新主体" in result.answer
    assert [c.section for c in result.citations] == ["总体要求"]


def test_question_forms_are_not_topic_words(notice):
    rules, lexicon = Rules.load(), Lexicon()
    asked = read("示例天使基金每年能投多少钱？", lexicon, rules, ["示例区", "示例", "2026"])
    assert asked.details == ("figure",) and asked.unit == "money"
    assert "钱" not in asked.terms and "天使基金" in asked.terms
    assert strip(["资助多少", "多少钱"], "资助多少钱") == "     "  # overlapping cues are both taken out
    which = read("未来产业聚焦哪几个方向？", lexicon, rules)
    assert "figure" not in which.details  # 哪几个 asks which ones, not how many


def test_coverage_is_decided_by_the_asking_clause(notice):
    rules, lexicon = Rules.load(), Lexicon()
    view = View([notice], rules.policy.generic_share)
    context = read("我家老人多，文件里有跟生物医药沾边的内容没？", lexicon, rules, view.frame)
    assert "老人" not in context.core and in_scope(context, coverage(context, view, lexicon), rules, view)
    # what another clause names counts only when the documents use it: 老人 neither helps nor hurts
    assert "老人" not in coverage(context, view, lexicon).deciding


def test_an_asking_clause_pointing_back_asks_of_what_it_points_to(notice):
    rules, lexicon = Rules.load(), Lexicon()
    view = View([notice], rules.policy.generic_share)
    back = read("我们是做医疗器械的，想问问区里对这个方向到底感不感兴趣？", lexicon, rules, view.frame)
    covered = coverage(back, view, lexicon)
    assert back.refers and "问问" not in covered.deciding and in_scope(back, covered, rules, view)
    # an asking clause that names a thing of its own still decides (…对这种基金怎么管？ asks of 基金)
    own = read("我们是做机器人玩具的，区里对这种天使基金怎么管？", lexicon, rules, view.frame)
    assert "天使基金" in coverage(own, view, lexicon).deciding


def test_when_the_asking_clause_names_nothing_an_earlier_specific_word_does(answer):
    """…有个目标，我没记住，到底是多少亿？ asks of what the earlier clause names; who asks and why do not count."""
    result = answer("我刚调来没几天，领导开会说天使基金有个盘子，我脑子一团浆糊，到底是多少亿来着？")
    assert result.outcome == "full" and "10 亿元" in result.answer


def test_a_wider_area_written_inside_a_name_the_documents_use_is_no_scope():
    text = "要点\n\n一、平台\n\n（一）实验室\n\n支持企业参与全国重点实验室建设。\n"
    notice = parsing.parse(text, {"title": "2026年示例区要点", "issuer": "上海市示例区科学技术局"})
    rules, lexicon = Rules.load(), Lexicon()
    view = View([notice], rules.policy.generic_share)
    named = read("今年全国重点实验室要新建几个？", lexicon, rules, view.frame)
    assert out_of_bounds(named, view, rules) is None  # the 全国 of 全国重点实验室
    wider = read("全国一共有多少个实验室？", lexicon, rules, view.frame)
    assert out_of_bounds(wider, view, rules).message == "not_covered_scope"


def test_a_glossary_phrase_holding_a_whole_term_is_the_glossarys(lexicon):
    found, _ = lexicon.glossed("技术合同额全年目标多少亿")  # 技术合同额 holds the term 技术合同
    assert "技术合同额" in [phrase for phrase, _ in found]
    assert "药企" not in [phrase for phrase, _ in lexicon.glossed("生物医药企业")[0]]  # 药企 straddles 生物医药


def test_an_industry_is_what_the_documents_call_chanye(lexicon):
    assert "产业" in dict(lexicon.glossed("面向汽车行业的资源")[0])["行业"]


def test_a_firm_doing_technical_services_is_of_the_service_industry(lexicon):
    """科技服务公司, 技术服务企业: what they do is the documents' 科技服务业, 技术服务业."""
    found = dict(lexicon.glossed("我们是做技术服务的科技服务公司")[0])
    assert "科技服务业" in found["科技服务"] and "技术服务业" in found["技术服务"]


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert(1)</script>人才公寓有多少套？",
        "[点我领补贴](http://evil.example/x)文件提到了吗？",
        "文件提到 https://evil.example/login 了吗？",
        "<img src=x onerror=alert(1)>的补贴是多少？",
        "**紧急通知** `rm -rf` 人才公寓的政策？",
        "javascript:alert(1) 文件提到了吗？",
    ],
)
def test_a_refusal_never_echoes_markup_or_links(answer, question):
    """A refusal names its topic in words of the question, never its markup: nothing the chat would render as a
    link, an image or HTML."""
    first = answer(question).answer.split("\n\n")[0]
    for mark in ("<", ">", "](", "://", "www.", "`", "**", "javascript:", "evil.example"):
        assert mark not in first, (mark, first)


def test_a_figure_asked_of_the_whole_area_is_none_given_for_a_part_of_it(answer):
    # 全区 is no topic word, but the 20 亿元 is 集成电路's (its sub-topic and its list say so), not the district's
    whole = answer("全区规上工业总产值目标是多少？")
    assert whole.outcome == "partial" and "20" not in whole.answer.split("\n")[0]
    named = answer("全区集成电路的规上工业总产值目标是多少？")
    assert named.outcome == "full" and "20亿元" in named.answer.split("\n")[0]


def test_a_number_pointed_at_is_no_count_asked(answer):
    # 这个数 points at the figure the question gives: it asks what the figure is, not a 个数
    result = answer("50亿元这个数对应的是什么指标？")
    assert result.outcome == "full" and "集成电路总产出目标50亿元" in result.answer.split("\n")[0]


def test_a_detail_asked_of_two_things_is_answered_from_each_ones_clause(answer):
    result = answer("新增高新技术企业和示例天使基金的规模分别是多少？")
    first = result.answer.split("\n")[0]
    assert result.outcome == "full" and "300 家" in first and "10 亿元" in first


def test_questions_put_one_after_another_are_each_answered(answer):
    result = answer("今年新增多少家高新技术企业？示例天使基金规模又有多大？")
    first = result.answer.split("\n\n")[0]
    assert result.outcome == "full" and "300 家" in first and "10 亿元" in first, result.answer
    # one not stated: no full answer of both
    assert answer("今年新增多少家高新技术企业？示例天使基金什么时候设立？").outcome == "partial"


def test_a_question_put_by_its_mark_alone_goes_with_the_one_before(notice):
    answerer = ExtractiveAnswerer(Corpus.of(notice), Lexicon())
    view = answerer.view([], [])
    asked = answerer._questions("今年新增多少家高新技术企业？包括示例天使基金还是不包括？", view)
    assert asked == ["今年新增多少家高新技术企业？包括示例天使基金还是不包括？"]
    assert len(answerer._questions("今年新增多少家高新技术企业？示例天使基金规模多大？", view)) == 2


def test_two_things_asked_at_once_where_one_is_not_stated_is_no_full_answer(answer):
    result = answer("新增高新技术企业和示例孵化器的数量分别是多少？")
    assert result.outcome != "full" and not result.answered


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("A企业目标和B基金规模，各是多少？", ("A企业目标，各是多少？", "B基金规模，各是多少？")),
        ("高企和科技小巨人的认定目标分别是多少？", ("高企的认定目标分别是多少？", "科技小巨人的认定目标分别是多少？")),
        ("我们做芯片和医药的，高企目标多少？", None),  # joined in the clause saying who asks
        ("高企目标多少？", None),  # nothing joined
        ("复旦和同济的合作有哪些？", None),  # no figure asked
        ("复旦和同济合作了。今年高企目标是多少？", None),  # joined two clauses before the one that asks
    ],
)
def test_two_things_asked_at_once_are_split_at_the_word_joining_them(question, parts):
    assert pair(question, Lexicon(), Rules.load()) == parts


def test_a_short_item_whose_title_names_the_thing_answers_it_whole():
    text = (
        "要点\n\n一、培训\n\n（一）抓好示例培训机构管理\n\n严格落实办学许可审批流程，严把准入关。"
        "强化日常监督管理，紧盯资金监管等内容。\n\n（二）办好示例科技节\n\n办好示例科技节。举办科普讲解大赛。"
        "开展科普进社区活动。推动科普基地建设。\n"
    )
    notice = parsing.parse(text, {"title": "2026年示例区要点", "issuer": "上海市示例区科学技术局"})
    answerer = ExtractiveAnswerer(Corpus.of(notice), Lexicon())
    found = [
        Evidence(c, notice.sections[c.section_id].citation(), notice.reference(), "search")
        for c in chunking.chunk(notice)
        if c.kind == chunking.SENTENCE
    ]
    # as a search ranks them: the item's other sentence (no 监管 in it) last
    other, best = (e for e in found if "培训机构" in e.label and "。" in e.text)
    evidence = (best, *(e for e in found if e not in (other, best)), other)
    result = answerer(AnswerRequest("示例培训机构要怎么监管？", "示例培训机构要怎么监管？", (), evidence))
    assert result.outcome == "full" and "资金监管" in result.answer.split("\n")[0]
    quotes = [c.quote for c in result.citations]
    assert any("办学许可" in q for q in quotes)  # the item's other sentence, though it says no 监管


def test_every_clause_put_with_a_question_mark_asks(answer):
    """能减免不？ asks for a support measure though no question word stands in it, and the clause after it asks too."""
    result = answer("甲镇星河科技园房租能减免不？现在一平米啥价？")
    assert result.outcome == "partial" and not result.answered


def test_a_cue_may_hold_a_few_words_between_its_parts(answer):
    """有没有房租减免 asks for a support measure as 有没有减免 does; 房租 stays a topic word."""
    asked = read("乙镇云帆科技园有没有房租减免？", Lexicon(), Rules.load())
    assert "support" in asked.details and "房租" in asked.terms
    assert answer("乙镇云帆科技园有没有房租减免？").outcome == "partial"
    assert strip(["有没有…减免"], "有没有房租减免") == "   房租  "


def test_cues_are_looked_for_in_their_spoken_forms_too():
    rules = Rules.load()
    assert {"叫什么", "叫啥"} <= set(rules.ask("name").cues)
    assert read("这个基金叫啥名？", Lexicon(), rules).details == ("name",)


@pytest.mark.parametrize("question", ["示例新城会展中心附近有什么好吃的餐厅？", "甲镇星河科技园旁边有没有公交站？"])
def test_a_place_whose_surroundings_are_asked_of_decides_nothing(answer, question):
    """附近/旁边 ask what is around a place the notice names: the place is where, the missing thing is what."""
    result = answer(question)
    assert result.outcome == "refused" and not result.answered


def test_the_place_is_what_stands_before_the_word_for_its_surroundings_as_the_documents_write_it(notice):
    asked = read("我想问下甲镇星河科技园旁边有没有公交站？", Lexicon(), Rules.load())
    assert asked.around == ("我想问下甲镇星河科技园",)
    view = View([notice], 0.3)
    assert coverage(asked, view, Lexicon()).deciding == ("公交站",)  # not 甲镇, 星河, 科技园


def test_a_document_asked_for_by_a_title_the_documents_neither_have_nor_cite_is_not_covered(answer):
    refused = answer("《示例区人才公寓管理办法》全文能给我看看吗？")
    assert refused.outcome == "refused" and "《示例区人才公寓管理办法》" in refused.answer
    assert answer("《示例区科技创新工作要点》是谁印发的？").outcome != "refused"  # its own title, the year left out


@pytest.mark.parametrize("question", ["是不是要设立区级科学技术奖？", "示例区要设立科学技术奖吗？"])
def test_a_one_character_noun_written_onto_a_word_is_part_of_what_it_names(answer, question):
    """科学技术奖 is no 科学技术 (of 科学技术局): the 奖 jieba cuts off is kept on the word it names."""
    result = answer(question)
    assert result.outcome == "refused" and "科学技术奖" in result.answer


@pytest.mark.parametrize("question", ["这个文件分几个部分？", "今年的工作要点一共分哪几大块？"])
def test_a_question_of_the_documents_parts_gets_its_outline_quoting_their_headings(answer, question):
    result = answer(question)
    assert result.outcome == "full" and "一、做强创新主体" in result.answer.split("\n\n")[0]
    assert [c.section for c in result.citations] == ["文头", "一"]  # the title as printed, then each part's heading
    assert answer("我们做芯片的，文件哪部分跟我们相关？").answer.split("\n")[0] != result.answer.split("\n")[0]


@pytest.mark.parametrize("question", ["今年要办多少场科普活动？", "示例科技节要办几天？"])
def test_how_often_or_how_long_is_answered_by_no_list_of_things(question):
    """办好示例科技节和示例科普日等重大科普活动 names two events; it says nothing of how many 场 or how many 天."""
    text = (
        "要点\n\n一、科普\n\n（一）办好活动\n\n办好示例科技节和示例科普日等重大科普活动。"
        "抓好讲师团、科普基地等科普人才队伍建设。\n"
    )
    ask = asking(text)
    result = ask(question)
    assert result.outcome == "partial" and not result.answered


def test_a_few_is_no_question():
    """没几天 says how long one has been here; the sum is what 多少个亿 asks."""
    asked = read("我刚调来没几天，技术合同那块到底是多少个亿？", Lexicon(), Rules.load())
    assert asked.unit == "money"


@pytest.mark.parametrize(
    "question",
    [
        "示例科普地图去哪领？",
        "示例创新大会通过什么渠道报名？",
        "示例天使基金我们怎么 apply？",
        "示例科普地图在哪里可以查询？",
    ],
)
def test_ways_of_asking_how_to_apply_ask_a_procedure(answer, question):
    result = answer(question)
    assert "procedure" in read(question, Lexicon(), Rules.load()).details
    assert result.outcome == "partial" and not result.answered


def test_a_detail_named_before_an_asking_clause_that_names_nothing_is_asked(answer):
    result = answer("示例天使基金的申报条件，要点里写清楚了没？")
    assert result.outcome == "partial" and not result.answered


def test_a_headline_is_answered_with_the_sentence_spelling_it_out():
    text = (
        "要点\n\n一、合作\n\n（一）拓宽校地合作\n\n完善校地合作机制，扩大合作范围。合力做优示例大学科创生态圈。"
        "聚焦示例国际科创中心共建，推动一批项目落地。协力做强乙大成果转化平台。建设乙大微电子实验室。\n"
    )
    result = asking(text)("示例大学的科创生态圈主要弄些啥？")
    assert result.outcome == "full" and "示例国际科创中心" in result.answer.split("\n")[0]
    assert [c.quote for c in result.citations][:2] == [
        "合力做优示例大学科创生态圈。",
        "聚焦示例国际科创中心共建，推动一批项目落地。",
    ]


def test_a_sentence_writing_the_word_as_asked_is_quoted_before_one_writing_its_gloss():
    """高企 is 高新技术企业 in the glossary: a sentence writing 高企 itself answers 高企 before one naming the other."""
    text = (
        "要点\n\n一、企业\n\n（一）服务企业\n\n支持高新技术企业开展国际交流。\n\n"
        "（二）培育企业\n\n完善高企培育库，滚动储备一批企业。\n"
    )
    result = asking(text)("区里对高企有什么安排？")
    assert result.outcome == "full" and result.citations[0].section == "一（二）"


def test_percent_in_words_asks_a_share_and_is_no_topic():
    asked = read("科技服务业营收增速目标是百分之多少？", Lexicon(), Rules.load())
    assert asked.unit == "share" and "百分之" not in asked.terms


def test_how_a_thing_is_mentioned_is_asked_of_the_thing(answer):
    """作为 (as what) says how it is asked, not what of: the fund is what the question is about."""
    result = answer("示例天使基金在文件里是作为啥提到的？")
    assert result.outcome == "full" and "示例天使基金" in result.answer.split("\n")[0]


def test_which_measures_concern_a_word_the_glossary_gives_several_words_for_lists_each():
    """初创 is 创业, 双创 and 孵化器 in the engine's glossary: the listing finds every one, not the first."""
    text = (
        "要点\n\n一、双创\n\n（一）办好赛事\n\n举办示例创新创业大赛。\n\n（二）建设载体\n\n建设示例孵化器。\n\n"
        "（三）降低成本\n\n扩大示例双创券覆盖。\n"
    )
    ask = asking(text)
    result = ask("我们是刚成立的初创公司，哪些措施能帮到我们？")
    assert result.outcome == "full"
    assert {c.section for c in result.citations} == {"一（一）", "一（二）", "一（三）"}


def test_which_measures_concern_what_the_asking_clause_names_lists_it_whoever_asks(answer):
    """Who asks (运营方, a word the notice lacks) decides nothing when the asking clause names the thing itself."""
    result = answer("我们是天使基金的运营方，要点里有哪些跟天使基金有关的？")
    assert result.outcome == "full" and "一（一）" in {c.section for c in result.citations}


def test_which_measures_concern_a_common_word_the_asking_clause_names_lists_it(answer):
    """平台 is common in Chinese (not a rare word), but the notice says it of one item: the asker's 咖啡店 (which the
    notice lacks) decides nothing."""
    result = answer("我们是做咖啡的小店，文件里跟平台沾边的内容有哪些？")
    assert result.outcome == "full" and "一（二）" in {c.section for c in result.citations}, result.answer


def test_venture_capital_in_chinese_finds_the_funds(answer):
    """创投 (创业投资) is what a notice calls 基金: the engine's glossary, not a word the notice lacks."""
    result = answer("我们是一家创投机构，文件里哪些内容跟我们有关？")
    assert result.outcome == "full" and "示例天使基金" in result.answer


def test_a_thing_pointed_at_in_an_earlier_asking_clause_is_what_is_asked(answer):
    """那个 points at 甲镇…科技园 in the clause that asks whether it is supported; what the asker makes (MEMS传感器,
    光刻胶: words the notice lacks) only says who asks."""
    result = answer("我们是做MEMS传感器和光刻胶的，甲镇那个科技园今年要支持吗？叫啥名字？")
    assert result.outcome == "full" and "甲镇星河科技园" in result.answer.split("\n\n")[0]


def test_who_asks_said_before_asks_no_detail_of_a_relevance_question(answer):
    """场馆 in 有个展示场馆 says who asks: which measures concern them is asked, not a place."""
    result = answer("我们是高新技术企业，有个展示场馆，文件里有啥跟我们相关？")
    assert result.outcome == "full" and "一（一）" in {c.section for c in result.citations}


def test_which_measures_one_can_make_use_of_is_which_concern_one(answer):
    """用得上 (of use to us) asks what concerns who asks, as 有关 does: a listing, not a word the notice lacks."""
    result = answer("我们做集成电路的，哪些措施能用得上？")
    assert result.outcome == "full" and "一（一）" in {c.section for c in result.citations}


def test_a_list_the_thing_is_one_of_states_none_of_its_particulars():
    """示例基地 as one of three listed (…、示例基地、…等): the list is of something else, not of its requirements."""
    ask = asking(
        "要点\n\n一、科普\n\n（一）基地\n\n制定《示例基地管理办法》，优化基地管理。"
        "抓好示例讲师团、示例基地、示例院所等科普人才队伍建设。\n"
    )
    result = ask("示例基地具体有哪些管理要求？")
    assert result.outcome == "partial" and "具体内容" in result.answer.split("\n")[0]


def test_a_count_given_by_parts_opening_alike_is_answered_with_all_of_them():
    """聚焦甲…；聚焦乙…；聚焦丙…: the things 聚焦了几个方向 counts, each opening a part; the answer quotes them all."""
    ask = asking(
        "要点\n\n一、产业\n\n（一）未来产业\n\n加快培育未来产业。聚焦示例智能产业，引进算力项目；"
        "聚焦示例能源产业，建设储能平台；聚焦示例材料产业，培育材料企业。\n\n（二）人才\n\n引进青年人才。\n\n"
        "（三）科普\n\n办好科技节。\n"
    )
    result = ask("未来产业一共聚焦了几个方向？")
    first = result.answer.split("\n\n")[0]
    assert result.outcome == "full" and "示例智能产业" in first and "示例材料产业" in first


def test_one_figure_of_things_listed_together_is_no_figure_of_each():
    """新增市、区级…20 家次 is one figure of both levels: 市级要几家、区级要几家？分别是多少 gets no number."""
    ask = asking(
        "要点\n\n一、企业\n\n（一）培育\n\n新增市、区级示例小巨人企业 20 家次。\n\n（二）人才\n\n引进青年人才。\n\n"
        "（三）科普\n\n办好科技节。\n"
    )
    result = ask("示例小巨人新增目标里，市级要几家、区级要几家？分别是多少")
    first = result.answer.split("\n")[0]
    assert result.outcome == "partial" and not any(ch.isdigit() for ch in first)


def test_names_listed_with_their_count_before_the_thing_name_it():
    """示例需求、示例供给 2 张清单: the names of the 清单 stand listed before their count, unquoted."""
    ask = asking("要点\n\n一、场景\n\n（一）梳理清单\n\n配合梳理示例需求、示例供给 2 张清单，服务区域招商。\n")
    result = ask("要梳理几张清单？分别叫什么")
    assert result.outcome == "full" and "示例需求、示例供给 2 张清单" in result.answer.split("\n\n")[0]


def test_how_many_of_a_thing_every_parts_title_names_is_answered_with_the_outline():
    text = (
        "要点\n\n一、实施护航行动\n\n（一）编制规划\n\n编制示例规划。\n\n"
        "二、实施赋能行动\n\n（一）做强平台\n\n建设示例平台。\n"
    )
    ask = asking(text)
    result = ask("一共有几个行动？分别叫什么？")
    assert result.outcome == "full" and "二、实施赋能行动" in result.answer.split("\n\n")[0]


@pytest.mark.parametrize(
    ("item", "question", "quoted"),
    [
        # “甲星计划”“乙星计划”等示例子规划 lists what 几个子规划 counts, though no 、 stands between the names
        ("推动“甲星计划”“乙星计划”等示例子规划落地。", "示例子规划有几个？", "“甲星计划”“乙星计划”"),
        # “星火杯”创新创业大赛: the quoted name holds no word of the 大赛 it names, but stands right before it
        ("更好打造“星火杯”创新创业大赛品牌。推动示例孵化器建设。", "那个创新创业大赛叫什么名字？", "“星火杯”"),
        # 市级…清单叫啥 of 市“十大”和区“百项”重点清单: 市级 is written 市 there, and 市级 stands elsewhere
        ("常态化跟踪市“十大”和区“百项”重点清单。组织市级专家开展评审。", "常态化跟踪的市级重点清单叫啥？", "“十大”"),
    ],
)
def test_names_and_lists_answer_what_they_name(item, question, quoted):
    result = asking(f"要点\n\n一、工作\n\n（一）做好工作\n\n{item}\n")(question)
    assert result.outcome == "full" and quoted in result.answer.split("\n")[0]


def test_a_question_naming_its_topic_before_asking_which_parts_asks_of_the_topic(answer):
    """做集成电路的公司，能关注文件里哪些部分？ asks which parts concern 集成电路, not what the parts are."""
    assert "正文分为以下部分" not in answer("做集成电路的公司，能关注文件里哪些部分？").answer


def test_an_elliptical_subject_opened_by_with_is_the_thing_after_it(notice):
    """那跟乙镇呢？ asks of 乙镇: the notice writes 乙镇, not 跟乙镇."""
    corpus, lexicon = Corpus.of(notice), Lexicon()
    previous = [("区里跟甲镇怎么合作？", "联动街镇，支持甲镇星河科技园发展。")]
    assert resolve("那跟乙镇呢？", previous, corpus, lexicon).startswith("乙镇")
    assert resolve("那同乙镇呢？", previous, corpus, lexicon).startswith("乙镇")


@pytest.mark.parametrize(
    ("question", "kind"), [("示例创新大会是哪几天举办？", "date"), ("示例天使基金准备在海外设几个点？", "figure")]
)
def test_which_days_and_how_many_points_ask_a_detail(answer, question, kind):
    """哪几天 asks the dates (not which of a list); 几个点 asks a figure whatever 点 counts (sites or points)."""
    assert kind in read(question, Lexicon(), Rules.load()).details
    result = answer(question)
    assert result.outcome == "partial" and not result.answered


@pytest.mark.parametrize(
    ("question", "kind"),
    [("示例天使基金具体设在示例区哪个位置？", "place"), ("示例天使基金对项目有什么具体要求？", "conditions")],
)
def test_a_position_and_specific_requirements_are_details_asked(answer, question, kind):
    assert kind in read(question, Lexicon(), Rules.load()).details
    result = answer(question)
    assert result.outcome == "partial" and not result.answered


def test_a_place_asked_around_is_the_whole_name_before_the_word_for_around():
    """东湖星河科技园旁边: the notice writes 东湖镇星河科技园; 东湖 is part of the place, not what is asked of."""
    text = "要点\n\n一、园区\n\n（一）建设园区\n\n联动街镇，支持东湖镇星河科技园、西山镇云帆科技园等园区发展。\n"
    result = asking(text)("东湖星河科技园旁边的房子贵不贵啊？")
    assert not result.answered


def test_a_follow_up_to_a_question_naming_nothing_carries_nothing_over(notice):
    """这个文件的文号是多少？ named nothing the notice holds: 那是哪天发的？ asks of the document, not of 文号."""
    corpus, lexicon = Corpus.of(notice), Lexicon()
    previous = [("这个文件的文号是多少？", "示例科〔2026〕2号")]
    assert resolve("那是哪天发的？", previous, corpus, lexicon).strip() == "是哪天发的"
    assert resolve("那具体哪天开？", [("高企今年是第几届？", "……")], corpus, lexicon).startswith("高企")


@pytest.mark.parametrize(
    "question",
    [
        "星河科技园那边写字楼租金什么价？",
        "示例科投集团最近招不招实习生？",
        "示例科投集团招不招人？待遇咋样？",
        "示例科投集团的股票值不值得买？",
    ],
)
def test_a_thing_asked_of_a_name_that_the_documents_never_say_gets_no_full_answer(answer, question):
    """The notice names the park and the firm, and nothing of rents or interns: their sentence answers neither."""
    result = answer(question)
    assert result.outcome != "full" and not result.answered


@pytest.mark.parametrize(
    ("question", "core", "missing", "sentence", "unsaid_thing"),
    [
        (
            "示例科投集团招不招实习生？",
            ("示例科投集团", "实习生"),
            ("实习生",),
            "会同示例科投集团等单位，设立基金。",
            "实习生",
        ),
        # the name is what is asked for (有啥…活动), not a thing of it
        ("有啥科普活动能带孩子去？", ("科普活动", "能带"), ("能带",), "办好示例科技节等重大科普活动。", ""),
        (
            "示例科技节能带孩子去玩玩吗？",
            ("示例科技节", "玩玩"),
            ("玩玩",),
            "办好示例科技节等重大科普活动。",
            "",
        ),  # a verb said twice
        ("示例成果转化机智咋弄？", ("示例成果转化", "机智"), ("机智",), "完善示例成果转化机制。", ""),  # typed for 机制
        (  # the name as two names written together, which the sentence writes apart (沪杉镇星河科技园)
            "沪杉星河科技园停车费怎么收？",
            ("沪杉", "星河科技园", "停车费"),
            ("停车费",),
            "支持沪杉镇星河科技园发展。",
            "停车费",
        ),
        (
            "示例科投集团的基金招实习生吗？",
            ("示例科投集团", "基金", "实习生"),
            ("实习生",),
            "会同示例科投集团等单位，设立基金。",
            "",
        ),
    ],
)
def test_a_thing_the_sentence_naming_a_name_never_says_is_unsaid(question, core, missing, sentence, unsaid_thing):
    """A thing asked of a name is unsaid when it is a rare common noun after the name, and the name's sentence says
    nothing else the question asks (the last case: it names 基金 too)."""
    found = {t: (t,) for t in core if t not in missing}
    asked = Asked(text=question, typed=question, terms=core, core=core, asking=question, tags={t: "n" for t in core})
    covered = Coverage(found=found, missing=missing, deciding=core)
    assert unsaid(asked, covered, sentence, Lexicon()) == unsaid_thing


@pytest.mark.parametrize("question", ["星河科技园那边有啥路子？", "示例科投集团有啥门道？"])
def test_colloquial_words_for_a_way_name_no_thing(answer, question):
    result = answer(question)
    assert result.outcome == "full" and result.answered, result.answer


def test_a_neighbourhood_is_the_documents_community():
    text = "要点\n\n一、科普\n\n（一）讲师\n\n鼓励示例讲师团成员开展科普进社区活动。\n\n" + SMALL_REST
    result = asking(text)("示例讲师团会来我们小区讲课吗？")
    assert result.outcome == "full" and "进社区" in result.answer, result.answer


def test_whether_a_figure_reaches_some_digits_asks_a_figure():
    assert "figure" in read("技术服务业营收增速目标到两位数了吗？", Lexicon(), Rules.load()).details


def test_a_sentence_saying_any_other_word_of_the_question_leaves_nothing_unsaid():
    """星河科技园能不能升成国家级的？有戏没？: 国家级 names nothing the clause asks of, but the sentence says it."""
    question = "星河科技园能不能升成国家级的？有戏没？"
    asked = Asked(
        text=question, typed=question, terms=("星河科技园", "国家级", "有戏"), core=("有戏",),
        context=("星河科技园",), asking=question, tags={"有戏": "n"},
    )  # fmt: skip
    covered = Coverage(
        found={"星河科技园": ("星河科技园",), "国家级": ("国家级",)}, missing=("有戏",), deciding=("有戏", "星河科技园")
    )
    assert unsaid(asked, covered, "力争星河科技园升格为国家级园区。", Lexicon()) == ""
    assert unsaid(asked, covered, "支持星河科技园发展。", Lexicon()) == "有戏"


def test_issue_as_a_verb_asks_when_the_notice_was_issued(answer):
    result = answer("这份notice是哪天issue的？")
    assert result.outcome == "full" and "2026年2月10日" in result.answer, result.answer


def test_a_follow_up_naming_only_common_words_asks_of_the_previous_subject(notice):
    """去年实际完成了多少？ names 完成 and 实际, words of any notice: it asks of the previous question's subject. One
    naming two words the notice writes together (科技项目) asks of them, one naming things the notice never
    uses (银行, 利率) of those."""
    corpus, lexicon = Corpus.of(notice), Lexicon()
    previous = [("示例天使基金规模多少？", "设立规模 10 亿元的示例天使基金。")]
    assert resolve("那去年实际完成了多少？", previous, corpus, lexicon).startswith("示例天使基金")
    assert resolve("早期科技项目具体有几个？", previous, corpus, lexicon) == "早期科技项目具体有几个？"
    assert resolve("顺便问下，哪家银行的项目贷款利率最低？", previous, corpus, lexicon).startswith("顺便")


@pytest.mark.parametrize("question", ["示例转化中心由哪个部门负责对接企业？", "示例概念验证中心由哪家机构来运营？"])
def test_the_asked_things_own_name_or_a_body_past_a_semicolon_says_no_one_in_charge(question):
    """共建示例转化中心 names the centre, not who runs it; 示例大学 after the ； belongs to the next thing."""
    text = (
        "要点\n\n一、平台\n\n（一）中心\n\n举办示例创新大会、共建示例转化中心；以示例大学园区改革为契机，推动成果转化。\n\n"
        "（二）验证\n\n加快推进示例概念验证中心项目落地，推动集成电路产业发展。\n\n二、科普\n\n（一）场馆\n\n"
        "汇聚两地科普场馆资源。\n\n（二）人才\n\n抓好讲师团、科普基地等科普人才队伍建设。\n"
    )
    result = asking(text)(question)
    assert result.outcome == "partial" and not result.answered, result.answer


def test_a_clause_past_a_semicolon_after_the_things_clause_is_about_another_thing():
    parts = clauses("共建示例转化中心；以示例大学园区改革为契机，推动成果转化。")
    assert past_semicolon(parts, [0, 2], 1)  # 以示例大学…: after the ； closing the centre's clause
    assert not past_semicolon(parts, [0, 2], 2) and not past_semicolon(parts, [0], 0)


def test_a_mention_asked_with_mei_is_of_the_thing_alone(answer):
    """…提到示例天使基金了没？: 没 asks yes or no; it is no word of what is mentioned."""
    result = answer("区里的文件提到示例天使基金了没？")
    assert result.outcome == "full" and "示例天使基金" in result.answer, result.answer


def test_which_part_asked_by_who_says_what_they_do_asks_what_concerns_them(answer):
    """我们是做集成电路的，要重点看哪部分？ asks which parts concern 集成电路: the sections are listed by it."""
    result = answer("我们是做集成电路的，要重点看哪部分？")
    assert result.answer.startswith("与“集成电路”相关的内容见以下条目"), result.answer


@pytest.mark.parametrize("question", ["示例生物医药公共服务平台建设由哪个科室负责？", "星河科技园的事归哪个处室管？"])
def test_which_office_is_answered_only_by_an_office_the_documents_name(answer, question):
    """The notice names the bodies acting (区财政局), never an office of one: what it says, and that it names none."""
    result = answer(question)
    assert result.outcome == "partial" and not result.answered and "科室" in result.answer, result.answer


def test_which_office_is_answered_by_the_office_named_beside_the_thing():
    named = "要点\n\n一、平台\n\n（一）共享\n\n建设示例共享实验平台，由高新技术科牵头。\n\n" + SMALL_REST
    result = asking(named)("示例共享实验平台由哪个科室负责？")
    assert result.outcome == "full" and "高新技术科牵头" in result.answer, result.answer


@pytest.mark.parametrize(
    "question",
    [
        "我们做集成电路，想问问天使基金的情况？",
        # 这种 points with 企业 (it names no thing of its own); 天使基金 still names what is asked
        "我们做集成电路，区里会不会给我们这种企业天使基金？",
    ],
)
def test_the_sentence_naming_what_the_asking_clause_names_ranks_before_one_naming_who_asks(notice, question):
    """集成电路 says what the asker does, 天使基金 what they ask of: equally rare, the fund's sentence comes first,
    though retrieval put the other first."""
    answerer = ExtractiveAnswerer(Corpus.of(notice), Lexicon())
    sentences = [c for c in chunking.chunk(notice) if c.kind == chunking.SENTENCE]
    chip, fund = (next(c for c in sentences if w in c.text) for w in ("总产出", "天使基金"))
    cite = notice.reference()
    evidence = [Evidence(c, notice.sections[c.section_id].citation(), cite, "search") for c in (chip, fund)]
    view = answerer.view([], evidence)
    asked = answerer.ask(question, view)
    ranked = rank(asked, coverage(asked, view, answerer.lexicon), evidence, view, answerer.corpus, answerer.rules)
    assert "天使基金" in asked.core and "集成电路" in asked.context and ranked[0].evidence.chunk == fund


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        ("平台支持细则具体包括哪些条款？", "partial"),  # the list is of who acts
        ("星河规划具体有哪些内容？", "partial"),  # the list is of what is done, the plan one of them
        ("具体支持哪些园区？", "full"),  # …、…等园区
        ("平台推荐具体聚焦哪些？", "full"),  # 聚焦…、…
    ],
)
def test_particulars_are_a_list_the_thing_leads_into_or_ends(question, outcome):
    text = (
        "要点\n\n一、平台\n\n（一）细则\n\n会同区财政局、示例科投集团研究平台支持细则。\n\n（二）规划\n\n"
        "编制星河规划、强化政策宣传。\n\n二、园区\n\n（一）园区\n\n支持甲镇星河科技园、乙镇云帆科技园等园区发展。\n\n"
        "（二）产业\n\n聚焦汽车、集成电路和生物医药，推荐一批平台。\n"
    )
    result = asking(text)(question)
    assert result.outcome == outcome, result.answer


@pytest.mark.parametrize("question", ["示例科普地图在哪能领到？", "科普地图哪里可以领？"])
def test_where_it_can_be_collected_asks_a_procedure(question):
    assert "procedure" in read(question, Lexicon(), Rules.load()).details


@pytest.mark.parametrize(
    ("mentioned", "found", "there"),
    [
        (("氢能", "项目"), {"氢能": ("氢储",), "项目": ("项目",)}, True),  # 项目 is said of nearly anything
        (("国际", "学校"), {"国际": ("国际",), "学校": ("校园",)}, False),  # 国际学校 is no 校园
    ],
)
def test_a_mention_found_through_the_glossary_is_the_whole_thing_but_for_words_said_of_anything(
    mentioned, found, there
):
    text = (
        "要点\n\n一、能源\n\n（一）氢储\n\n推动示例氢储项目落地。\n\n（二）校园\n\n开展科普进校园、进国际社区项目。\n\n"
        "二、产业\n\n（一）园区\n\n支持星河科技园项目。\n\n（二）大会\n\n举办示例创新大会。\n"
    )
    view = View([parsing.parse(text, {"title": "2026年示例区要点"})], 0.3)
    asked = Asked(text="", terms=mentioned, core=mentioned, mention=True, mentioned=mentioned)
    covered = Coverage(found=found, share=1.0, deciding=mentioned)
    assert in_scope(asked, covered, Rules.load(), view) is there


@pytest.mark.parametrize("question", ["有没有提星河科技园？", "这份要点提没提星河科技园？"])
def test_whether_it_says_x_in_every_spoken_form_is_a_mention(question):
    asked = read(question, Lexicon(), Rules.load())
    assert asked.mention and "星河科技园" in "".join(asked.mentioned)


def test_a_number_inside_a_quoted_name_is_no_figure_to_check():
    rules, lexicon = Rules.load(), Lexicon()
    assert "figure" not in read("“示例10条”那个金融补贴今年还落实吗？", lexicon, rules).details
    assert "figure" in read("高新技术企业是不是要新增 300 家？", lexicon, rules).details


@pytest.mark.parametrize("question", ["示例天使基金想达到什么效果？", "设立示例天使基金的目的是啥？"])
def test_what_a_thing_is_for_is_asked_of_it_not_a_thing_of_its_own(answer, question):
    result = answer(question)
    assert result.outcome == "full" and "示例天使基金" in result.answer, result.answer
