"""What the README quotes of the commands' output is what they print (the blocks that
``scripts/make_docs.py`` regenerates are checked by their own provenance)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from simulation.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


def _bad_input_block() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("Bad input gets one line")
    block = text[text.index("```", start) + 3:]
    block = block[block.index("\n") + 1:block.index("```")]
    lines = block.strip().splitlines()
    return [(lines[i][2:], lines[i + 1]) for i in range(0, len(lines), 2)]


def test_the_readmes_bad_input_examples_print_what_it_says(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my.toml").write_text("[workers]\nn_wokers = 3\n")
    (tmp_path / "loops.edgelist").write_text("r0 r0\nr1 r2\n")
    examples = _bad_input_block()
    assert len(examples) >= 3
    for command, expected in examples:
        argv = shlex.split(command)
        assert argv[0] == "sprout"
        assert main(argv[1:]) == 2, command
        printed = capsys.readouterr().err.strip().replace(str(tmp_path), "/path")
        assert printed == expected, (command, printed)
        assert re.match(r"sprout: error: ", printed)
