from dataclasses import replace

from assistant.corpus import parsing
from assistant.corpus.chunking import chunk
from assistant.index import chroma
from assistant.index import store as index


def _ensure(path, notice, chunks, embeddings, **kwargs):
    return index.ensure(path, notice.content_hash, chunks, embeddings, **kwargs)


def test_index_is_built_once_then_reused(tmp_path, notice, chunks, hash_embeddings):
    _, first = _ensure(tmp_path, notice, chunks, hash_embeddings)
    assert first.added == len(chunks) and first.reason == "no index yet"
    store, second = _ensure(tmp_path, notice, chunks, hash_embeddings)
    assert second.added == second.updated == second.deleted == 0 and second.reason == ""
    assert hash_embeddings.calls == len(chunks)
    assert len(store.get()["ids"]) == len(chunks)


def test_reindexing_twice_changes_nothing(tmp_path, notice, chunks, hash_embeddings):
    manifest = index.expected_manifest(notice.content_hash, chunks, hash_embeddings)
    index.sync(tmp_path, chunks, hash_embeddings, manifest)
    again = index.sync(tmp_path, chunks, hash_embeddings, manifest)
    assert (again.added, again.updated, again.deleted, again.skipped) == (0, 0, 0, len(chunks))


def test_changed_corpus_is_detected_and_only_changes_are_embedded(tmp_path, notice, chunks, hash_embeddings):
    _ensure(tmp_path, notice, chunks, hash_embeddings)
    edited_text = notice.original.replace("超过 1100 家", "超过 1200 家")
    edited = parsing.parse(edited_text, notice.metadata, notice.id)
    edited_chunks = chunk(edited)
    calls_before = hash_embeddings.calls
    store, report = _ensure(tmp_path, edited, edited_chunks, hash_embeddings)
    assert report.reason == "corpus changed"
    # the sentence and its item: new content is added, the old version deleted, the rest skipped
    assert (report.added, report.deleted, report.skipped) == (2, 2, len(chunks) - 2)
    assert hash_embeddings.calls - calls_before == 2
    assert any("1200" in text for text in store.get()["documents"])


def test_a_different_model_triggers_a_full_rebuild(tmp_path, notice, chunks, hash_embeddings):
    _ensure(tmp_path, notice, chunks, hash_embeddings)
    other = type(hash_embeddings)(model_id="hash-32", dimension=32)
    _, report = _ensure(tmp_path, notice, chunks, other)
    assert report.reason.startswith("embedding model changed")
    assert report.added == len(chunks)
    assert index.read_manifest(tmp_path).dimension == 32


def test_stale_reasons():
    base = index.Manifest("a", "m", 8, "1", 10)
    assert index.stale_reason(None, base) == "no index yet"
    assert index.stale_reason(base, base) == ""
    assert index.stale_reason(replace(base, corpus_hash="b"), base) == "corpus changed"
    assert index.stale_reason(replace(base, chunker_version="0"), base) == "chunker changed"


def test_corrupt_manifest_counts_as_missing(tmp_path):
    (tmp_path / index.MANIFEST).write_text("{not json", encoding="utf-8")
    assert index.read_manifest(tmp_path) is None


def test_a_deleted_index_folder_is_rebuilt(tmp_path, notice, chunks, hash_embeddings):
    import shutil

    folder = tmp_path / "index"
    _ensure(folder, notice, chunks, hash_embeddings)
    shutil.rmtree(folder)
    store, report = _ensure(folder, notice, chunks, hash_embeddings)
    assert report.reason == "no index yet" and len(store.get()["ids"]) == len(chunks)


def test_a_truncated_chroma_file_is_moved_aside_and_rebuilt(tmp_path, notice, chunks, hash_embeddings):
    folder = tmp_path / "index"
    _ensure(folder, notice, chunks, hash_embeddings)
    chroma.forget(folder)  # as a new process would open it
    with (folder / "chroma.sqlite3").open("r+b") as handle:
        handle.truncate(100)
    store, report = _ensure(folder, notice, chunks, hash_embeddings)
    assert report.reason.startswith("index damaged") and report.added == len(chunks)
    assert len(store.get()["ids"]) == len(chunks)
    damaged = list(tmp_path.glob("index.damaged-*"))
    assert len(damaged) == 1 and (damaged[0] / "chroma.sqlite3").stat().st_size == 100


def test_a_rebuild_is_a_new_generation_and_the_live_one_stays_until_done(tmp_path, notice, chunks, hash_embeddings):
    live, _ = _ensure(tmp_path, notice, chunks, hash_embeddings)
    first = index.read_manifest(tmp_path).collection
    rebuilt, report = _ensure(tmp_path, notice, chunks, hash_embeddings, rebuild=True)
    second = index.read_manifest(tmp_path).collection
    assert report.added == len(chunks) and second != first
    # a process still holding the previous generation keeps reading it
    assert len(live.get()["ids"]) == len(rebuilt.get()["ids"]) == len(chunks)
    _ensure(tmp_path, notice, chunks, hash_embeddings, rebuild=True)
    names = [c.name for c in chroma.Location(tmp_path).client().list_collections()]
    assert first not in names and second in names and len(names) == 2  # only the live one and the one before


def test_a_changed_corpus_is_synced_in_the_live_generation(tmp_path, notice, chunks, hash_embeddings):
    _ensure(tmp_path, notice, chunks, hash_embeddings)
    live = index.read_manifest(tmp_path).collection
    edited = parsing.parse(notice.original.replace("超过 1100 家", "超过 1200 家"), notice.metadata, notice.id)
    _, report = _ensure(tmp_path, edited, chunk(edited), hash_embeddings)
    assert report.added == 2 and index.read_manifest(tmp_path).collection == live


def test_a_damaged_bm25_index_and_token_cache_are_rebuilt(tmp_path, chunks, lexicon):
    from assistant.index.bm25 import FOLDER, TOKENS, BM25Index

    first = BM25Index.open(tmp_path, chunks, lexicon)
    for path in (tmp_path / FOLDER / "model").iterdir():
        path.write_bytes(b"\x00garbage")
    (tmp_path / FOLDER / TOKENS).write_bytes(b"not a database" * 100)
    again = BM25Index.open(tmp_path, chunks, lexicon)
    assert again.report.tokenized == len(chunks) and not again.report.loaded
    query = "高新技术企业认定目标"
    assert list(again.scores(query)) == list(first.scores(query))


def _overwrite(path, offset: int, size: int = 8192) -> None:
    import os

    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(os.urandom(size))


def test_overwritten_pages_of_the_chroma_database_never_stop_a_start(tmp_path, notice, chunks, hash_embeddings):
    # the probe's reproductions (dd if=/dev/urandom of=chroma.sqlite3 bs=8192 seek=64|96 count=1 conv=notrunc),
    # scaled to this small index: random bytes over the first page and at the middle and three quarters of the file
    folder = tmp_path / "index"
    _ensure(folder, notice, chunks, hash_embeddings)
    damaged = 0
    for share in (0.0, 0.5, 0.75):
        chroma.forget(folder)
        size = (folder / "chroma.sqlite3").stat().st_size
        _overwrite(folder / "chroma.sqlite3", int(size * share) // 4096 * 4096)
        store, report = _ensure(folder, notice, chunks, hash_embeddings)
        damaged += report.reason.startswith("index damaged")
        # whatever was hit, the index opens whole and answers
        assert len(store.get()["ids"]) == len(chunks)
        assert store.query(query_embeddings=[hash_embeddings.embed_query(chunks[0].text)], n_results=1)["ids"][0]
    assert damaged >= 1  # a header overwritten is always found


def test_a_truncated_record_database_is_found_and_rebuilt(tmp_path, notice, chunks, hash_embeddings):
    folder = tmp_path / "index"
    _ensure(folder, notice, chunks, hash_embeddings)
    chroma.forget(folder)
    with (folder / index.RECORDS).open("r+b") as handle:
        handle.truncate(100)
    store, report = _ensure(folder, notice, chunks, hash_embeddings)
    assert report.reason.startswith("index damaged") and "records.sqlite3" in report.reason
    assert len(store.get()["ids"]) == len(chunks)
    # and a later corpus change syncs normally
    changed = [replace(c, text=c.text + "（补充）") if i == 0 else c for i, c in enumerate(chunks)]
    _, later = index.ensure(folder, "another-hash", changed, hash_embeddings)
    assert later.reason == index.CORPUS_CHANGED and later.updated + later.added >= 1


def test_an_index_dir_that_is_a_file_is_a_one_line_error(tmp_path, notice, chunks, hash_embeddings):
    import pytest

    path = tmp_path / "index"
    path.write_text("not a folder")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        _ensure(path, notice, chunks, hash_embeddings)
    assert path.read_text() == "not a folder"  # nothing moved or deleted
