"""A curator's afternoon in a real browser (Playwright driving Debian's Chromium at
/usr/bin/chromium, never `playwright install`): an event entered on one page, cited from
a passage selected in its document's text, published with its drafts, edited in two
tabs at once (the second save refused), reverted from its history and retracted; a
place drawn on its map and an actor's ties in its network.
Screenshots of each step go to screenshots/ (ignored by git).

Skipped where there is no Chromium, unless BROWSER_TESTS=required (CI sets it, and
installs Chromium): then a missing browser is a failure."""

import os
import shutil
from pathlib import Path

import pytest

from actors.models import Actor
from events.models import Event, EventCitation
from sources.models import Document
from tests.factories import (
    ActorCitationFactory,
    ActorFactory,
    AffiliationFactory,
    DocumentFactory,
    EventFactory,
    OutletFactory,
    PlaceFactory,
    UserFactory,
)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "correct horse battery staple"
ARTICLE = """Fighting in Idlib

Clashes continued on Saturday near Maarshorin.

Liwa al-Haqq fighters attacked an army checkpoint at dawn, a local activist said.

Three soldiers were reported killed."""

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail(f"no Chromium at {CHROMIUM} (BROWSER_TESTS=required)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(exist_ok=True)
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=args)
        yield chromium
        chromium.close()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def pick(page, field, term, text):
    """Choose `text` in the admin's autocomplete (select2) of `field`, typing `term`."""
    page.click(f"#id_{field} + .select2")
    page.fill(".select2-container--open .select2-search__field", term)
    option = page.locator(".select2-results__option", has_text=text).first
    option.wait_for()
    option.click()


# The boxes whose contents may be wider than they are (the admin then scrolls them, a
# column or a field cut off at the edge): each that is, by its heading or id.
OVERFLOWING = """() => [...document.querySelectorAll('.inline-group .tabular, .results')]
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => (box.querySelector('h2') || box).textContent.trim().slice(0, 40) || box.id)"""


def log_in(page, base, user):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_a_curator_enters_cites_publishes_edits_reverts_and_retracts(live_server, browser):
    base = live_server.url
    editor = UserFactory(username="editor", groups=["editors"])
    place = PlaceFactory(name="Idlib Governorate", kind="admin1", country="SY")
    actor = ActorFactory(name="Liwa al-Haqq", status="draft")
    outlet = OutletFactory(name="Idlib Media Centre", status="draft")
    document = DocumentFactory(
        outlet=outlet, title="Fighting in Idlib", status="draft", text=ARTICLE
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, editor)

    # 1. The event, on one page.
    page.goto(f"{base}/admin/events/event/add/")
    page.fill("#id_title", "Liwa al-Haqq attacks an army checkpoint near Maarshorin")
    pick(page, "event_type", "armed", "Armed clash")
    page.fill("#id_date", "2014-11-01")
    pick(page, "place", "Idlib", place.name)
    pick(page, "participants-0-actor", "Liwa", actor.name)
    page.select_option("#id_participants-0-role", "initiator")
    shot(page, "1-event-entered")
    page.click("input[name=_save]")
    page.wait_for_url(f"{base}/admin/events/event/")
    event = Event.objects.get()
    assert (event.status, event.place_id) == ("draft", place.pk)

    # 2. Cited from a passage selected in the document's text.
    page.goto(f"{base}/admin/sources/document/{document.pk}/change/")
    quote = "Liwa al-Haqq fighters attacked an army checkpoint at dawn"
    page.evaluate(
        """quote => {
            const area = document.getElementById("id_text");
            const start = area.value.indexOf(quote);
            area.focus();
            area.setSelectionRange(start, start + quote.length);
            area.dispatchEvent(new Event("select"));
        }""",
        quote,
    )
    shot(page, "2-passage-selected")
    with context.expect_page() as opened:  # the citation's form opens in a new tab
        page.click("a.cite-passage:has-text('event')")
    cite = opened.value
    cite.wait_for_load_state()
    assert "/eventcitation/add/" in cite.url
    assert cite.input_value("#id_quote") == quote
    pick(cite, "event", "checkpoint", event.title)
    shot(cite, "3-citation-prefilled")
    cite.click("input[name=_save]")
    cite.wait_for_selector(".messagelist .success")
    cite.close()
    citation = EventCitation.objects.get(event=event)
    assert (citation.quote_verified, citation.locator) == (True, "para 3")

    # 3. Published with its drafts: the actor, the document and its outlet with it.
    # The event's and the actor's pages, rows and all, fit the 1,280 px window.
    for url in (
        f"{base}/admin/actors/actor/{actor.pk}/change/",
        f"{base}/admin/events/event/{event.pk}/change/",
    ):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, url
        assert page.evaluate(OVERFLOWING) == [], url
    shot(page, "3b-event-page-fits")
    listed = page.inner_text("#unpublished-dependencies")
    assert actor.name in listed and document.title in listed and outlet.name in listed
    page.click("button[name=publish_with_dependencies]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "4-published-with-drafts")
    for model, pk in ((Event, event.pk), (Actor, actor.pk), (Document, document.pk)):
        assert model.objects.get(pk=pk).status == "published"

    # 4. Two tabs, two edits: the second save is refused, nothing lost silently.
    first, second = page, context.new_page()
    url = f"{base}/admin/events/event/{event.pk}/change/"
    first.goto(url)
    second.goto(url)
    first.fill("#id_summary", "Edited in the first tab.")
    first.click("input[name=_continue]")
    first.wait_for_selector(".messagelist .success")
    second.fill("#id_summary", "Edited in the second tab.")
    second.click("input[name=_continue]")
    second.wait_for_selector(".errornote, .errorlist")
    assert "Someone else saved this record" in second.content()
    shot(second, "5-concurrent-edit-refused")
    assert Event.objects.get(pk=event.pk).summary == "Edited in the first tab."
    second.close()

    # 5. Reverted from the history: the first version's summary comes back.
    page.goto(f"{base}/admin/events/event/{event.pk}/history/")
    page.locator("#change-history a[href*='/history/']").last.click()
    page.wait_for_selector("#row-changes")
    shot(page, "6-revert-page")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    event.refresh_from_db()
    assert event.summary == "" and event.status == "published"

    # 6. Retracted, with its reason.
    page.goto(f"{base}/admin/events/event/{event.pk}/change/")
    page.click("text=Retract…")
    page.fill("#id_reason", "Duplicate of an earlier report.")
    page.click("input[type=submit][value=Retract]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "7-retracted")
    event.refresh_from_db()
    assert (event.status, event.retraction_reason) == (
        "retracted",
        "Duplicate of an earlier report.",
    )
    context.close()


def test_a_curator_sees_the_place_on_a_map_and_the_actors_ties(live_server, browser):
    """Item 4's pictures, drawn by the browser under the site's Content-Security-Policy:
    the outlines load from this site (nothing else is reachable here), the ties link
    to their pages."""
    base = live_server.url
    curator = UserFactory(username="curator", groups=["curators"])
    governorate = PlaceFactory(
        name="Idlib Governorate", kind="admin1", country="SY", latitude="35.75", longitude="36.6"
    )
    town = PlaceFactory(
        name="Maarshorin", parent=governorate, country="SY", latitude="35.594", longitude="36.737"
    )
    nusra, qaeda = ActorFactory(name="Jabhat al-Nusra"), ActorFactory(name="al-Qaeda")
    branch = AffiliationFactory(subject=nusra, kind="branch_of", object=qaeda)
    AffiliationFactory(subject=nusra, kind="rival_of", object=ActorFactory(name="ISIS"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in(page, base, curator)

    page.goto(f"{base}/admin/events/place/{town.pk}/change/")
    page.wait_for_selector("#place-map[data-ready=true]")
    # The countries' and Syria's governorates' outlines, and the town's point.
    assert page.locator("#place-map .leaflet-overlay-pane path").count() > 200
    assert page.locator("#place-map .leaflet-tooltip").inner_text() == "Maarshorin"
    page.locator("#map").screenshot(path=str(SHOTS / "8-map.png"))

    page.goto(f"{base}/admin/actors/actor/{nusra.pk}/change/?network_as_of=2016-01-01")
    ties = page.locator(".network-svg a.tie")
    assert ties.count() == 2
    # Drawn below the record's form, not beside or under it.
    form = page.locator("#content-main").bounding_box()
    network = page.locator("#network").bounding_box()
    assert network["y"] >= form["y"] + form["height"]
    page.locator("#network").screenshot(path=str(SHOTS / "9-network.png"))
    page.locator('.network-svg a.tie[data-kind="branch_of"]').click()
    page.wait_for_url(f"**/admin/actors/affiliation/{branch.pk}/change/")
    assert problems == []
    context.close()


def test_lists_and_pop_ups_show_every_column(live_server, browser):
    """The lists at 1,280 px show all their columns; the "+" pop-up of an actor
    (800 px wide, as the admin opens it) shows its names' Language and Note."""
    base = live_server.url
    curator = UserFactory(username="curator", groups=["curators"])
    for n in range(5):
        EventFactory(title=f"Clashes between rival factions near the town, day {n} " * 2)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, curator)
    ActorCitationFactory(
        actor=ActorFactory(name="Harakat Nour al-Din al-Zenki " * 3),
        document=DocumentFactory(title="Exclusive: Obama Cuts Funds for Syrian Rebels " * 3),
    )
    for model in ("events/event", "actors/actor", "actors/affiliation", "actors/actorcitation"):
        page.goto(f"{base}/admin/{model}/")
        assert page.evaluate(OVERFLOWING) == [], model
    page.goto(f"{base}/admin/events/event/")
    shot(page, "10-event-list")
    popup = context.new_page()
    popup.set_viewport_size({"width": 800, "height": 500})
    popup.goto(f"{base}/admin/actors/actor/add/?_to_field=id&_popup=1")
    assert popup.evaluate(OVERFLOWING) == []
    headers = popup.locator(".inline-group .tabular th").all_inner_texts()
    assert {"LANGUAGE", "NOTE"} <= {h.strip().upper() for h in headers}
    shot(popup, "11-actor-pop-up")
    context.close()
