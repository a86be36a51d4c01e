"""The web chat's page (Gradio): chat with citation chips, the evidence panel, 目录, 指标一览, 我的企业, 👍/👎.

What it shows comes from ``render``/``chat``, which the tests call directly; this module only lays it out and wires
the events.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import anyio.to_thread
import gradio as gr

from assistant.answer.followups import follow_ups
from assistant.answer.profiles import concerns as concerning
from assistant.answer.profiles import matching
from assistant.answer.records import Citation
from assistant.answer.targets import as_csv, as_markdown, targets
from assistant.corpus.records import Corpus, Notice
from assistant.pipeline import LiveAssistant
from assistant.web.chat import history_pairs, reply
from assistant.web.feedback import FeedbackStore
from assistant.web.render import (
    document_html,
    evidence_html,
    outline,
    profile_markdown,
    section_choices,
    supporting,
)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')  # characters no file name may hold on some system
PROMISE = "回答逐字摘自原文并标注条目；文件没有写的，助手会说“本文件未提及”。"
ALL = "全部文件"
CSS = """
#chips label { border-radius: 999px; }
/* the theme's orange gives white text 2.8:1; this blue 6.7:1 (WCAG AA asks 4.5:1) */
#send { background: #1d4ed8; border-color: #1d4ed8; color: #ffffff; }
#send:hover { background: #1e40af; }
#send:disabled { background: #64748b; border-color: #64748b; }
button[role="tab"][aria-selected="true"] { color: #1d4ed8; }
:root { --color-accent: #1d4ed8; }  /* the open tab's underline and a chosen chip, in the same blue */
#targets td:last-child { white-space: nowrap; }  /* 1100 家 on one line */
#question textarea::placeholder, #reason textarea::placeholder { color: #5b6170; }
#question-count { text-align: right; font-size: 0.8em; color: #5b6170; margin-top: -0.4em; }
#question-count.over { color: #b91c1c; font-weight: 600; }
.evidence mark.quote { background: #fde68a; padding: 0 2px; }
.evidence .breadcrumb { color: #64748b; font-size: 0.85em; margin-bottom: 0.5em; }
/* the whole document scrolls in its own box beside the chat: its contents links move within it */
.evidence.whole { max-height: 80vh; overflow-y: auto; padding-right: 0.5em; }
/* suggested follow-ups: small buttons under the answer, left-aligned like it (not dashed bubbles that look like the
   user's own messages); on a phone one line each */
#chat .options { display: flex; flex-wrap: wrap; justify-content: flex-start; margin: 0; max-width: 100%;
  gap: 6px; padding: 0 var(--spacing-xxl) var(--spacing-xl); }
#chat .option { width: auto; max-width: 100%; padding: 4px 12px; border-style: solid; border-radius: 999px;
  align-items: flex-start; font-size: 0.9em; }
@media (max-width: 640px) {
  #targets table { font-size: 0.85em; }
  #targets td:first-child, #targets th:first-child { min-width: 6.5em; }
  #chat .option { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  /* the welcome buttons already show examples: the lists below the chat would push the tabs off the screen */
  #examples-staff, #examples-enterprise { display: none; }
}
.evidence ul.contents { list-style: none; padding-left: 0; }
.evidence ul.contents li.item { margin-left: 1.2em; }
"""


def heading(corpus: Corpus, title: str) -> str:
    """The page heading: the notice itself when there is one, else the deployment's title and how many documents."""
    documents = list(corpus.documents.values())
    if len(documents) == 1:
        d = documents[0]
        details = " · ".join(x for x in (d.doc_number, d.metadata.get("issuer", ""), d.date) if x)
        return f"## 《{d.title}》问答助手\n{details}。{PROMISE}"
    return f"## {title}\n共 {len(documents)} 份文件，可在“范围”中选定其中一份。{PROMISE}"


# Brings the evidence into view after a citation or outline click: the quote when there is one, else the panel.
# (Run after the panel is rendered; on a phone the panel sits below the chat.)
SHOW_EVIDENCE = """() => setTimeout(() => {
  const target = document.querySelector('#evidence mark.quote') || document.querySelector('#evidence');
  if (target) target.scrollIntoView({block: 'center', behavior: 'instant'});
}, 120)"""
# After an answer, the chat shows where it begins (the question above it), not its last quotes: a long answer is
# read from its first line, the one that answers.
# A question is taken from the box the moment it is sent, and sending is disabled at once, in the page: what is typed
# while it is answered stays in the box (the answer used to empty the box when it came, taking that text with it),
# and a second click before the server has disabled the button sends nothing over the answer being made.
TAKE_QUESTION = """(question) => {
  const send = document.querySelector('#send');
  if (send) send.disabled = true;
  window.askedQuestion = question;  // put back in the box if the server turns it away (PAGE_SCRIPT)
  document.querySelector('#turned-away')?.remove();
  return ['', question];
}"""
SHOW_ANSWER = """() => setTimeout(() => {
  const rows = document.querySelectorAll('#chat .message-row.user-row');
  const wrap = document.querySelector('#chat .bubble-wrap');
  const last = rows[rows.length - 1];
  if (last && wrap) wrap.scrollTop += last.getBoundingClientRect().top - wrap.getBoundingClientRect().top - 8;
}, 60)"""
# Enter sends and Shift+Enter starts a new line in the (multi-line) question box; an Enter that confirms an input
# method's candidate (拼音) is left to the input method. A counter under the box shows n/limit.
PAGE_SCRIPT = """<script>
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return;
  if (!event.target.closest || !event.target.closest('#question')) return;
  event.preventDefault();
  event.stopImmediatePropagation();  // Gradio's own Enter handling of a multi-line box would run too
  if (event.shiftKey) {
    document.execCommand('insertText', false, '\\n');  // as typed: the box hears an input event
    return;
  }
  const send = document.querySelector('#send');
  if (send && !send.disabled) send.click();
}, true);
// A question the server turns away (429: over the rate limit) goes back into the box and sending is enabled
// again, with why and for how long under the box: Gradio itself would show nothing and keep the button disabled
const fetched = window.fetch.bind(window);
window.fetch = async (...args) => {
  const response = await fetched(...args);
  if (response.status === 429 && String(args[0]?.url ?? args[0]).includes('/gradio_api/')) {
    turnedAway(response.headers.get('Retry-After'));
  }
  return response;
};
function turnedAway(wait) {
  const box = document.querySelector('#question textarea');
  if (box && !box.value && window.askedQuestion) {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(box, window.askedQuestion);
    box.dispatchEvent(new Event('input', {bubbles: true}));  // Gradio hears it as typed
  }
  const send = document.querySelector('#send');
  if (send) send.disabled = false;
  let note = document.querySelector('#turned-away');
  if (!note) {
    note = document.createElement('div');
    note.id = 'turned-away';
    note.setAttribute('role', 'alert');
    document.querySelector('#feedback-status')?.before(note);
  }
  note.textContent = '⚠️ 提问过于频繁，请' + (wait ? '约 ' + wait + ' 秒后' : '稍后') + '再发送；问题已放回输入框。';
}
// Gradio's own controls name themselves in English whatever the page's language: name them in Chinese
const ZH = {"Copy message": "复制这条消息", "Copy conversation": "复制全部对话", "Copied message": "已复制",
  "Copied conversation": "已复制", "More tabs": "更多标签", "Clear": "清空对话", "Like": "赞", "Dislike": "踩",
  "Scroll down": "滚动到底部"};
function chinese() {
  for (const name of ['aria-label', 'title']) {
    document.querySelectorAll(`[${name}]`).forEach((el) => {
      const value = el.getAttribute(name);
      const example = /^Select example (\\d+)(.*)$/.exec(value);  // "Select example 1: 高企目标…"
      if (ZH[value]) el.setAttribute(name, ZH[value]);
      else if (example) el.setAttribute(name, '示例 ' + example[1] + example[2].replace(/^:/, '：'));
    });
  }
}
const touch = window.matchMedia('(pointer: coarse)').matches;  // a phone has no Shift+Enter to speak of
setInterval(() => {  // the box is also filled and cleared by the app itself, so the counter follows its value
  chinese();
  const status = document.querySelector('#feedback-status');
  if (status && !status.hasAttribute('aria-live')) status.setAttribute('aria-live', 'polite');  // read aloud
  const box = document.querySelector('#question textarea');
  if (!box) return;
  if (touch && box.placeholder.includes('Shift')) box.placeholder = box.placeholder.replace(/，?Shift\\+回车换行/, '');
  let counter = document.querySelector('#question-count');
  if (!counter) {
    counter = document.createElement('div');
    counter.id = 'question-count';
    box.closest('#question').after(counter);
  }
  const length = [...box.value].length;
  const text = length + '/LIMIT';
  if (counter.textContent !== text) counter.textContent = text;
  counter.classList.toggle('over', length > LIMIT);
}, 300);
</script>"""
EVIDENCE_HINT = "<p>提问后，这里显示所引条目的全文，引文高亮；点击回答下方的条目或目录中的条目也会在这里打开。</p>"


def build_ui(live: LiveAssistant, store: FeedbackStore, limit: int) -> gr.Blocks:
    profiles = {p.name: p for p in live.assistant.lexicon.domain.profiles}

    def in_scope(doc: str | None) -> list[Notice]:
        documents = live.assistant.corpus.documents
        return [documents[doc]] if doc in documents else list(documents.values())

    async def respond(
        message: str, messages: list[dict[str, Any]], answers: dict[str, Any] | None, doc: str | None, who: str | None
    ) -> tuple[Any, ...]:
        prior = list(messages or [])
        # answered in a worker thread (where it may wait its turn), shown from the event loop, whole: it is ready at
        # once, and Gradio runs each step of a generator in a worker thread of its own, so under load every piece
        # queued again behind the questions waiting their turn (`python -m evals.load`, docs in SECURITY.md)
        answer = await anyio.to_thread.run_sync(reply, live, message, prior, [doc] if doc else None, who or "")
        if answer.error:
            # the question stays in the box and the chat as it was (an assistant line after an answer would be
            # drawn into that answer's bubble); why it was not asked shows under the box
            return prior, message, gr.update(), gr.update(), answers, gr.update(interactive=True), f"⚠️ {answer.answer}"
        # what to read next, as buttons under the answer: clicking one asks it (see follow_ups)
        offered = follow_ups(answer, live.assistant.corpus, live.assistant.rules.messages)
        options = [{"label": f.label, "value": f.question} for f in offered]
        shown = [
            *prior,
            {"role": "user", "content": message},
            {"role": "assistant", "content": answer.answer, "options": options},
        ]
        # what each answer shown was, by its place in the chat: its 👍/👎 and its chips refer to it
        record = {**answer.to_json(), "history": history_pairs(prior), "key": uuid.uuid4().hex}
        answers = {**(answers or {}), str(len(shown) - 1): record, "chosen": record}
        chips, panel = cited(record)
        return shown, gr.update(), chips, panel, answers, gr.update(interactive=True), ""

    def cited(record: dict[str, Any]) -> tuple[Any, str]:
        """An answer's citations as chips, and its first cited section with the quotes highlighted."""
        citations = [Citation(**c) for c in record.get("citations", [])]
        chips = list(dict.fromkeys(c.marker() for c in citations))
        first = citations[0] if citations else None
        notice = live.assistant.corpus.documents.get(first.doc) if first else None
        panel = evidence_html(notice, first.section, supporting(record)) if notice and first else EVIDENCE_HINT
        return gr.update(choices=chips, value=None), panel

    def show_answer(answers: dict[str, Any] | None, chosen: gr.SelectData) -> tuple[Any, Any, Any, Any]:
        """A click on an earlier answer brings its citations back as the chips, and its first cited section."""
        index = chosen.index[0] if isinstance(chosen.index, list | tuple) else chosen.index
        record = (answers or {}).get(str(index))
        if record is None:  # a question, or an answer of a chat since cleared
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        chips, panel = cited(record)
        return {**(answers or {}), "chosen": record}, chips, panel, gr.Tabs(selected="evidence")

    # A chip or outline item opens its section and is unchosen again: a radio button already chosen fires nothing
    # when clicked, and re-opening a section after browsing elsewhere is what a reader does.
    def show_cited(answers: dict[str, Any] | None, chosen: gr.SelectData) -> tuple[Any, Any, Any]:
        last = (answers or {}).get("chosen") or {}  # the answer the chips are of: the latest, or one clicked
        citations = [Citation(**c) for c in last.get("citations", [])]
        cited = next((c for c in citations if c.marker() == chosen.value), None)
        notice = live.assistant.corpus.documents.get(cited.doc) if cited else None
        if cited is None or notice is None:
            return gr.skip(), gr.skip(), gr.update(value=None)
        panel = evidence_html(notice, cited.section, supporting(last))
        return panel, gr.Tabs(selected="evidence"), gr.update(value=None)

    def show_section(chosen: gr.SelectData) -> tuple[Any, Any, Any, Any]:
        """An outline line opens its section, or ("doc/") the whole document; the download offers that document."""
        doc, _, section = str(chosen.value or "").partition("/")
        notice = live.assistant.corpus.documents.get(doc)
        if notice is None:
            return gr.skip(), gr.skip(), gr.update(value=None), gr.skip()
        panel = evidence_html(notice, section) if section else document_html(notice)
        return panel, gr.Tabs(selected="evidence"), gr.update(value=None), original(doc)

    def contents(doc: str | None) -> tuple[Any, Any]:
        """The outline of the documents in scope, rebuilt (the corpus may have changed), and the download."""
        return gr.update(choices=outline(in_scope(doc)), value=None), original(doc)

    def original(doc: str | None) -> Any:
        """The file a document was read from, to download as it is; with several in scope and none chosen, none."""
        documents = in_scope(doc)
        notice = documents[0] if len(documents) == 1 else None
        source = live.assistant.settings.corpus_dir / notice.source if notice and notice.source else None
        if notice is None or source is None or not source.is_file():
            return gr.update(value=None, visible=False)
        # a copy in the page's own folder (Gradio serves files from there, never from the corpus folder itself),
        # named by the document's title rather than its file id
        copy = exports / notice.id / (_UNSAFE.sub("_", notice.title) + source.suffix)
        if not copy.exists() or copy.stat().st_mtime_ns < source.stat().st_mtime_ns:
            copy.parent.mkdir(exist_ok=True)
            partial = copy.with_suffix(f".{uuid.uuid4().hex}")
            shutil.copyfile(source, partial)
            partial.replace(copy)
        return gr.update(value=str(copy), label=f"下载原文件（{copy.name}）", visible=True)

    def record_vote(record: dict[str, Any], rating: int, reason: str) -> None:
        store.add(
            rating,
            record["question"],
            record["answer"],
            record["citations"],
            record["history"],
            reason,
            answer_key=record["key"],
        )

    def vote(answers: dict[str, Any] | None, reason: str, data: gr.LikeData) -> tuple[str, str, Any]:
        """👍/👎 under an answer: one vote per answer, which a second click changes. A reason typed before it goes
        with it; one typed after it (as the message asks) is added to it when sent (see explain)."""
        record = (answers or {}).get(str(data.index))
        if not record:
            return "这条消息不能评价。", reason, None
        rating = 1 if data.liked is True else -1
        record_vote(record, rating, reason.strip())
        said = "已记录 👍，谢谢！" if rating > 0 else "已记录 👎，可在下方说明原因（回车提交），我们会据此改进。"
        return said, "", {"record": record, "rating": rating}

    def explain(voted: dict[str, Any] | None, reason: str) -> tuple[str, str]:
        """The reason for the vote just cast, kept with that vote (its row), never with a later one."""
        if not reason.strip():
            return gr.skip(), reason
        if not voted:
            return "请先点回答下方的 👍 或 👎，再说明原因。", reason
        record_vote(voted["record"], voted["rating"], reason.strip())
        return "已记录原因，谢谢！", ""

    def example_question(chosen: gr.SelectData) -> str:
        """A welcome button or a suggested follow-up asks its question as if typed."""
        value = chosen.value
        return str(value.get("text", "") if isinstance(value, dict) else value)

    exports = Path(tempfile.mkdtemp(prefix="page-files-"))  # 指标一览 CSVs and copies of original files

    def figure_table(doc: str | None) -> tuple[str, str | None, Any]:
        """指标一览 for the documents in scope, the same rows as a CSV file to download, and their sections to open."""
        notices = in_scope(doc)
        rows = targets(notices, [unit.stated for unit in live.assistant.rules.units])
        if not rows:
            return "所选文件没有以数字给出的指标。", None, gr.update(choices=[], value=None)
        path = exports / f"指标一览-{doc or 'all'}.csv"
        partial = path.with_suffix(f".{uuid.uuid4().hex}")  # two users opening the tab never read half a file
        partial.write_text(as_csv(rows), encoding="utf-8")
        partial.replace(path)
        intro = f"共 {len(rows)} 条，逐字摘自原文；点下方的条目可读其全文。\n\n"
        opened = section_choices((r.doc, r.section_id, r.section) for r in rows)
        return intro + as_markdown(rows, len(notices) > 1), str(path), gr.update(choices=opened, value=None)

    def profile_result(name: str | None, doc: str | None) -> tuple[str, Any]:
        """我的企业: the sections concerning the profile with their key quotes, and the same sections to open."""
        if not name:
            return "", gr.update(choices=[], value=None)
        chosen = matching(list(profiles.values()), name)  # typed: 芯片 is 集成电路
        if chosen is None:
            hint = f"没有“{name}”这一类。可选：{'、'.join(profiles)}；"
            hint += f"也可以在对话中问“我们是做{name}的，哪些措施和我们有关？”"
            return hint, gr.update(choices=[], value=None)
        notices = in_scope(doc)
        cited = [c.citation for n in notices for c in concerning(n, chosen.terms)]
        opened = section_choices((c.doc, c.section, c.label) for c in cited)
        return profile_markdown(notices, chosen), gr.update(choices=opened, value=None)

    def reset() -> tuple[Any, ...]:
        """One reset for the trash icon and 新对话: messages, chips, evidence (back to its hint) and vote targets."""
        return [], None, gr.update(choices=[], value=None), EVIDENCE_HINT, "", gr.update(interactive=True), None

    corpus = live.assistant.corpus
    rules = live.assistant.rules
    many = rules.messages_many_documents if len(corpus.documents) > 1 else {}
    welcome = many.get("welcome", rules.messages["welcome"])
    with gr.Blocks(title=live.assistant.branding.title) as ui:
        gr.Markdown(heading(corpus, live.assistant.branding.title))
        answers = gr.State(None)
        voted = gr.State(None)  # the vote just cast, for a reason typed after it
        scope = gr.Dropdown(
            choices=[(ALL, "")] + [(d.reference(), d.id) for d in corpus.documents.values()],
            value="",
            label="范围",
            elem_id="scope",
            visible=len(corpus.documents) > 1,
        )
        with gr.Row():
            with gr.Column(scale=3):
                examples = live.assistant.lexicon.domain.examples
                chat = gr.Chatbot(
                    value=[],
                    height=440,
                    elem_id="chat",
                    label="对话",
                    show_label=False,
                    buttons=["copy"],
                    autoscroll=False,  # SHOW_ANSWER brings the answer's beginning into view instead
                    feedback_options=("Like", "Dislike"),
                    placeholder=welcome,
                    examples=[{"text": q} for q in examples.get("welcome", [])],
                )
                question = gr.Textbox(
                    placeholder=f"输入问题，回车发送，Shift+回车换行（不超过 {limit} 字）",
                    label="输入问题",
                    show_label=False,
                    lines=2,
                    max_lines=6,
                    elem_id="question",
                )
                sent = gr.Textbox(visible=False)  # the question being answered, taken from the box (TAKE_QUESTION)
                with gr.Row():
                    send = gr.Button("发送", variant="primary", elem_id="send")
                    new = gr.Button("新对话", elem_id="new")
                # why a question was not asked, and that a vote was recorded: right under the box (aria-live)
                status = gr.Markdown(elem_id="feedback-status", container=False)
                chips = gr.Radio(choices=[], label="引用（点击查看原文）", elem_id="chips", interactive=True)
                reason = gr.Textbox(
                    placeholder="可选：点 👍/👎 后在此说明原因，回车提交",
                    label="评价原因",
                    show_label=False,
                    elem_id="reason",
                )
                listed_examples = [
                    gr.Examples([[q] for q in examples[who]], inputs=[question], label=label, elem_id=f"examples-{who}")
                    for who, label in (("staff", "工作人员常问"), ("enterprise", "企业常问"))
                    if examples.get(who)
                ]
            with gr.Column(scale=2), gr.Tabs(selected="evidence") as tabs:
                with gr.Tab("原文证据", id="evidence", elem_id="evidence-tab"):
                    evidence = gr.HTML(EVIDENCE_HINT, elem_id="evidence")
                with gr.Tab("目录", id="outline", elem_id="outline-tab") as outline_tab:
                    download_original = gr.DownloadButton(elem_id="original", size="sm", visible=False)
                    sections = gr.Radio(
                        choices=outline(in_scope(None)), label="点击条目阅读全文", elem_id="outline", interactive=True
                    )
                with gr.Tab("指标一览", id="targets", elem_id="targets-tab") as targets_tab:
                    figures = gr.Markdown(elem_id="targets")
                    download = gr.DownloadButton("下载 CSV（可用 Excel 打开）", elem_id="targets-csv", size="sm")
                    figure_sections = gr.Radio(label="点击条目阅读全文", elem_id="targets-sections", interactive=True)
                with gr.Tab("我的企业", id="profile", elem_id="profile-tab", visible=bool(profiles)):
                    profile = gr.Dropdown(
                        choices=list(profiles),
                        value=None,
                        label="行业或身份",
                        info="可选，也可输入（如“芯片”）；选定后，在对话中问“哪些措施和我有关”也按它回答。",
                        allow_custom_value=True,
                        elem_id="profile",
                    )
                    concerns = gr.Markdown(elem_id="profile-result")
                    profile_sections = gr.Radio(label="点击条目阅读全文", elem_id="profile-sections", interactive=True)

        replies = [chat, question, chips, evidence, answers, send, status]
        asked = [sent, chat, answers, scope, profile]
        # sending is disabled while an answer is being made, and enabled again with it: nothing typed is dropped.
        # An example clicked is asked as if typed and sent (it used to only fill the box)
        for trigger in (question.submit, send.click, *(e.load_input_event.then for e in listed_examples)):
            trigger(None, question, [question, sent], js=TAKE_QUESTION, queue=False).then(
                lambda: gr.update(interactive=False), None, send, queue=False
            ).then(respond, asked, replies).then(None, js=SHOW_ANSWER)
        for chosen in (chat.example_select, chat.option_select):
            chosen(example_question, None, sent, queue=False).then(respond, asked, replies).then(None, js=SHOW_ANSWER)
        chips.select(show_cited, answers, [evidence, tabs, chips]).then(None, js=SHOW_EVIDENCE)
        chat.select(show_answer, answers, [answers, chips, evidence, tabs]).then(None, js=SHOW_EVIDENCE)
        # every section listed anywhere opens as an outline item does
        for listed in (sections, figure_sections, profile_sections):
            listed.select(show_section, None, [evidence, tabs, listed, download_original]).then(None, js=SHOW_EVIDENCE)
        # the outline is rebuilt whenever it is opened, so it follows a corpus reloaded under the server
        outline_tab.select(contents, scope, [sections, download_original])
        scope.change(contents, scope, [sections, download_original])
        # the table and its CSV are made when the tab is opened, from the corpus as it is then
        targets_tab.select(figure_table, scope, [figures, download, figure_sections])
        scope.change(figure_table, scope, [figures, download, figure_sections])
        profile.change(profile_result, [profile, scope], [concerns, profile_sections])
        chat.like(vote, [answers, reason], [status, reason, voted])
        reason.submit(explain, [voted, reason], [status, reason])
        cleared = [chat, answers, chips, evidence, status, send, voted]
        new.click(reset, None, cleared)
        chat.clear(reset, None, cleared)
    return ui
