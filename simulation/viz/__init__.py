"""Workshop mode: a live, bilingual view of the model for trainers to show to a room.

``app`` is the Solara page (``sprout ui``), put together from ``page_state`` (the
session's state and play loop), ``bar``, ``sidebar``, ``views``, ``headline``, ``run_data``,
``web_parts`` and ``page_css``; ``frames`` turns a run into plain data, ``draw`` and
``draw_chart`` draw it as SVG — the one drawing of the page, the exports (``compose``) and
the animations —, ``session`` holds the runs a
page steps, ``controls`` turns the model's parameter table into the trainer's sliders,
``export`` saves the view and the log, and ``animate`` exports a run for slides
(``sprout animate``). Every word is in ``simulation/text.py``.
"""

import sys

# mesa.visualization imports altair whenever any part of it is imported, altair imports
# jsonschema, and jsonschema loads the optional ``rfc3987_syntax`` grammar if it is
# installed (JupyterLab's dependencies bring it): some 2 s of CPU in every process that
# starts the workshop, for the check of one string format ("iri") that no Sprout picture
# uses (Sprout draws no altair chart). Marked missing before anything imports it, it is
# skipped, as on an install without it; a process that had already loaded it keeps it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
