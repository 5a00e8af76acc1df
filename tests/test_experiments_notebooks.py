"""The notebooks run from top to bottom at small size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["quickstart", "funding_strategies", "sensitivity"])
def test_notebook_runs_at_small_size(name, tmp_path, monkeypatch):
    import nbformat  # here, not at collection: the fast part executes no notebook
    from nbclient import NotebookClient

    monkeypatch.setenv("SPROUT_NOTEBOOK_SMALL", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)


@pytest.mark.parametrize("name", ["quickstart", "funding_strategies", "sensitivity"])
def test_notebook_is_small_unless_asked_for_full_size(name):
    notebook = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    first = next("".join(cell["source"]) for cell in notebook["cells"]
                 if cell["cell_type"] == "code")
    scope: dict = {}
    exec(first.split("import tempfile")[0], scope)  # noqa: S102 - the notebook's own settings
    assert scope["SMALL"] and not scope["FULL"] and "SPROUT_NOTEBOOK_FULL" in first
