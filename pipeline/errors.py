"""Errors a user can fix: reported in one line, never as a traceback."""


class UsageError(Exception):
    """A mistake in the command line or its environment (a bad option, a missing input, an
    unreachable scheduler): `rufakt` prints it in one line and exits with code 2."""


class WorkerDied(RuntimeError):
    """A worker process ended without finishing its batch (killed, out of memory): what was
    written before is complete, and `--resume` carries on from there."""


class OutputFailed(RuntimeError):
    """Writing the facts or the documents file failed (disk full, file system gone): every
    document written before is whole, and `--resume` carries on once the cause is fixed."""
