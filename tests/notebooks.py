"""Running a committed notebook in a fresh kernel for the notebook tests."""

from pathlib import Path

import pytest


def executed(notebook: Path, timeout: int = 180):
    """(committed, executed) copies of a notebook, the second run in a fresh kernel of this
    interpreter (ipykernel's own spec says `python`, which jupyter_client replaces with
    sys.executable: the venv's, not the one on PATH); skips without the notebook extra."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME

    committed = nbformat.read(notebook, as_version=4)
    ran = nbformat.read(notebook, as_version=4)
    nbclient.NotebookClient(ran, timeout=timeout, kernel_name=NATIVE_KERNEL_NAME,
                            resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return committed, ran


def tagged_text(notebook, tag: str) -> str:
    """The printed output of the cell tagged `tag`."""
    cell = next(c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", []))
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
