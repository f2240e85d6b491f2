"""Load the curated seed data set (``seed/*.yaml``) into the database.

The files name records by stable keys: slugs for outlets, actors, places and event types;
a curator-assigned ``key`` for documents, affiliations and events. Every row gets a UUID
derived from its key (uuid5 over ``SEED_NAMESPACE``), so ids are the same on every machine.

The repository holds no article's text: given the file of the seed's articles
(``texts``), each document gets its article's text, and every seed quote is verified
against it; without it the quotes stay unverified.

Loading is all or nothing: the files are checked first (structure, references, partial
dates), then every row is validated with ``full_clean()`` and written inside one
transaction; the first problem raises ``SeedError`` naming the file and the record, and
nothing is kept. A row is saved only when a field differs (``save()`` bumps ``version``
and writes a history row), so a second load changes nothing. Records are never deleted;
only seeded sub-rows (aliases, identifiers, participants, citations) of seeded records
that were dropped from the files are removed.
"""

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from actors.models import (
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorName,
    Affiliation,
    AffiliationCitation,
)
from conflictapi import partialdates, publishing, records
from events.models import Event, EventCitation, EventParticipant, EventType, Place
from sources.models import Document, Outlet

# Fixed forever: changing it would give every seeded row a new id.
SEED_NAMESPACE = uuid.UUID("5b0c1f8e-3d0a-4c57-9a6e-2f4f1d6b7c30")

FILES = ("sources.yaml", "actors.yaml", "places.yaml", "affiliations.yaml", "events.yaml")
DEFAULT_PATH = Path(settings.BASE_DIR) / "seed"
PUBLISHED = "published"


class SeedError(Exception):
    """The seed files cannot be loaded; the message names the file and the record."""


def seed_id(kind, key):
    """The stable id of a seeded row of ``kind`` (a model label) with ``key``."""
    return uuid.uuid5(SEED_NAMESPACE, f"{kind}:{key}")


def is_seeded(pk):
    return isinstance(pk, uuid.UUID) and pk.version == 5


# ---------------------------------------------------------------------------------------
# Record shapes: required keys, optional keys with defaults.

CITATION = ({"document", "quote"}, {"locator": "", "credibility": 6, "note": ""})
SHAPES = {
    "outlet": (
        {"slug", "name", "kind"},
        {"country": "", "url": "", "reliability": "F", "status": PUBLISHED},
    ),
    "document": (
        {"key", "outlet", "title"},
        {
            "article": None,
            "heading": "",
            "authors": "",
            "published_on": None,
            "url": "",
            "language": "en",
            "summary": "",
            "status": PUBLISHED,
        },
    ),
    "actor": (
        {"slug", "name", "kind", "citations"},
        {
            "description": "",
            "country": "",
            "founded": "",
            "dissolved": "",
            "names": [],
            "identifiers": [],
            "status": PUBLISHED,
        },
    ),
    "name": ({"name", "kind"}, {"language": "", "note": ""}),
    "identifier": ({"scheme", "value"}, {}),
    "place": (
        {"slug", "name", "kind"},
        {
            "parent": None,
            "country": "",
            "latitude": None,
            "longitude": None,
            "alternate_names": [],
            "geonames_id": None,
            "status": PUBLISHED,
        },
    ),
    "affiliation": (
        {"key", "subject", "kind", "object", "citations"},
        {
            "role": "",
            "start_date": "",
            "end_date": "",
            "description": "",
            "status": PUBLISHED,
        },
    ),
    "event": (
        {"key", "title", "event_type", "date", "citations"},
        {
            "place": None,
            "geo_precision": None,
            "fatalities_low": None,
            "fatalities_best": None,
            "fatalities_high": None,
            "summary": "",
            "participants": [],
            "status": PUBLISHED,
        },
    ),
    "participant": ({"actor", "role"}, {"note": ""}),
    "citation": CITATION,
}

# file -> (top-level key, record shape, key field)
SECTIONS = {
    "sources.yaml": [("outlets", "outlet", "slug"), ("documents", "document", "key")],
    "actors.yaml": [("actors", "actor", "slug")],
    "places.yaml": [("places", "place", "slug")],
    "affiliations.yaml": [("affiliations", "affiliation", "key")],
    "events.yaml": [("events", "event", "key")],
}


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))

    def add(self, label, outcome):
        self.counts[label][outcome] += 1

    def lines(self):
        out = []
        for label, c in self.counts.items():
            parts = [f"{c[o]} {o}" for o in ("created", "updated", "unchanged", "deleted") if c[o]]
            out.append(f"{label}: {', '.join(parts) or 'nothing'}")
        return out

    @property
    def changed(self):
        return any(c["created"] or c["updated"] or c["deleted"] for c in self.counts.values())


# ---------------------------------------------------------------------------------------
# Reading and checking the files (no database writes).


def _read(path):
    data = {}
    for name in FILES:
        file = path / name
        if not file.is_file():
            raise SeedError(f"{file}: file not found.")
        try:
            loaded = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise SeedError(f"{name}: not valid YAML: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise SeedError(f"{name}: not UTF-8 text: {exc}") from exc
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise SeedError(f"{name}: expected a mapping with {_expected_keys(name)}.")
        unknown = set(loaded) - {s[0] for s in SECTIONS[name]}
        if unknown:
            raise SeedError(
                f"{name}: unknown section(s) {sorted(unknown)}; expected {_expected_keys(name)}."
            )
        data[name] = loaded
    return data


def _expected_keys(name):
    return ", ".join(s[0] for s in SECTIONS[name])


def _shape(record, shape, where, problems):
    """Return the record with defaults filled in, or None after noting what is wrong."""
    required, optional = SHAPES[shape]
    if not isinstance(record, dict):
        problems.append(f"{where}: expected a mapping, got {type(record).__name__}.")
        return None
    missing = sorted(required - set(record))
    unknown = sorted(set(record) - required - set(optional))
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}.")
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)}.")
    if missing or unknown:
        return None
    out = {k: (list(v) if isinstance(v, list) else v) for k, v in optional.items()}
    for k, v in record.items():
        # An empty YAML value (None) for a text field means "".
        out[k] = "" if v is None and optional.get(k) == "" else v
    return out


def _check_date(value, where, name, problems, required=False):
    if value in (None, ""):
        if required:
            problems.append(f"{where}: {name} is required.")
        return
    if not isinstance(value, str):
        problems.append(f"{where}: {name} must be EDTF text in quotes, got {value!r}.")
        return
    try:
        partialdates.parse(value)
    except ValidationError as exc:
        problems.append(f"{where}: {name}: {' '.join(exc.messages)}")


def _ref(value, known, what, where, problems):
    if value not in known:
        problems.append(f"{where}: unknown {what} {value!r}.")


def _check(data):
    """Check structure, keys and references of all files; return the shaped records."""
    problems = []
    recs = {}
    for file, sections in SECTIONS.items():
        for section, shape, keyfield in sections:
            items = data[file].get(section) or []
            if not isinstance(items, list):
                problems.append(f"{file}: {section} must be a list.")
                recs[shape] = []
                continue
            shaped, seen = [], set()
            for i, item in enumerate(items, 1):
                key = item.get(keyfield) if isinstance(item, dict) else None
                where = f"{file}, {shape} {key!r}" if key else f"{file}, {section} #{i}"
                rec = _shape(item, shape, where, problems)
                if rec is None:
                    continue
                if not isinstance(key, str) or not key.strip():
                    problems.append(f"{where}: {keyfield} must be non-empty text.")
                    continue
                if key in seen:
                    problems.append(f"{where}: duplicate {keyfield}.")
                    continue
                seen.add(key)
                rec["_where"] = where
                rec["_key"] = key
                shaped.append(rec)
            recs[shape] = shaped

    outlets = {r["_key"] for r in recs["outlet"]}
    documents = {r["_key"] for r in recs["document"]}
    actors = {r["_key"] for r in recs["actor"]}
    places = {r["_key"] for r in recs["place"]}
    types = set(EventType.objects.values_list("slug", flat=True))

    def citations(rec):
        cits = rec["citations"]
        if not isinstance(cits, list) or not cits:
            problems.append(f"{rec['_where']}: needs at least one citation.")
            rec["citations"] = []
            return
        shaped = []
        for i, c in enumerate(cits, 1):
            where = f"{rec['_where']}, citation #{i}"
            c = _shape(c, "citation", where, problems)
            if c is None:
                continue
            _ref(c["document"], documents, "document", where, problems)
            if not isinstance(c["quote"], str) or not c["quote"].strip():
                problems.append(f"{where}: the quote is missing.")
            shaped.append(c)
        rec["citations"] = shaped

    def sub_list(rec, name, shape):
        items = rec[name]
        if not isinstance(items, list):
            problems.append(f"{rec['_where']}: {name} must be a list.")
            rec[name] = []
            return
        shaped = []
        for i, item in enumerate(items, 1):
            s = _shape(item, shape, f"{rec['_where']}, {name} #{i}", problems)
            if s is not None:
                s["_where"] = f"{rec['_where']}, {name} #{i}"
                shaped.append(s)
        rec[name] = shaped

    for rec in recs["document"]:
        _ref(rec["outlet"], outlets, "outlet", rec["_where"], problems)
    for rec in recs["actor"]:
        citations(rec)
        sub_list(rec, "names", "name")
        sub_list(rec, "identifiers", "identifier")
        _check_date(rec["founded"], rec["_where"], "founded", problems)
        _check_date(rec["dissolved"], rec["_where"], "dissolved", problems)
    for rec in recs["place"]:
        if rec["parent"] is not None:
            _ref(rec["parent"], places, "parent place", rec["_where"], problems)
    for rec in recs["affiliation"]:
        citations(rec)
        _ref(rec["subject"], actors, "actor", rec["_where"], problems)
        _ref(rec["object"], actors, "actor", rec["_where"], problems)
        _check_date(rec["start_date"], rec["_where"], "start_date", problems)
        _check_date(rec["end_date"], rec["_where"], "end_date", problems)
    for rec in recs["event"]:
        citations(rec)
        sub_list(rec, "participants", "participant")
        _ref(rec["event_type"], types, "event type", rec["_where"], problems)
        if rec["place"] is not None:
            _ref(rec["place"], places, "place", rec["_where"], problems)
        _check_date(rec["date"], rec["_where"], "date", problems, required=True)
        for p in rec["participants"]:
            _ref(p["actor"], actors, "actor", p["_where"], problems)
        pairs = [(p["actor"], p["role"]) for p in rec["participants"]]
        if len(pairs) != len(set(pairs)):
            problems.append(f"{rec['_where']}: a participant is listed twice with one role.")

    if problems:
        shown = problems[:25]
        more = f"\n… and {len(problems) - 25} more." if len(problems) > 25 else ""
        raise SeedError("The seed files have problems:\n" + "\n".join(shown) + more)
    recs["place"] = _parents_first(recs["place"])
    return recs


def split_articles(text, documents):
    """The text of each document in `text`, a file of several articles (the seed's
    texts file, as given): document key -> its article, from the document's `heading`
    to the next document's heading (or the end). Documents without a heading get none.
    The headings must occur in the order of the documents' `article` numbers."""
    starts = []
    for doc in documents:
        heading = doc.get("heading")
        if not heading:
            continue
        at = text.find(heading)
        if at < 0:
            raise SeedError(
                f"sources.yaml, document {doc['key']}: its heading {heading!r} is not in "
                "the texts file."
            )
        starts.append((at, doc.get("article"), doc["key"]))
    starts.sort(key=lambda s: s[0])
    numbers = [article for _, article, _ in starts if article is not None]
    if numbers != sorted(numbers):
        raise SeedError(
            "The texts file holds the articles in another order than the documents' "
            f"article numbers (found {numbers}): is it the seed's texts file?"
        )
    ends = [at for at, _, _ in starts[1:]] + [len(text)]
    return {key: text[at:end].strip() for (at, _, key), end in zip(starts, ends, strict=True)}


def read_texts(file):
    """The text of the texts file `file`; a SeedError for a file that cannot be read."""
    file = Path(file)
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedError(f"{file}: texts file not found.") from None
    except UnicodeDecodeError as exc:
        raise SeedError(f"{file}: the texts file is not UTF-8 text: {exc}") from None
    except OSError as exc:
        raise SeedError(f"{file}: cannot read the texts file: {exc.strerror}.") from None


def _parents_first(places):
    by_slug = {p["_key"]: p for p in places}
    ordered, done = [], set()

    def visit(p, trail):
        if p["_key"] in done:
            return
        if p["_key"] in trail:
            raise SeedError(f"{p['_where']}: places lie inside each other in a cycle.")
        if p["parent"] is not None:
            visit(by_slug[p["parent"]], (*trail, p["_key"]))
        done.add(p["_key"])
        ordered.append(p)

    for p in places:
        visit(p, ())
    return ordered


# ---------------------------------------------------------------------------------------
# Writing.


def _messages(exc):
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def _upsert(model, pk, values, where, report, label):
    """Create or update one row (conflictapi.records.upsert); a bad row is a SeedError
    naming where it is in the files. Returns the instance."""
    try:
        obj, outcome = records.upsert(model, pk, values)
    except ValidationError as exc:
        raise SeedError(f"{where}: {_messages(exc)}") from exc
    report.add(label, outcome)
    return obj


def _prune(queryset, keep, report, label):
    """Delete seeded sub-rows no longer in the files; rows curators added stay."""
    for _ in range(records.prune(queryset, keep, ours=is_seeded)):
        report.add(label, "deleted")


def _decimal(value, where, name):
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise SeedError(f"{where}: {name} must be a number, got {value!r}.") from exc


def _citations(model, fk_name, owner, owner_label, owner_key, where, cits, docs, report):
    keep = []
    for i, c in enumerate(cits, 1):
        pk = seed_id(model._meta.label, f"{owner_label}:{owner_key}|{c['document']}|{c['quote']}")
        keep.append(pk)
        _upsert(
            model,
            pk,
            {
                fk_name: owner,
                "document": docs[c["document"]],
                "quote": c["quote"],
                "locator": c["locator"] or "",
                "credibility": c["credibility"],
                "note": c["note"] or "",
            },
            f"{where}, citation #{i}",
            report,
            f"{model._meta.verbose_name_plural}",
        )
    _prune(model.objects.filter(**{fk_name: owner}), keep, report, model._meta.verbose_name_plural)


def _write(recs, report, texts=None):
    outlets, docs, actors, places = {}, {}, {}, {}
    types = {t.slug: t for t in EventType.objects.all()}

    for r in recs["outlet"]:
        outlets[r["_key"]] = _upsert(
            Outlet,
            seed_id("sources.Outlet", r["_key"]),
            {
                "slug": r["_key"],
                "name": r["name"],
                "kind": r["kind"],
                "country": r["country"] or "",
                "url": r["url"] or "",
                "reliability": r["reliability"],
                "status": r["status"],
            },
            r["_where"],
            report,
            "outlets",
        )
    for r in recs["document"]:
        values = {
            "outlet": outlets[r["outlet"]],
            "title": r["title"],
            "authors": r["authors"] or "",
            "published_on": r["published_on"],
            "url": r["url"] or "",
            "language": r["language"],
            "summary": (r["summary"] or "").strip(),
            "status": r["status"],
        }
        # The repository holds no article's text: without the texts file a document
        # keeps whatever text it has (none, on a first load).
        if texts is not None and r["_key"] in texts:
            values["text"] = texts[r["_key"]]
        docs[r["_key"]] = _upsert(
            Document,
            seed_id("sources.Document", r["_key"]),
            values,
            r["_where"],
            report,
            "documents",
        )

    for r in recs["actor"]:
        slug = r["_key"]
        actor = actors[slug] = _upsert(
            Actor,
            seed_id("actors.Actor", slug),
            {
                "slug": slug,
                "name": r["name"],
                "kind": r["kind"],
                "description": (r["description"] or "").strip(),
                "country": r["country"] or "",
                "founded": r["founded"] or "",
                "dissolved": r["dissolved"] or "",
                "status": r["status"],
            },
            r["_where"],
            report,
            "actors",
        )
        keep = []
        for n in r["names"]:
            pk = seed_id("actors.ActorName", f"{slug}|{n['name']}")
            keep.append(pk)
            _upsert(
                ActorName,
                pk,
                {
                    "actor": actor,
                    "name": n["name"],
                    "kind": n["kind"],
                    "language": n["language"] or "",
                    "note": n["note"] or "",
                },
                n["_where"],
                report,
                "actor names",
            )
        _prune(ActorName.objects.filter(actor=actor), keep, report, "actor names")
        keep = [
            seed_id("actors.ActorIdentifier", f"{i['scheme']}|{i['value']}")
            for i in r["identifiers"]
        ]
        _prune(ActorIdentifier.objects.filter(actor=actor), keep, report, "actor identifiers")
        for pk, i in zip(keep, r["identifiers"], strict=True):
            _upsert(
                ActorIdentifier,
                pk,
                {"actor": actor, "scheme": i["scheme"], "value": str(i["value"])},
                i["_where"],
                report,
                "actor identifiers",
            )
        _citations(
            ActorCitation, "actor", actor, "actor", slug, r["_where"], r["citations"], docs, report
        )

    for r in recs["place"]:
        places[r["_key"]] = _upsert(
            Place,
            seed_id("events.Place", r["_key"]),
            {
                "slug": r["_key"],
                "name": r["name"],
                "kind": r["kind"],
                "parent": places[r["parent"]] if r["parent"] else None,
                "country": r["country"] or "",
                "latitude": _decimal(r["latitude"], r["_where"], "latitude"),
                "longitude": _decimal(r["longitude"], r["_where"], "longitude"),
                "alternate_names": r["alternate_names"] or [],
                "geonames_id": r["geonames_id"],
                "status": r["status"],
            },
            r["_where"],
            report,
            "places",
        )

    for r in recs["affiliation"]:
        aff = _upsert(
            Affiliation,
            seed_id("actors.Affiliation", r["_key"]),
            {
                "subject": actors[r["subject"]],
                "kind": r["kind"],
                "object": actors[r["object"]],
                "role": r["role"] or "",
                "start_date": r["start_date"] or "",
                "end_date": r["end_date"] or "",
                "description": (r["description"] or "").strip(),
                "status": r["status"],
            },
            r["_where"],
            report,
            "affiliations",
        )
        _citations(
            AffiliationCitation,
            "affiliation",
            aff,
            "affiliation",
            r["_key"],
            r["_where"],
            r["citations"],
            docs,
            report,
        )

    for r in recs["event"]:
        event = _upsert(
            Event,
            seed_id("events.Event", r["_key"]),
            {
                "title": r["title"],
                "event_type": types[r["event_type"]],
                "date": r["date"],
                "place": places[r["place"]] if r["place"] else None,
                "geo_precision": r["geo_precision"],
                "fatalities_low": r["fatalities_low"],
                "fatalities_best": r["fatalities_best"],
                "fatalities_high": r["fatalities_high"],
                "summary": (r["summary"] or "").strip(),
                "status": r["status"],
            },
            r["_where"],
            report,
            "events",
        )
        keep = []
        for p in r["participants"]:
            pk = seed_id("events.EventParticipant", f"{r['_key']}|{p['actor']}|{p['role']}")
            keep.append(pk)
            _upsert(
                EventParticipant,
                pk,
                {
                    "event": event,
                    "actor": actors[p["actor"]],
                    "role": p["role"],
                    "note": p["note"] or "",
                },
                p["_where"],
                report,
                "event participants",
            )
        _prune(EventParticipant.objects.filter(event=event), keep, report, "event participants")
        _citations(
            EventCitation,
            "event",
            event,
            "event",
            r["_key"],
            r["_where"],
            r["citations"],
            docs,
            report,
        )


def load_seed(path=None, texts=None):
    """Load the seed files in ``path`` (default: ``seed/`` at the repository top) in one
    transaction and return a Report; raise SeedError, loading nothing, on any problem.
    ``texts``, the file of the seed's articles, gives the documents their text, against
    which every seed quote is then verified (a quote not in it is a SeedError)."""
    path = Path(path) if path else DEFAULT_PATH
    if not path.is_dir():
        raise SeedError(f"{path}: not a directory of seed files.")
    data = _read(path)
    texts = read_texts(texts) if texts is not None else None
    with transaction.atomic():
        recs = _check(data)
        articles = split_articles(texts, recs["document"]) if texts is not None else None
        report = Report()
        _write(recs, report, articles)
        _check_publishing_rule()
    return report


def _check_publishing_rule():
    """Every published seeded record renders only published records
    (conflictapi.publishing): a seed that publishes an event in a draft place loads
    nothing."""
    for model in (Outlet, Document, Actor, Affiliation, Place, EventType, Event):
        for record in model.objects.filter(status="published"):
            if not is_seeded(record.pk):
                continue
            try:
                publishing.check_dependencies_published(record)
            except publishing.UnpublishedDependencies as exc:
                raise SeedError(str(exc)) from exc
