"""The browser harness and the vendored assets: htmx and Leaflet load from the package, offline,
under a strict Content-Security-Policy, and Leaflet draws all 141 villages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from playwright.sync_api import Page

from sinergi.web.geo import village_geojson_bytes

pytest_plugins = ["tests.web.browser"]

# What the app's pages are meant to live with: scripts and styles from our own origin only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)

PAGE = """<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>
<title>Harness</title>
<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="/test/page.css">
<script src="/static/vendor/htmx/htmx.min.js" defer></script>
<script src="/static/vendor/leaflet/leaflet.js" defer></script>
<script src="/test/map.js" defer></script>
</head>
<body>
<button id="load" hx-get="/test/fragment" hx-target="#out">Muat</button>
<div id="out"></div>
<div id="map"></div>
</body>
</html>
"""

# Test-only script, deliberately not in the package: the app has its own.
MAP_JS = """
fetch("/test/desa.geojson")
  .then((response) => response.json())
  .then((data) => {
    const map = L.map("map", { zoomSnap: 0.25 });
    const layer = L.geoJSON(data, {
      style: { color: "#1f4e79", weight: 1, fillColor: "#9ecae1", fillOpacity: 0.6 },
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    document.body.dataset.mapReady = String(data.features.length);
  });
"""


def _app() -> FastAPI:
    app = FastAPI()
    app.mount("/static", StaticFiles(packages=[("sinergi.web", "static")]), name="static")

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return HTMLResponse(PAGE, headers={"Content-Security-Policy": CSP})

    @app.get("/test/map.js")
    def map_js() -> Response:
        return Response(MAP_JS, media_type="text/javascript")

    @app.get("/test/page.css")
    def page_css() -> Response:
        return Response("#map { width: 1000px; height: 640px; }", media_type="text/css")

    @app.get("/test/desa.geojson")
    def desa() -> Response:
        return Response(village_geojson_bytes(), media_type="application/geo+json")

    @app.get("/test/fragment")
    def fragment() -> PlainTextResponse:
        return PlainTextResponse("<p id='loaded'>Fragmen dimuat</p>", media_type="text/html")

    return app


def test_vendored_htmx_and_leaflet_render_the_villages(
    live_server, page: Page, page_errors: list[str], shot
) -> None:
    base_url = live_server(_app())
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-map-ready='141']", timeout=15_000)

    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("typeof window.L") == "object"
    assert page.evaluate("window.L.version") == "1.9.4"
    assert page.locator(".leaflet-overlay-pane svg path").count() == 141

    page.click("#load")
    page.wait_for_selector("#loaded")
    assert page.text_content("#loaded") == "Fragmen dimuat"

    path = shot("harness-village-map")
    assert path.stat().st_size > 10_000
    assert page_errors == []


def test_live_server_per_test_and_offline_guard(
    live_server, page: Page, page_errors: list[str]
) -> None:
    # Two apps in one test, each on its own port; a page reaching out to the internet is caught.
    first, second = FastAPI(), FastAPI()

    @first.get("/", response_class=HTMLResponse)
    def one() -> str:
        return "<p>satu</p><img src='https://example.org/x.png' alt=''>"

    @second.get("/", response_class=HTMLResponse)
    def two() -> str:
        return "<p>dua</p>"

    first_url, second_url = live_server(first), live_server(second)
    assert first_url != second_url
    page.goto(second_url + "/")
    assert page.text_content("p") == "dua"
    assert page_errors == []
    page.goto(first_url + "/")
    assert page.text_content("p") == "satu"
    page.wait_for_load_state("load")
    assert any("external request refused: https://example.org/x.png" in e for e in page_errors)
