import factory
from django.contrib.auth.models import Group, User

from actors.models import Actor, ActorCitation, ActorIdentifier, ActorName, Affiliation
from events.models import Event, EventCitation, EventParticipant, EventType, Place
from sources.models import Document, Outlet


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    kind = "news"
    status = "published"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    outlet = factory.SubFactory(OutletFactory)
    title = factory.Sequence(lambda n: f"Report {n}")
    published_on = "2015-01-15"
    status = "published"


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Brigade {n}")
    slug = factory.Sequence(lambda n: f"brigade-{n}")
    kind = "armed_group"
    status = "published"


class ActorNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorName

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")
    kind = "short"


class ActorIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorIdentifier

    actor = factory.SubFactory(ActorFactory)
    scheme = "wikidata"
    value = factory.Sequence(lambda n: f"Q{1000 + n}")


class ActorCitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorCitation

    actor = factory.SubFactory(ActorFactory)
    document = factory.SubFactory(DocumentFactory)
    quote = "a verbatim sentence"


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    subject = factory.SubFactory(ActorFactory)
    object = factory.SubFactory(ActorFactory)
    kind = "allied_with"
    status = "published"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Town {n}")
    slug = factory.Sequence(lambda n: f"town-{n}")
    kind = "town"
    country = "SY"
    status = "published"


def event_type(slug="armed-clash"):
    return EventType.objects.get(slug=slug)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Clash {n}")
    event_type = factory.LazyFunction(event_type)
    date = "2014-11-01"
    status = "published"


class EventParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventParticipant

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "initiator"


class EventCitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventCitation

    event = factory.SubFactory(EventFactory)
    document = factory.SubFactory(DocumentFactory)
    quote = "a verbatim sentence"
