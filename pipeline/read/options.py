"""What to read: `ReadOptions` and the file formats known by suffix."""

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


def format_of(name: str) -> str:
    """Document format for a file name: by suffix, plain text when the suffix is unknown."""
    dot = name.rfind(".")
    return FORMATS.get(name[dot:].lower(), "text") if dot > 0 else "text"


def is_known(name: str) -> bool:
    """True when the file name has one of the suffixes read by default."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in FORMATS


DEFAULT_OPTIONS = ReadOptions()  # frozen, so one shared default is safe
