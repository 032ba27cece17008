"""Faster forward passes of natasha's slovnet CNN models: same weights, same maths.

slovnet's numpy `Conv1d` pads each batch to its longest sentence and builds an im2col copy
through a badly strided view before every matrix product. Here the words of all chunks of a
batch are laid end to end, channel last, and a convolution is one matrix product against the
kernel offsets side by side followed by shifted sums, in which words of a neighbouring chunk
count as slovnet's zero padding. The first layer's input is a navec word vector next to a
word-shape vector and the layer is linear in it, so its products are computed once per
distinct (word, shape) and kept (`RowCache`, bounded), the shape part from a table made at
load. slovnet's padding vectors are zero, so a chunk's output does not depend on its batch.

The heads of the three models are in `taggers.py`. The results equal slovnet's up to float32
rounding (tests compare logits and tags with slovnet's own `infer`).
"""

import mmap
from dataclasses import dataclass

import numpy as np
from slovnet.shape import word_shape

FLOAT = np.float32


@dataclass(frozen=True)
class Packed:
    """Chunks of encoded words laid end to end (no padding to the longest chunk)."""

    keys: np.ndarray  # (N,) word id * shapes + shape id of each word, chunk after chunk
    lengths: np.ndarray  # (S,) words per chunk
    starts: np.ndarray  # (S,) index of each chunk's first word
    edges: dict[int, np.ndarray]  # shift -> words whose shifted neighbour is in another chunk


def pack(keys: np.ndarray, lengths: np.ndarray, padding: int) -> Packed:
    """Lay out chunks of encoded words: `keys` of the words, chunk after chunk, `lengths` the
    number of words of each chunk.

    A convolution output at word i sums word i + s for shifts s in [-padding, padding]; the
    words whose neighbour at shift s lies outside their chunk (where slovnet has zero padding)
    are listed in `edges[s]`.
    """
    lengths = np.asarray(lengths, dtype=np.intp)
    total = int(lengths.sum())
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
    return Packed(np.asarray(keys, dtype=np.int64), lengths, starts, edges)


class WordEncoder:
    """Each word's key, `word id * shapes + shape id`, with the ids slovnet's encoder would
    give it; cached by word."""

    def __init__(self, encoder, max_cached: int = 100_000):
        self.words_vocab = encoder.words_vocab
        self.shapes_vocab = encoder.shapes_vocab
        self.shapes = len(self.shapes_vocab.items)
        self.max_cached = max_cached
        self.cache: dict[str, int] = {}

    def _encode(self, word: str) -> int:
        word_id = self.words_vocab.encode(word.lower())
        key = word_id * self.shapes + self.shapes_vocab.encode(word_shape(word))
        if len(self.cache) >= self.max_cached:
            self.cache.clear()
        self.cache[word] = key
        return key

    def __call__(self, words: list[str]) -> np.ndarray:
        """Keys of `words`."""
        keys = list(map(self.cache.get, words))
        if None in keys:
            keys = [self._encode(w) if k is None else k for k, w in zip(keys, words, strict=True)]
        return np.array(keys, dtype=np.int64)

    def pack(self, items: list[list[str]], padding: int) -> Packed:
        lengths = np.fromiter(map(len, items), dtype=np.intp, count=len(items))
        return pack(self([word for words in items for word in words]), lengths, padding)


class RowCache:
    """Rows computed per integer key, kept across calls in one growing array (at most
    `capacity` rows; when it is full it starts again, as the frequent keys soon come back).

    Keys are looked up with a binary search over their sorted copy, for a whole batch at once.
    Not thread-safe, like the models that use it.
    """

    def __init__(self, width: int, capacity: int):
        self.width = width
        self.capacity = capacity
        # Allocated whole but untouched: memory is taken only as rows are written. A private
        # anonymous mapping of ordinary pages rather than `np.empty`, for which numpy asks the
        # kernel for huge pages: writing the first rows into fresh huge pages stalled while
        # the kernel compacted memory (the first 30 MB of rows took 2 to 70 ms), which made
        # the models 15-20 % slower on words they meet for the first time. Private, so a
        # forked worker's rows stay its own.
        size = max(capacity * width * np.dtype(FLOAT).itemsize, 1)
        buffer = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE)
        self.rows = np.frombuffer(buffer, dtype=FLOAT).reshape(capacity, width)
        self.clear()

    def clear(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)  # sorted
        self.slot_of_key = np.zeros(0, dtype=np.intp)  # slot of keys[i]

    def __len__(self) -> int:
        return len(self.keys)

    def slots(self, keys: np.ndarray, compute) -> np.ndarray:
        """Slots of the rows of sorted distinct `keys` (at most `capacity` of them), computing
        `compute(missing keys)` as needed."""
        if len(keys) > self.capacity:
            raise ValueError(f"{len(keys)} keys do not fit in {self.capacity} rows")
        at = np.searchsorted(self.keys, keys)
        found = at < len(self.keys)
        found[found] = self.keys[at[found]] == keys[found]
        if found.all():
            return self.slot_of_key[at]
        count = len(self.keys)
        missing = np.flatnonzero(~found)
        if count + len(missing) > self.capacity:
            self.clear()
            return self.slots(keys, compute)
        end = count + len(missing)
        self.rows[count:end] = compute(keys[missing])
        slots = np.empty(len(keys), dtype=np.intp)
        slots[found] = self.slot_of_key[at[found]]
        slots[missing] = np.arange(count, end)
        merged = np.concatenate((self.keys, keys[missing]))
        order = np.argsort(merged, kind="stable")
        self.keys = merged[order]
        self.slot_of_key = np.concatenate((self.slot_of_key, slots[missing]))[order]
        return slots


def split(values: np.ndarray, packed: Packed) -> list[np.ndarray]:
    """Per-chunk pieces of an array over the packed words."""
    return np.split(values, packed.starts[1:])


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
        self.projected = RowCache(self.word_kernel.shape[1], cache_words)
        self.shape_table = model.emb.shape.weight.array @ kernels[0][word.dim :]
        self.shapes = len(self.shape_table)
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

    def project(self, keys: np.ndarray) -> np.ndarray:
        """First-layer products with each kernel offset of (word id, shape id) keys
        (`word id * shapes + shape id`): word vector times kernel plus the shape's row."""
        words, shapes = np.divmod(keys, self.shapes)
        return self.word_vectors(words) @ self.word_kernel + self.shape_table[shapes]

    def __call__(self, packed: Packed) -> np.ndarray:
        """Words x features of the last layer."""
        if not len(packed.keys):
            return np.zeros((0, len(self.biases[-1])), dtype=FLOAT)
        unique, inverse = np.unique(packed.keys, return_inverse=True)
        if len(unique) > self.projected.capacity:  # a huge batch: no caching
            y = self.project(unique)[inverse]
        else:
            y = self.projected.rows[self.projected.slots(unique, self.project)[inverse]]
        x = self._finish(y, 0, packed)
        for index, kernel in enumerate(self.kernels, start=1):
            x = self._finish(x @ kernel, index, packed)
        return x

    def _finish(self, y: np.ndarray, index: int, packed: Packed) -> np.ndarray:
        """Shifted sums of the per-offset products, then bias, ReLU and batch norm.

        `y` holds each word times each kernel offset (words x offsets*filters); output i sums
        offset k of word i + k - padding, with words of other chunks standing for zero padding.
        """
        n, pad = len(y), self.padding
        filters = y.shape[1] // self.size
        out = np.empty((n, filters), dtype=FLOAT)
        out[:pad] = 0
        for k in range(self.size):
            shift = k - pad
            block = y[:, k * filters : (k + 1) * filters]
            if shift:
                block[packed.edges[shift]] = 0
            if k == 0:
                out[pad:] = block[: n - pad]
            elif shift < 0:
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
