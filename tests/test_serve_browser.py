"""The web application in a real browser: Debian's Chromium, headless, driven by Playwright (no
browser download: the system's /usr/bin/chromium). A reader's path through the app: the home
page, a search with a misspelt name, the person's page, a saved query in the SPARQL editor, the
network and one of its edges, a timeline. Each page is screenshotted into KG_SCREENSHOTS (the
README's pictures: `KG_SCREENSHOTS=docs/screenshots make test`) or the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from factories import served

from kg.graph.store import Store
from kg.sparql.local import run_query

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium on this machine (apt-get install chromium; .ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (test extras)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app(built_store_path):
    with served(built_store_path) as url:
        yield url


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def busiest_person(built_store_path) -> str:
    with Store(built_store_path, read_only=True) as store:
        return run_query(store, "persons").rows[0][0]


def misspell(name: str) -> str:
    """The name with one letter of its last word dropped, as a hurried reader types it."""
    words = name.split()
    last = words[-1]
    words[-1] = last[:-2] + last[-1]
    return " ".join(words)


def test_serve_browser_search_with_misspelling_opens_the_person(app, page, shots, busiest_person):
    page.goto(app + "/")
    assert page.locator("h1").inner_text() == "The diplomatic knowledge graph"
    page.screenshot(path=shots / "home.png")
    typed = misspell(busiest_person)
    assert typed != busiest_person
    page.fill("form.search input[name=q]", typed)
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("li.hit a").first
    assert first.inner_text() == busiest_person
    page.screenshot(path=shots / "search.png")
    first.click()
    page.wait_for_url("**/id/person/*")
    assert page.locator("h1").inner_text().startswith(busiest_person)
    # Every event row offers its sources: the sentence and the article.
    page.locator("table.events details.prov summary").first.click()
    assert page.locator("table.events details.prov q").first.is_visible()
    page.screenshot(path=shots / "person.png", full_page=True)
    assert page.errors == []


def test_serve_browser_runs_a_saved_query_in_the_editor(app, page, shots):
    page.goto(app + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("button.example[data-query=persons]")
    page.wait_for_selector(".yasr table.dataTable tbody tr td", timeout=30_000)
    rows = page.locator(".yasr table.dataTable tbody tr").count()
    assert rows >= 1
    page.screenshot(path=shots / "sparql.png")
    assert page.errors == []


def test_serve_browser_network_edge_lists_its_events(app, page, shots):
    page.goto(app + "/network")
    page.wait_for_selector("#network[data-ready='1']", timeout=30_000)
    page.wait_for_timeout(500)  # physics settled: positions are where the canvas shows them
    # The middle of the heaviest edge, in page coordinates, from vis-network's own positions.
    point = page.evaluate(
        """() => {
          const kg = window.kgNetwork, net = kg.network;
          const edge = Object.values(kg.edges).sort((a, b) => b.value - a.value)[0];
          const pos = net.getPositions([edge.from, edge.to]);
          const a = pos[edge.from], b = pos[edge.to];
          const mid = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
          const dom = net.canvasToDOM(mid);
          const box = document.getElementById("network").getBoundingClientRect();
          return {x: box.left + dom.x, y: box.top + dom.y, events: edge.events.length};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#edge-events ul.edge-events li")
    assert page.locator("#edge-events ul.edge-events li").count() == point["events"]
    page.screenshot(path=shots / "network.png")
    page.locator("#edge-events ul.edge-events li a").first.click()
    page.wait_for_url("**/id/event/*")
    assert page.locator("h1").inner_text()
    assert page.errors == []


def test_serve_browser_timeline_of_a_person(app, page, shots, busiest_person):
    page.goto(app + "/timeline")
    page.fill("#timeline-q", busiest_person)
    page.click("#timeline-form button")
    page.wait_for_selector("#timeline[data-ready='1'] .vis-item", timeout=30_000)
    assert page.locator("#timeline-title").inner_text() == f"Timeline: {busiest_person}"
    assert page.locator("#timeline .vis-item").count() >= 1
    page.screenshot(path=shots / "timeline.png")
    assert page.errors == []
