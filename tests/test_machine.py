"""How many worker processes a run starts: never more than the usable cores, nor than fit in
the memory available; the machine's figures read from /proc."""

import pytest

from pipeline.machine import WORKER_MB, available_mb, usable_cores, worker_count

GB = 1000

COUNTS = [
    # (--jobs, cores, memory MB or None, workers started, why fewer)
    (2, 2, 22 * GB, 2, None),
    (1, 8, 22 * GB, 1, None),
    (64, 2, 22 * GB, 2, "may use 2 cores"),
    (8, 8, 2 * GB, 4, "2.0 GB of memory is available"),
    (64, 2, 600, 1, "may use 2 cores; 0.6 GB of memory"),  # at least one, however tight
    (4, 16, None, 4, None),  # memory unknown: cores only
]


@pytest.mark.parametrize(("jobs", "cores", "memory", "started", "why"), COUNTS)
def test_workers_are_at_most_the_cores_and_what_fits_in_memory(jobs, cores, memory, started,
                                                                 why):
    count, note = worker_count(jobs, cores=cores, memory_mb=memory)
    assert count == started
    if why is None:
        assert note is None
    else:
        assert note.startswith(f"--jobs {jobs}: at most {started} workers (") and why in note


def test_available_memory_is_read_from_meminfo(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24683616 kB\nMemFree:        22534000 kB\n"
                       "MemAvailable:   23654000 kB\n")
    assert available_mb(str(meminfo)) == 23654
    meminfo.write_text("MemTotal:       24683616 kB\n")
    assert available_mb(str(meminfo)) is None
    assert available_mb(str(tmp_path / "missing")) is None


def test_this_machine_has_a_core_and_room_for_a_worker():
    assert usable_cores() >= 1
    memory = available_mb()
    assert memory is None or memory > WORKER_MB
