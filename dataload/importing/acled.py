"""ACLED exports in: CSV as downloaded, or the JSON of `acled/read` (ours or ACLED's).

Each row becomes (or updates) the event with its `event_id_cnty` (EventIdentifier,
scheme acled), so that it reads back through `/api/acled/acled/read` as it came
(interop/acled.py `row_of`), but for `timestamp`:

- actor1 is an initiator and each assoc_actor_1 a speaker (side 1: initiators, then
  speakers); actor2 a target and each assoc_actor_2 a subject (side 2: targets, then
  subjects). The participations carry the column as their note ("ACLED actor1"), which
  is how a later import tells them from what curators added.
- event_date and time_precision: the date's earliest day is event_date (the day ACLED
  coded); 1 is that day, 2 a week from it, 3 the month (`2020-05` when event_date is
  its first day, else from event_date to the month's end, a week at least).
- admin1–admin3 and location are places within the country, each within the one
  above; location is a town at the row's coordinates.
- inter1/inter2 are the types of actor1/actor2: a new actor's kind is the type's
  (1 state force, 2 and 4 armed group, 3 political organisation, else other), with
  `acled_actor_type` set where the kind's default differs.
"""

import calendar
import datetime
import functools

from actors.models import ACLED_TYPE_OF_KIND, AcledActorType, ActorKind
from conflictapi.generation import bump_generation
from dataload.importing.common import (
    EventSpec,
    Importer,
    ImportFailed,
    ParticipantSpec,
    PlaceLevel,
    PlaceSpec,
    ReleaseInfo,
    RowError,
    check_name,
    parse_decimal,
    parse_int,
)
from dataload.importing.reading import BadShape, Records
from events.models import EventType, PlaceKind
from interop import acled as interop
from interop.acled import (
    DISORDER_OF_SUB_TYPE,
    DISORDER_OF_TYPE,
    LIST_SEPARATOR,
    country_name,
    interaction_code,
    iso_numeric,
)
from interop.acled_columns import FIELDS as ACLED_FIELDS
from interop.regions import REGION_OF_COUNTRY, REGIONS

ACLED_LICENCE = (
    "ACLED's Terms of Use (acleddata.com/terms-of-use): the data are for the licensee's "
    "own use; redistributing them, in whole or in substantial part, needs ACLED's "
    "written permission."
)
ACLED_ATTRIBUTION = (
    "Armed Conflict Location & Event Data (ACLED); acleddata.com. Cite ACLED as the "
    "source, with the date the data were accessed."
)

# A new actor's kind from its ACLED type (the type is stored where the kind's default
# differs: interop reads a type back from the stored one, else from the kind).
KIND_OF_TYPE = {
    1: ActorKind.STATE_FORCE,
    2: ActorKind.ARMED_GROUP,
    3: ActorKind.POLITICAL_ORGANISATION,
    4: ActorKind.ARMED_GROUP,
}
TYPE_NAMES = {t.label.casefold(): int(t) for t in AcledActorType}


country_code = functools.lru_cache(maxsize=1024)(interop.country_code)
# ACLED's names of countries that interop.acled.country_code does not know (they read
# back under the ISO names: the report says so).
OTHER_ACLED_NAMES = {"Cape Verde": "CV", "East Timor": "TL", "Caribbean Netherlands": "BQ"}


@functools.lru_cache(maxsize=4096)
def country_of(name, iso, region):
    """(ISO alpha-2 code or None, [what will not read back as given]) of a row's
    country, iso and region."""
    code = (country_code(name) or OTHER_ACLED_NAMES.get(name)) if name else None
    if code is None:
        return None, []
    notes = []
    if country_name(code) != name:
        notes.append(f"country {name!r} reads back as {country_name(code)!r}")
    if iso and iso != str(iso_numeric(code)):
        notes.append(f"iso {iso} reads back as {iso_numeric(code)}")
    expected = REGIONS.get(REGION_OF_COUNTRY.get(code), "")
    if region and region != expected:
        notes.append(f"region {region!r} reads back as {expected!r}")
    return code, notes


def parse_event_date(text):
    text = text.strip()
    for parse in (
        datetime.date.fromisoformat,
        lambda t: datetime.datetime.strptime(t, "%d %B %Y").date(),
        lambda t: datetime.datetime.strptime(t, "%d-%B-%Y").date(),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    raise RowError("event_date", f"{text!r} is not a date (yyyy-mm-dd).")


def edtf_of(day, precision):
    """The EDTF date of an ACLED event_date and time_precision (see the module's text)."""
    if precision == 1:
        return day.isoformat()
    if precision == 2:
        return f"{day.isoformat()}/{(day + datetime.timedelta(days=6)).isoformat()}"
    if day.day == 1:
        return f"{day.year:04d}-{day.month:02d}"
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    end = max(last, day + datetime.timedelta(days=7))
    return f"{day.isoformat()}/{end.isoformat()}"


def actor_type_code(column, text):
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        code = int(text)
        if 0 <= code <= 8:
            return code or None
    elif text.casefold() in TYPE_NAMES:
        return TYPE_NAMES[text.casefold()]
    raise RowError(column, f"{text!r} is not an ACLED actor type (1–8).")


def split_list(text):
    return [part.strip() for part in text.split(";") if part.strip()]


class AcledImporter(Importer):
    SCHEME = "acled"
    NOTE_PREFIX = "ACLED"
    OUTLET_SLUG = "acled"
    ID_COLUMN = "event_id_cnty"
    JSON_KEYS = ("data",)
    FIELDS = (
        "event_type_id",
        "date",
        "geo_precision",
        "fatalities_best",
        "summary",
        "tags",
        "civilian_targeting",
        "source_scale",
        "acled_source",
    )
    # Every column of ACLED's rows but those it derives from the others (year, disorder
    # type, interaction, iso, region), those older exports lack (OPTIONAL_FIELDS) and its
    # edit time.
    REQUIRED = tuple(
        c
        for c in ACLED_FIELDS
        if c not in {"year", "disorder_type", "interaction", "iso", "region"}
        and c not in {"tags", "civilian_targeting", "timestamp"}
    )
    UNCOMPARED = ("timestamp",)
    # Columns ACLED added in 2023: an older export's rows leave those fields alone.
    OPTIONAL_FIELDS = {"tags": "tags", "civilian_targeting": "civilian_targeting"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.types = {}
        for pk, name, parent in EventType.objects.filter(is_acled=True).values_list(
            "pk", "name", "parent__name"
        ):
            key = (parent.casefold(), name.casefold()) if parent else (name.casefold(), "")
            self.types[key] = pk
        self.latest = None

    def actor_kind(self, name, actor_type, participant):
        if actor_type is None:
            return ActorKind.OTHER, None
        kind = KIND_OF_TYPE.get(actor_type, ActorKind.OTHER)
        stored = None if ACLED_TYPE_OF_KIND.get(kind) == actor_type else actor_type
        return kind, stored

    def parse(self, where, r):
        get = lambda column: (r.get(column) or "").strip()  # noqa: E731
        source_id = get("event_id_cnty")
        if not source_id:
            raise RowError("event_id_cnty", "is empty.")
        if len(source_id) > 100:
            raise RowError("event_id_cnty", "is longer than 100 characters.")
        day = parse_event_date(get("event_date"))
        precision = parse_int("time_precision", get("time_precision"), low=1, high=3, required=True)
        if get("year") and get("year") != str(day.year):
            raise RowError("year", f"{get('year')!r} is not the year of event_date {day}.")
        top, sub = get("event_type"), get("sub_event_type")
        type_id = self.types.get((top.casefold(), sub.casefold()))
        if type_id is None:
            column = "event_type" if (top.casefold(), "") not in self.types else "sub_event_type"
            raise RowError(column, f"{top!r} / {sub!r} is not in ACLED's vocabulary.")
        disorder = DISORDER_OF_SUB_TYPE.get(sub) or DISORDER_OF_TYPE.get(top, "")
        if get("disorder_type") and get("disorder_type") != disorder:
            self.report.note(f"disorder_type reads back as {disorder!r}", where)

        actor1, actor2 = get("actor1"), get("actor2")
        if not actor1:
            raise RowError("actor1", "is empty.")
        if not actor2 and get("assoc_actor_2"):
            raise RowError("assoc_actor_2", "names actors but actor2 is empty.")
        inter1 = actor_type_code("inter1", get("inter1"))
        inter2 = actor_type_code("inter2", get("inter2"))
        participants = [ParticipantSpec(actor1, "initiator", "actor1", inter1)]
        participants += [
            ParticipantSpec(n, "speaker", "assoc_actor_1") for n in split_list(get("assoc_actor_1"))
        ]
        if actor2:
            participants.append(ParticipantSpec(actor2, "target", "actor2", inter2))
            participants += [
                ParticipantSpec(n, "subject", "assoc_actor_2")
                for n in split_list(get("assoc_actor_2"))
            ]
        for p in participants:
            check_name(p.slot, p.name)
        if get("interaction") and inter1:
            expected = str(interaction_code(inter1, inter2 or 0))
            if get("interaction") != expected:
                self.report.note(f"interaction reads back from inter1/inter2 ({expected})", where)

        place = self.parse_place(where, get)
        geo_precision = parse_int("geo_precision", get("geo_precision"), low=1, high=3)
        fatalities = parse_int("fatalities", get("fatalities"))
        for column, limit in (("source_scale", 100), ("civilian_targeting", 30)):
            if len(get(column)) > limit:
                raise RowError(column, f"is longer than {limit} characters.")
        notes = r.get("notes") or ""
        timestamp = get("timestamp")
        if timestamp.isdigit():
            self.latest = max(self.latest or 0, int(timestamp))
        title = f"{sub or top}: {actor1}" + (f" and {actor2}" if actor2 else "")
        if place.levels:
            title += f", {place.levels[-1].name}"
        return EventSpec(
            source_id=source_id,
            title=title,
            fields={
                "event_type_id": type_id,
                "date": edtf_of(day, precision),
                "geo_precision": geo_precision,
                "fatalities_best": fatalities,
                "summary": notes,
                "tags": r.get("tags") or "",
                "civilian_targeting": get("civilian_targeting"),
                "source_scale": get("source_scale"),
                "acled_source": r.get("source") or "",
            },
            place=place,
            participants=participants,
            quote=notes if notes.strip() else self.row_text(r),
        )

    def parse_place(self, where, get):
        name = get("country")
        code, notes = country_of(name, get("iso"), get("region"))
        if code is None:
            raise RowError("country", f"{name!r} is not a country we know.")
        for note in notes:
            self.report.note(note, where)
        latitude = parse_decimal("latitude", get("latitude"), -90, 90)
        longitude = parse_decimal("longitude", get("longitude"), -180, 180)
        if (latitude is None) != (longitude is None):
            raise RowError("longitude" if longitude is None else "latitude", "is empty.")
        levels = []
        for column, kind in (
            ("admin1", PlaceKind.ADMIN1),
            ("admin2", PlaceKind.ADMIN2),
            ("admin3", PlaceKind.ADMIN3),
        ):
            if get(column):
                if len(get(column)) > 200:
                    raise RowError(column, "is longer than 200 characters.")
                levels.append(PlaceLevel(kind, get(column)))
        if get("location"):
            if len(get("location")) > 200:
                raise RowError("location", "is longer than 200 characters.")
            levels.append(PlaceLevel(PlaceKind.TOWN, get("location"), latitude, longitude))
        elif latitude is not None:
            raise RowError("location", "is empty, but the row has coordinates.")
        elif levels:
            # acled/read names the event's place as its location
            self.report.note("a row without location reads back with its admin as location", where)
        return PlaceSpec(country=code, country_name=name, levels=levels)

    @staticmethod
    def row_text(r):
        return LIST_SEPARATOR.join(f"{k}: {v}" for k, v in r.items() if v)

    def release_info(self, source):
        release = self.release_override
        if not release and self.latest:
            release = datetime.datetime.fromtimestamp(self.latest, tz=datetime.UTC).date()
            release = release.isoformat()
        release = release or datetime.date.today().isoformat()
        name = "standard input" if source.path == "-" else source.path.rsplit("/", 1)[-1]
        return ReleaseInfo(
            outlet_slug="acled",
            outlet_name="ACLED",
            outlet_url="https://acleddata.com/",
            title=f"ACLED export {release} ({name})",
            release=release,
            url="https://acleddata.com/",
            licence=ACLED_LICENCE,
            attribution=ACLED_ATTRIBUTION,
        )


class AcledDeletions(AcledImporter):
    """ACLED's deleted events (`deleted/read` JSON, or a CSV with an event_id_cnty
    column): each matching event is retracted, with ACLED's deletion as the reason."""

    REQUIRED = ("event_id_cnty",)
    OPTIONAL_FIELDS = {}

    def _run(self, source, rejects):
        records = Records(source, json_keys=self.JSON_KEYS)
        self.format = records.format
        name = "standard input" if source.path == "-" else source.path.rsplit("/", 1)[-1]
        self.reason = f"import_acled --deleted {name}"
        self.report.records_release = False
        batch, checked = [], False
        for where, record in records:
            self.report.rows += 1
            if not checked:
                self.check_columns(records.columns, where)
                checked = True
            try:
                if isinstance(record, BadShape):
                    raise RowError("", record.reason)
                value = (record.get("event_id_cnty") or "").strip()
                if not value:
                    raise RowError("event_id_cnty", "is empty.")
                stamp = (record.get("deleted_timestamp") or "").strip()
                when = ""
                if stamp:
                    seconds = parse_int("deleted_timestamp", stamp)
                    when = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
                    when = f" on {when:%Y-%m-%d}"
                reason = f"Deleted from ACLED's data set{when} (deleted/read)."
            except RowError as exc:
                self.report.rejected += 1
                if rejects is None:
                    raise ImportFailed(f"{where}, {exc}") from exc
                rejects.add(records.columns, where, record, exc.column, exc.message)
                continue
            batch.append((value, reason, where))
            if len(batch) >= self.batch_size:
                self.retract(batch)
                batch = []
        if not checked and self.format == "csv":
            self.check_columns(records.columns or [], "line 1")
        if batch:
            self.retract(batch)
        source.drain()
        bump_generation()
