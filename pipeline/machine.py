"""What this machine offers a run: the cores this process may run on and the memory free.

Standard library only: the parent of `rufakt extract` asks before any model is loaded.
"""

import os

# What one worker process may need: the batch job's peak stays under 500 MB (README, «Speed»).
WORKER_MB = 500


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, not every core of the machine)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def available_mb(meminfo: str = "/proc/meminfo") -> int | None:
    """Memory the kernel says can be given to new processes (MemAvailable), in MB; None where
    it cannot tell."""
    try:
        with open(meminfo) as lines:
            for line in lines:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1000  # kB
    except (OSError, ValueError, IndexError):
        return None
    return None


def worker_count(requested: int, cores: int | None = None,
                 memory_mb: int | None = None) -> tuple[int, str | None]:
    """How many worker processes to start for `--jobs requested`, and why fewer, if fewer.

    More workers than cores only share the cores (the work is CPU-bound) and each loads the
    models again; more than fit in the available memory get killed. So the count is at most
    the usable cores and the memory available over `WORKER_MB`, and never below 1.
    """
    cores = usable_cores() if cores is None else cores
    memory_mb = available_mb() if memory_mb is None else memory_mb
    count, reasons = requested, []
    if count > cores:
        count = cores
        reasons.append(f"this process may use {cores} core{'s' if cores > 1 else ''}")
    if memory_mb is not None and count > max(1, memory_mb // WORKER_MB):
        count = max(1, memory_mb // WORKER_MB)
        reasons.append(f"{memory_mb / 1000:.1f} GB of memory is available, about "
                       f"{WORKER_MB} MB a worker")
    if count == requested:
        return count, None
    return count, f"--jobs {requested}: at most {count} workers ({'; '.join(reasons)})"
