"""UCDP GED files in: the CSV as distributed (GEDEvent_v25_1.csv), or the JSON `Result`
of `/api/gedevents/<version>` (UCDP's or ours).

Each row becomes (or updates) the event with its GED `id` (EventIdentifier, scheme
ucdp), so that it reads back through `/api/ucdp/gedevents/current` (interop/ucdp.py)
with the same id, sides, dates, deaths, place names and coordinates:

- type_of_violence 1 and 2 are Battles › Armed clash, 3 Violence against civilians ›
  Attack (interop derives the code back from the type and the sides' kinds);
- side_a is an initiator and side_b a target ("UCDP side_a", "UCDP side_b" as their
  note), each found by its UCDP actor id (side_*_new_id, ActorIdentifier scheme
  ucdp), then by name; a new side is a state when its name is "Government of …"
  (with the country of gwnoa/gwnob), else an armed group. One-sided violence has no
  side_b actor: its victims are civilians;
- date_start and date_end are the date (a day, or the interval between them);
- best, low and high are the fatalities;
- country (by its Gleditsch–Ward number, country_id), adm_1, adm_2 and
  where_coordinates are places within one another; where_coordinates names adm_1 or
  adm_2 itself when the event is placed no closer, else a town at the coordinates.
"""

import datetime
import re

from actors.models import ActorKind
from dataload.importing.common import (
    EventSpec,
    Importer,
    ParticipantSpec,
    PlaceLevel,
    PlaceSpec,
    ReleaseInfo,
    RowError,
    check_name,
    parse_decimal,
    parse_int,
)
from events.models import EventType, PlaceKind
from interop.acled import country_code
from interop.gw import ISO_OF_GW

UCDP_LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)."
UCDP_ATTRIBUTION = (
    "Uppsala Conflict Data Program (UCDP) Georeferenced Event Dataset (GED); cite "
    "Sundberg, Ralph and Erik Melander (2013), Introducing the UCDP Georeferenced Event "
    "Dataset, Journal of Peace Research 50(4), and the release's own codebook."
)

TYPE_SLUGS = {1: "armed-clash", 2: "armed-clash", 3: "attack"}
# geo_precision from where_prec, chosen so that the row's where_prec reads back for the
# place's kind (interop/ucdp.py: WHERE_PREC_OF_KIND and WHERE_PREC_OF_GEO_PRECISION).
GEO_PRECISION = {1: 1, 2: 2, 3: 2, 4: 2, 5: 3, 6: 3, 7: 3}


def ged_date(column, text):
    text = text.strip()[:10]
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise RowError(column, f"{text!r} is not a date (yyyy-mm-dd).") from None


class UcdpImporter(Importer):
    SCHEME = "ucdp"
    NOTE_PREFIX = "UCDP"
    OUTLET_SLUG = "ucdp"
    ID_COLUMN = "id"
    JSON_KEYS = ("Result",)
    FIELDS = (
        "event_type_id",
        "date",
        "geo_precision",
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
    )
    REQUIRED = (
        "id",
        "type_of_violence",
        "side_a_new_id",
        "side_a",
        "side_b_new_id",
        "side_b",
        "source_headline",
        "source_article",
        "where_prec",
        "where_coordinates",
        "adm_1",
        "adm_2",
        "latitude",
        "longitude",
        "country",
        "country_id",
        "date_start",
        "date_end",
        "best",
        "high",
        "low",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        slugs = dict(EventType.objects.filter(is_acled=True).values_list("slug", "pk"))
        self.types = {code: slugs[slug] for code, slug in TYPE_SLUGS.items()}
        self.columns = None

    def parse(self, where, r):
        get = lambda column: (r.get(column) or "").strip()  # noqa: E731
        if self.columns is None:
            self.columns = list(r)
        source_id = get("id")
        if not source_id.isdigit():
            raise RowError("id", f"{source_id!r} is not a GED id (a whole number).")
        violence = parse_int(
            "type_of_violence", get("type_of_violence"), low=1, high=3, required=True
        )
        start, end = (
            ged_date("date_start", get("date_start")),
            ged_date("date_end", get("date_end")),
        )
        if end < start:
            raise RowError("date_end", f"{end} is before date_start {start}.")
        date = start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"
        best = parse_int("best", get("best"))
        low = parse_int("low", get("low"))
        high = parse_int("high", get("high"))
        if low is not None and best is not None and low > best:
            raise RowError("low", f"{low} is more than best ({best}).")
        if high is not None and best is not None and high < best:
            raise RowError("high", f"{high} is less than best ({best}).")
        where_prec = parse_int("where_prec", get("where_prec"), low=1, high=7)

        participants = [self.side(r, "a", "initiator", get)]
        if violence != 3:
            participants.append(self.side(r, "b", "target", get))
        place = self.parse_place(get)
        title = f"{get('side_a')} – {get('side_b')}"
        if get("where_coordinates"):
            title += f", {get('where_coordinates')}"
        quote = get("source_headline") or get("source_article") or self.row_text(r)
        return EventSpec(
            source_id=source_id,
            title=title,
            fields={
                "event_type_id": self.types[violence],
                "date": date,
                "geo_precision": GEO_PRECISION.get(where_prec),
                "fatalities_low": low,
                "fatalities_best": best,
                "fatalities_high": high,
            },
            place=place,
            participants=participants,
            quote=quote,
        )

    def side(self, r, letter, role, get):
        name = get(f"side_{letter}")
        column = f"side_{letter}"
        if not name:
            raise RowError(column, "is empty.")
        check_name(column, name)
        new_id = get(f"side_{letter}_new_id")
        if new_id and not new_id.isdigit():
            raise RowError(f"side_{letter}_new_id", f"{new_id!r} is not a UCDP actor id.")
        country = ""
        kind = ActorKind.ARMED_GROUP
        if name.startswith("Government of"):
            kind = ActorKind.STATE
            gw = get(f"gwno{letter}").split(",")[0].strip()
            codes = ISO_OF_GW.get(int(gw)) if gw.isdigit() else None
            country = sorted(codes)[0] if codes else ""
        return ParticipantSpec(
            name=name,
            role=role,
            slot=column,
            kind=kind,
            identifier=new_id or None,
            country=country,
        )

    def parse_place(self, get):
        gw = get("country_id")
        codes = sorted(ISO_OF_GW.get(int(gw), ())) if gw.isdigit() else []
        by_name = country_code(get("country")) if get("country") else None
        code = by_name if by_name in codes or not codes else codes[0]
        if code is None:
            raise RowError("country_id", f"{gw!r} / {get('country')!r} is not a country we know.")
        latitude = parse_decimal("latitude", get("latitude"), -90, 90)
        longitude = parse_decimal("longitude", get("longitude"), -180, 180)
        if (latitude is None) != (longitude is None):
            raise RowError("longitude" if longitude is None else "latitude", "is empty.")
        levels = []
        for column, kind in (("adm_1", PlaceKind.ADMIN1), ("adm_2", PlaceKind.ADMIN2)):
            if get(column):
                if len(get(column)) > 200:
                    raise RowError(column, "is longer than 200 characters.")
                levels.append(PlaceLevel(kind, get(column)))
        name = get("where_coordinates")
        if len(name) > 200:
            raise RowError("where_coordinates", "is longer than 200 characters.")
        if name and levels and name == levels[-1].name:
            levels[-1].latitude, levels[-1].longitude = latitude, longitude
        elif name and name != get("country"):
            levels.append(PlaceLevel(PlaceKind.TOWN, name, latitude, longitude))
        return PlaceSpec(country=code, country_name=get("country") or code, levels=levels)

    def row_text(self, r):
        return "; ".join(f"{k}: {v}" for k, v in r.items() if v)

    def release_info(self, source):
        release = self.release_override
        name = "standard input" if source.path == "-" else source.path.rsplit("/", 1)[-1]
        if not release:
            found = re.search(r"v?(\d{2})[._](\d)(?:[._](\d{1,2}))?", name)
            if found:
                release = ".".join(part for part in found.groups() if part)
        release = release or datetime.date.today().isoformat()
        return ReleaseInfo(
            outlet_slug="ucdp",
            outlet_name="Uppsala Conflict Data Program (UCDP)",
            outlet_url="https://ucdp.uu.se/",
            title=f"UCDP GED {release} ({name})",
            release=release,
            url="https://ucdp.uu.se/downloads/",
            licence=UCDP_LICENCE,
            attribution=UCDP_ATTRIBUTION,
        )
