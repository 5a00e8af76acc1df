"""How the workshop page is laid out: its style sheet, the presentation mode's larger
type, and the text size of the map, charts and lists."""

from __future__ import annotations

FONT = {False: 16, True: 18}
"""Text size (CSS px) of the map, charts and lists: 16 at least in the default view, 18 in
presentation mode."""

CSS = """
.sprout-main { display: flex; flex-direction: column; gap: 6px; }
.sprout-body { display: contents; }
.sprout-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px;
               padding-top: 12px; }
.sprout-bar .v-input { margin-top: 0; padding-top: 0; }
.sprout-bar .v-btn { text-transform: none; letter-spacing: 0; font-size: 16px; }
.sprout-main .v-label, .sprout-main input, .sprout-main .v-select__selection { font-size: 16px; }
.sprout-main .v-label--active, .v-navigation-drawer .v-label--active {
  transform: translateY(-20px) scale(1) !important; }
.v-navigation-drawer .v-text-field { padding-top: 18px; }
.sprout-main .v-input--checkbox .v-label { font-size: 16px; }
.sprout-banner { display: block; color: #fff; background: #6a51a3; font-weight: bold;
                 padding: 4px 10px; border-radius: 4px; }
.sprout-banner:empty, .sprout-endcard:empty { display: none; }
.sprout-endcard { display: inline-block; border: 2px solid #d62728; border-radius: 4px;
                  padding: 0 8px; font-weight: bold; }
.sprout-pair { color: #333; }
.sprout-pair-line, .sprout-pair-spread { display: block; }
.sprout-pair-spread { color: #6a51a3; min-height: 1.4em; }
.sprout-delta { color: #6a51a3; border: 2px solid #6a51a3; border-radius: 6px; padding: 0 8px; }
.sprout-headline { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 22px; }
.sprout-big { font-size: 34px; font-weight: bold; line-height: 1.1; }
.sprout-big-label { color: #444; margin: 0 6px; }
.sprout-phase { color: #444; }
.sprout-grid { display: grid; gap: 8px; min-height: 0; }
.sprout-one { grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr) minmax(0, 0.75fr);
              grid-template-rows: 330px 300px auto; }
.sprout-one .sprout-cell-moments { overflow: visible; }
.sprout-one .sprout-cell-map { grid-row: 1 / span 2; }
.sprout-one .sprout-cell-moments { grid-column: 3; grid-row: 1 / span 3; }
.sprout-two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.sprout-run { display: grid; gap: 6px; min-height: 0; align-content: start;
              grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
              grid-template-rows: auto 270px 230px auto; }
.sprout-run .sprout-cell-map { grid-column: 1; grid-row: 2 / span 2; }
.sprout-run .sprout-cell-groups { grid-column: 2; grid-row: 2; }
.sprout-run .sprout-cell-states { grid-column: 2; grid-row: 3; }
.sprout-run .sprout-cell-moments { grid-column: 1 / span 2; grid-row: 4; overflow: visible; }
.sprout-run .sprout-big { font-size: 26px; }
.sprout-run .sprout-run-head { grid-column: 1 / span 2; }
.sprout-cell { min-height: 0; min-width: 0; overflow: hidden; background: #fff; }
.sprout-map-area, .sprout-chart-area { contain: strict; }
.sprout-log { height: 360px; margin-top: 8px; }
.sprout-timing { display: none; }
.sprout-note { font-size: 16px; }
.sprout-present-page .sprout-main { height: calc(100vh - 16px); overflow: hidden; }
.sprout-present-page .sprout-one, .sprout-present-page .sprout-two { flex: 1 1 auto;
              height: auto; min-height: 0; }
.sprout-present-page .sprout-one { grid-template-rows: minmax(0, 1.7fr) minmax(0, 1fr); }
.sprout-present-page .sprout-one .sprout-cell-moments { grid-row: 1 / span 2; overflow: hidden; }
.sprout-present-page .sprout-two { grid-template-rows: minmax(0, 1fr); }
.sprout-present-page .sprout-run { grid-template-rows: auto minmax(0, 1fr) auto; }
.sprout-present-page .sprout-run .sprout-cell-states { display: none; }
.sprout-present-page .sprout-run .sprout-cell-moments { grid-column: 1 / span 2; grid-row: 3;
              overflow: hidden; }
.sprout-present-page .sprout-run .sprout-cell-map { grid-row: 2; }
.sprout-present-page .sprout-big { font-size: 40px; }
.v-application .sprout-present-page .sprout-run .sprout-big { font-size: 28px !important; }
.sprout-present-page .sprout-speed-box { width: 9.5em !important; }
.sprout-present-page .sprout-run .sprout-headline { gap: 0 14px; }
@media (max-width: 1200px) {
  .sprout-one { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
                grid-template-rows: 330px 300px auto; }
  .sprout-one .sprout-cell-map { grid-row: 1 / span 2; }
  .sprout-one .sprout-cell-moments { grid-column: 1 / span 2; grid-row: 3; }
  .sprout-present-page .sprout-one { grid-template-columns: minmax(0, 0.85fr) minmax(0, 1.15fr);
                grid-template-rows: minmax(0, 1.55fr) minmax(0, 0.85fr); }
  .sprout-present-page .sprout-one .sprout-cell-map { grid-row: 1; grid-column: 1; }
  .sprout-present-page .sprout-one .sprout-cell-groups { grid-row: 1; grid-column: 2; }
  .sprout-present-page .sprout-one .sprout-cell-states { grid-row: 2; grid-column: 1; }
  .sprout-present-page .sprout-one .sprout-cell-moments { grid-column: 2; grid-row: 2; }
  .sprout-present-page .sprout-scenario-title { display: none; }
  .sprout-present-page .sprout-big { font-size: 34px !important; }
}
"""

PRESENT_CSS = """
.solara-autorouter-content, .v-application--wrap > .v-main { padding: 4px !important; }
.v-application .sprout-main, .v-application .sprout-main *:not(.sprout-big):not(svg):not(svg *) {
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
