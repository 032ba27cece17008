"""Turning input paths into (document id, path) pairs to read, in a stable order, streaming.

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
from .options import COMPRESSED, DEFAULT_OPTIONS, ReadOptions, is_known
from .records import ReadError


def iter_paths(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[tuple[str, Path]]:
    """The (document id, path) of every file to read, in reading order, without reading it.

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
    """Files to read as (document id, path), and a ReadError for each input or entry that is
    not readable or not read (so nothing disappears silently).

    Document ids are paths relative to the input root: the folder given, for one input; the
    folder the inputs have in common, for several (so `a/x.txt` and `b/x.txt` stay apart, and
    the same command gives the same ids every time). A folder or file given twice, or inside a
    folder given before, is read once.

    A file input is read whatever its suffix. Inside a folder, hidden names are skipped
    silently (unless `include_hidden`), names matching `exclude` or not matching `include`
    (globs on the path relative to the folder given) are skipped silently, and, when `include`
    is empty, files without one of the default suffixes give a "skipped: unsupported file
    type" error.
    """
    if isinstance(inputs, str | os.PathLike):  # one path, not an iterable of characters
        inputs = [inputs]
    given = [(Path(item), _is_dir(Path(item))) for item in inputs]
    root = _input_root(given)
    seen = _Seen({os.path.realpath(path) for path, is_dir in given if not is_dir})
    for number, (path, is_dir) in enumerate(given):
        prefix = _prefix(path if is_dir else path.parent, root)
        if is_dir:
            yield from _walk_folder(path, prefix, options, seen, number)
        elif _wanted(path.name, options):
            try:
                path.stat()
            except OSError as error:  # missing, broken symlink, loop, no permission on the parent
                yield ReadError(prefix + (path.name or str(path)), str(path),
                                os_reason(error, path))
            else:
                if seen.first_time(os.path.realpath(path)):
                    yield prefix + path.name, path


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _input_root(given: list[tuple[Path, bool]]) -> str | None:
    """The folder document ids are relative to: the one folder given, the folder of the one
    file given, or the folder the inputs have in common."""
    folders = [os.path.abspath(path if is_dir else path.parent) for path, is_dir in given]
    if not folders:
        return None
    try:
        return os.path.commonpath(folders)
    except ValueError:  # on different drives (Windows): ids relative to each input
        return None


def _prefix(folder: Path, root: str | None) -> str:
    """The document id prefix of the files of `folder` ("" for the root itself)."""
    if root is None:
        return ""
    relative = os.path.relpath(os.path.abspath(folder), root)
    return "" if relative == "." else Path(relative).as_posix() + "/"


class _Seen:
    """What the inputs of one walk have read: folders (real paths, with the number of the input
    that read them) and the files given as inputs, wherever they were read."""

    def __init__(self, file_inputs: set[str]):
        self.folders: dict[str, int] = {}
        self.file_inputs = file_inputs
        self.files_read: set[str] = set()

    def first_time(self, real: str) -> bool:
        """Record that a file given as an input is read; False when it was read before."""
        if real in self.files_read:
            return False
        self.files_read.add(real)
        return True


def _walk_folder(
    root: Path, prefix: str, options: ReadOptions, seen: _Seen, number: int
) -> Iterator[tuple[str, Path] | ReadError]:
    root_real = os.path.realpath(root)
    if root_real in seen.folders:
        return  # given twice, or inside a folder given before: read there
    visited = seen.folders
    visited[root_real] = number
    listing = _list(root, prefix, "", options)
    if isinstance(listing, ReadError):
        yield listing
        return
    # One entry per open folder, innermost last: (folder, its real path, its relative path +
    # "/", entries left).
    stack: list[tuple[Path, str, str, Iterator[_Entry]]] = [(root, root_real, "", iter(listing))]
    while stack:
        folder, folder_real, relative, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        relpath = relative + entry.name
        doc_id = prefix + relpath
        path = folder / entry.name
        try:
            if not entry.is_dir:
                real = os.path.join(folder_real, entry.name)
                if real not in seen.file_inputs or seen.first_time(real):
                    yield from _file(doc_id, relpath, path, options)
                continue
            if _excluded(relpath, options, folder=True):
                continue
            real = os.path.realpath(path)
            if visited.get(real, number) != number:  # read by an input given before this one
                continue
            if entry.is_link:
                problem = _link_problem(relpath, path, real, root_real, visited)
                if problem:
                    yield ReadError(doc_id, str(path), problem)
                    continue
            elif real in visited:  # a bind mount or similar: never enter a folder twice
                yield ReadError(doc_id, str(path), "skipped: folder already read by another path")
                continue
            visited[real] = number
            listing = _list(path, prefix, relpath + "/", options)
        except OSError as error:  # e.g. a folder readable but not searchable
            yield ReadError(doc_id, str(path), os_reason(error, path))
            continue
        if isinstance(listing, ReadError):
            yield listing
        else:
            stack.append((path, real, relpath + "/", iter(listing)))


class _Entry(NamedTuple):
    name: str
    is_dir: bool  # a folder, or a symlink to one
    is_link: bool


def _list(
    folder: Path, prefix: str, relative: str, options: ReadOptions
) -> list[_Entry] | ReadError:
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
        relpath = (prefix + relative).rstrip("/") or folder.name or str(folder)
        return ReadError(relpath, str(folder), f"cannot list folder: {os_reason(error, folder)}")
    entries.sort(key=lambda entry: entry.name + "/" if entry.is_dir else entry.name)
    return entries


def _file(
    doc_id: str, relpath: str, path: Path, options: ReadOptions
) -> Iterator[tuple[str, Path] | ReadError]:
    if _excluded(relpath, options, folder=False):
        return
    if options.include:
        if not _matches(relpath, options.include):
            return
    elif not is_known(path.name):
        if path.is_symlink():
            try:
                path.stat()
            except OSError as error:  # broken, or a loop of links
                yield ReadError(doc_id, str(path), os_reason(error, path))
                return
        suffix = "".join(path.suffixes[-2:] if path.name.lower().endswith(COMPRESSED)
                         else path.suffixes[-1:]).lower()
        kind = f"'{suffix}'" if suffix else "(no suffix)"
        yield ReadError(doc_id, str(path), f"skipped: unsupported file type {kind}")
        return
    yield doc_id, path


def _link_problem(
    relpath: str, path: Path, real: str, root_real: str, visited: dict[str, int]
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
