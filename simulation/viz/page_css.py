"""How the workshop page is laid out: its style sheet, the presentation mode's larger
type, and the text size of the map, charts and lists."""

from __future__ import annotations

FONT = {False: 15, True: 18}
"""Text size (CSS px) of the map, charts and lists; presentation mode never goes below 18."""

CSS = """
.sprout-main { display: flex; flex-direction: column; gap: 6px; }
.sprout-body { display: contents; }
.sprout-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px;
               padding-top: 12px; }
.sprout-bar .v-input { margin-top: 0; padding-top: 0; }
.sprout-bar .v-btn { text-transform: none; letter-spacing: 0; }
.sprout-headline { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 22px; }
.sprout-big { font-size: 34px; font-weight: bold; line-height: 1.1; }
.sprout-big-label { color: #444; margin: 0 6px; }
.sprout-phase { color: #444; }
.sprout-grid { display: grid; gap: 8px; min-height: 0; }
.sprout-one { grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr) minmax(0, 0.75fr);
              grid-template-rows: minmax(0, 1fr) minmax(0, 1fr); height: 620px; }
.sprout-one .sprout-cell-map { grid-row: 1 / span 2; }
.sprout-one .sprout-cell-moments { grid-column: 3; grid-row: 1 / span 2; }
.sprout-two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.sprout-run { display: grid; gap: 6px; min-height: 0;
              grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
              grid-template-rows: auto 300px minmax(260px, auto); }
.sprout-run .sprout-big { font-size: 26px; }
.sprout-run .sprout-run-head { grid-column: 1 / span 2; }
.sprout-cell { min-height: 0; min-width: 0; overflow: hidden; background: #fff; }
.sprout-log { height: 360px; margin-top: 8px; }
.sprout-timing { color: #444; }
.sprout-note { font-size: 15px; }
.sprout-present-page .sprout-main { height: calc(100vh - 16px); overflow: hidden; }
.sprout-present-page .sprout-one, .sprout-present-page .sprout-two { flex: 1 1 auto;
              height: auto; }
.sprout-present-page .sprout-two { grid-template-rows: minmax(0, 1fr); }
.sprout-present-page .sprout-run { grid-template-rows: auto minmax(0, 1.1fr) minmax(0, 1fr); }
.sprout-present-page .sprout-big { font-size: 40px; }
@media (max-width: 1200px) {
  .sprout-one { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
                grid-template-rows: minmax(0, 1fr) minmax(0, 0.8fr) fit-content(58%); }
  .sprout-one .sprout-cell-map { grid-row: 1 / span 3; }
  .sprout-one .sprout-cell-moments { grid-column: 2; grid-row: 3; }
}
"""

PRESENT_CSS = """
.solara-autorouter-content, .v-application--wrap > .v-main { padding: 4px !important; }
.v-application .sprout-main, .v-application .sprout-main *:not(.sprout-big) {
  font-size: 18px !important; }
.v-application .sprout-main .sprout-big { font-size: 40px !important; }
.v-application .sprout-main .v-btn { height: 40px !important; }
.v-application .sprout-main .v-label--active { transform: translateY(-22px) scale(1) !important; }
.v-application .sprout-bar { padding-top: 22px; }
.v-toolbar.v-app-bar { display: none !important; }
.v-main { padding-top: 0 !important; }
"""

HIDE_BADGE_CSS = """
div:has(> b > a[href="https://solara.dev"]) { display: none !important; }
"""
"""Solara's "This website runs on Solara" badge covers the page's corner; ``sprout ui``
also turns it off (``SOLARA_THEME_SHOW_BANNER``), this hides it whatever starts the app."""
