"""A fix for one line of Solara's own router part: its ``navigator.vue`` assigns
``modules.export`` (a typo for ``module.exports``), so ipyvue's evaluation of it throws and
every page load logged "Failed to evaluate Vue script and find module.exports, falling
back to old method" in the browser's console. The router part is pointed at a copy of
Solara's file with that word corrected (made from the installed file, in the temporary
directory); nothing changes when the installed Solara no longer has the typo."""

from __future__ import annotations

import tempfile
from pathlib import Path

TYPO, FIXED = "modules.export =", "module.exports ="


def fix_navigator() -> bool:
    """Point Solara's ``Navigator`` at a corrected copy of its template; True if it did."""
    try:
        from solara.widgets.widgets import Navigator
    except ImportError:  # another Solara layout: nothing to fix
        return False
    source = Path(str(Navigator.template_file))
    if not source.is_file():
        return False
    text = source.read_text(encoding="utf-8")
    if TYPO not in text:
        return False
    copy = Path(tempfile.gettempdir()) / f"sprout-navigator-{abs(hash(text)) % 10**8}.vue"
    if not copy.exists():
        copy.write_text(text.replace(TYPO, FIXED, 1), encoding="utf-8")
    Navigator.template_file = str(copy)
    return True
