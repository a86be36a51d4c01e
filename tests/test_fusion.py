"""Reciprocal rank fusion of a sentence's dense and BM25 ranks and its item's: pure arithmetic, no model."""

from __future__ import annotations

import pytest

from assistant.index.fusion import Fusion, Ranking, fuse


def _ranked(*indices: int) -> Ranking:
    return Ranking({index: rank for rank, index in enumerate(indices)})


def test_each_ranking_adds_its_weighted_reciprocal_rank():
    weights = Fusion(k=60, bm25=2.0, item=0.25)
    sentences = (_ranked(1, 2), _ranked(2))  # dense ranks 1 then 2; BM25 ranks only 2
    items = (_ranked(10), _ranked())  # sentence 1's item is ranked by dense only
    fused = fuse(sentences, items, {1: 10, 2: 11, 3: 11}, weights)
    assert fused[1] == pytest.approx(1 / 61 + 0.25 * (1 / 61))
    assert fused[2] == pytest.approx(1 / 62 + 2.0 * (1 / 61))
    assert fused[3] == 0.0  # a candidate no ranking holds
    assert max(fused, key=fused.__getitem__) == 2  # BM25's weight puts its first above dense's first


def test_the_weights_decide_and_k_flattens():
    sentences = (_ranked(1), _ranked(2))
    items = (_ranked(), _ranked())
    halved = fuse(sentences, items, {1: 0, 2: 0}, Fusion(bm25=0.5))
    assert halved[1] > halved[2]  # BM25 weighted under dense: dense's first wins
    even = fuse(sentences, items, {1: 0, 2: 0}, Fusion(bm25=1.0))
    assert even[1] == even[2]
    near, far = (fuse((_ranked(1, 2), _ranked()), items, {1: 0, 2: 0}, Fusion(k=k)) for k in (1, 1000))
    assert near[1] / near[2] > far[1] / far[2] > 1  # a larger k flattens the gap between ranks
