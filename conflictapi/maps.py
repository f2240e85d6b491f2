"""The map on an event's or a place's admin page: the place's point over vendored
country and first-level division outlines (assets/build.py writes them from Natural
Earth, by way of the npm registry), drawn by Leaflet (vendored too), with a tile server
beneath only where MAP_TILE_URL names one. Nothing is fetched from elsewhere."""

from pathlib import Path

from django.conf import settings
from django.templatetags.static import static

OUTLINES = "conflictapi/vendor/outlines"
_STATIC_DIR = Path(__file__).resolve().parent / "static"

# How close the map starts, by the kind of place: a country whole, a town's streets.
ZOOM = {"country": 5, "admin1": 7, "admin2": 9, "admin3": 10, "region": 7, "site": 12}
DEFAULT_ZOOM = 9


class MapMedia:
    """What a page that draws a map loads: its admin's `Media = MapMedia`."""

    js = (
        "conflictapi/vendor/leaflet/leaflet.js",
        "conflictapi/vendor/topojson-client.min.js",
        "conflictapi/place-map.js",
    )
    css = {"all": ("conflictapi/vendor/leaflet/leaflet.css", "conflictapi/pictures.css")}


def place_map(place):
    """The template's context for a map of `place`, at its coordinates or, lacking them,
    those of the nearest place it lies in (said so on the page); None when neither it
    nor any place it lies in has coordinates."""
    located = place
    while located is not None and (located.latitude is None or located.longitude is None):
        located = located.parent
    if located is None:
        return None
    country = (place.country.code or located.country.code or "").upper()
    admin1 = f"{OUTLINES}/admin1/{country}.json"
    return {
        "place": place,
        "located": located,
        "latitude": f"{located.latitude.normalize():f}",
        "longitude": f"{located.longitude.normalize():f}",
        "zoom": ZOOM.get(located.kind, DEFAULT_ZOOM),
        "countries_url": static(f"{OUTLINES}/countries-50m.json"),
        "admin1_url": static(admin1) if country and (_STATIC_DIR / admin1).is_file() else "",
        "tile_url": settings.MAP_TILE_URL or "",
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
