from assistant.corpus import chunking


def test_chunks_never_cross_an_item_boundary(notice, chunks):
    for chunk in chunks:
        section = notice.sections[chunk.section_id]
        assert section.sentences[0].start <= chunk.start < chunk.end <= section.sentences[-1].end


def test_parent_item_chunks_and_sentence_children(notice, chunks):
    kinds = {(c.section_id, c.kind) for c in chunks}
    for section in notice.sections.values():
        if section.sentences:
            assert (section.id, chunking.ITEM) in kinds
    sentences = [c for c in chunks if c.kind == chunking.SENTENCE]
    assert len(sentences) == sum(len(s.sentences) for s in notice.sections.values())


def test_ids_are_unique_and_stable_with_content_hashes(notice, chunks):
    again = chunking.chunk(notice)
    assert [c.id for c in chunks] == [c.id for c in again]
    assert [c.content_hash for c in chunks] == [c.content_hash for c in again]
    assert len({c.id for c in chunks}) == len(chunks)


def test_embedding_text_is_prefixed_with_the_heading_path(chunks):
    chunk = next(c for c in chunks if c.kind == chunking.SENTENCE and "450亿元" in c.text)
    assert chunk.embedding_text.startswith("三、坚持培育新质生产力")
    assert "三、（二）做实创新主体地位 > 生物医药产业方面" in chunk.embedding_text
    assert chunk.text in chunk.embedding_text
