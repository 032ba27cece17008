"""Getting a file's bytes, or a one-line reason why not (missing, too big, unreadable...)."""

from __future__ import annotations

import errno
import os
import stat
import zlib
from pathlib import Path

GZIP_MAGIC = b"\x1f\x8b"


class FileProblem(Exception):
    """The file cannot be read; `str(problem)` is the reason, `size` its size when known."""

    def __init__(self, reason: str, size: int | None = None) -> None:
        super().__init__(reason)
        self.size = size


def load(path: Path, max_bytes: int) -> bytes:
    """Return the bytes of a regular file of at most `max_bytes`, or raise FileProblem.

    The size is checked with stat before reading, so a huge file costs nothing; special files
    (pipes, devices) are refused because reading them can block forever.
    """
    try:
        info = path.stat()
    except OSError as error:
        raise FileProblem(os_reason(error, path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem("is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem("not a regular file (pipe, socket or device)")
    if info.st_size > max_bytes:
        raise FileProblem(
            f"file is {human_size(info.st_size)}, over the {human_size(max_bytes)} limit "
            "(--max-size)",
            info.st_size,
        )
    try:
        data = read_bytes(path, max_bytes + 1)
    except OSError as error:
        raise FileProblem(os_reason(error, path), info.st_size) from None
    if len(data) > max_bytes:  # grew since stat
        raise FileProblem(f"file is over the {human_size(max_bytes)} limit (--max-size)")
    return data


def read_bytes(path: Path, limit: int, chunk: int = 1 << 20) -> bytes:
    """Read at most `limit` bytes, a megabyte at a time: `read(limit)` would allocate all of
    `limit` first, whatever the file's size (tests replace this to simulate unreadable
    files)."""
    parts, size = [], 0
    with open(path, "rb") as file:
        while size < limit:
            part = file.read(min(chunk, limit - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
    return b"".join(parts)


def gunzip(data: bytes, max_bytes: int, chunk: int = 1 << 20) -> bytes:
    """The content of gzip data, or FileProblem when it is damaged or holds more than
    `max_bytes`.

    As `gzip -d` does, every member of a file made by concatenation is read, and bytes after
    the last member that do not start another one are ignored. Output comes a megabyte at a
    time and stops past the limit, so a small file that would expand to gigabytes costs no
    more than the limit.
    """
    parts, size, rest = [], 0, data
    while rest.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=31)  # one gzip member, header and checksum
        pending = rest
        while not inflater.eof:
            try:
                part = inflater.decompress(pending, chunk)
            except zlib.error as error:
                reason = str(error).split(": ", 1)[-1]
                raise FileProblem(f"damaged gzip file ({reason})", len(data)) from None
            pending = inflater.unconsumed_tail
            if not part and not pending and not inflater.eof:
                raise FileProblem("damaged gzip file: it ends too early (cut off?)", len(data))
            size += len(part)
            if size > max_bytes:
                raise FileProblem(
                    f"decompresses to over the {human_size(max_bytes)} limit (--max-size)",
                    len(data),
                )
            parts.append(part)
        rest = inflater.unused_data
    return b"".join(parts)


def os_reason(error: OSError, path: Path) -> str:
    """A short reason for an OS error on `path`: "permission denied", "broken symlink -> x"..."""
    if isinstance(error, FileNotFoundError) and path.is_symlink():
        return f"broken symlink -> {link_target(path)}"
    if error.errno == errno.ELOOP:
        return f"symlink loop: {path.name} -> {link_target(path)}"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    if isinstance(error, IsADirectoryError):
        return "is a folder"
    return (error.strerror or str(error) or type(error).__name__).lower()


def human_size(size: int) -> str:
    """1234567 -> "1.2 MB", 5000000 -> "5 MB", 300 -> "300 bytes" (decimal units, as --max-size)."""
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def link_target(path: Path) -> str:
    """Where a symlink points, as written in it ("?" when it cannot be read)."""
    try:
        return os.readlink(path)
    except OSError:
        return "?"
