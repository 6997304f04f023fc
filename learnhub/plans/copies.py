"""Near-duplicate texts without comparing all pairs: MinHash signatures of word shingles, banded (LSH).

Pure functions, no database: a text becomes its set of word 3-grams (NFC, case-folded), a MinHash
signature estimates the Jaccard similarity of two such sets, and the signature cut into bands gives
keys; two texts are compared only when they share a key, and then by their exact Jaccard similarity.
With 16 bands of 4 rows a pair at similarity 0.6 shares a key with probability 0.89, at 0.7 with 0.99.
"""
from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

SHINGLE_WORDS = 3
THRESHOLD = 0.6  # docs/metrics.md, "copied reflections"
BANDS, ROWS = 16, 4
_UNPACK = struct.Struct(f"<{BANDS * ROWS}I").unpack  # one 32-bit hash per row from one SHAKE-128 output
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of ``text`` for counting and comparing: NFC, case-folded, runs of \\w."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def shingles(text: str) -> frozenset[str]:
    """The text's word 3-grams (a text shorter than 3 words is one shingle)."""
    tokens = words(text)
    if 0 < len(tokens) < SHINGLE_WORDS:
        return frozenset({" ".join(tokens)})
    return frozenset(" ".join(tokens[i:i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1))


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    """|A ∩ B| ÷ |A ∪ B|; 0 when both are empty."""
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def signature(shingle_set: Iterable[str]) -> tuple[int, ...]:
    """The MinHash signature of a set of shingles: for each of BANDS × ROWS hash functions (the
    32-bit words of the shingle's SHAKE-128 output, so fixed between runs), the least value."""
    rows = [_UNPACK(hashlib.shake_128(shingle.encode()).digest(4 * BANDS * ROWS)) for shingle in shingle_set]
    return tuple(map(min, zip(*rows, strict=True))) if rows else ()


def band_keys(sig: tuple[int, ...]) -> list[tuple[int, int]]:
    """(band, key) for each band of the signature, the key a signed 64-bit number; none for an empty text."""
    return [(band, int.from_bytes(hashlib.blake2b(struct.pack(f"<{ROWS}I", *sig[band * ROWS:(band + 1) * ROWS]),
                                                   digest_size=8).digest(), "big", signed=True))
            for band in range(BANDS)] if sig else []


def keys_of(text: str) -> tuple[frozenset[str], list[tuple[int, int]]]:
    """A text's shingles and band keys, as stored and compared."""
    shingle_set = shingles(text)
    return shingle_set, band_keys(signature(shingle_set))


def near_duplicates(texts: Mapping[Hashable, str], threshold: float = THRESHOLD) -> list[tuple[Hashable, Hashable, float]]:
    """Pairs (a, b, similarity) of texts at or above ``threshold``, in the mapping's order (a before b);
    only texts that share a band are compared, so the work grows with the texts, not with their pairs.
    Only the band keys are kept for every text; shingles are made again for the few compared."""
    order = {key: index for index, key in enumerate(texts)}
    buckets: dict[tuple[int, int], list[Hashable]] = defaultdict(list)
    for key, text in texts.items():
        for band_key in keys_of(text)[1]:
            buckets[band_key].append(key)
    candidates = {(a, b) for members in buckets.values() if len(members) > 1
                  for i, a in enumerate(members) for b in members[i + 1:]}
    cache: dict[Hashable, frozenset[str]] = {}
    pairs = []
    for a, b in sorted(candidates, key=lambda pair: (order[pair[0]], order[pair[1]])):
        for key in (a, b):
            if key not in cache:
                cache[key] = shingles(texts[key])
        score = jaccard(cache[a], cache[b])
        if score >= threshold:
            pairs.append((a, b, score))
    return pairs
