"""A workshop page that goes away stops its background runs."""

from __future__ import annotations

import reacton
import solara

from simulation.viz import app, page_state


class _Runs:
    """Stands in for a workshop: records that it was closed."""

    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_unmounting_the_page_closes_its_workshop():
    runs = _Runs()
    page_state.workshop.set(runs)  # type: ignore[arg-type]

    @solara.component
    def shell() -> None:  # the page's effect, as Page declares it
        solara.use_effect(app._stop_background_runs_on_close, [])
        solara.Text("page")

    try:
        _, rc = reacton.render(shell(), handle_error=False)
        assert not runs.closed  # mounted: the runs go on
        rc.close()  # what Solara does when the tab closes or the kernel is culled
        assert runs.closed
    finally:
        page_state.workshop.set(None)


def test_the_page_declares_it():
    assert "_stop_background_runs_on_close" in app.Page.f.__code__.co_names
