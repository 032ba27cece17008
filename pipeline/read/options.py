"""What to read: `ReadOptions` and the file formats known by suffix (a gzip-compressed file,
«news.jsonl.gz», has the format of its name without «.gz»)."""

from __future__ import annotations

from dataclasses import dataclass

# Suffix (lower case) -> Document.format. Inside folders only these are read unless
# `ReadOptions.include` says otherwise; a file named directly is read whatever its suffix.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "json",
}


@dataclass(frozen=True)
class ReadOptions:
    """Which files to read and how to read records of .json/.jsonl exports."""

    include: tuple[str, ...] = ()  # globs on the relative path ('*' spans folders); () = FORMATS
    exclude: tuple[str, ...] = ()  # globs on the relative path of files and folders
    include_hidden: bool = False  # read names starting with '.'
    max_bytes: int = 5_000_000  # larger files are reported, not read
    text_field: str = "text"  # record field holding the text
    id_field: str = "id"  # record field holding the document id


COMPRESSED = ".gz"


def uncompressed_name(name: str) -> str:
    """The name without its «.gz»: what the file holds once decompressed."""
    return name[: -len(COMPRESSED)] if name.lower().endswith(COMPRESSED) else name


def format_of(name: str) -> str:
    """Document format for a file name: by suffix, plain text when the suffix is unknown."""
    name = uncompressed_name(name)
    dot = name.rfind(".")
    return FORMATS.get(name[dot:].lower(), "text") if dot > 0 else "text"


def is_known(name: str) -> bool:
    """True when the file name has one of the suffixes read by default, or one of them
    followed by «.gz»."""
    name = uncompressed_name(name)
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in FORMATS


DEFAULT_OPTIONS = ReadOptions()  # frozen, so one shared default is safe
