"""The three slovnet models on top of `fastnn`'s encoder: morph tags, syntax heads and
relations, and NER tags, computed as slovnet's heads compute them.

Each takes chunks of words (lists of strings) and returns one array (or pair of arrays) per
chunk, of label ids; `tags` / `rels` name them.
"""

import numpy as np

from . import blas
from .fastnn import FLOAT, CNNEncoder, Packed, WordEncoder, pack, split


def _linear(x: np.ndarray, linear) -> np.ndarray:
    return x @ linear.weight.array + linear.bias.array


def _ff(x: np.ndarray, ff) -> np.ndarray:
    return np.maximum(_linear(x, ff.proj), 0)


class Tagger:
    """Shared part of the fast models: encoding words and running the CNN encoder.

    A model call takes chunks of words and runs them `group` chunks at a time, which keeps
    the encoder's arrays small enough to stay in cache and memory bounded.
    """

    def __init__(self, slovnet_model, encode: WordEncoder | None = None):
        infer = slovnet_model.infer
        self.encode = encode or WordEncoder(infer.encoder)
        self.encoder = CNNEncoder(infer.model)
        if self.encode.shapes != self.encoder.shapes:
            raise ValueError("the word encoder and the model disagree on word shapes")
        self.model = infer.model

    def features(self, items: list[list[str]]) -> tuple[np.ndarray, Packed]:
        """Last encoder layer for each word (N x features), and the layout."""
        packed = self.encode.pack(items, self.encoder.padding)
        return self.encoder(packed), packed

    def predict(self, items: list[list[str]]) -> list:
        """The output for each chunk of one group."""
        raise NotImplementedError

    def __call__(self, items: list[list[str]], group: int = 64, threads: int = 1) -> list:
        """Outputs for `items`, `group` chunks at a time, with `threads` OpenBLAS threads
        (0: decided for each group by `blas.auto_threads`)."""
        results: list = []
        for at in range(0, len(items), group):
            with blas.threads(threads):
                results.extend(self.predict(items[at : at + group]))
        return results


class MorphModel(Tagger):
    """Morph tag ids per chunk (indexes of `tags`)."""

    def __init__(self, slovnet_model, encode: WordEncoder | None = None):
        super().__init__(slovnet_model, encode)
        self.tags: list[str] = slovnet_model.infer.decoder.tags_vocab.items

    def logits(self, items: list[list[str]]) -> tuple[np.ndarray, Packed]:
        features, packed = self.features(items)
        return _linear(features, self.model.head.proj), packed

    def predict(self, items: list[list[str]]) -> list[np.ndarray]:
        logits, packed = self.logits(items)
        return split(logits.argmax(-1), packed)


class NERModel(Tagger):
    """BIO tag ids per chunk (indexes of `tags`), decoded by the CRF.

    The CRF runs once over all the chunks of a call (its cost is per step, not per chunk).
    """

    def __init__(self, slovnet_model, encode: WordEncoder | None = None):
        super().__init__(slovnet_model, encode)
        self.tags: list[str] = slovnet_model.infer.decoder.tags_vocab.items
        self.transitions = self.model.head.crf.transitions.array

    def logits(self, items: list[list[str]]) -> tuple[np.ndarray, Packed]:
        features, packed = self.features(items)
        return _linear(features, self.model.head.proj), packed

    def predict(self, items: list[list[str]]) -> list[np.ndarray]:
        return self(items, group=max(1, len(items)))

    def __call__(self, items: list[list[str]], group: int = 64, threads: int = 1) -> list:
        parts = []
        for at in range(0, len(items), group):
            with blas.threads(threads):
                parts.append(self.logits(items[at : at + group])[0])
        width = self.model.head.proj.weight.shape[1]
        emissions = np.concatenate(parts) if parts else np.zeros((0, width), FLOAT)
        lengths = np.fromiter(map(len, items), dtype=np.intp, count=len(items))
        packed = pack(np.zeros(len(emissions), dtype=np.int64), lengths, 0)
        return split(crf_decode(emissions, self.transitions, packed), packed)


def crf_decode(emissions: np.ndarray, transitions: np.ndarray, packed: Packed) -> np.ndarray:
    """Viterbi paths of all chunks at once, as slovnet's `CRF.decode` computes them.

    Chunks are ordered longest first, so the ones still running at step t are a prefix.
    """
    tags = np.zeros(len(emissions), dtype=np.intp)
    if not len(emissions):
        return tags
    order = np.argsort(-packed.lengths, kind="stable")
    lengths, starts = packed.lengths[order], packed.starts[order]
    steps = int(lengths[0])
    active = np.searchsorted(-lengths, -np.arange(steps), side="left")  # chunks longer than t
    score = emissions[starts]
    history = []
    for step in range(1, steps):
        count = int(active[step])
        candidates = score[:count, :, np.newaxis] + transitions
        candidates += emissions[starts[:count] + step][:, np.newaxis, :]
        history.append(candidates.argmax(1))  # best previous tag for each tag
        score[:count] = candidates.max(1)
    current = score.argmax(-1)
    tags[starts + lengths - 1] = current
    for step in range(steps - 1, 0, -1):
        best = history[step - 1]
        count = len(best)
        current[:count] = best[np.arange(count), current[:count]]
        tags[starts[:count] + step - 1] = current[:count]
    return tags


class SyntaxModel(Tagger):
    """Head (1-based within the chunk, 0 for the root) and relation id of each word."""

    def __init__(self, slovnet_model, encode: WordEncoder | None = None):
        super().__init__(slovnet_model, encode)
        self.rels: list[str] = slovnet_model.infer.decoder.rels_vocab.items

    def arc_scores(self, features: np.ndarray, packed: Packed) -> list[np.ndarray]:
        """Per chunk: words x (root + words) head scores, as slovnet's `SyntaxHead`."""
        arc = self.model.head
        x = np.concatenate((arc.root.array[np.newaxis], features))
        heads = _ff(x, arc.head) @ arc.kernel.array
        tails = _ff(x, arc.tail)
        root_tail = tails[:1]
        scores = []
        for start, length in zip(packed.starts.tolist(), packed.lengths.tolist(), strict=True):
            rows = slice(1 + start, 1 + start + length)
            tail = np.concatenate((root_tail, tails[rows]))
            scores.append(heads[rows] @ tail.T)
        return scores

    def rel_scores(self, features: np.ndarray, head_ids: np.ndarray, packed: Packed) -> np.ndarray:
        """Words x relations, given each word's head, as slovnet's `SyntaxRel`."""
        rel = self.model.rel
        x = np.concatenate((rel.root.array[np.newaxis], features))
        chunk_starts = np.repeat(packed.starts, packed.lengths)
        rows = np.where(head_ids > 0, 1 + chunk_starts + head_ids - 1, 0)
        heads = _ff(x[rows], rel.head)
        tails = _ff(features, rel.tail)
        hidden, dim = rel.kernel.shape
        x = (heads @ rel.kernel.array).reshape(len(heads), dim // hidden, hidden)
        return np.matmul(x, tails[:, :, np.newaxis])[:, :, 0]

    def predict(self, items: list[list[str]]) -> list[tuple[np.ndarray, np.ndarray]]:
        features, packed = self.features(items)
        scores = self.arc_scores(features, packed)
        if scores:
            head_ids = np.concatenate([s.argmax(-1) for s in scores])
        else:
            head_ids = np.zeros(0, dtype=np.intp)
        rel_ids = self.rel_scores(features, head_ids, packed).argmax(-1)
        return list(zip(split(head_ids, packed), split(rel_ids, packed), strict=True))
