"""Turning input paths into (relative path, path) pairs to read, in a stable order, streaming.

A folder is walked depth first, each folder's entries sorted as they are listed (a folder's name
sorts as "name/"), which yields files exactly in the order of their relative paths without ever
holding more than one listing per level of the tree. Symlinks are followed, but a folder is
entered only once, so a link back up the tree cannot make a walk endless.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import NamedTuple

from .files import link_target, os_reason
from .options import DEFAULT_OPTIONS, ReadOptions, is_known
from .records import ReadError


def iter_paths(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[tuple[str, Path]]:
    """The (relative path, path) of every file to read, in reading order, without reading it.

    What the walk itself reports as a ReadError (missing inputs, unsupported file types, symlink
    loops, folders that cannot be listed) is left out: this is for counting and progress, and
    `read_inputs` reports those.
    """
    for item in walk(inputs, options):
        if not isinstance(item, ReadError):
            yield item


def walk(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[tuple[str, Path] | ReadError]:
    """Files to read as (relative path, path), and a ReadError for each input or entry that is
    not readable or not read (so nothing disappears silently).

    A file input is read whatever its suffix; its relative path is its name. Inside a folder,
    hidden names are skipped silently (unless `include_hidden`), names matching `exclude` or not
    matching `include` are skipped silently, and, when `include` is empty, files without one of
    the default suffixes give a "skipped: unsupported file type" error.
    """
    if isinstance(inputs, str | os.PathLike):  # one path, not an iterable of characters
        inputs = [inputs]
    for given in inputs:
        path = Path(given)
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk_folder(path, options)
        elif _wanted(path.name, options):
            try:
                path.stat()
            except OSError as error:  # missing, broken symlink, loop, no permission on the parent
                yield ReadError(path.name or str(path), str(path), os_reason(error, path))
            else:
                yield path.name, path


def _walk_folder(root: Path, options: ReadOptions) -> Iterator[tuple[str, Path] | ReadError]:
    root_real = os.path.realpath(root)
    visited = {root_real}
    listing = _list(root, "", options)
    if isinstance(listing, ReadError):
        yield listing
        return
    # One entry per open folder, innermost last: (folder, its relative path + "/", entries left).
    stack: list[tuple[Path, str, Iterator[_Entry]]] = [(root, "", iter(listing))]
    while stack:
        folder, prefix, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        relpath = prefix + entry.name
        path = folder / entry.name
        try:
            if not entry.is_dir:
                yield from _file(relpath, path, options)
                continue
            if _excluded(relpath, options, folder=True):
                continue
            real = os.path.realpath(path)
            if entry.is_link:
                problem = _link_problem(relpath, path, real, root_real, visited)
                if problem:
                    yield ReadError(relpath, str(path), problem)
                    continue
            elif real in visited:  # a bind mount or similar: never enter a folder twice
                yield ReadError(relpath, str(path), "skipped: folder already read by another path")
                continue
            visited.add(real)
            listing = _list(path, relpath + "/", options)
        except OSError as error:  # e.g. a folder readable but not searchable
            yield ReadError(relpath, str(path), os_reason(error, path))
            continue
        if isinstance(listing, ReadError):
            yield listing
        else:
            stack.append((path, relpath + "/", iter(listing)))


class _Entry(NamedTuple):
    name: str
    is_dir: bool  # a folder, or a symlink to one
    is_link: bool


def _list(folder: Path, prefix: str, options: ReadOptions) -> list[_Entry] | ReadError:
    """The folder's visible entries, sorted so that walking them depth first gives relative paths
    in sorted order (a folder sorts as "name/")."""
    entries: list[_Entry] = []
    try:
        with os.scandir(folder) as scan:
            for entry in scan:
                if entry.name.startswith(".") and not options.include_hidden:
                    continue
                try:
                    is_dir = entry.is_dir()  # follows symlinks; False for broken ones
                except OSError:
                    is_dir = False
                entries.append(_Entry(entry.name, is_dir, entry.is_symlink()))
    except OSError as error:
        relpath = prefix.rstrip("/") or folder.name or str(folder)
        return ReadError(relpath, str(folder), f"cannot list folder: {os_reason(error, folder)}")
    entries.sort(key=lambda entry: entry.name + "/" if entry.is_dir else entry.name)
    return entries


def _file(relpath: str, path: Path, options: ReadOptions) -> Iterator[tuple[str, Path] | ReadError]:
    if _excluded(relpath, options, folder=False):
        return
    if options.include:
        if not _matches(relpath, options.include):
            return
    elif not is_known(path.name):
        if path.is_symlink() and not path.exists():
            yield ReadError(relpath, str(path), f"broken symlink -> {link_target(path)}")
            return
        suffix = path.suffix.lower()
        kind = f"'{suffix}'" if suffix else "(no suffix)"
        yield ReadError(relpath, str(path), f"skipped: unsupported file type {kind}")
        return
    yield relpath, path


def _link_problem(
    relpath: str, path: Path, real: str, root_real: str, visited: set[str]
) -> str | None:
    """Why a symlink to a folder is not followed, or None to follow it."""
    target = link_target(path)
    parent_real = os.path.realpath(path.parent)
    if real == parent_real or parent_real.startswith(real.rstrip("/") + "/"):
        return f"symlink loop: {relpath} -> {target} (already visited)"
    if real == root_real or real.startswith(root_real.rstrip("/") + "/"):
        return f"skipped: symlink to a folder of the same input ({relpath} -> {target}), read there"
    if real in visited:
        return f"skipped: symlink to a folder already read ({relpath} -> {target})"
    return None


def _wanted(relpath: str, options: ReadOptions) -> bool:
    """For a file named as an input: only the user's own globs apply, not the default suffixes."""
    if _excluded(relpath, options, folder=False):
        return False
    return not options.include or _matches(relpath, options.include)


def _excluded(relpath: str, options: ReadOptions, *, folder: bool) -> bool:
    if not options.exclude:
        return False
    return _matches(relpath, options.exclude) or (
        folder and _matches(relpath + "/", options.exclude)
    )


def _matches(relpath: str, patterns: tuple[str, ...]) -> bool:
    """fnmatch on the lower-cased relative path ('*' also spans '/', so '**' works too); a leading
    '**/' may also match nothing, so '**/*.txt' matches a top-level 'a.txt'."""
    relpath = relpath.lower()
    for pattern in patterns:
        pattern = pattern.lower()
        if fnmatchcase(relpath, pattern):
            return True
        if pattern.startswith("**/") and fnmatchcase(relpath, pattern[3:]):
            return True
    return False
