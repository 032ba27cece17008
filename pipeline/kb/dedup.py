"""Near-duplicate documents (reprints): MinHash signatures of word shingles, banded for
lookup, so a new document is compared only with the documents that share a band with it.

Two texts are near-duplicates when the smaller one's word 4-shingles are mostly (at least
`THRESHOLD`) in the other: its containment, estimated from the MinHash estimate of the
Jaccard similarity and the two shingle counts. A reprint with another headline and dateline
and a dropped last paragraph scores 0.7–0.85; two outlets' own reports of one event, under
0.15. Everything is deterministic: fixed hash parameters, no randomness at run time.
"""

import hashlib
import re

import numpy as np

SHINGLE = 4
PERMUTATIONS = 126
BANDS = 42  # 42 bands of 3 rows: a pair at Jaccard 0.4 shares a band with probability 0.94,
ROWS = PERMUTATIONS // BANDS  # one at 0.05 with probability 0.005
THRESHOLD = 0.6
# multiply-shift hashing: (a·x + b) mod 2^64, top 32 bits; a odd, fixed seeds
_params = np.random.default_rng(20261129).integers(0, 2**63, size=(2, PERMUTATIONS),
                                                    dtype=np.uint64)
A, B = _params[0] * np.uint64(2) + np.uint64(1), _params[1]
WORD_RE = re.compile(r"\w+")


def shingles(text: str) -> np.ndarray:
    """32-bit hashes of the text's word 4-shingles (lower case, «ё» as «е»)."""
    words = WORD_RE.findall(text.lower().replace("ё", "е"))
    if len(words) < SHINGLE:
        words = words + [""] * (SHINGLE - len(words))
    grams = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return np.array(sorted(int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(),
                                          "little") for g in grams), dtype=np.uint64)


def signature(text: str) -> np.ndarray:
    """The MinHash signature: for each of 64 hash functions the smallest hash of a shingle."""
    hashes = shingles(text)
    values = (hashes[:, None] * A[None, :] + B[None, :]) >> np.uint64(32)  # wraps mod 2^64
    return values.min(axis=0).astype(np.uint64)


def similarity(one: np.ndarray, other: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(one == other))


def containment(jaccard: float, size: int, other_size: int) -> float:
    """|A ∩ B| / min(|A|, |B|) from J = |A ∩ B| / |A ∪ B| and the two sizes."""
    if not size or not other_size:
        return 0.0
    return min(1.0, jaccard * (size + other_size) / ((1 + jaccard) * min(size, other_size)))


def bands(sig: np.ndarray) -> list[int]:
    """One 63-bit bucket number per band: documents sharing any bucket are candidates."""
    rows = sig.reshape(BANDS, ROWS)
    return [int.from_bytes(hashlib.blake2b(row.tobytes(), digest_size=8).digest(), "little")
            >> 1 for row in rows]


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)
