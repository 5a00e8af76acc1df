"""Workshop mode: a live, bilingual view of the model for trainers to show to a room.

``app`` is the Solara page (``sprout ui``), ``community_map`` and ``charts`` draw a run
with matplotlib, ``session`` holds the runs a page steps, ``controls`` turns the model's
parameter table into the trainer's sliders, ``i18n`` holds every word in English and
Chinese, and ``animate`` exports a run for slides (``sprout animate``).
"""
