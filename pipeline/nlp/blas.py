"""How many threads numpy's OpenBLAS may use while the models run.

Two OpenBLAS threads make the models' matrix products about 1.7 times faster on an idle
two-core machine, but whenever another process holds the second core each product waits for
its second thread to be scheduled: products ran up to 18 times slower than on one thread.
So the components ask for `auto_threads()` threads around each model run: the cores no other
process is running on at that moment (from /proc), never more than OPENBLAS_NUM_THREADS or
OMP_NUM_THREADS when set, and one where /proc cannot tell. The setting is process-wide while
it lasts: BLAS calls of other threads are affected meanwhile.
"""

import ctypes
import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager

import numpy  # noqa: F401  (OpenBLAS is found among the libraries numpy loaded)

from ..machine import usable_cores

PREFIXES = [(p, s) for p in ("scipy_openblas", "openblas") for s in ("64_", "")]


@functools.cache
def _library() -> tuple[ctypes.CDLL, str, str] | None:
    """The OpenBLAS numpy loaded, with the prefix and suffix of its symbols, or None."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps
                            if "openblas" in line.lower() and "/" in line})
    except OSError:
        return None
    for path in paths:
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in PREFIXES:
            if hasattr(library, f"{prefix}_get_num_threads{suffix}"):
                return library, prefix, suffix
    return None


@functools.cache
def _openblas() -> tuple | None:
    """(get, set) of the loaded OpenBLAS's thread count, or None when it cannot be found."""
    found = _library()
    if found is None:
        return None
    library, prefix, suffix = found
    get = getattr(library, f"{prefix}_get_num_threads{suffix}")
    set_ = getattr(library, f"{prefix}_set_num_threads{suffix}", None)
    if set_ is None:
        return None
    get.restype, get.argtypes = ctypes.c_int, []
    set_.restype, set_.argtypes = None, [ctypes.c_int]
    return get, set_


def kernels() -> str:
    """The CPU kernels OpenBLAS chose («SkylakeX», «Haswell» …; OPENBLAS_CORETYPE forces
    them), for benchmark headers: matrix products are about twice as fast on AVX-512."""
    found = _library()
    corename = found and getattr(found[0], f"{found[1]}_get_corename{found[2]}", None)
    if corename is None:
        return "unknown"
    corename.restype, corename.argtypes = ctypes.c_char_p, []
    return corename().decode("ascii", "replace")


def _env_limit() -> int | None:
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


def _running_elsewhere() -> int | None:
    """Threads of other processes running right now, or None when /proc cannot tell."""
    try:
        with open("/proc/loadavg") as loadavg:
            running = int(loadavg.read().split()[3].split("/")[0])
        own = 0
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/stat") as stat:
                own += stat.read().rsplit(")", 1)[1].split()[0] == "R"
    except (OSError, ValueError, IndexError):
        return None
    return max(0, running - own)


def auto_threads() -> int:
    """Threads worth using now: the idle cores, within the environment's limit."""
    elsewhere = _running_elsewhere()
    if elsewhere is None:
        return 1
    cpus = usable_cores()
    return max(1, min(_env_limit() or cpus, cpus - elsewhere))


@contextmanager
def threads(count: int) -> Iterator[None]:
    """Let OpenBLAS use `count` threads inside the block (0: `auto_threads()`)."""
    blas = _openblas()
    if blas is None:
        yield
        return
    count = count or auto_threads()
    before = blas[0]()
    if before != count:
        blas[1](count)
    try:
        yield
    finally:
        if before != count:
            blas[1](before)
