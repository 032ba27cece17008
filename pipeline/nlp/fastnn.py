"""Faster forward passes of natasha's slovnet CNN models: same weights, same maths.

slovnet's numpy `Conv1d` pads each batch to its longest sentence and builds an im2col copy
through a badly strided view before every matrix product. Here the words of all chunks of a
batch are laid end to end, channel last, and a convolution is one matrix product against the
kernel offsets side by side followed by shifted sums, in which words of a neighbouring chunk
count as slovnet's zero padding. The first layer's input is a navec word vector next to a
word-shape vector and the layer is linear in it: the word part is multiplied once per distinct
word of the batch and the shape part comes from a table with a row per shape, made at load.
slovnet's padding vectors are zero, so a chunk's output does not depend on its batch.

The results equal slovnet's up to float32 rounding (tests/test_morphology.py compares logits
and tags with slovnet's own `infer`).
"""

from dataclasses import dataclass

import numpy as np

FLOAT = np.float32


@dataclass(frozen=True)
class Packed:
    """Chunks of word and shape ids laid end to end (no padding to the longest chunk)."""

    word_ids: np.ndarray  # (N,) navec ids, chunk after chunk
    shape_ids: np.ndarray  # (N,)
    lengths: np.ndarray  # (S,) words per chunk
    starts: np.ndarray  # (S,) index of each chunk's first word
    edges: dict[int, np.ndarray]  # shift -> words whose shifted neighbour is in another chunk


def pack(ids: list[np.ndarray], padding: int) -> Packed:
    """Lay out chunks of encoded words (arrays of (word id, shape id) rows).

    A convolution output at word i sums word i + s for shifts s in [-padding, padding]; the
    words whose neighbour at shift s lies outside their chunk (where slovnet has zero padding)
    are listed in `edges[s]`.
    """
    lengths = np.array([len(chunk) for chunk in ids], dtype=np.intp)
    total = int(lengths.sum())
    both = np.concatenate(ids) if total else np.zeros((0, 2), dtype=np.intp)
    starts = np.zeros(len(lengths), dtype=np.intp)
    np.cumsum(lengths[:-1], out=starts[1:])
    position = np.arange(total) - np.repeat(starts, lengths)
    length = np.repeat(lengths, lengths)
    edges = {}
    for shift in range(-padding, padding + 1):
        if shift:
            # word j feeds output j - shift, which must be in the same chunk
            target = position - shift
            edges[shift] = np.flatnonzero((target < 0) | (target >= length))
    return Packed(both[:, 0], both[:, 1], lengths, starts, edges)


class WordEncoder:
    """(word id, shape id) of each word, as slovnet's encoder computes them, cached by word."""

    def __init__(self, encoder, max_cached: int = 500_000):
        self.words_vocab = encoder.words_vocab
        self.shapes_vocab = encoder.shapes_vocab
        self.max_cached = max_cached
        self.cache: dict[str, tuple[int, int]] = {}

    def _encode(self, word: str) -> tuple[int, int]:
        from slovnet.shape import word_shape

        ids = (self.words_vocab.encode(word.lower()), self.shapes_vocab.encode(word_shape(word)))
        if len(self.cache) >= self.max_cached:
            self.cache.clear()
        self.cache[word] = ids
        return ids

    def __call__(self, words: list[str]) -> np.ndarray:
        cache, encode = self.cache, self._encode
        rows = [cache[word] if word in cache else encode(word) for word in words]
        return np.array(rows, dtype=np.intp).reshape(len(rows), 2)

    def pack(self, items: list[list[str]], padding: int) -> Packed:
        return pack([self(words) for words in items], padding)


class RowCache:
    """Rows computed per word id, kept across calls in one growing array (at most `capacity`
    rows; when it is full it starts again, as the frequent words soon come back)."""

    def __init__(self, ids: int, width: int, capacity: int):
        self.slot_of = np.full(ids, -1, dtype=np.int32)
        self.width = width
        self.capacity = capacity
        self.rows = np.empty((0, width), dtype=FLOAT)
        self.count = 0

    def slots(self, ids: np.ndarray, compute) -> np.ndarray:
        """Slots of the rows of distinct `ids`, computing `compute(missing ids)` as needed."""
        slots = self.slot_of[ids]
        missing = np.flatnonzero(slots < 0)
        if len(missing):
            if self.count + len(missing) > self.capacity:
                self.slot_of[:] = -1
                self.count = 0
                slots = np.full(len(ids), -1, dtype=np.int32)
                missing = np.arange(len(ids))
            end = self.count + len(missing)
            if end > len(self.rows):
                grown = np.empty((min(max(2 * len(self.rows), end, 1024), self.capacity),
                                  self.width), dtype=FLOAT)
                grown[: self.count] = self.rows[: self.count]
                self.rows = grown
            self.rows[self.count : end] = compute(ids[missing])
            new = np.arange(self.count, end, dtype=np.int32)
            self.slot_of[ids[missing]] = new
            slots[missing] = new
            self.count = end
        return slots


def _kernel(conv) -> np.ndarray:
    """Conv weight (filters x in x kernel) as (in x kernel*filters): offset k in columns k*F."""
    filters, in_dim, size = conv.weight.shape
    array = conv.weight.array.transpose(1, 2, 0).reshape(in_dim, size * filters)
    return np.ascontiguousarray(array, dtype=FLOAT)


class CNNEncoder:
    """slovnet's WordShapeEmbedding + CNNEncoder over a `Packed` batch."""

    def __init__(self, model, cache_words: int = 20_000):
        layers = model.encoder.layers
        self.padding = layers[0].conv.padding
        for layer in layers:
            _, _, size = layer.conv.weight.shape
            if layer.conv.padding != self.padding or size != 2 * self.padding + 1:
                raise ValueError("only length-preserving convolutions are supported")
        self.size = 2 * self.padding + 1
        word = model.emb.word
        qdim, centroids, chunk = word.codes.array.shape
        self.centroids = word.codes.array.reshape(qdim * centroids, chunk)
        self.indexes = word.indexes.array  # vectors x qdim, centroid of each part
        self.offsets = np.arange(qdim, dtype=np.intp) * centroids
        kernels = [_kernel(layer.conv) for layer in layers]
        self.word_kernel = np.ascontiguousarray(kernels[0][: word.dim])
        self.projected = RowCache(len(self.indexes), self.word_kernel.shape[1], cache_words)
        self.shape_table = model.emb.shape.weight.array @ kernels[0][word.dim :]
        self.kernels = kernels[1:]
        self.biases = [layer.conv.bias.array for layer in layers]
        self.norms = [
            (n.mean.array, n.std.array, n.weight.array, n.bias.array)
            for n in (layer.norm for layer in layers)
        ]

    def word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """navec vectors of `ids`, rebuilt from the product quantisation."""
        return np.take(self.centroids, self.indexes[ids] + self.offsets, axis=0).reshape(
            len(ids), -1
        )

    def project(self, ids: np.ndarray) -> np.ndarray:
        """First-layer products of the navec vectors of `ids` with each kernel offset."""
        return self.word_vectors(ids) @ self.word_kernel

    def __call__(self, packed: Packed) -> np.ndarray:
        """Words x features of the last layer."""
        if not len(packed.word_ids):
            return np.zeros((0, len(self.biases[-1])), dtype=FLOAT)
        unique, inverse = np.unique(packed.word_ids, return_inverse=True)
        slots = self.projected.slots(unique, self.project)
        y = self.projected.rows[slots[inverse]]
        y += self.shape_table[packed.shape_ids]
        x = self._finish(y, 0, packed)
        for index, kernel in enumerate(self.kernels, start=1):
            x = self._finish(x @ kernel, index, packed)
        return x

    def _finish(self, y: np.ndarray, index: int, packed: Packed) -> np.ndarray:
        """Shifted sums of the per-offset products, then bias, ReLU and batch norm.

        `y` holds each word times each kernel offset (words x offsets*filters); output i sums
        offset k of word i + k - padding, with words of other chunks standing for zero padding.
        """
        n = len(y)
        filters = y.shape[1] // self.size
        out = np.zeros((n, filters), dtype=FLOAT)
        for k in range(self.size):
            shift = k - self.padding
            block = y[:, k * filters : (k + 1) * filters]
            if shift:
                block[packed.edges[shift]] = 0
            if shift < 0:
                out[-shift:] += block[: n + shift]
            else:
                out[: n - shift] += block[shift:]
        out += self.biases[index]
        np.maximum(out, 0, out=out)
        mean, std, weight, bias = self.norms[index]
        out -= mean
        out /= std
        out *= weight
        out += bias
        return out


def _linear(x: np.ndarray, linear) -> np.ndarray:
    return x @ linear.weight.array + linear.bias.array


def _ff(x: np.ndarray, ff) -> np.ndarray:
    return np.maximum(_linear(x, ff.proj), 0)


def split(values: np.ndarray, packed: Packed) -> list[np.ndarray]:
    """Per-chunk pieces of an array over the packed words."""
    return np.split(values, packed.starts[1:])


class Tagger:
    """Shared part of the fast models: encoding words and running the CNN encoder."""

    def __init__(self, slovnet_model, encode: WordEncoder | None = None):
        infer = slovnet_model.infer
        self.encode = encode or WordEncoder(infer.encoder)
        self.encoder = CNNEncoder(infer.model)
        self.model = infer.model

    def features(self, items: list[list[str]]) -> tuple[np.ndarray, Packed]:
        """Last encoder layer for each word (N x features), and the layout."""
        packed = self.encode.pack(items, self.encoder.padding)
        return self.encoder(packed), packed


class MorphModel(Tagger):
    """Morph tag ids per chunk (indexes of `tags`)."""

    def __init__(self, slovnet_model, encode: WordEncoder | None = None):
        super().__init__(slovnet_model, encode)
        self.tags: list[str] = slovnet_model.infer.decoder.tags_vocab.items

    def logits(self, items: list[list[str]]) -> tuple[np.ndarray, Packed]:
        features, packed = self.features(items)
        return _linear(features, self.model.head.proj), packed

    def __call__(self, items: list[list[str]]) -> list[np.ndarray]:
        logits, packed = self.logits(items)
        return split(logits.argmax(-1), packed)


class NERModel(Tagger):
    """BIO tag ids per chunk (indexes of `tags`), decoded by the CRF."""

    def __init__(self, slovnet_model, encode: WordEncoder | None = None):
        super().__init__(slovnet_model, encode)
        self.tags: list[str] = slovnet_model.infer.decoder.tags_vocab.items
        self.transitions = self.model.head.crf.transitions.array

    def logits(self, items: list[list[str]]) -> tuple[np.ndarray, Packed]:
        features, packed = self.features(items)
        return _linear(features, self.model.head.proj), packed

    def __call__(self, items: list[list[str]]) -> list[np.ndarray]:
        emissions, packed = self.logits(items)
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
    score = emissions[starts]
    history = []
    for step in range(1, int(lengths[0])):
        active = int(np.count_nonzero(lengths > step))
        candidates = score[:active, :, np.newaxis] + transitions
        candidates = candidates + emissions[starts[:active] + step][:, np.newaxis, :]
        best = candidates.argmax(1)  # active x tags: best previous tag for each tag
        score[:active] = np.take_along_axis(candidates, best[:, np.newaxis, :], 1)[:, 0]
        history.append(best)
    current = score.argmax(-1)
    tags[starts + lengths - 1] = current
    for step in range(int(lengths[0]) - 1, 0, -1):
        best = history[step - 1]
        active = len(best)
        current[:active] = best[np.arange(active), current[:active]]
        tags[starts[:active] + step - 1] = current[:active]
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

    def __call__(self, items: list[list[str]]) -> list[tuple[np.ndarray, np.ndarray]]:
        features, packed = self.features(items)
        scores = self.arc_scores(features, packed)
        if scores:
            head_ids = np.concatenate([s.argmax(-1) for s in scores])
        else:
            head_ids = np.zeros(0, dtype=np.intp)
        rel_ids = self.rel_scores(features, head_ids, packed).argmax(-1)
        return list(zip(split(head_ids, packed), split(rel_ids, packed), strict=True))
