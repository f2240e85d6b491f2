"""Publishing and retracting, so that the visibility rule stays true.

A published record must be shown whole: every curated record it renders (its event type
and that type's parent, its place and the places around it, its participants' actors,
its cited documents and their outlets; see `conflictapi.visibility.rendered_relations`)
is published too. So:

- a record that is cited (events, actors, ties) is published only with a citation of a
  published document;
- publishing a record whose dependencies are not all published is refused, naming each
  one, unless they are published with it (`with_dependencies`, one transaction; a
  retracted dependency is never brought back that way: it was withdrawn for a reason);
- an edit that points a published record at an unpublished one is refused the same way;
- retracting is allowed (the records that point to it then render it as absent), unless
  the model says otherwise (`retraction_conflicts`: a document that is the only
  published citation of a published record).

Both the API and the admin call these functions.
"""

from django.db import transaction

from conflictapi.models import CuratedModel, StaleVersionError, Status
from conflictapi.visibility import rendered_relations


class UnpublishedDependencies(Exception):
    """The record renders records that are not published."""

    def __init__(self, record, missing):
        self.record = record
        self.missing = missing  # [(relation path, record)]
        super().__init__(
            f"{describe(record)} cannot be published while it renders unpublished records: "
            + "; ".join(f"{path}: {describe(dep)} is {dep.status}" for path, dep in missing)
        )

    def by_relation(self):
        """{relation path: [message]}: one message a record, for a 409 naming each."""
        messages = {}
        for path, dep in self.missing:
            advice = (
                "publish it on its own first"
                if dep.status == Status.RETRACTED
                else "publish it first, or publish with_dependencies"
            )
            messages.setdefault(path, []).append(f"{describe(dep)} is {dep.status}: {advice}.")
        return messages


class Uncited(Exception):
    """A record that must be supported by a citation has none from a published
    document."""

    def __init__(self, record):
        self.record = record
        super().__init__(
            f"{describe(record)} has no citation of a published document: cite the "
            "document that supports it before publishing."
        )


class RetractionConflict(Exception):
    """Retracting the record would leave published records without support."""

    def __init__(self, record, blocked):
        self.record = record
        self.blocked = blocked
        super().__init__(
            f"{describe(record)} is the only published citation of "
            + ", ".join(describe(r) for r in blocked)
            + ": cite another published document there, or retract them first."
        )


def describe(record):
    """ "place “Idlib Governorate” (id …)": how an error names a record."""
    return f"{record._meta.verbose_name} “{record}” ({record.pk})"


def direct_dependencies(record):
    """(relation path, curated record) for every curated record `record` renders."""
    for path, fk in rendered_relations(type(record)):
        if path == fk.name:
            related = getattr(record, fk.name)
            if related is not None:
                yield path, related
        else:
            for row in getattr(record, path).select_related(fk.name):
                yield path, getattr(row, fk.name)


def unpublished_dependencies(record):
    """(relation path, record) for every record that must be published for `record`
    to be shown whole: its dependencies, theirs (a place's parent, a document's
    outlet), and so on; deepest first, the order in which to publish them. The path
    is the relation of `record` through which the dependency was reached."""
    seen = {(type(record), record.pk)}
    missing = []

    def walk(current, top_path):
        for path, dep in direct_dependencies(current):
            key = (type(dep), dep.pk)
            if key in seen:
                continue
            seen.add(key)
            walk(dep, top_path or path)
            if dep.status != Status.PUBLISHED:
                missing.append((top_path or path, dep))

    walk(record, None)
    return missing


def check_dependencies_published(record):
    """Raise UnpublishedDependencies if a published `record` renders unpublished ones."""
    if record.status == Status.PUBLISHED:
        missing = unpublished_dependencies(record)
        if missing:
            raise UnpublishedDependencies(record, missing)


def check_cited(record, also_published=()):
    """Raise Uncited if `record` has citations (owned rows that need a document) but
    none of a published document (or one published with it): every published fact is
    tied to its source."""
    relation = getattr(type(record), "citations", None)
    if relation is None:
        return
    documents = record.citations.values_list("document_id", "document__status")
    if not any(status == Status.PUBLISHED or pk in also_published for pk, status in documents):
        raise Uncited(record)


def publish(record, *, user=None, with_dependencies=False, may_publish=None):
    """Publish `record`, and with `with_dependencies` the drafts it renders, in one
    transaction. `may_publish(model)` says whether the user may publish records of a
    model (a dependency of a model the user may not publish is refused)."""
    with transaction.atomic():
        _lock_current([record])
        missing = unpublished_dependencies(record)
        refused = [
            (path, dep)
            for path, dep in missing
            if not with_dependencies
            or dep.status == Status.RETRACTED
            or (may_publish is not None and not may_publish(type(dep)))
        ]
        if refused:
            raise UnpublishedDependencies(record, refused)
        check_cited(record, also_published={dep.pk for _path, dep in missing})
        _lock_current([dep for _path, dep in missing])
        for _path, dep in missing:
            _set_status(dep, Status.PUBLISHED, "", user)
        _set_status(record, Status.PUBLISHED, "", user)
    return [dep for _path, dep in missing]


def retract(record, *, reason, user=None):
    """Retract `record` with a reason, unless the model finds a conflict."""
    with transaction.atomic():
        _lock_current([record])
        blocked = record.retraction_conflicts()
        if blocked:
            raise RetractionConflict(record, blocked)
        _set_status(record, Status.RETRACTED, reason, user)


def _lock_current(records):
    """Lock the records' rows for the transaction, and refuse if one changed since it
    was read (StaleVersionError): from here on, only this transaction changes them."""
    for record in records:
        # No ordering: a model's default order may join (an event type's parent), and
        # FOR UPDATE refuses the nullable side of an outer join.
        current = list(
            type(record)
            ._base_manager.select_for_update()
            .filter(pk=record.pk)
            .order_by()
            .values_list("version", flat=True)
        )
        if current != [record.version]:
            raise StaleVersionError(record, record.version)


def _set_status(record, status, reason, user):
    assert isinstance(record, CuratedModel)
    # Publishing a dependency may have moved this record's version (it renders the
    # dependency: conflictapi.dependents); the row is locked, so the change is ours.
    record.version = (
        type(record)._base_manager.filter(pk=record.pk).values_list("version", flat=True).get()
    )
    record.status = status
    record.retraction_reason = reason
    if user is not None:
        record._history_user = user
    record.save()
