"""ACLED rows for the importer's tests: awkward ones (quotes and line breaks in notes,
`;`-lists, no coordinates, Arabic names), as ACLED's CSV and JSON carry them."""

import csv
import io

import orjson

from interop.acled import FIELDS


def row(**values):
    base = {
        "event_id_cnty": "SYR1",
        "event_date": "2024-03-01",
        "year": "2024",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Military Forces of Syria (2000-2024)",
        "assoc_actor_1": "",
        "inter1": "1",
        "actor2": "Hayat Tahrir al-Sham",
        "assoc_actor_2": "",
        "inter2": "2",
        "interaction": "12",
        "civilian_targeting": "",
        "iso": "760",
        "region": "Middle East",
        "country": "Syria",
        "admin1": "Idleb",
        "admin2": "Ariha",
        "admin3": "Ariha",
        "location": "Ariha",
        "latitude": "35.8134",
        "longitude": "36.6117",
        "geo_precision": "1",
        "source": "Syrian Observatory for Human Rights",
        "source_scale": "Other",
        "notes": "On 1 March 2024, regime forces clashed with HTS near Ariha.",
        "fatalities": "3",
        "tags": "",
        "timestamp": "1710000000",
    }
    base.update(values)
    return base


AWKWARD = [
    row(),
    row(
        event_id_cnty="SYR2",
        event_date="2024-02-12",
        time_precision="2",
        notes='He said: "we will return", and left.\nA second line; with a semicolon.',
        source="Step Agency; Syrian Observatory for Human Rights; Enab Baladi",
        source_scale="National-Regional",
        assoc_actor_1="Civilians (Syria); Women (Syria)",
        actor2="Islamic State (Syria)",
        assoc_actor_2="Ahrar al-Sham",
        fatalities="0",
        tags="women targeted: candidates; crowd size=no report",
    ),
    row(
        event_id_cnty="SYR3",
        event_date="2024-01-15",
        time_precision="3",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        disorder_type="Political violence",
        actor1="Unidentified Armed Group (Syria)",
        inter1="8",
        actor2="Civilians (Syria)",
        inter2="7",
        interaction="78",
        civilian_targeting="Civilian targeting",
        admin2="",
        admin3="",
        location="Kafr Nabl",
        latitude="",
        longitude="",
        geo_precision="3",
        notes="",
        fatalities="",
    ),
    row(
        event_id_cnty="SYR4",
        event_date="2024-04-01",
        time_precision="3",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        disorder_type="Demonstrations",
        actor1="Protesters (Syria)",
        inter1="6",
        assoc_actor_1="Teachers (Syria); جبهة النصرة",
        actor2="",
        inter2="",
        interaction="60",
        admin1="إدلب",
        admin2="",
        admin3="",
        location="سراقب",
        latitude="35.8646",
        longitude="36.8042",
        notes="تظاهرة في سراقب ضد الغلاء",
        fatalities="0",
    ),
    row(
        event_id_cnty="IRQ5",
        country="Iraq",
        iso="368",
        admin1="Ninewa",
        admin2="Mosul",
        admin3="Mosul",
        location="Mosul",
        latitude="36.335",
        longitude="43.1189",
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        actor1="Islamic State (Iraq)",
        inter1="2",
        actor2="Military Forces of Iraq (2022-)",
        inter2="1",
        notes="An IED hit an army patrol.",
    ),
]


def csv_text(rows, fields=FIELDS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({f: r.get(f, "") for f in fields})
    return out.getvalue()


def json_bytes(rows):
    return orjson.dumps({"status": 200, "success": True, "data": rows, "count": len(rows)})
