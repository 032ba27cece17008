"""natasha's slovnet models and navec embedding, loaded once per process from natasha's wheel.

Loaded here rather than through natasha's classes so the three models share one copy of
their 250 000-word vocabulary (natasha builds three) and navec's word index and similarity
tables, which the models never use, are not built. The components run the models through
`fastnn` and `taggers` (same weights, faster numpy); the slovnet objects stay available for
comparison.
"""

import gzip
import hashlib
import os
from functools import cache
from importlib.util import find_spec
from types import SimpleNamespace

import numpy as np
from navec.meta import Meta as NavecMeta
from navec.tar import Tar as NavecTar
from slovnet.api import API, NER, Morph, Syntax
from slovnet.const import PAD, REL, SHAPE, TAG, UNK, WORD
from slovnet.exec.encoders import SyntaxEncoder, TagEncoder
from slovnet.exec.infer import MorphInfer, NERInfer, SyntaxDecoder, SyntaxInfer, TagDecoder
from slovnet.exec.model import NER as NERNet
from slovnet.exec.model import Morph as MorphNet
from slovnet.exec.model import Syntax as SyntaxNet
from slovnet.exec.pack import Pack, vocab_name
from slovnet.vocab import Vocab

from . import fastnn, taggers

# natasha's wheel ships the models in natasha/data; found without importing natasha, whose
# package imports its whole API (pymorphy2, yargy, ipymarkup) that we do not use.
_NATASHA = find_spec("natasha")
if _NATASHA is None or not _NATASHA.submodule_search_locations:
    raise ImportError("rufakt needs the natasha package (its models): pip install natasha")
_DATA = os.path.join(list(_NATASHA.submodule_search_locations)[0], "data")
NEWS_EMBEDDING = os.path.join(_DATA, "emb", "navec_news_v1_1B_250K_300d_100q.tar")
NEWS_MORPH = os.path.join(_DATA, "model", "slovnet_morph_news_v1.tar")
NEWS_NER = os.path.join(_DATA, "model", "slovnet_ner_news_v1.tar")
NEWS_SYNTAX = os.path.join(_DATA, "model", "slovnet_syntax_news_v1.tar")


@cache
def embedding() -> SimpleNamespace:
    """navec's product-quantised news vectors: `meta.id`, `pq.indexes`, `pq.codes`."""
    with NavecTar(NEWS_EMBEDDING) as tar:
        meta = NavecMeta.from_file(tar.load("meta.json"))
        file = tar.load("pq.bin")
        vectors, _, qdim, centroids = (int(n) for n in np.frombuffer(file.read(16), np.uint32))
        indexes = np.frombuffer(file.read(vectors * qdim), np.uint8).reshape(vectors, qdim)
        codes = np.frombuffer(file.read(), np.float32).reshape(qdim, centroids, -1)
    return SimpleNamespace(meta=meta, pq=SimpleNamespace(indexes=indexes, codes=codes))


class _Vocab(Vocab):
    """slovnet's `Vocab`, its index built with `dict(zip())`: the same mapping in half the
    time of slovnet's dict comprehension (0.05 s of the cold start for 250 000 words)."""

    def __init__(self, items: list[str]):
        self.items = items
        self.item_ids = dict(zip(items, range(len(items)), strict=True))
        self.unk_id = self.item_ids.get(UNK)
        self.pad_id = self.item_ids.get(PAD)


_VOCABS: dict[bytes, Vocab] = {}


def _vocab(pack: Pack, name: str) -> Vocab:
    """A vocabulary of the pack, shared with any model whose copy is byte for byte the same."""
    content = gzip.decompress(pack.read(vocab_name(name)))
    key = hashlib.sha256(content).digest()
    if key not in _VOCABS:
        _VOCABS[key] = _Vocab(content.decode("utf8").splitlines())
    return _VOCABS[key]


def _load(path: str, api: type[API], net, encoder, decoder, infer, labels: str) -> API:
    """What slovnet's `API.load` does, with shared vocabularies and navec injected."""
    with Pack(path) as pack:
        pack.load_meta().check_protocol()
        model = pack.load_model(net)
        arrays = dict(pack.load_arrays(model.weights))
        words, shapes, tags = (_vocab(pack, name) for name in (WORD, SHAPE, labels))
    model = model.inject_arrays(arrays).inject_navec(embedding())
    return api(infer(model, encoder(words, shapes), decoder(tags)), 8)


@cache
def morph_tagger() -> Morph:
    return _load(NEWS_MORPH, Morph, MorphNet, TagEncoder, TagDecoder, MorphInfer, TAG)


@cache
def syntax_parser() -> Syntax:
    return _load(NEWS_SYNTAX, Syntax, SyntaxNet, SyntaxEncoder, SyntaxDecoder, SyntaxInfer, REL)


@cache
def ner_tagger() -> NER:
    return _load(NEWS_NER, NER, NERNet, TagEncoder, TagDecoder, NERInfer, TAG)


_ENCODERS: dict[tuple[int, int], fastnn.WordEncoder] = {}


def _encoder_for(model: API) -> fastnn.WordEncoder:
    """One cached word encoder per (words, shapes) vocabulary pair."""
    encoder = model.infer.encoder
    key = (id(encoder.words_vocab), id(encoder.shapes_vocab))
    if key not in _ENCODERS:
        _ENCODERS[key] = fastnn.WordEncoder(encoder)
    return _ENCODERS[key]


@cache
def morph_model() -> taggers.MorphModel:
    return taggers.MorphModel(morph_tagger(), _encoder_for(morph_tagger()))


@cache
def syntax_model() -> taggers.SyntaxModel:
    return taggers.SyntaxModel(syntax_parser(), _encoder_for(syntax_parser()))


@cache
def ner_model() -> taggers.NERModel:
    return taggers.NERModel(ner_tagger(), _encoder_for(ner_tagger()))
