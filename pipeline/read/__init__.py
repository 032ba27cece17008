"""The input layer: input paths -> a deterministic stream of decoded documents or read errors.

    from pipeline.read import ReadOptions, read_inputs
    for item in read_inputs(["news/"], ReadOptions(max_bytes=2_000_000)):
        ...  # Document (text, encoding, format, title, date) or ReadError (reason)

Modules, one job each: walk (which files, in which order), files (bytes or why not; gzip
decompressed), decode (bytes -> text + encoding), russian (tie-break between Cyrillic code
pages), html (article text with trafilatura), exports (.json/.jsonl records), reader (putting
them together).
"""

from .options import DEFAULT_OPTIONS, ReadOptions
from .reader import read_inputs, read_path
from .records import Document, ReadError
from .walk import iter_paths, walk

__all__ = ["DEFAULT_OPTIONS", "Document", "ReadError", "ReadOptions", "iter_paths",
           "read_inputs", "read_path", "walk"]
