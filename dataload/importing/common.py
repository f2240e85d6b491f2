"""What the ACLED and UCDP importers share: the run (one transaction, batches, bad
rows, the report), the release document every imported record cites, and the
crosswalks of actors and places.

A source module (acled.py, ucdp.py) turns each record of its file into an EventSpec
(or raises RowError naming the column); `Importer` does the rest, a batch at a time,
with a fixed number of queries a batch whatever its length: it looks up the batch's
events by their ids in the source's scheme (EventIdentifier), its actors by
identifier then by name (ActorIdentifier, then the name search's keys), its places
level by level within their parents, and writes what is new or changed in bulk, with
history rows that name the import. Nothing is written for a record that is unchanged.

The release `Document` is written last, once its checksum and row count are known, and
only if something cites it (re-importing the same file records nothing); the rows that
cite it point at its id before it exists, which the database allows because foreign
keys are checked at commit (Django creates them DEFERRABLE INITIALLY DEFERRED).
"""

import calendar
import csv
import dataclasses
import datetime
import decimal
import functools
import hashlib
import os
import sys
import time
import uuid

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from actors.models import (
    ACLED_TYPE_OF_KIND,
    SEARCH_KEY_LENGTH,
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorKind,
    ActorName,
    search_keys,
)
from conflictapi import partialdates
from conflictapi.generation import bump_generation
from conflictapi.models import Status
from conflictapi.text import normalize_name, skeleton
from dataload.importing.reading import BadShape, Records, Source, UnreadableFile
from dataload.importing.writing import Row, insert, update
from events.models import (
    IDENTIFIER_SCHEMES,
    Event,
    EventCitation,
    EventIdentifier,
    EventParticipant,
    IdentifierCounter,
    Place,
    PlaceKind,
    own_identifier,
    place_search_names,
)
from sources.models import Document, Outlet, OutletKind, Reliability

BATCH_SIZE = 2000
# An import that creates this many events ANALYZEs what it writes, and again each time
# that doubles (Importer.analyze_when_grown).
ANALYZE_FROM = 10_000
IMPORT_LOCK = 0x696D706F7200  # "impor" in the advisory lock space


class RowError(Exception):
    """A bad row: `column` names the field at fault."""

    def __init__(self, column, message):
        self.column = column
        self.message = message
        super().__init__(f"column {column}: {message}" if column else message)


class ImportFailed(Exception):
    """The import cannot go on: nothing is written."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


# -- what a source module produces --------------------------------------------------------


@dataclasses.dataclass
class PlaceLevel:
    kind: str  # a PlaceKind; PlaceKind.TOWN for the located place (town, site, crossing)
    name: str
    latitude: decimal.Decimal | None = None
    longitude: decimal.Decimal | None = None


@dataclasses.dataclass
class PlaceSpec:
    country: str  # ISO alpha-2
    country_name: str  # as the file names it, for a country place created anew
    levels: list  # [PlaceLevel], outermost first; the event's place is the last


@dataclasses.dataclass
class ParticipantSpec:
    name: str  # as written
    role: str
    slot: str  # the column it came from: kept as the participation's note
    actor_type: int | None = None  # the source's type code for the actor (ACLED inter)
    kind: str | None = None  # the kind a new actor gets
    identifier: str | None = None  # its id in the source (ActorIdentifier); else its name
    country: str = ""  # a new actor's country (ISO alpha-2)

    @property
    def key(self):
        return self.identifier or self.name


@dataclasses.dataclass
class EventSpec:
    source_id: str
    title: str
    fields: dict  # Event fields the source owns (see Source.FIELDS)
    place: PlaceSpec | None
    participants: list  # [ParticipantSpec]
    quote: str
    where: str = ""
    fingerprint: str = ""


@dataclasses.dataclass
class ReleaseInfo:
    outlet_slug: str
    outlet_name: str
    outlet_url: str
    title: str
    release: str
    url: str
    licence: str
    attribution: str
    language: str = "en"


# -- the run's report ------------------------------------------------------------------


class Report:
    def __init__(self):
        self.rows = 0
        self.created = 0
        self.updated = 0
        self.unchanged = 0
        self.rejected = 0
        self.retracted = 0
        self.not_found = 0
        self.already_retracted = 0
        self.actors_created = 0
        self.actors_matched_by_name = 0
        self.actor_types_set = 0
        self.places_created = 0
        self.published_with = 0
        self.ambiguous = {}  # name as written -> (slugs, where first seen)
        self.notes = {}  # note -> (count, first where)
        self.document = None
        self.dry_run = False
        self.records_release = True

    def note(self, text, where):
        count, first = self.notes.get(text, (0, where))
        self.notes[text] = (count + 1, first)

    def lines(self):
        out = [f"rows read: {self.rows}"]
        if not self.records_release:
            out.append(
                f"events retracted: {self.retracted}, already retracted: "
                f"{self.already_retracted}, ids not found: {self.not_found}, "
                f"rejected: {self.rejected}"
            )
            return out + (["dry run: nothing was written"] if self.dry_run else [])
        out.append(
            f"events created: {self.created}, updated: {self.updated}, "
            f"unchanged: {self.unchanged}, rejected: {self.rejected}"
        )
        out.append(
            f"actors created: {self.actors_created}, matched by name: "
            f"{self.actors_matched_by_name}, ACLED types set: {self.actor_types_set}; "
            f"places created: {self.places_created}"
        )
        if self.published_with:
            out.append(f"existing drafts published with the events: {self.published_with}")
        if self.document is not None:
            out.append(f"release recorded: {self.document}")
        elif not self.dry_run and self.records_release:
            out.append("release not recorded: nothing cites it (no change)")
        if self.ambiguous:
            out.append(
                f"names left for review ({len(self.ambiguous)}): each matches several "
                "actors; the events were imported without them:"
            )
            for name, (slugs, where) in sorted(self.ambiguous.items()):
                out.append(f"  {name!r} ({where}): {', '.join(slugs)}")
        for text, (count, where) in sorted(self.notes.items()):
            out.append(f"note: {text} ({count} rows, first at {where})")
        if self.dry_run:
            out.append("dry run: nothing was written")
        return out


class Rejects:
    """The reject file: each bad row as read, and why."""

    def __init__(self, path):
        self.path = path
        self.file = None
        self.writer = None
        self.columns = None

    def add(self, columns, where, record, column, reason):
        if self.file is None:
            self.file = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self.writer = csv.writer(self.file, lineterminator="\n")
            self.columns = list(columns or [])
            self.writer.writerow([*self.columns, "reject_where", "reject_column", "reject_reason"])
        if isinstance(record, BadShape):
            values = list(record.raw) if isinstance(record.raw, list) else [str(record.raw)]
            values = (values + [""] * len(self.columns))[: len(self.columns)]
        else:
            values = [record.get(c, "") for c in self.columns]
        self.writer.writerow([*values, where, column or "", reason])

    def close(self):
        if self.file is not None:
            self.file.close()


class Progress:
    """A one-line progress bar on standard error, when it is a terminal."""

    def __init__(self, source, enabled):
        self.source = source
        self.enabled = enabled and sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, rows, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = rows / elapsed
        size = self.source.size
        if size:
            share = min(self.source.position / size, 1.0)
            bar = "#" * int(share * 30)
            text = f"[{bar:<30}] {share:6.1%} {rows:>10,} rows {rate:8,.0f}/s"
        else:
            text = f"{rows:>10,} rows {rate:8,.0f}/s"
        sys.stderr.write("\r" + text)
        sys.stderr.flush()

    def done(self, rows):
        if self.enabled:
            self.update(rows, force=True)
            sys.stderr.write("\n")


def slug_base(text, fallback):
    return slugify(text)[:150].strip("-") or fallback


def unique_slug(text, taken, fallback):
    """A slug from `text` not in `taken` (a set, updated): the name's, or with a short
    random suffix when that is taken."""
    base = slug_base(text, fallback)
    slug = base
    while slug in taken:
        slug = f"{base}-{uuid.uuid4().hex[:8]}"
    taken.add(slug)
    return slug


def taken_slugs(model, candidates, fallback):
    bases = {slug_base(c, fallback) for c in candidates}
    return set(model._base_manager.filter(slug__in=bases).values_list("slug", flat=True))


def id_hash(value):
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "little")


# -- the importer ----------------------------------------------------------------------


LOCATED_KINDS = (PlaceKind.TOWN, PlaceKind.SITE, PlaceKind.CROSSING, PlaceKind.REGION)
# kinds that may stand for a level of a place chain
_LEVEL_KINDS = {
    PlaceKind.ADMIN1: (PlaceKind.ADMIN1,),
    PlaceKind.ADMIN2: (PlaceKind.ADMIN2,),
    PlaceKind.ADMIN3: (PlaceKind.ADMIN3,),
    PlaceKind.TOWN: LOCATED_KINDS,
}
_AMBIGUOUS = object()


class Importer:
    """Subclasses set: SCHEME (EventIdentifier and ActorIdentifier scheme), NOTE_PREFIX
    (participations this importer owns carry "<prefix> <slot>" as their note), FIELDS
    (the Event fields the source owns and compares), REQUIRED (columns), JSON_KEYS, and
    implement parse(where, record) -> EventSpec and release_info(records)."""

    SCHEME = ""
    NOTE_PREFIX = ""
    FIELDS = ()
    REQUIRED = ()
    OPTIONAL_FIELDS = {}  # column -> Event field left alone when the file lacks the column
    JSON_KEYS = ("data",)

    def __init__(
        self,
        *,
        publish=False,
        dry_run=False,
        skip_bad=False,
        reject_path=None,
        batch_size=BATCH_SIZE,
        progress=False,
        release=None,
    ):
        self.publish = publish
        self.dry_run = dry_run
        self.skip_bad = skip_bad
        self.reject_path = reject_path
        self.batch_size = batch_size
        self.progress_enabled = progress
        self.release_override = release
        self.report = Report()
        self.report.dry_run = dry_run
        self.document_id = uuid.uuid4()
        self.document_used = False
        self.reason = ""
        self.seen = set()
        self.fields = list(self.FIELDS)
        # caches across batches: what the importer has learned of actors and places
        self.actor_of_name = {}  # name as written -> actor id | _AMBIGUOUS
        self.actor_info = {}  # actor id -> [kind, acled_actor_type]
        self.country_place = {}  # ISO code -> place row
        self.children = {}  # parent id -> {key: [place rows]}
        self.published_ids = set()
        self.releases = None
        self.next_analyze = ANALYZE_FROM

    # the run -----------------------------------------------------------------------

    def run(self, path):
        try:
            source = Source(path)
        except UnreadableFile as exc:
            raise ImportFailed(str(exc)) from exc
        rejects = Rejects(self.reject_path) if self.skip_bad else None
        try:
            with transaction.atomic():
                self.prepare()
                self._run(source, rejects)
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except UnreadableFile as exc:
            raise ImportFailed(f"{path}: {exc}") from exc
        finally:
            source.release()
            if rejects is not None:
                rejects.close()
        if self.report.rejected and rejects is not None:
            self.report.note(f"bad rows written to {rejects.path}", "-")
        return self.report

    def prepare(self):
        """PostgreSQL: one import of a data set at a time (a second waits for the first
        to commit, then finds its rows); and a larger pending list for the trigram
        indexes (GIN), whose entries are then merged in bulk rather than row by row
        (an import of 30,000 rows in two thirds of the time)."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK + id_hash(self.SCHEME) % 1000]
            )
            cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")

    def _run(self, source, rejects):
        records = Records(source, json_keys=self.JSON_KEYS)
        self.format = records.format
        progress = Progress(source, self.progress_enabled)
        name = "standard input" if source.path == "-" else os.path.basename(source.path)
        self.reason = f"import_{self.SCHEME} {name}"
        pending = []
        checked = False
        for where, record in records:
            self.report.rows += 1
            if not checked:
                self.check_columns(records.columns, where)
                checked = True
            pending.append((where, record))
            if len(pending) >= self.batch_size:
                self.write_batch(self.changed_specs(pending, records.columns, rejects))
                pending = []
                progress.update(self.report.rows)
                self.analyze_when_grown()
        if not checked and self.format == "csv":
            self.check_columns(records.columns or [], "line 1")
        if pending:
            self.write_batch(self.changed_specs(pending, records.columns, rejects))
        if self.report.created >= ANALYZE_FROM:
            self.analyze()  # so that the next import (and every read) plans on the rows
        source.drain()
        progress.done(self.report.rows)
        self.finish(source, records)

    def changed_specs(self, pending, columns, rejects):
        """The parsed rows of `pending` ((where, record) in file order) that need
        writing. A row whose id this import already met is a bad row. A row as imported
        before (its fingerprint is the note of its event's citation of a release) is
        counted unchanged and goes no further: neither parsed nor resolved (but
        --publish still publishes its event when that is a draft). Bad rows stop the
        import, or go to `rejects`."""
        ids = [(record.get(self.ID_COLUMN) or "").strip() for _, record in pending]
        known = self.imported_fingerprints([i for i in ids if i])
        specs = []
        for (where, record), source_id in zip(pending, ids, strict=True):
            try:
                if isinstance(record, BadShape):
                    raise RowError("", record.reason)
                fingerprint = self.fingerprint(record)
                imported = known.get(source_id)
                if imported and imported[0] == fingerprint:
                    self.check_once(source_id)
                    if not (self.publish and imported[1] == Status.DRAFT):
                        self.report.unchanged += 1
                        continue
                spec = self.parse(where, record)
                spec.where = where
                spec.fingerprint = fingerprint
                if not imported or imported[0] != fingerprint:
                    self.check_once(spec.source_id)
            except RowError as exc:
                self.report.rejected += 1
                if rejects is None:
                    raise ImportFailed(f"{where}, {exc}") from exc
                rejects.add(columns, where, record, exc.column, exc.message)
                continue
            specs.append(spec)
        return specs

    # The tables whose statistics an import outgrows: their planner's row counts.
    ANALYZED = (Event, EventIdentifier, EventCitation, EventParticipant)

    def analyze_when_grown(self):
        """ANALYZE the tables the import writes each time the events it created double
        (from ANALYZE_FROM): an import's rows are one transaction, which autovacuum
        cannot see, so the planner would go on planning its lookups (ids, citations) on
        the row counts of before, as scans of tables that were small then."""
        if self.report.created >= self.next_analyze:
            self.analyze()
            self.next_analyze = 2 * self.report.created

    def analyze(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in self.ANALYZED:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def check_once(self, source_id):
        key = id_hash(source_id)
        if key in self.seen:
            raise RowError(self.ID_COLUMN, f"{source_id!r} is in the file more than once.")
        self.seen.add(key)

    def release_ids(self):
        """The releases of this data set imported before: what their citations cite."""
        if self.releases is None:
            self.releases = list(
                Document._base_manager.filter(outlet__slug=self.OUTLET_SLUG)
                .exclude(checksum="")
                .values_list("pk", flat=True)
            )
        return self.releases

    def imported_fingerprints(self, source_ids):
        """{source id: (the fingerprint its event was last imported with, the event's
        status)} of the ids that have an event. Two queries, each by its own index (the
        ids' identifiers, then those events' citations), whatever the planner's
        statistics say: right after a large import they undercount, and a single join
        was planned as a scan of every citation of the release (0.6 s a batch at 1M)."""
        if not source_ids:
            return {}
        events = {
            event_id: (value, status)
            for value, event_id, status in EventIdentifier.objects.filter(
                scheme=self.SCHEME, value__in=source_ids
            ).values_list("value", "event_id", "event__status")
        }
        releases = {*self.release_ids(), self.document_id}
        found = {}
        for event_id, document_id, note in (
            EventCitation.objects.filter(event_id__in=list(events))
            .order_by("created_at")
            .values_list("event_id", "document_id", "note")
        ):
            if document_id in releases:
                value, status = events[event_id]
                found[value] = (note, status)  # the newest citation's, as write_batch reads
        return found

    # Columns that change without the event changing (ACLED's edit time).
    UNCOMPARED = ()

    def fingerprint(self, record):
        """The citation's note: a digest of the row as imported, by which a later import
        of the same row knows it (and leaves the event, curated edits included, alone)."""
        digest = hashlib.blake2b(digest_size=12)
        for column in sorted(record):
            if column not in self.UNCOMPARED:
                digest.update(f"{column}\x1f{record[column]}\x1e".encode())
        return f"{self.NOTE_PREFIX} row as imported: {digest.hexdigest()}"

    def check_columns(self, columns, where):
        columns = set(columns or ())
        missing = [c for c in self.REQUIRED if c not in columns]
        if missing:
            where = "line 1" if self.format == "csv" else where
            raise ImportFailed(
                f"{where}: missing column {', '.join(missing)} (the file has "
                f"{', '.join(sorted(columns)) or 'none'})."
            )
        self.fields = [
            f
            for f in self.FIELDS
            if not any(f == field and c not in columns for c, field in self.OPTIONAL_FIELDS.items())
        ]

    # the release -----------------------------------------------------------------------

    def finish(self, source, records):
        info = self.release_info(source)
        if self.document_used:
            outlet = Outlet.objects.filter(slug=info.outlet_slug).first()
            status = Status.PUBLISHED if self._release_published() else Status.DRAFT
            if outlet is None:
                outlet = Outlet(
                    name=info.outlet_name,
                    slug=info.outlet_slug,
                    kind=OutletKind.RESEARCH,
                    url=info.outlet_url,
                    reliability=Reliability.B,
                    status=status,
                )
                outlet.save()
            elif status == Status.PUBLISHED and outlet.status == Status.DRAFT:
                outlet.status = Status.PUBLISHED
                outlet.save()
            document = Document(
                id=self.document_id,
                outlet=outlet,
                title=info.title,
                published_on=_date_or_none(info.release),
                url=info.url,
                language=info.language,
                summary=f"{self.report.rows} rows, imported by `import_{self.SCHEME}`.",
                release=info.release,
                row_count=self.report.rows,
                checksum=source.checksum,
                licence=info.licence,
                attribution=info.attribution,
                status=status,
            )
            document._change_reason = self.reason
            document.save()
            self.report.document = f"{document.title} ({source.checksum[:19]}…)"
        if self.publish and self.releases:
            self.publish_releases()
        bump_generation()

    def publish_releases(self):
        """--publish: earlier releases that published events cite are published too (an
        event is not published on a citation readers cannot see)."""
        cited = EventCitation.objects.filter(event__status=Status.PUBLISHED).values("document_id")
        drafts = Document._base_manager.filter(pk__in=self.releases, status=Status.DRAFT)
        for document in drafts.filter(pk__in=cited).select_related("outlet"):
            if document.outlet.status == Status.DRAFT:
                document.outlet.status = Status.PUBLISHED
                document.outlet._change_reason = self.reason
                document.outlet.save()
                document.refresh_from_db()  # the outlet's save advanced its documents
            document.status = Status.PUBLISHED
            document._change_reason = self.reason
            document.save()
            self.report.published_with += 1

    def _release_published(self):
        if self.publish:
            return True
        return (
            EventCitation.objects.filter(
                document_id=self.document_id, event__status=Status.PUBLISHED
            ).exists()
            or ActorCitation.objects.filter(
                document_id=self.document_id, actor__status=Status.PUBLISHED
            ).exists()
        )

    def release_info(self, source):
        raise NotImplementedError

    # a batch -------------------------------------------------------------------------

    def write_batch(self, specs):
        if not specs:
            return
        now = timezone.now()
        place_of = self.resolve_places(specs, now)
        # Events carry their place's country (Event.country, read by country filters).
        countries = dict(
            Place._base_manager.filter(pk__in={pk for pk, _ in place_of.values()}).values_list(
                "pk", "country"
            )
        )
        place_of = {k: (pk, path, countries[pk]) for k, (pk, path) in place_of.items()}
        actor_of = self.resolve_actors(specs, now)
        compared = [*self.fields, "place_id", "place_path", "country"]
        stored, existing_ids = {}, {}
        for row in (
            Event._base_manager.filter(
                identifiers__scheme=self.SCHEME,
                identifiers__value__in=[s.source_id for s in specs],
            )
            .order_by()
            .values("pk", "status", *compared, source_id=F("identifiers__value"))
        ):
            stored[row["pk"]] = row
            existing_ids[row["source_id"]] = row["pk"]
        participants = {}
        for row in EventParticipant.objects.filter(event_id__in=list(stored)).values_list(
            "pk", "event_id", "actor_id", "role", "note"
        ):
            participants.setdefault(row[1], []).append(row)
        citations = {}
        for pk, event_id, note in (
            EventCitation.objects.filter(
                event_id__in=list(stored), document_id__in=[*self.release_ids(), self.document_id]
            )
            .order_by("created_at")
            .values_list("pk", "event_id", "note")
        ):
            citations[event_id] = (pk, note)

        new_events, given, new_citations, new_participants = [], {}, [], []
        changes, changed_fields, recite, gone = {}, set(), {}, []
        for spec in specs:
            place = place_of.get(id(spec))
            wanted = self.wanted_fields(spec, place)
            wanted_participants = self.wanted_participants(spec, actor_of)
            pk = existing_ids.get(spec.source_id)
            if pk is None:
                event = Row(
                    id=uuid.uuid4(),
                    title=spec.title[:300],
                    status=Status.PUBLISHED if self.publish else Status.DRAFT,
                    version=1,
                    **wanted,
                )
                derive_date(event)
                new_events.append(event)
                given[event.pk] = {self.SCHEME: spec.source_id}
                new_citations.append(self.citation(event.pk, spec))
                for actor_id, role, note in wanted_participants:
                    new_participants.append(
                        Row(
                            id=uuid.uuid4(),
                            event_id=event.id,
                            actor_id=actor_id,
                            role=role,
                            note=note,
                            version=1,
                        )
                    )
                self.report.created += 1
                continue
            row = stored[pk]
            citation, cited_row = citations.get(pk, (None, None))
            publish = self.publish and row["status"] == Status.DRAFT
            if cited_row == spec.fingerprint:
                # The row is as imported before: nothing to do, whatever curators have
                # changed since (but --publish publishes a draft).
                if publish:
                    changes[pk] = {"status": Status.PUBLISHED}
                    changed_fields.add("status")
                    self.report.updated += 1
                else:
                    self.report.unchanged += 1
                continue
            diff = {f: v for f, v in wanted.items() if row[f] != v}
            if publish:
                diff["status"] = Status.PUBLISHED
            if row["status"] == Status.RETRACTED and diff:
                self.report.note("event retracted here: left as it is", spec.where)
                self.report.unchanged += 1
                continue
            held = participants.get(pk, [])
            mine = [p for p in held if p[4].startswith(self.NOTE_PREFIX + " ")]
            held_keys = {(p[2], p[3]) for p in held}
            add = [w for w in wanted_participants if (w[0], w[1]) not in held_keys]
            wanted_keys = {(a, r) for a, r, _ in wanted_participants}
            remove = [p[0] for p in mine if (p[2], p[3]) not in wanted_keys]
            row_changed = bool(
                set(diff) - {"status"} or add or remove or citation is None or cited_row
            )
            if not diff and not row_changed:
                self.report.unchanged += 1
                continue
            changes[pk] = diff
            changed_fields.update(diff)
            for actor_id, role, note in add:
                new_participants.append(
                    Row(
                        id=uuid.uuid4(),
                        event_id=pk,
                        actor_id=actor_id,
                        role=role,
                        note=note,
                        version=1,
                    )
                )
            gone.extend(remove)
            if citation is None:
                new_citations.append(self.citation(pk, spec))
            elif row_changed:
                recite[citation] = self.citation(pk, spec)
            self.report.updated += 1

        changed_events = list(Event._base_manager.filter(pk__in=list(changes))) if changes else []
        for event in changed_events:
            for f, v in changes[event.pk].items():
                setattr(event, f, v)
            derive_date(event)
        changed_citations = list(EventCitation.objects.filter(pk__in=list(recite)))
        for citation in changed_citations:
            fresh = recite[citation.pk]
            citation.document_id = fresh.document_id
            citation.quote = fresh.quote
            citation.locator = fresh.locator
            citation.note = fresh.note

        reason = self.reason
        if new_events:
            insert(Event, new_events, now=now, reason=reason)
            insert(
                EventIdentifier,
                self.identifiers([e.pk for e in new_events], given, now),
                now=now,
                reason=reason,
                history=False,
            )
        if changed_events:
            fields = set(changed_fields)
            if "date" in changed_fields:
                fields |= {"date_start", "date_end", "date_precision"}
            if "place_id" in changed_fields:
                fields |= {"place_path", "country"}
            update(
                Event,
                changed_events,
                sorted(f.removesuffix("_id") for f in fields),
                now=now,
                reason=reason,
            )
        if gone:
            EventParticipant.objects.filter(pk__in=gone).delete()
        if new_participants:
            insert(EventParticipant, new_participants, now=now, reason=reason)
        if new_citations:
            self.document_used = True
            insert(EventCitation, new_citations, now=now, reason=reason)
        if changed_citations:
            self.document_used = True
            update(
                EventCitation,
                changed_citations,
                ["document", "quote", "locator", "note"],
                now=now,
                reason=reason,
            )
        if self.publish:
            self.publish_dependencies(
                {path for _, path, _ in place_of.values()},
                {a for a in actor_of.values() if a is not _AMBIGUOUS},
                now,
            )

    def identifiers(self, event_ids, given, now):
        """The new events' EventIdentifier rows: the source's id, and ours in the other
        schemes (as events.models.assign_identifiers gives them)."""
        rows = []
        for scheme in IDENTIFIER_SCHEMES:
            lacking = [pk for pk in event_ids if scheme not in given[pk]]
            first = IdentifierCounter.allocate(scheme, len(lacking)) if lacking else 0
            numbers = dict(zip(lacking, range(first, first + len(lacking)), strict=True))
            for pk in event_ids:
                value = given[pk].get(scheme) or own_identifier(scheme, numbers[pk])
                rows.append(
                    Row(id=uuid.uuid4(), event_id=pk, scheme=scheme, value=value, version=1)
                )
        return rows

    def wanted_fields(self, spec, place):
        wanted = {f: spec.fields[f] for f in self.fields if f in spec.fields}
        wanted["place_id"] = place[0] if place else None
        wanted["place_path"] = place[1] if place else ""
        wanted["country"] = place[2] if place else ""
        return wanted

    def wanted_participants(self, spec, actor_of):
        wanted, seen = [], set()
        for p in spec.participants:
            actor_id = actor_of.get(p.key)
            if actor_id is None or actor_id is _AMBIGUOUS:
                continue
            key = (actor_id, p.role)
            if key in seen:
                self.report.note(
                    f"an actor named twice on one side ({p.slot}) is recorded once", spec.where
                )
                continue
            seen.add(key)
            wanted.append((actor_id, p.role, f"{self.NOTE_PREFIX} {p.slot}"))
        return wanted

    def citation(self, event_id, spec):
        return Row(
            id=uuid.uuid4(),
            event_id=event_id,
            document_id=self.document_id,
            quote=spec.quote,
            locator=spec.source_id[:100],
            note=spec.fingerprint,
            version=1,
        )

    # actors ----------------------------------------------------------------------------

    def resolve_actors(self, specs, now):
        """{name as written: actor id or _AMBIGUOUS} for the batch's actors: by
        identifier, then by name or alias through the name search's keys, else new."""
        first_seen, hints = {}, {}
        for spec in specs:
            for p in spec.participants:
                first_seen.setdefault(p.key, (spec, p))
                if p.actor_type is not None:
                    hints.setdefault(p.key, p.actor_type)
        unknown = [n for n in first_seen if n not in self.actor_of_name]
        if unknown:
            for value, actor_id in ActorIdentifier.objects.filter(
                scheme=self.SCHEME, value__in=unknown
            ).values_list("value", "actor_id"):
                self.actor_of_name[value] = actor_id
            unknown = [n for n in unknown if n not in self.actor_of_name]
        new_identifiers = []
        if unknown:
            keys = {n: normalize_name(first_seen[n][1].name) for n in unknown}
            found = {}
            for key, actor_id in Actor._base_manager.filter(
                name_normalized__in=set(keys.values())
            ).values_list("name_normalized", "pk"):
                found.setdefault(key, set()).add(actor_id)
            for key, actor_id in ActorName.objects.filter(
                normalized__in=set(keys.values())
            ).values_list("normalized", "actor_id"):
                found.setdefault(key, set()).add(actor_id)
            ambiguous = {a for ids in found.values() if len(ids) > 1 for a in ids}
            slugs = dict(
                Actor._base_manager.filter(pk__in=ambiguous).values_list("pk", "slug")
                if ambiguous
                else []
            )
            created = {}  # key -> new Actor
            for name in unknown:
                ids = found.get(keys[name], set())
                spec, p = first_seen[name]
                if len(ids) > 1:
                    self.actor_of_name[name] = _AMBIGUOUS
                    self.report.ambiguous[p.name] = (sorted(slugs[i] for i in ids), spec.where)
                    continue
                if ids:
                    actor_id = next(iter(ids))
                    self.report.actors_matched_by_name += 1
                elif keys[name] in created:
                    actor_id = created[keys[name]].pk
                else:
                    actor = self.new_actor(p.name, hints.get(name), p, now)
                    created[keys[name]] = actor
                    actor._first = spec
                    actor_id = actor.pk
                self.actor_of_name[name] = actor_id
                new_identifiers.append(
                    Row(
                        id=uuid.uuid4(),
                        actor_id=actor_id,
                        scheme=self.SCHEME,
                        value=name,
                        version=1,
                    )
                )
            if created:
                actors = list(created.values())
                taken = taken_slugs(Actor, [a.name for a in actors], "actor")
                for actor in actors:
                    actor.slug = unique_slug(actor.name, taken, "actor")
                insert(Actor, actors, now=now, reason=self.reason)
                self.document_used = True
                insert(
                    ActorCitation,
                    [
                        Row(
                            id=uuid.uuid4(),
                            actor_id=a.pk,
                            document_id=self.document_id,
                            quote=a.name,
                            locator=a._first.source_id[:100],
                            version=1,
                        )
                        for a in actors
                    ],
                    now=now,
                    reason=self.reason,
                )
                self.report.actors_created += len(actors)
                for a in actors:
                    self.actor_info[a.pk] = [a.kind, a.acled_actor_type]
            if new_identifiers:
                insert(ActorIdentifier, new_identifiers, now=now, reason=self.reason)
        self.check_actor_types(first_seen, hints, now)
        return self.actor_of_name

    def new_actor(self, name, actor_type, participant, now):
        kind, stored_type = self.actor_kind(name, actor_type, participant)
        normalized, skel = normalize_name(name), skeleton(name)
        names, skeletons = search_keys(normalized, skel, [])
        return Row(
            id=uuid.uuid4(),
            name=name,
            kind=kind,
            country=participant.country,
            acled_actor_type=stored_type,
            status=Status.PUBLISHED if self.publish else Status.DRAFT,
            version=1,
            name_normalized=normalized,
            name_skeleton=skel,
            search_names=names,
            search_skeletons=skeletons,
        )

    def actor_kind(self, name, actor_type, participant):
        """(kind, acled_actor_type) of a new actor."""
        return participant.kind or ActorKind.OTHER, None

    def check_actor_types(self, first_seen, hints, now):
        """Actors this import matched whose ACLED type the file gives: stored where it
        differs from their kind's default and curators set none."""
        wanted = {}
        for name, code in hints.items():
            actor_id = self.actor_of_name.get(name)
            if actor_id is None or actor_id is _AMBIGUOUS:
                continue
            wanted.setdefault(actor_id, (code, name))
        missing = [a for a in wanted if a not in self.actor_info]
        if missing:
            for pk, kind, stored in Actor._base_manager.filter(pk__in=missing).values_list(
                "pk", "kind", "acled_actor_type"
            ):
                self.actor_info[pk] = [kind, stored]
        to_set = {}
        for actor_id, (code, name) in wanted.items():
            kind, stored = self.actor_info[actor_id]
            effective = stored or ACLED_TYPE_OF_KIND.get(kind)
            if effective == code:
                continue
            if stored:
                self.report.note(
                    f"actor {name!r} has ACLED type {stored}; the file says {code}: kept",
                    first_seen[name][0].where,
                )
                continue
            to_set[actor_id] = code
        if to_set:
            actors = list(Actor._base_manager.filter(pk__in=list(to_set)))
            for actor in actors:
                actor.acled_actor_type = to_set[actor.pk]
                self.actor_info[actor.pk][1] = actor.acled_actor_type
            update(Actor, actors, ["acled_actor_type"], now=now, reason=self.reason, renderers=True)
            self.report.actor_types_set += len(actors)

    # places ----------------------------------------------------------------------------

    def resolve_places(self, specs, now):
        """{id(spec): (place id, path)}: each spec's chain walked from its country down,
        reusing a place of the right kind with the name (or an alternate name) within its
        parent, and creating the rest; a located place (town) is reused only at the same
        coordinates (two villages of one name in a district are two places)."""
        result = {}
        codes = {s.place.country for s in specs if s.place}
        missing = [c for c in codes if c not in self.country_place]
        if missing:
            rows = Place._base_manager.filter(kind=PlaceKind.COUNTRY, country__in=missing)
            for row in rows.order_by("slug").values("pk", "path", "country"):
                self.country_place.setdefault(row["country"], row)
        new_countries = []
        for spec in specs:
            if spec.place and spec.place.country not in self.country_place:
                place = self.new_place(
                    spec.place.country_name, PlaceKind.COUNTRY, None, spec.place.country
                )
                self.country_place[spec.place.country] = {"pk": place.pk, "path": place.path}
                self.children[place.pk] = {}
                new_countries.append(place)
        self.save_places(new_countries, now)
        current = {}
        for s in specs:
            if s.place:
                country = self.country_place[s.place.country]
                current[id(s)] = (country["pk"], country["path"])
        depth = max((len(s.place.levels) for s in specs if s.place), default=0)
        for level in range(depth):
            at_level = [s for s in specs if s.place and len(s.place.levels) > level]
            self.load_children({current[id(s)][0] for s in at_level})
            created = {}
            for spec in at_level:
                parent_id, parent_path = current[id(spec)]
                step = spec.place.levels[level]
                found = self.find_child(parent_id, step)
                fresh = created.get(found[0]) if found else None
                if fresh is not None and fresh.latitude is None and step.latitude is not None:
                    # a division this batch creates, and a row placed at it: its point
                    fresh.latitude, fresh.longitude = step.latitude, step.longitude
                    fresh.index_row["latitude"] = step.latitude
                    fresh.index_row["longitude"] = step.longitude
                if found is None:
                    place = self.new_place(
                        step.name,
                        step.kind,
                        (parent_id, parent_path),
                        spec.place.country,
                        step.latitude,
                        step.longitude,
                    )
                    place.index_row = {
                        "pk": place.pk,
                        "path": place.path,
                        "kind": place.kind,
                        "name": place.name,
                        "latitude": place.latitude,
                        "longitude": place.longitude,
                        "search_names": place.search_names,
                    }
                    self.index_child(parent_id, place.index_row)
                    self.children[place.pk] = {}
                    created[place.pk] = place
                    found = (place.pk, place.path)
                current[id(spec)] = found
            self.save_places(list(created.values()), now)
        for spec in specs:
            if spec.place:
                result[id(spec)] = current[id(spec)]
        return result

    def load_children(self, parent_ids):
        missing = [p for p in parent_ids if p not in self.children]
        if not missing:
            return
        for p in missing:
            self.children[p] = {}
        rows = Place._base_manager.filter(parent_id__in=missing).values(
            "pk", "parent_id", "path", "kind", "name", "latitude", "longitude", "search_names"
        )
        for row in rows.order_by("slug"):
            self.index_child(row["parent_id"], row)

    def index_child(self, parent_id, row):
        index = self.children.setdefault(parent_id, {})
        keys = {k for k in (row["search_names"] or "").split("\n") if k}
        keys.add(name_key(row["name"]))
        for key in keys:
            index.setdefault(key, []).append(row)

    def find_child(self, parent_id, step):
        kinds = _LEVEL_KINDS[step.kind]
        rows = [
            r
            for r in self.children.get(parent_id, {}).get(name_key(step.name), [])
            if r["kind"] in kinds
        ]
        if step.kind == PlaceKind.TOWN:
            rows = [
                r
                for r in rows
                if _same_coordinate(r["latitude"], step.latitude)
                and _same_coordinate(r["longitude"], step.longitude)
            ]
        if not rows:
            return None
        exact = [r for r in rows if r["name"] == step.name]
        row = (exact or rows)[0]
        return row["pk"], row["path"]

    def new_place(self, name, kind, parent, country, latitude=None, longitude=None):
        pk = uuid.uuid4()
        parent_id, parent_path = parent or (None, "")
        place = Row(
            id=pk,
            name=name,
            kind=kind,
            parent_id=parent_id,
            path=f"{parent_path}{pk.hex}/",
            country=country,
            latitude=latitude,
            longitude=longitude,
            alternate_names=[],
            search_names=place_search_names(name, []),
            status=Status.PUBLISHED if self.publish else Status.DRAFT,
            version=1,
        )
        return place

    def save_places(self, places, now):
        if not places:
            return
        taken = taken_slugs(Place, [p.name for p in places], "place")
        for place in places:
            place.slug = unique_slug(place.name, taken, "place")
        insert(Place, places, now=now, reason=self.reason)
        self.report.places_created += len(places)

    # publishing --------------------------------------------------------------------------

    def publish_dependencies(self, place_paths, actor_ids, now):
        """--publish: the drafts the batch's events render (their places and the places
        around them, their actors) are published with them."""
        place_ids = {uuid.UUID(h) for path in place_paths for h in path.split("/") if h}
        for model, ids in ((Place, place_ids), (Actor, set(actor_ids))):
            ids -= self.published_ids
            if not ids:
                continue
            records = list(model._base_manager.filter(pk__in=list(ids), status=Status.DRAFT))
            for record in records:
                record.status = Status.PUBLISHED
            update(model, records, ["status"], now=now, reason=self.reason, renderers=True)
            self.report.published_with += len(records)
            self.published_ids |= ids

    # retractions -----------------------------------------------------------------------

    def retract(self, ids_with_reasons):
        """Retract the events with these ids in the scheme: [(id, reason, where)]."""
        now = timezone.now()
        values = [i for i, _, _ in ids_with_reasons]
        event_of = dict(
            EventIdentifier.objects.filter(scheme=self.SCHEME, value__in=values).values_list(
                "value", "event_id"
            )
        )
        events = Event._base_manager.in_bulk(list(event_of.values()))
        changed = []
        for value, reason, _where in ids_with_reasons:
            event = events.get(event_of.get(value))
            if event is None:
                self.report.not_found += 1
                continue
            if event.status == Status.RETRACTED:
                self.report.already_retracted += 1
                continue
            event.status = Status.RETRACTED
            event.retraction_reason = reason
            changed.append(event)
        update(Event, changed, ["status", "retraction_reason"], now=now, reason=self.reason)
        self.report.retracted += len(changed)


def derive_date(event):
    """partialdates.derive for the dates importers write (a day, a month, an interval
    of days) without the EDTF grammar (~30 ms a date); anything else goes through it."""
    text = event.date.strip()
    event.date = text
    bounds = _simple_bounds(text)
    if bounds is None:
        partialdates.derive(event, Event.PARTIAL_DATES)
        return
    event.date_start, event.date_end, event.date_precision = bounds


def _simple_bounds(text):
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            return day, day, partialdates.Precision.DAY
        if len(text) == 7 and text[4] == "-":
            start = datetime.date(int(text[:4]), int(text[5:]), 1)
            last = calendar.monthrange(start.year, start.month)[1]
            return start, start.replace(day=last), partialdates.Precision.MONTH
        if len(text) == 21 and text[10] == "/":
            start = datetime.date.fromisoformat(text[:10])
            end = datetime.date.fromisoformat(text[11:])
            if end <= start:
                return None
            whole_month = (
                start.day == 1
                and (start.year, start.month) == (end.year, end.month)
                and end.day == calendar.monthrange(end.year, end.month)[1]
            )
            whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
                start.year == end.year
            )
            if whole_month:
                return start, end, partialdates.Precision.MONTH
            if whole_year:
                return start, end, partialdates.Precision.YEAR
            return start, end, partialdates.Precision.RANGE
    except ValueError:
        return None
    return None


def _same_coordinate(stored, given):
    if stored is None or given is None:
        return stored is None and given is None
    return decimal.Decimal(stored).quantize(_MICRO) == decimal.Decimal(given).quantize(_MICRO)


_MICRO = decimal.Decimal("0.000001")


def _date_or_none(text):
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=1 << 16)
def name_key(name):
    """The name search's key of a name (cached: an export names the same few thousand
    actors and places again and again)."""
    return normalize_name(name)


@functools.lru_cache(maxsize=1 << 16)
def _name_fits(name):
    return max(len(normalize_name(name)), len(skeleton(name))) <= SEARCH_KEY_LENGTH


def check_name(column, name):
    if len(name) > 200:
        raise RowError(column, f"{name[:40]!r}… is longer than 200 characters.")
    if not _name_fits(name):
        raise RowError(column, f"{name[:40]!r}… spells out too long for the name search.")


def parse_decimal(column, text, low, high):
    text = text.strip()
    if not text:
        return None
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise RowError(column, f"{text!r} is not a number.") from None
    if not value.is_finite() or not low <= value <= high:
        raise RowError(column, f"{text!r} is not between {low} and {high}.")
    return value.quantize(_MICRO)


def parse_int(column, text, *, low=0, high=None, required=False):
    text = text.strip()
    if not text:
        if required:
            raise RowError(column, "is empty.")
        return None
    try:
        value = int(decimal.Decimal(text)) if "." in text else int(text)
    except (ValueError, decimal.InvalidOperation):
        raise RowError(column, f"{text!r} is not a whole number.") from None
    if value < low or (high is not None and value > high):
        raise RowError(
            column, f"{text!r} is out of range ({low} to {high if high is not None else '…'})."
        )
    return value
