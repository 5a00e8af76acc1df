"""scripts/make_docs.py: marked blocks are rewritten in place with a provenance line, figures
carry their provenance, and every target's block exists in the documents."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load():
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_docs"] = module
    spec.loader.exec_module(module)
    return module


make_docs = _load()


def test_blocks_are_replaced_in_place_and_only_theirs():
    text = ("intro\n<!-- begin:a (x) -->\nold a\n<!-- end:a -->\nmiddle\n"
            "<!-- begin:b -->\nold b\n<!-- end:b -->\nend\n")
    new = make_docs.replace_block(text, "a", "new a")
    assert "new a" in new and "old a" not in new and "old b" in new
    assert new.startswith("intro\n<!-- begin:a (x) -->\nnew a\n<!-- end:a -->\nmiddle")
    assert make_docs.replace_block(new, "a", "new a") == new  # idempotent
    with pytest.raises(make_docs.DocsError, match="no <!-- begin:c"):
        make_docs.replace_block(text, "c", "x")


def test_every_target_has_its_blocks_in_the_documents():
    found = make_docs.check(ROOT)
    names = {name for names in found.values() for name in names}
    expected = {"run", "compare", "calibration", "counterfactuals", "funding-effects",
                "funding-strategies",
                "discover", "morris", "sobol", "abc", "compare-posterior", "speed", "params"}
    assert expected <= names
    assert set(make_docs.ORDER) == set(make_docs.TARGETS)


def test_toy_run_rewrites_a_copy_with_provenance(tmp_path):
    root = make_docs.copy_docs(tmp_path / "docs-copy")
    before = (root / "README.md").read_text()
    assert make_docs.main(["params", "calibration", "run", "--toy", "--root", str(root),
                           "--workers", "1"]) == 0
    readme = (root / "README.md").read_text()
    assert readme != before
    run_block = readme.split("<!-- begin:run")[1].split("<!-- end:run -->")[0]
    assert "sprout run --seeds 3 --out out/baseline3 (toy size)" in run_block
    assert "Made with `" in run_block
    assert "at commit" in run_block and "numpy" in run_block
    record = json.loads((root / "docs" / "provenance.json").read_text())
    assert record["run"]["toy"] and record["run"]["provenance"]["cpu"]
    assert "docs/images/baseline_groups.png" in record["run"]["files"]
    from PIL import Image

    with Image.open(root / "docs" / "images" / "baseline_groups.png") as image:
        assert "sprout run --seeds 3" in image.text["Command"]
        assert "at commit" in image.text["Provenance"]
    # the real documents are untouched
    assert (ROOT / "README.md").read_text() == before


def test_toy_refuses_to_write_the_real_documents():
    with pytest.raises(SystemExit):
        make_docs.main(["run", "--toy"])
