"""Synthetic data at scale: outlets, documents, a place tree, actors with their aliases,
identifiers and affiliations, and events with participants and citations.

The data is made to look like the curated data set, only far larger: heavy-tailed actor
activity (a few actors take part in very many events), transliteration families of names
(Nusra/Nosra, Qaeda/Qaida/Qa'ida, with and without "al-", Arabic script), partial dates of
mixed precision over decades, fatalities with a heavy tail.

Everything is deterministic: each table draws from its own ``random.Random`` stream seeded
from ``seed``, ids are ``uuid4``-shaped UUIDs drawn from those streams and timestamps are
derived from the seed, so the same seed gives the same rows and ids whatever the batch
size or the database. (Event types are the database's seeded vocabulary: an event points
at the same type *slug* everywhere, whose id is the database's own.)

Rows are written without save(): every derived column (partial-date bounds and
precision, normalized names, place paths, version 1) is computed here. On PostgreSQL the
rows go through COPY; elsewhere through bulk_create. The whole run is one transaction:
an interrupted run leaves nothing behind. Slugs start with ``syn-<seed>-`` so that runs
with different seeds append to a database that already holds data; a seed that is
already present is refused.
"""

import bisect
import calendar
import datetime
import decimal
import math
import queue
import random
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils.text import slugify

from actors.models import (
    Actor,
    ActorCitation,
    ActorIdentifier,
    ActorName,
    Affiliation,
    AffiliationCitation,
)
from conflictapi.generation import bump_generation
from conflictapi.text import normalize_name
from events.models import (
    IDENTIFIER_SCHEMES,
    Event,
    EventCitation,
    EventIdentifier,
    EventParticipant,
    EventType,
    IdentifierCounter,
    Place,
    own_identifier,
    place_search_names,
)
from interop.acled import store_rows
from interop.models import AcledRow
from sources.models import Document, Outlet

try:  # the consonant skeleton of names, where the models keep one
    from conflictapi.text import skeleton
except ImportError:  # pragma: no cover
    skeleton = None


class SyntheticDataError(ValueError):
    """The arguments cannot produce a consistent data set."""


# --------------------------------------------------------------------------------------
# Plan: the counts of one run, with defaults scaled to the target sizes
# --------------------------------------------------------------------------------------


@dataclass
class Plan:
    events: int
    actors: int
    seed: int
    places: int | None = None
    aliases: int | None = None
    outlets: int | None = None
    documents: int | None = None
    affiliations: int | None = None
    batch_size: int = 5000
    method: str = "auto"  # auto | copy | bulk

    def resolve(self):
        """Fill the defaults and check the counts; raise SyntheticDataError."""
        for name in ("events", "actors", "seed"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise SyntheticDataError(f"--{name} must be a whole number ≥ 0 (got {value!r}).")
        for name in ("places", "aliases", "outlets", "documents", "affiliations"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise SyntheticDataError(f"--{name} must be a whole number ≥ 0 (got {value!r}).")
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise SyntheticDataError(f"--batch-size must be ≥ 1 (got {self.batch_size!r}).")
        if self.method not in ("auto", "copy", "bulk"):
            raise SyntheticDataError(f"--method must be auto, copy or bulk (got {self.method!r}).")
        if self.events > 0 and self.actors < 1:
            raise SyntheticDataError("Events need participants: give --actors ≥ 1.")
        if self.places is None:
            self.places = max(30, self.events // 20) if self.events else 0
        if self.aliases is None:
            self.aliases = 5 * self.actors
        if self.aliases > 0 and self.actors < 1:
            raise SyntheticDataError("Aliases need actors: give --actors ≥ 1.")
        if self.affiliations is None:
            self.affiliations = self.actors // 5 if self.actors >= 2 else 0
        if self.affiliations > 0 and self.actors < 2:
            raise SyntheticDataError("Affiliations join two actors: give --actors ≥ 2.")
        if self.documents is None:
            self.documents = max(20, self.events // 50) if self.events or self.affiliations else 0
        if self.documents < 1 and (self.events or self.affiliations):
            raise SyntheticDataError(
                "Events and affiliations are cited: give --documents ≥ 1 (or leave it out)."
            )
        if self.outlets is None:
            self.outlets = min(200, max(10, self.documents // 100)) if self.documents else 0
        if self.documents > 0 and self.outlets < 1:
            raise SyntheticDataError("Documents need an outlet: give --outlets ≥ 1.")
        return self


# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------

# code, name, Arabic name (or ""), adjective, centre lat, lon, half-height, half-width,
# weight (how much happens there), admin1 suffix
COUNTRIES = [
    ("SY", "Syria", "سوريا", "Syrian", 35.0, 38.5, 1.6, 2.6, 30, "Governorate"),
    ("IQ", "Iraq", "العراق", "Iraqi", 33.0, 44.0, 3.0, 3.5, 18, "Governorate"),
    ("YE", "Yemen", "اليمن", "Yemeni", 15.5, 47.5, 2.0, 4.0, 10, "Governorate"),
    ("AF", "Afghanistan", "أفغانستان", "Afghan", 33.9, 67.7, 3.0, 6.0, 10, "Province"),
    ("SO", "Somalia", "الصومال", "Somali", 5.2, 46.2, 4.5, 3.5, 6, "Region"),
    ("LY", "Libya", "ليبيا", "Libyan", 27.0, 17.0, 4.5, 7.0, 5, "District"),
    ("NG", "Nigeria", "نيجيريا", "Nigerian", 9.1, 8.7, 4.0, 5.0, 5, "State"),
    ("ML", "Mali", "مالي", "Malian", 17.6, -4.0, 5.0, 6.0, 4, "Region"),
    ("TR", "Turkey", "تركيا", "Turkish", 39.0, 35.0, 1.8, 7.5, 4, "Province"),
    ("LB", "Lebanon", "لبنان", "Lebanese", 33.85, 35.86, 0.45, 0.35, 3, "Governorate"),
    ("PK", "Pakistan", "باكستان", "Pakistani", 30.4, 69.3, 4.5, 5.5, 4, "Province"),
    ("SD", "Sudan", "السودان", "Sudanese", 15.5, 30.2, 5.0, 6.5, 4, "State"),
    ("UA", "Ukraine", "أوكرانيا", "Ukrainian", 48.4, 31.2, 2.8, 7.5, 6, "Oblast"),
    ("EG", "Egypt", "مصر", "Egyptian", 26.8, 30.8, 4.0, 4.5, 2, "Governorate"),
    ("PS", "Palestine", "فلسطين", "Palestinian", 31.9, 35.2, 0.35, 0.25, 3, "Governorate"),
    ("JO", "Jordan", "الأردن", "Jordanian", 31.2, 36.5, 1.4, 1.4, 1, "Governorate"),
    ("CD", "DR Congo", "الكونغو الديمقراطية", "Congolese", -2.9, 23.7, 5.5, 6.5, 4, "Province"),
    ("MM", "Myanmar", "ميانمار", "Burmese", 21.9, 95.9, 5.5, 3.0, 4, "Region"),
    ("ET", "Ethiopia", "إثيوبيا", "Ethiopian", 9.1, 40.5, 4.5, 5.5, 3, "Region"),
    ("BF", "Burkina Faso", "بوركينا فاسو", "Burkinabe", 12.2, -1.6, 2.3, 3.2, 3, "Region"),
    ("CF", "Central African Republic", "", "Central African", 6.6, 20.9, 2.3, 5.0, 2, "Prefecture"),
    ("SS", "South Sudan", "جنوب السودان", "South Sudanese", 7.9, 30.0, 2.8, 4.5, 2, "State"),
]

# Syllables with an Arabic rendering, for place names.
SYLLABLES = [
    ("ba", "با"), ("da", "دا"), ("ha", "حا"), ("ka", "كا"), ("ma", "ما"), ("na", "نا"),
    ("ra", "را"), ("sa", "سا"), ("ta", "تا"), ("za", "زا"), ("sha", "شا"), ("kha", "خا"),
    ("qa", "قا"), ("ja", "جا"), ("la", "لا"), ("fa", "فا"), ("wa", "وا"), ("bi", "بي"),
    ("di", "دي"), ("mi", "مي"), ("ni", "ني"), ("ri", "ري"), ("si", "سي"), ("ti", "تي"),
    ("bu", "بو"), ("du", "دو"), ("mu", "مو"), ("nu", "نو"), ("ru", "رو"), ("su", "سو"),
    ("yat", "يات"), ("rin", "رين"), ("dan", "دان"), ("jir", "جير"), ("mal", "مال"),
    ("sar", "سار"), ("kan", "كان"), ("lim", "ليم"), ("han", "هان"), ("tun", "تون"),
    ("zor", "زور"), ("bad", "باد"), ("hol", "هول"), ("kir", "كير"), ("yah", "ية"),
]  # fmt: skip
TOWN_PREFIXES = [
    ("Kafr", "كفر"), ("Tell", "تل"), ("Ain", "عين"), ("Deir", "دير"), ("Khan", "خان"),
    ("Jisr", "جسر"), ("Bir", "بئر"), ("Ras", "رأس"), ("Qasr", "قصر"), ("Maarat", "معرة"),
    ("Beit", "بيت"), ("Umm", "أم"), ("Jabal", "جبل"), ("Tal", "تل"), ("Wadi", "وادي"),
]  # fmt: skip
# Latin spelling variants seen in transliterated place names.
PLACE_RESPELL = [("Kafr", "Kfar"), ("Tell", "Tal"), ("Deir", "Dayr"), ("u", "ou"), ("q", "k")]

# Group names: prefix (Latin, Arabic, English) + core (Latin, Arabic with article, English).
GROUP_PREFIXES = [
    ("Jabhat", "جبهة", "Front"), ("Harakat", "حركة", "Movement"), ("Liwa", "لواء", "Brigade"),
    ("Kataib", "كتائب", "Battalions"), ("Katibat", "كتيبة", "Battalion"),
    ("Jaish", "جيش", "Army"), ("Ansar", "أنصار", "Supporters"), ("Ahrar", "أحرار", "Free Men"),
    ("Saraya", "سرايا", "Companies"), ("Faylaq", "فيلق", "Legion"),
    ("Tajammu", "تجمع", "Gathering"), ("Hay'at", "هيئة", "Organisation"),
    ("Alwiyat", "ألوية", "Brigades"), ("Jamaat", "جماعة", "Group"),
]  # fmt: skip
COALITION_PREFIXES = [
    ("Ghurfat Amaliyat", "غرفة عمليات", "Operations Room"), ("Tahaluf", "تحالف", "Alliance"),
    ("Majlis", "مجلس", "Council"), ("Itilaf", "ائتلاف", "Coalition"),
    ("Jabhat", "جبهة", "Front"),
]  # fmt: skip
MEDIA_PREFIXES = [
    ("Muassasat", "مؤسسة", "Foundation"), ("Wakalat", "وكالة", "Agency"),
    ("Idhaat", "إذاعة", "Radio"), ("Shabakat", "شبكة", "Network"),
]  # fmt: skip
PARTY_PREFIXES = [
    ("Hizb", "حزب", "Party"), ("Tayyar", "تيار", "Current"), ("Harakat", "حركة", "Movement"),
    ("Majlis", "مجلس", "Council"),
]  # fmt: skip
CORES = [
    ("Nusra", "النصرة", "Support"), ("Sham", "الشام", "the Levant"),
    ("Islam", "الإسلام", "Islam"), ("Tawhid", "التوحيد", "Monotheism"),
    ("Fath", "الفتح", "Conquest"), ("Furqan", "الفرقان", "the Criterion"),
    ("Haqq", "الحق", "Truth"), ("Umma", "الأمة", "the Nation"), ("Izza", "العزة", "Glory"),
    ("Karama", "الكرامة", "Dignity"), ("Thuwwar", "الثوار", "the Revolutionaries"),
    ("Sunna", "السنة", "the Sunna"), ("Mujahidin", "المجاهدين", "the Holy Warriors"),
    ("Tahrir", "التحرير", "Liberation"), ("Nasr", "النصر", "Victory"),
    ("Shuhada", "الشهداء", "the Martyrs"), ("Khilafa", "الخلافة", "the Caliphate"),
    ("Iman", "الإيمان", "Faith"), ("Hurriya", "الحرية", "Freedom"),
    ("Sahwa", "الصحوة", "the Awakening"), ("Furat", "الفرات", "the Euphrates"),
    ("Jazira", "الجزيرة", "the Island"), ("Sahil", "الساحل", "the Coast"),
    ("Janub", "الجنوب", "the South"), ("Shamal", "الشمال", "the North"),
    ("Qaeda", "القاعدة", "the Base"), ("Shabaab", "الشباب", "the Youth"),
    ("Jihad", "الجهاد", "Struggle"), ("Ribat", "الرباط", "the Frontier"),
    ("Muhajirin", "المهاجرين", "the Emigrants"), ("Asala", "الأصالة", "Authenticity"),
    ("Wahda", "الوحدة", "Unity"), ("Intisar", "الانتصار", "Triumph"),
    ("Sumud", "الصمود", "Steadfastness"), ("Quds", "القدس", "Jerusalem"),
    ("Rahma", "الرحمة", "Mercy"), ("Adl", "العدل", "Justice"), ("Salam", "السلام", "Peace"),
    ("Badiya", "البادية", "the Desert"), ("Hisba", "الحسبة", "Accountability"),
]  # fmt: skip


@dataclass(frozen=True)
class NameFamily:
    """One name as the sources spell it: Latin variants (first is the usual one), an
    accented scholarly form, Arabic with and without the article, an English gloss."""

    latin: tuple
    accented: str
    arabic: str
    arabic_bare: str
    english: str


# A deterministic subset of armed groups is named from these families, so that search by
# any spelling can be exercised at scale.
FAMILIES = [
    NameFamily(("Nusra", "Nosra", "Nusrah", "Nousra"), "Nuṣra", "النصرة", "نصرة", "Support"),
    NameFamily(("Qaeda", "Qaida", "Qa'ida", "Qa’ida"), "Qāʿida", "القاعدة", "قاعدة", "the Base"),
    NameFamily(("Sham", "Shaam", "Cham"), "Shām", "الشام", "شام", "the Levant"),
    NameFamily(("Tawhid", "Tawheed", "Tauhid"), "Tawḥīd", "التوحيد", "توحيد", "Monotheism"),
    NameFamily(("Shabaab", "Shabab", "Chabab"), "Shabāb", "الشباب", "شباب", "the Youth"),
    NameFamily(("Furqan", "Forqan", "Furqaan"), "Furqān", "الفرقان", "فرقان", "the Criterion"),
    NameFamily(("Jihad", "Djihad", "Jehad"), "Jihād", "الجهاد", "جهاد", "Struggle"),
    NameFamily(
        ("Mujahidin", "Mujahideen", "Moudjahidine"), "Mujāhidīn", "المجاهدين", "مجاهدين",
        "the Holy Warriors",
    ),
]  # fmt: skip
FAMILY_EVERY = 12  # every 12th armed group, starting with the first, has a family name
FAMILY_MIN_ALIASES = 16

# (Latin, Arabic, other spellings)
FIRST_NAMES = [
    ("Mohammad", "محمد", ("Muhammad", "Mohammed", "Mohamed")), ("Ahmad", "أحمد", ("Ahmed",)),
    ("Omar", "عمر", ("Umar", "Omer")), ("Ali", "علي", ("Aly",)), ("Hassan", "حسن", ("Hasan",)),
    ("Hussein", "حسين", ("Husayn", "Hussain")), ("Khalid", "خالد", ("Khaled",)),
    ("Abdullah", "عبد الله", ("Abdallah", "Abd Allah")), ("Ibrahim", "إبراهيم", ("Brahim",)),
    ("Yusuf", "يوسف", ("Youssef", "Yousef")), ("Mahmoud", "محمود", ("Mahmud",)),
    ("Mustafa", "مصطفى", ("Moustafa", "Mostafa")), ("Saleh", "صالح", ("Salih",)),
    ("Hamza", "حمزة", ("Hamzah",)), ("Bilal", "بلال", ()), ("Zaid", "زيد", ("Zayd",)),
    ("Tariq", "طارق", ("Tarek", "Tareq")), ("Jamal", "جمال", ("Gamal",)),
    ("Nasser", "ناصر", ("Nasir",)), ("Qasim", "قاسم", ("Kassem", "Qassem")),
    ("Anas", "أنس", ()), ("Osama", "أسامة", ("Usama",)),
    ("Suleiman", "سليمان", ("Sulayman", "Soliman")), ("Bakr", "بكر", ("Bakir",)),
]  # fmt: skip
NISBAS = [
    ("Halabi", "الحلبي"), ("Shami", "الشامي"), ("Iraqi", "العراقي"), ("Masri", "المصري"),
    ("Libi", "الليبي"), ("Adnani", "العدناني"), ("Ansari", "الأنصاري"), ("Tunisi", "التونسي"),
    ("Jazrawi", "الجزراوي"), ("Baghdadi", "البغدادي"), ("Idlibi", "الإدلبي"),
    ("Homsi", "الحمصي"), ("Maqdisi", "المقدسي"), ("Zarqawi", "الزرقاوي"),
    ("Hashimi", "الهاشمي"), ("Qurashi", "القرشي"), ("Kurdi", "الكردي"), ("Yamani", "اليمني"),
    ("Somali", "الصومالي"), ("Hamawi", "الحموي"), ("Dimashqi", "الدمشقي"),
    ("Mosuli", "الموصلي"), ("Tikriti", "التكريتي"), ("Golani", "الجولاني"),
]  # fmt: skip
FORCE_UNITS = [
    "Armed Forces", "Army", "Air Force", "National Police", "Republican Guard",
    "Special Forces", "Border Guard", "Navy", "Military Police", "Intelligence Directorate",
    "Gendarmerie", "Presidential Guard", "Counter-Terrorism Service", "National Guard",
]  # fmt: skip
MINISTRIES = ["Interior", "Defence", "Foreign Affairs", "Justice", "Information", "Health"]
PARTY_WORDS = ["Democratic", "National", "Islamic", "Socialist", "Unionist", "Popular", "Renewal"]
PARTY_NOUNS = ["Party", "Union", "Council", "Congress", "Alliance", "Front"]
IO_NAMES = [
    ("United Nations Mission in", "UNM"), ("African Union Mission in", "AUM"),
    ("International Committee of the Red Cross delegation in", "ICRC"),
    ("European Union Training Mission in", "EUTM"), ("OSCE Monitoring Mission to", "OSCE"),
]  # fmt: skip
OTHER_ACTORS = [
    "Civilians", "Protesters", "Rioters", "Unidentified Armed Group", "Tribal Militia",
    "Clan Militia", "Smugglers", "Prisoners", "Journalists", "Aid Workers",
]  # fmt: skip
PEJORATIVES = ["the new Khawarij", "the takfiris", "the mercenaries", "the terrorist gangs"]

ACTOR_KINDS = [  # (kind, weight)
    ("armed_group", 56), ("person", 15), ("state_force", 8), ("political_organisation", 5),
    ("coalition", 4), ("government_body", 3), ("media", 3), ("other", 4),
    ("international_organisation", 2),
]  # fmt: skip
ACTOR_KIND_LABEL = {
    "armed_group": "armed group", "coalition": "coalition", "state": "state",
    "state_force": "state force", "government_body": "government body",
    "political_organisation": "political organisation",
    "international_organisation": "international organisation", "person": "person",
    "media": "media outlet", "other": "actor",
}  # fmt: skip

OUTLET_KINDS = [
    ("news", 45), ("monitor", 15), ("research", 10), ("state_media", 10), ("government", 8),
    ("armed_group_media", 7), ("blog", 5),
]  # fmt: skip
NEWS_NOUNS = [
    "Times", "Post", "Herald", "Observer", "Tribune", "Daily", "Monitor", "Report", "Dispatch",
    "Review", "Voice", "Chronicle", "Gazette", "News", "Express", "Journal", "Telegraph",
]  # fmt: skip
REGIONS = [
    "Levant", "Gulf", "Sahel", "Horn", "Euphrates", "Frontline", "Global", "Middle East",
    "Eastern", "Northern", "Crescent", "Maghreb", "Nile", "Tigris", "Desert", "Border",
]  # fmt: skip
AUTHOR_FIRST = [
    "John", "Maria", "Ahmed", "Sara", "Lina", "David", "Omar", "Nour", "James", "Elena",
    "Karim", "Rania", "Michael", "Hassan", "Anna", "Yasmin", "Paul", "Leila", "Tom", "Amira",
]  # fmt: skip
AUTHOR_LAST = [
    "Smith", "Haddad", "Khalil", "Müller", "Rossi", "Dubois", "Nasser", "Saleh", "Jones",
    "Kovalenko", "Ibrahim", "García", "Yılmaz", "Rahman", "Osman", "Clarke", "Hussain",
]  # fmt: skip
LANGUAGES = [("en", 80), ("ar", 14), ("fr", 6)]

# Event types by slug: how common they are (ACLED-like mix). Unknown sub-types get 0.5;
# top-level types together get TOP_LEVEL_SHARE of all events.
EVENT_TYPE_WEIGHTS = {
    "armed-clash": 20, "shelling-artillery-missile-attack": 16, "air-drone-strike": 12,
    "attack": 8, "peaceful-protest": 7, "remote-explosive-landmine-ied": 6, "arrests": 3,
    "statement": 3, "abduction-forced-disappearance": 3, "government-regains-territory": 1.5,
    "non-state-actor-overtakes-territory": 1.5, "protest-with-intervention": 1.5,
    "violent-demonstration": 1.5, "change-to-group-activity": 1.5,
    "disrupted-weapons-use": 1.5, "looting-property-destruction": 1.5,
    "meeting-or-negotiation": 1.5, "suicide-bomb": 1, "grenade": 1, "mob-violence": 1,
    "agreement": 0.8, "defection": 0.6, "excessive-force-against-protesters": 0.5,
    "non-violent-transfer-of-territory": 0.5, "other": 0.5, "funding-or-support-change": 0.5,
    "alliance-formed": 0.4, "sexual-violence": 0.3, "headquarters-or-base-established": 0.3,
    "merger-talks": 0.2, "chemical-weapon": 0.1,
}  # fmt: skip
TOP_LEVEL_SHARE = 0.05

# Participant roles, in order of the event's actors, by type slug, then by category.
ROLES_BY_TYPE = {
    "statement": ("speaker", "subject", "subject", "subject"),
    "meeting-or-negotiation": ("party", "party", "mediator", "attendee"),
    "merger-talks": ("party", "party", "mediator", "attendee"),
    "agreement": ("party", "party", "mediator", "excluded"),
    "alliance-formed": ("party", "party", "party", "party"),
    "defection": ("initiator", "subject", "party", "party"),
    "funding-or-support-change": ("supporter", "subject", "subject", "subject"),
    "arrests": ("initiator", "target", "target", "supporter"),
}
ROLES_BY_CATEGORY = {
    "battles": ("initiator", "target", "supporter", "supporter"),
    "explosions-remote-violence": ("initiator", "target", "supporter", "target"),
    "violence-against-civilians": ("initiator", "target", "supporter", "target"),
    "protests": ("initiator", "target", "party", "party"),
    "riots": ("party", "party", "target", "party"),
    "strategic-developments": ("initiator", "party", "subject", "party"),
}
DEFAULT_ROLES = ("initiator", "target", "party", "subject")
# Who the other side is when an event has a single participant.
OTHER_PARTY = {
    "battles": "unidentified forces",
    "explosions-remote-violence": "unidentified forces",
    "violence-against-civilians": "civilians",
    "protests": "the authorities",
    "riots": "the authorities",
}

TITLES = {
    "armed-clash": ("{a} clashes with {b} in {p}", "Fighting between {a} and {b} near {p}"),
    "government-regains-territory": ("{a} retakes {p} from {b}",),
    "non-state-actor-overtakes-territory": ("{a} seizes {p} from {b}",),
    "air-drone-strike": ("Air strike by {a} hits {p}", "{a} drone strike near {p}"),
    "shelling-artillery-missile-attack": ("{a} shells {b} positions in {p}",),
    "remote-explosive-landmine-ied": ("Roadside bomb hits {b} in {p}", "IED blast in {p}"),
    "suicide-bomb": ("Suicide bombing in {p} claimed by {a}",),
    "chemical-weapon": ("Suspected chemical attack in {p}",),
    "grenade": ("Grenade attack on {b} in {p}",),
    "attack": ("{a} attacks {b} in {p}", "Gunmen from {a} kill civilians in {p}"),
    "abduction-forced-disappearance": ("{a} abducts members of {b} in {p}",),
    "sexual-violence": ("Reports of sexual violence by {a} in {p}",),
    "peaceful-protest": ("Protest against {b} in {p}", "Demonstrators rally in {p}"),
    "protest-with-intervention": ("{b} disperses a protest in {p}",),
    "excessive-force-against-protesters": ("{b} fires on protesters in {p}",),
    "violent-demonstration": ("Violent demonstration in {p}",),
    "mob-violence": ("Mob violence in {p}",),
    "arrests": ("{a} arrests members of {b} in {p}",),
    "statement": ("{a}: statement on {b}", "{a} issues a statement on {b}"),
    "meeting-or-negotiation": ("{a} and {b} meet in {p}", "Talks between {a} and {b}"),
    "merger-talks": ("{a} and {b} discuss a merger",),
    "agreement": ("{a} and {b} reach an agreement in {p}",),
    "alliance-formed": ("{a} and {b} form an alliance",),
    "defection": ("Fighters defect from {b} to {a}",),
    "funding-or-support-change": ("{a} changes its support for {b}",),
    "headquarters-or-base-established": ("{a} establishes a base in {p}",),
    "looting-property-destruction": ("{a} loots property in {p}",),
    "disrupted-weapons-use": ("{a} defuses explosives in {p}",),
    "non-violent-transfer-of-territory": ("{b} hands {p} over to {a}",),
}
DEFAULT_TITLES = ("{t}: {a} in {p}", "{a} and {b}: {t} in {p}")
QUOTES = (
    "{a} fighters were involved in {t_lower} in {p}, {source} reported.",
    "Local sources said {a} and {b} were involved in the incident in {p}.",
    "“{title}”, according to a statement circulated on {d}.",
    "The incident in {p} on {d} was attributed to {a}.",
    "Witnesses in {p} described {t_lower} involving {a}.",
)
RETRACTION_REASONS = (
    "Duplicate of another record.",
    "The source withdrew the report.",
    "Misdated: replaced by a corrected record.",
    "Could not be corroborated by a second source.",
)
MONTHS = (
    "", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip

FIRST_YEAR, LAST_YEAR = 1989, 2025
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


class Picker:
    """Weighted choice by bisecting cumulative weights (what random.choices does, minus
    the per-call overhead)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = cumulative(weights)
        self.total = self.cum[-1] if self.cum else 0.0

    def __call__(self, rng):
        i = bisect.bisect(self.cum, rng.random() * self.total)
        return self.items[min(i, len(self.items) - 1)]

    def index(self, rng):
        return min(bisect.bisect(self.cum, rng.random() * self.total), len(self.items) - 1)


def zipf_weights(n, s=1.0):
    return [1.0 / (rank + 1) ** s for rank in range(n)]


def new_id(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def month_bounds(year, month):
    return (
        datetime.date(year, month, 1),
        datetime.date(year, month, calendar.monthrange(year, month)[1]),
    )


# Day-of-years over FIRST_YEAR..LAST_YEAR, weighted towards recent years and 2011–2020.
def _year_weight(year):
    w = 1 + 4 * ((year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR)) ** 2
    return w * 2.5 if 2011 <= year <= 2020 else w


YEAR_PICKER = Picker(
    range(FIRST_YEAR, LAST_YEAR + 1), [_year_weight(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
)

FOUNDING_PICKER = Picker(
    range(1950, 2024), [1 + (y >= 1980) * 2 + (y >= 2011) * 4 for y in range(1950, 2024)]
)
AFFILIATION_PICKER = Picker(range(1995, 2025), [1 + (y >= 2011) * 3 for y in range(1995, 2025)])


def random_day(rng, picker=YEAR_PICKER):
    year = picker(rng)
    start = datetime.date(year, 1, 1).toordinal()
    return datetime.date.fromordinal(start + int(rng.random() * (366 if year % 4 == 0 else 365)))


def partial_date(rng, day, mix=(0.70, 0.85, 0.90, 0.95)):
    """EDTF text for a day at a random precision, with the bounds and precision that
    conflictapi.partialdates.parse() derives from it: ~70% day, 15% month, 5%
    approximate month, 5% year, 5% ranges of 2–7 days.

    Returns (text, start, end, precision, phrase)."""
    r = rng.random()
    y, m = day.year, day.month
    if r < mix[0]:
        return day.isoformat(), day, day, "day", f"on {day.day} {MONTHS[m]} {y}"
    if r < mix[2]:
        first, last = month_bounds(y, m)
        if r < mix[1]:
            return f"{y:04d}-{m:02d}", first, last, "month", f"in {MONTHS[m]} {y}"
        return f"{y:04d}-{m:02d}~", first, last, "month", f"around {MONTHS[m]} {y}"
    if r < mix[3]:
        return (
            f"{y:04d}",
            datetime.date(y, 1, 1),
            datetime.date(y, 12, 31),
            "year",
            f"in {y}",
        )
    span = 1 + int(rng.random() * 6)
    end = day + datetime.timedelta(days=span)
    if end > LAST_DAY:
        end, day = LAST_DAY, LAST_DAY - datetime.timedelta(days=span)
    phrase = f"between {day.day} {MONTHS[day.month]} and {end.day} {MONTHS[end.month]} {end.year}"
    return f"{day.isoformat()}/{end.isoformat()}", day, end, "range", phrase


def check_partial_dates():
    """Fail early if the bounds computed here stop matching conflictapi.partialdates."""
    from conflictapi.partialdates import parse

    samples = [
        ("2014-11-02", datetime.date(2014, 11, 2), datetime.date(2014, 11, 2), "day"),
        ("2016-02", datetime.date(2016, 2, 1), datetime.date(2016, 2, 29), "month"),
        ("2014-11~", datetime.date(2014, 11, 1), datetime.date(2014, 11, 30), "month"),
        ("2014", datetime.date(2014, 1, 1), datetime.date(2014, 12, 31), "year"),
        (
            "2014-12-30/2015-01-02",
            datetime.date(2014, 12, 30),
            datetime.date(2015, 1, 2),
            "range",
        ),
    ]
    for text, start, end, precision in samples:
        bounds = parse(text)
        if (bounds.start, bounds.end, bounds.precision) != (start, end, precision):
            raise RuntimeError(f"partial-date bounds of {text!r} changed: {bounds}")


def sun_article(core):
    """The assimilated article before a sun letter: al-Nusra → an-Nusra."""
    low = core.lower()
    if low[:2] in ("sh", "th", "dh"):
        return "a" + low[:2]
    if low[:1] and low[0] in "tdrzsln":
        return "a" + low[0]
    return None


def respell(word):
    """Other plausible Latin spellings of a transliterated word."""
    out = []
    low = word[1:]
    for a, b in (("u", "o"), ("i", "e"), ("q", "k"), ("w", "u"), ("aa", "a"), ("ee", "i")):
        if a in low:
            out.append(word[0] + low.replace(a, b, 1))
    if word[0] == "Q":
        out.append("K" + word[1:])
    if word.endswith("a"):
        out.append(word + "h")
    return [w for w in dict.fromkeys(out) if w != word]


def accent(word):
    for plain, marked in (("u", "ū"), ("i", "ī"), ("a", "ā")):
        i = word.find(plain, 1)
        if i > 0:
            return word[:i] + marked + word[i + 1 :]
    return word + "ʾ"


def initials(name):
    words = [w for w in name.replace("-", " ").split() if w[:1].isupper() and w not in ("Al",)]
    letters = "".join(w[0] for w in words if w.lower() not in ("al", "el", "wa", "fi"))
    return letters if len(letters) >= 2 else None


def arabic_bare(text):
    """Drop the Arabic article: النصرة → نصرة."""
    return text[2:] if text.startswith("ال") else text


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------


class Sink:
    """Writes rows (tuples in ``fields`` order) to one model's table and counts them."""

    def __init__(self, model, fields, method, using, batch_size, stats, log):
        self.model = model
        # Columns this module does not know of (added to the model later) get their
        # default, so that COPY does not write NULL into them; say so. Generated columns
        # are the database's to write.
        missing = [
            f for f in model._meta.concrete_fields if f.attname not in fields and not f.generated
        ]
        if missing:
            log(
                f"warning: {model._meta.db_table}: the generator does not know "
                f"{', '.join(f.attname for f in missing)}: written with the field default."
            )
        self.defaults = tuple(f.get_default() for f in missing)
        fields = (*fields, *(f.attname for f in missing))
        self.fields = fields
        self.method = method
        self.using = using
        self.batch_size = batch_size
        self.stats = stats.setdefault(model._meta.db_table, {"rows": 0, "write": 0.0})
        self.types = None
        if method == "copy":
            qn = connections[using].ops.quote_name
            self.columns = [self._field(name).column for name in fields]
            columns = ", ".join(qn(column) for column in self.columns)
            self.sql = f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)"

    def _field(self, attname):
        for f in self.model._meta.concrete_fields:
            if f.attname == attname:
                return f
        raise LookupError(f"{self.model.__name__} has no column {attname!r}")

    def column_types(self, raw):
        """The PostgreSQL type of each column, for binary COPY."""
        with raw.cursor() as cursor:
            cursor.execute(
                "SELECT a.attname, t.typname FROM pg_attribute a "
                "JOIN pg_type t ON t.oid = a.atttypid "
                "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
                [self.model._meta.db_table],
            )
            types = dict(cursor.fetchall())
        return [types[column] for column in self.columns]

    def raw_connection(self):
        connection = connections[self.using]
        connection.ensure_connection()
        return connection.connection

    def write(self, rows, raw=None):
        """Write the rows: by binary COPY on ``raw`` (a psycopg connection, by default
        Django's own) or by bulk_create."""
        if not rows:
            return
        started = time.perf_counter()
        if self.method == "copy":
            raw = raw or self.raw_connection()
            if self.types is None:
                self.types = self.column_types(raw)
            extra = self.defaults
            with raw.cursor() as cursor, cursor.copy(self.sql) as copy:
                copy.set_types(self.types)
                write_row = copy.write_row
                if extra:
                    for row in rows:
                        write_row((*row, *extra))
                else:
                    for row in rows:
                        write_row(row)
        else:
            model, fields = self.model, self.fields
            n = len(fields) - len(self.defaults)
            objs = [model(**dict(zip(fields[:n], row, strict=True))) for row in rows]
            model.objects.using(self.using).bulk_create(objs, batch_size=self.batch_size)
        self.stats["rows"] += len(rows)
        self.stats["write"] += time.perf_counter() - started


class BackgroundWriter:
    """Writes batches on a thread of its own, on the same connection and transaction,
    while the caller generates the next batches: generation overlaps the server's work.
    The caller must not use the connection until close()."""

    def __init__(self, raw, depth=3):
        self.raw = raw
        self.queue = queue.Queue(maxsize=depth)
        self.error = None
        self.thread = threading.Thread(target=self._run, name="synthetic-copy", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            job = self.queue.get()
            if job is None:
                return
            if self.error is None:
                sink, rows = job
                try:
                    sink.write(rows, raw=self.raw)
                except BaseException as exc:  # handed to the caller
                    self.error = exc

    def submit(self, sink, rows):
        if self.error is not None:
            raise self.error
        self.queue.put((sink, rows))

    def close(self):
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


@contextmanager
def explicit_timestamps(models):
    """Let bulk_create keep the given created_at/updated_at instead of now()."""
    saved = []
    for model in models:
        for name in ("created_at", "updated_at"):
            f = model._meta.get_field(name)
            saved.append((f, f.auto_now, f.auto_now_add))
            f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def has_field(model, name):
    return any(f.attname == name for f in model._meta.concrete_fields)


# Search keys derived from a name on save(): (column, function).
ACTOR_KEYS = [("name_normalized", normalize_name)]
ACTORNAME_KEYS = [("normalized", normalize_name)]
if skeleton is not None and has_field(Actor, "name_skeleton"):
    ACTOR_KEYS.append(("name_skeleton", skeleton))
if skeleton is not None and has_field(ActorName, "skeleton"):
    ACTORNAME_KEYS.append(("skeleton", skeleton))


def name_keys(keys, name):
    return tuple(func(name) for _column, func in keys)


RECORD = ("id", "created_at", "updated_at", "version")
CURATED = (*RECORD, "status", "retraction_reason")
FIELDS = {
    Outlet: (*CURATED, "name", "slug", "kind", "country", "url", "reliability"),
    Document: (
        *CURATED,
        *("outlet_id", "title", "authors", "published_on", "url", "language", "summary"),
    ),
    Place: (
        *CURATED,
        *("name", "slug", "kind", "parent_id", "path", "country", "latitude", "longitude"),
        *("alternate_names", "geonames_id"),
        "search_names",
    ),
    Actor: (
        *CURATED,
        *("name", "slug", "kind", "description", "country"),
        *("founded", "founded_start", "founded_end", "founded_precision"),
        *("dissolved", "dissolved_start", "dissolved_end", "dissolved_precision"),
        *(name for name, _func in ACTOR_KEYS),
        "acled_actor_type",  # none: the kind's default
    ),
    ActorName: (
        *(*RECORD, "actor_id", "name", "kind", "language", "note"),
        *(name for name, _func in ACTORNAME_KEYS),
    ),
    ActorIdentifier: (*RECORD, "actor_id", "scheme", "value"),
    ActorCitation: (*RECORD, "document_id", "quote", "locator", "credibility", "note", "actor_id"),
    Affiliation: (
        *CURATED,
        *("subject_id", "kind", "object_id", "role"),
        *("start_date", "start_date_start", "start_date_end", "start_date_precision"),
        *("end_date", "end_date_start", "end_date_end", "end_date_precision"),
        "description",
    ),
    AffiliationCitation: (
        *RECORD,
        *("document_id", "quote", "locator", "credibility", "note", "affiliation_id"),
    ),
    Event: (
        *CURATED,
        *("title", "event_type_id", "date", "date_start", "date_end", "date_precision"),
        *("place_id", "geo_precision", "fatalities_low", "fatalities_best", "fatalities_high"),
        *("summary", "place_path", "country"),
        *("tags", "civilian_targeting", "source_scale", "acled_source"),  # ACLED's only
    ),
    EventIdentifier: (*RECORD, "event_id", "scheme", "value"),
    EventParticipant: (*RECORD, "event_id", "actor_id", "role", "note"),
    EventCitation: (*RECORD, "document_id", "quote", "locator", "credibility", "note", "event_id"),
}
ORDER = list(FIELDS)  # parents before children


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------


@dataclass
class Report:
    plan: Plan
    method: str
    stats: dict = field(default_factory=dict)  # table -> {"rows", "write"}
    phases: list = field(default_factory=list)  # (name, seconds, {table: rows})
    seconds: float = 0.0


class Generator:
    def __init__(self, plan, *, using="default", log=None, progress_every=5.0):
        self.plan = plan.resolve()
        self.using = using
        self.log = log or (lambda message: None)
        self.progress_every = progress_every
        vendor = connections[using].vendor
        method = plan.method
        if method == "auto":
            method = "copy" if vendor == "postgresql" else "bulk"
        if method == "copy" and vendor != "postgresql":
            raise SyntheticDataError("--method copy needs PostgreSQL.")
        self.method = method
        self.vendor = vendor
        self.prefix = f"syn-{plan.seed}-"
        clock = random.Random(f"synthetic:{plan.seed}:clock")
        self.epoch = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            seconds=clock.randrange(365 * 86400)
        )
        self.report = Report(plan=self.plan, method=method)
        self.sinks = {
            model: Sink(model, fields, method, using, plan.batch_size, self.report.stats, self.log)
            for model, fields in FIELDS.items()
        }

    def rng(self, stream):
        return random.Random(f"synthetic:{self.plan.seed}:{stream}")

    def stamp(self, table_offset, i):
        """A fixed timestamp: rows of one table one millisecond apart."""
        return self.epoch + datetime.timedelta(hours=table_offset, milliseconds=i)

    # -- checks ------------------------------------------------------------------------

    def check_database(self):
        plan = self.plan
        db = self.using
        for model in (Outlet, Place, Actor):
            if model.objects.using(db).filter(slug__startswith=self.prefix).exists():
                raise SyntheticDataError(
                    f"Seed {plan.seed} has already been generated in this database "
                    f"({model._meta.verbose_name} slugs start with {self.prefix!r}); "
                    "choose another --seed."
                )
        if plan.events and not EventType.objects.using(db).exists():
            raise SyntheticDataError(
                "No event types: migrate the database first (the vocabulary is seeded "
                "by the events migrations)."
            )

    # -- run ---------------------------------------------------------------------------

    def run(self):
        plan = self.plan
        check_partial_dates()
        self.check_database()
        started = time.perf_counter()
        self.log(
            f"Generating seed {plan.seed} with {self.method} ({self.vendor}): "
            f"{plan.events:,} events, {plan.actors:,} actors, {plan.aliases:,} aliases, "
            f"{plan.places:,} places, {plan.outlets:,} outlets, {plan.documents:,} "
            f"documents, {plan.affiliations:,} affiliations; batches of {plan.batch_size:,}."
        )
        with explicit_timestamps(FIELDS), transaction.atomic(using=self.using):
            if self.vendor == "postgresql":
                with connections[self.using].cursor() as cursor:
                    # Check foreign keys per statement: the queue of deferred checks
                    # would otherwise grow with every row until commit.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.phase("outlets and documents", self.make_sources)
            self.phase("places", self.make_places)
            self.phase("actors", self.make_actors)
            self.phase("aliases, identifiers, actor citations", self.make_actor_details)
            if has_field(Actor, "search_names"):
                self.phase("actor search columns", self.make_actor_search_columns)
            self.phase("affiliations", self.make_affiliations)
            self.phase("events, participants, citations", self.make_events)
            if self.vendor == "postgresql":
                # acled/read's stored rows, as saving each event would have written them.
                self.phase("stored ACLED rows", self.store_acled_rows)
            if self.vendor == "postgresql":
                with connections[self.using].cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if self.vendor == "postgresql":
            t = time.perf_counter()
            connection = connections[self.using]
            # VACUUM sets the visibility map, so that index-only scans (page-number
            # offsets, counts) need not visit the table; it cannot run in a
            # transaction (as under a test), where ANALYZE alone does.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in (*ORDER, AcledRow):
                    cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
            self.log(f"{command}: {time.perf_counter() - t:.1f} s")
        # The rows were written without save(): cached counts must not outlive them.
        bump_generation()
        self.report.seconds = time.perf_counter() - started
        self.log(f"Done in {self.report.seconds:.1f} s.")
        return self.report

    def store_acled_rows(self):
        stored = store_rows(Event.objects.using(self.using).all())
        self.log(f"  {stored:,} stored ACLED rows")

    def phase(self, name, func):
        before = {t: s["rows"] for t, s in self.report.stats.items()}
        t = time.perf_counter()
        func()
        seconds = time.perf_counter() - t
        rows = {
            table: s["rows"] - before.get(table, 0)
            for table, s in self.report.stats.items()
            if s["rows"] - before.get(table, 0)
        }
        self.report.phases.append((name, seconds, rows))
        for table, n in rows.items():
            write = self.report.stats[table]["write"]
            self.log(
                f"  {table:<28} {n:>10,} rows  {n / max(seconds, 1e-9):>10,.0f} rows/s "
                f"(write only {self.report.stats[table]['rows'] / max(write, 1e-9):,.0f} rows/s)"
            )
        self.log(f"{name}: {seconds:.1f} s")

    # -- sources -----------------------------------------------------------------------

    def make_sources(self):
        plan = self.plan
        rng = self.rng("sources")
        kind_pick = Picker([k for k, _ in OUTLET_KINDS], [w for _, w in OUTLET_KINDS])
        country_pick = Picker(COUNTRIES, [c[8] for c in COUNTRIES])
        reliability_pick = Picker("ABCDEF", [5, 25, 35, 15, 5, 15])
        outlets = []
        rows = []
        for i in range(plan.outlets):
            oid = new_id(rng)
            kind = kind_pick(rng)
            country = country_pick(rng)
            adj, cname = country[3], country[1]
            if kind == "news":
                name = f"{rng.choice((adj, rng.choice(REGIONS)))} {rng.choice(NEWS_NOUNS)}"
            elif kind == "monitor":
                name = rng.choice(
                    (
                        f"{adj} Observatory for Human Rights",
                        f"{cname} Network for Human Rights",
                        f"{rng.choice(REGIONS)} Conflict Monitor",
                    )
                )
            elif kind == "research":
                name = rng.choice(
                    (
                        f"Institute for the Study of the {rng.choice(REGIONS)}",
                        f"Centre for {rng.choice(REGIONS)} Security Studies",
                        f"{rng.choice(REGIONS)} Research Group",
                    )
                )
            elif kind == "state_media":
                name = rng.choice((f"{adj} News Agency", f"{cname} State Television"))
            elif kind == "government":
                name = f"{adj} Ministry of {rng.choice(MINISTRIES)}"
            elif kind == "armed_group_media":
                p, c = rng.choice(MEDIA_PREFIXES), rng.choice(CORES)
                name = f"{p[0]} al-{c[0]}"
            else:
                name = f"The {rng.choice(REGIONS)} Watch"
            slug = f"{self.prefix}{slugify(name)}-{i}"
            status, reason = "published", ""
            host = f"{slugify(name)}-{plan.seed}-{i}.example.org"
            outlets.append((oid, name, host, kind, country[0]))
            ts = self.stamp(0, i)
            rows.append(
                (
                    *(oid, ts, ts, 1, status, reason, name, slug, kind, country[0]),
                    f"https://{host}/",
                    reliability_pick(rng),
                )
            )
        self.sinks[Outlet].write(rows)
        self.outlets = outlets

        # Documents: outlets publish at heavy-tailed rates; dates follow the events'.
        docs = []
        rows = []
        outlet_pick = Picker(range(len(outlets)), zipf_weights(len(outlets), 0.8))
        lang_pick = Picker([lang for lang, _ in LANGUAGES], [w for _, w in LANGUAGES])
        batch = self.plan.batch_size
        for i in range(plan.documents):
            did = new_id(rng)
            oid, oname, host, okind, _country = outlets[outlet_pick.index(rng)]
            day = random_day(rng)
            language = "ar" if okind == "armed_group_media" else lang_pick(rng)
            topic = rng.choice(CORES)
            title = rng.choice(
                (
                    f"Fighting resumes in the {rng.choice(REGIONS)} as groups regroup",
                    f"Situation report: {MONTHS[day.month]} {day.year}",
                    f"Analysis: the rise of al-{topic[0]}",
                    f"Interview with a commander of Liwa al-{topic[0]}",
                    f"Dozens killed in a week of {rng.choice(('air strikes', 'clashes'))}",
                    f"Talks on a truce stall in the {rng.choice(REGIONS)}",
                )
            )
            authors = ", ".join(
                f"{rng.choice(AUTHOR_FIRST)} {rng.choice(AUTHOR_LAST)}"
                for _ in range(1 + (rng.random() < 0.3))
            )
            url = f"https://{host}/{day.year}/{day.month:02d}/{slugify(title)}-{i}"
            summary = f"{oname} reports on events of {MONTHS[day.month]} {day.year}."
            ts = self.stamp(1, i)
            rows.append(
                (did, ts, ts, 1, "published", "", oid, title, authors, day, url, language, summary)
            )
            docs.append((day, did, oname))
            if len(rows) >= batch:
                self.sinks[Document].write(rows)
                rows = []
        self.sinks[Document].write(rows)
        # Citations pick documents published on or soon after what they support.
        docs.sort(key=lambda d: (d[0], d[1].int))
        self.doc_days = [d[0].toordinal() for d in docs]
        self.doc_ids = [d[1] for d in docs]
        self.doc_outlets = [d[2] for d in docs]
        self.doc_window = max(1, min(40, len(docs) // 500))

    def pick_document(self, rng, ordinal):
        """A document published on or soon after the day: one of the next few in date
        order (40 at 20,000 documents, about a month)."""
        n = len(self.doc_ids)
        window = self.doc_window
        i = bisect.bisect_left(self.doc_days, ordinal) + int(rng.random() * window)
        if i >= n:
            i = n - 1 - int(rng.random() * window)
        return i

    # -- places ------------------------------------------------------------------------

    def make_places(self):
        plan = self.plan
        n = plan.places
        rng = self.rng("places")
        n_countries = min(len(COUNTRIES), max(1, n // 10)) if n else 0
        rest = n - n_countries
        n_admin1 = min(rest, max(n_countries, round(n * 0.006))) if rest > 0 else 0
        n_towns = rest - n_admin1
        rows = []
        self.place_paths = {}
        sink = self.sinks[Place]
        counter = [0]

        def emit(name, kind, parent, path, country, lat, lon, alternates):
            pid = new_id(rng)
            i = counter[0]
            counter[0] += 1
            slug = f"{self.prefix}{slugify(name)[:150]}-{i}"
            full_path = f"{path}{pid.hex}/"
            self.place_paths[pid] = (full_path, country)
            status = "published" if rng.random() < 0.98 else "draft"
            ts = self.stamp(2, i)
            rows.append(
                (
                    *(pid, ts, ts, 1, status, "", name, slug, kind, parent, full_path, country),
                    decimal.Decimal(f"{lat:.6f}"),
                    decimal.Decimal(f"{lon:.6f}"),
                    alternates,
                    None,
                    place_search_names(name, alternates),
                )
            )
            if len(rows) >= plan.batch_size:
                sink.write(rows)
                rows.clear()
            return pid, full_path

        def word(k):
            parts = [rng.choice(SYLLABLES) for _ in range(k)]
            latin = "".join(p[0] for p in parts)
            return latin[0].upper() + latin[1:], "".join(p[1] for p in parts)

        def clamp(lat, lon):
            return max(-89.9, min(89.9, lat)), max(-179.9, min(179.9, lon))

        countries = []  # (id, path, spec, weight)
        for spec in COUNTRIES[:n_countries]:
            code, name, ar, _adj, lat, lon = spec[:6]
            alternates = [ar] if ar else []
            pid, path = emit(name, "country", None, "", code, lat, lon, alternates)
            countries.append((pid, path, spec))

        # admin1: one per country first, then by country weight.
        owners = list(range(min(n_countries, n_admin1)))
        if n_admin1 > len(owners):
            pick = Picker(range(n_countries), [c[2][8] for c in countries])
            owners += [pick(rng) for _ in range(n_admin1 - len(owners))]
        per_country = [owners.count(c) for c in range(n_countries)]
        admin1 = []  # (id, path, code, lat, lon, dlat, dlon, arabic?)
        for c in owners:
            cid, cpath, spec = countries[c]
            code, _name, ar, _adj, lat, lon, dlat, dlon, _w, suffix = spec
            k = max(1, per_country[c])
            alat, alon = 0.8 * dlat / math.sqrt(k), 0.8 * dlon / math.sqrt(k)
            clat = lat + (rng.random() * 2 - 1) * max(dlat - alat, 0)
            clon = lon + (rng.random() * 2 - 1) * max(dlon - alon, 0)
            clat, clon = clamp(clat, clon)
            latin, arabic = word(2 + (rng.random() < 0.5))
            alternates = [latin]
            if ar:
                alternates.append(f"محافظة {arabic}")
            pid, path = emit(
                f"{latin} {suffix}", "admin1", cid, cpath, code, clat, clon, alternates
            )
            admin1.append((pid, path, code, clat, clon, alat, alon, bool(ar), latin))

        # Towns: within their admin1's box; some admin1s are much busier than others.
        towns = []
        if n_towns:
            a_pick = Picker(range(len(admin1)), [0.2 + rng.random() for _ in admin1])
        for t in range(n_towns):
            a = t if t < len(admin1) else a_pick(rng)
            aid, apath, code, alat, alon, dlat, dlon, arabic_country, _name = admin1[a]
            lat, lon = clamp(
                alat + (rng.random() * 2 - 1) * dlat, alon + (rng.random() * 2 - 1) * dlon
            )
            latin, arabic = word(2 + (rng.random() < 0.4))
            if rng.random() < 0.35:
                prefix = rng.choice(TOWN_PREFIXES)
                latin, arabic = f"{prefix[0]} {latin}", f"{prefix[1]} {arabic}"
            alternates = []
            if rng.random() < 0.4:
                a_from, a_to = rng.choice(PLACE_RESPELL)
                variant = latin.replace(a_from, a_to, 1)
                if variant != latin:
                    alternates.append(variant)
            if arabic_country:
                alternates.append(arabic)
            pid, _path = emit(latin, "town", aid, apath, code, lat, lon, alternates)
            towns.append((pid, latin, a))
        sink.write(rows)

        self.countries = [(pid, spec[1], spec[8]) for pid, _path, spec in countries]
        self.admin1 = [(a[0], a[8]) for a in admin1]
        self.towns = towns

    # -- actors ------------------------------------------------------------------------

    def make_actors(self):
        plan = self.plan
        rng = self.rng("actors")
        kinds = Picker([k for k, _ in ACTOR_KINDS], [w for _, w in ACTOR_KINDS])
        country_pick = Picker(COUNTRIES, [c[8] for c in COUNTRIES])
        status_pick = Picker(
            (("published", ""), ("draft", ""), ("retracted", RETRACTION_REASONS[1])),
            (97, 2, 1),
        )
        n_states = min(len(COUNTRIES), plan.actors // 10)
        actors = []  # dicts: id, name, kind, country, spec
        rows = []
        sink = self.sinks[Actor]
        armed_groups = 0
        for i in range(plan.actors):
            aid = new_id(rng)
            if i < n_states:
                kind, country = "state", COUNTRIES[i]
            else:
                kind = kinds(rng)
                country = country_pick(rng) if rng.random() < 0.88 else None
            family = None
            if kind == "armed_group":
                if armed_groups % FAMILY_EVERY == 0:
                    family = FAMILIES[(armed_groups // FAMILY_EVERY) % len(FAMILIES)]
                armed_groups += 1
            spec = self.actor_spec(rng, kind, country, family)
            name = spec["name"]
            code = country[0] if country else ""
            slug = f"{self.prefix}{slugify(name)[:150]}-{i}"
            founded = dissolved = ("", None, None, "")
            if kind != "state" and rng.random() < 0.7:
                fday = random_day(rng, FOUNDING_PICKER)
                founded = partial_date(rng, fday, mix=(0.15, 0.45, 0.5, 0.9))[:4]
                if rng.random() < 0.15:
                    dday = fday + datetime.timedelta(days=400 + int(rng.random() * 6000))
                    if dday <= LAST_DAY:
                        dissolved = partial_date(rng, dday, mix=(0.2, 0.5, 0.55, 0.95))[:4]
            where = f" in {country[1]}" if country else " across several countries"
            since = f" since {founded[1].year}" if founded[1] else ""
            description = f"{ACTOR_KIND_LABEL[kind].capitalize()} active{where}{since}."
            status, reason = status_pick(rng)
            ts = self.stamp(3, i)
            rows.append(
                (
                    *(aid, ts, ts, 1, status, reason, name, slug, kind, description, code),
                    *founded,
                    *dissolved,
                    *name_keys(ACTOR_KEYS, name),
                    None,
                )
            )
            actors.append({"id": aid, "name": name, "kind": kind, "country": code, "spec": spec})
            if len(rows) >= plan.batch_size:
                sink.write(rows)
                rows = []
        sink.write(rows)
        self.actors = actors
        # Activity: a random order of actors, weighted by Zipf over the rank.
        order = list(range(len(actors)))
        rng.shuffle(order)
        self.activity_order = order
        self.activity = Picker(order, zipf_weights(len(order), 1.0))

    def make_actor_search_columns(self):
        """Each actor's search columns gather its name's and aliases' keys (save() keeps
        them so; bulk rows leave them empty)."""
        from actors.management.commands.rebuild_name_keys import rebuild_search_columns

        rebuild_search_columns(using=self.using)

    def actor_spec(self, rng, kind, country, family):
        """The actor's name and what its aliases are made from."""
        adj = country[3] if country else rng.choice(REGIONS)
        cname = country[1] if country else rng.choice(REGIONS)
        if kind in ("armed_group", "coalition", "media", "political_organisation"):
            prefixes = {
                "armed_group": GROUP_PREFIXES,
                "coalition": COALITION_PREFIXES,
                "media": MEDIA_PREFIXES,
                "political_organisation": PARTY_PREFIXES,
            }[kind]
            if kind == "political_organisation" and rng.random() < 0.5:
                name = f"{adj} {rng.choice(PARTY_WORDS)} {rng.choice(PARTY_NOUNS)}"
                return {"type": "plain", "name": name, "arabic": None}
            prefix = rng.choice(prefixes)
            if family is not None:
                prefix = GROUP_PREFIXES[0] if family is FAMILIES[0] else prefix
                core = (family.latin[0], family.arabic, family.english)
            else:
                core = rng.choice(CORES)
            suffix_lat = suffix_ar = ""
            r = rng.random()
            if family is None and r < 0.2:
                other = rng.choice(CORES)
                if other != core:
                    suffix_lat, suffix_ar = f" wa al-{other[0]}", f" و{other[1]}"
            elif family is None and r < 0.35 and country and country[2]:
                suffix_lat, suffix_ar = f" fi {cname}", f" في {country[2]}"
            name = f"{prefix[0]} al-{core[0]}{suffix_lat}"
            return {
                "type": "group",
                "name": name,
                "prefix": prefix,
                "core": core,
                "suffix": (suffix_lat, suffix_ar),
                "family": family,
            }
        if kind == "person":
            first = rng.choice(FIRST_NAMES)
            nisba = rng.choice(NISBAS)
            if rng.random() < 0.5:
                return {
                    "type": "person",
                    "name": f"Abu {first[0]} al-{nisba[0]}",
                    "arabic": f"أبو {first[1]} {nisba[1]}",
                    "kunya": True,
                    "first": first,
                    "nisba": nisba,
                }
            second = rng.choice(FIRST_NAMES)
            return {
                "type": "person",
                "name": f"{first[0]} {second[0]} al-{nisba[0]}",
                "arabic": f"{first[1]} {second[1]} {nisba[1]}",
                "kunya": False,
                "first": first,
                "second": second,
                "nisba": nisba,
            }
        if kind == "state":
            return {"type": "plain", "name": cname, "arabic": country[2] or None, "adj": adj}
        if kind == "state_force":
            unit = rng.choice(FORCE_UNITS)
            return {"type": "plain", "name": f"{adj} {unit}", "arabic": None, "adj": adj}
        if kind == "government_body":
            name = rng.choice(
                (f"{adj} Ministry of {rng.choice(MINISTRIES)}", f"Government of {cname}")
            )
            return {"type": "plain", "name": name, "arabic": None}
        if kind == "international_organisation":
            label, _abbr = rng.choice(IO_NAMES)
            return {"type": "plain", "name": f"{label} {cname}", "arabic": None}
        label = rng.choice(OTHER_ACTORS)
        return {"type": "plain", "name": f"{label} ({cname})", "arabic": None}

    # -- aliases, identifiers, actor citations -----------------------------------------

    def alias_candidates(self, rng, actor):
        """Every other name of the actor, most telling first, without duplicates:
        (name, kind, language, note)."""
        spec = actor["spec"]
        out = []
        add = out.append
        if spec["type"] == "group":
            p, p_ar, p_en = spec["prefix"]
            c, c_ar, c_en = spec["core"]
            s_lat, s_ar = spec["suffix"]
            family = spec["family"]
            variants = list(family.latin[1:]) if family else respell(c)
            marked = family.accented if family else accent(c)
            sun = sun_article(c)
            add((f"{p_ar} {c_ar}{s_ar}", "translation", "ar", "Arabic-script name."))
            add((f"{p} al {c}{s_lat}", "transliteration", "ar-Latn", ""))
            if variants:
                add((f"{p} al-{variants[0]}{s_lat}", "transliteration", "ar-Latn", ""))
            add((f"{p_ar} {arabic_bare(c_ar)}{s_ar}", "translation", "ar", "Without the article."))
            add((f"{p} {c}{s_lat}", "transliteration", "ar-Latn", "Without the article."))
            add((f"al-{c} {p_en}", "translation", "en", ""))
            acronym = initials(f"{p} {c}")
            if acronym:
                add((acronym, "acronym", "en", ""))
            add((f"al-{c}", "short", "en", ""))
            add((c, "short", "en", ""))
            add((f"{p} al-{marked}{s_lat}", "transliteration", "ar-Latn", "Scholarly form."))
            for v in variants[1:]:
                add((f"{p} al-{v}{s_lat}", "transliteration", "ar-Latn", ""))
            add((f"{p}-al-{c}{s_lat}", "transliteration", "ar-Latn", ""))
            add((c_ar, "short", "ar", ""))
            add((arabic_bare(c_ar), "short", "ar", ""))
            if sun:
                add((f"{p} {sun}-{c}{s_lat}", "transliteration", "ar-Latn", "Assimilated."))
            add((f"{p} Al-{c}{s_lat}", "transliteration", "en", ""))
            add((f"{p} el-{c}{s_lat}", "transliteration", "fr", ""))
            for v in variants:
                add((f"al-{v}", "short", "en", ""))
                add((f"{p} {v}", "transliteration", "ar-Latn", ""))
            add((f"{c} {p_en}", "translation", "en", ""))
            add((f"{p_en} of {c_en}", "translation", "en", ""))
            if s_lat:
                add((f"{p} al-{c}", "short", "ar-Latn", ""))
            if rng.random() < 0.1:
                add((rng.choice(PEJORATIVES), "pejorative", "en", "Used by its opponents."))
            # Former names: the group renamed itself, merged, rebranded.
            for _ in range(12):
                fp, fc = rng.choice(GROUP_PREFIXES), rng.choice(CORES)
                year = FIRST_YEAR + int(rng.random() * (LAST_YEAR - FIRST_YEAR))
                add((f"{fp[0]} al-{fc[0]}", "former", "ar-Latn", f"Name used until {year}."))
        elif spec["type"] == "person":
            first, nisba = spec["first"], spec["nisba"]
            add((spec["arabic"], "translation", "ar", "Arabic-script name."))
            if spec["kunya"]:
                add((f"Abu {first[0]}", "short", "ar-Latn", ""))
                for v in first[2]:
                    add((f"Abu {v} al-{nisba[0]}", "transliteration", "ar-Latn", ""))
                add((f"Abou {first[0]} al-{nisba[0]}", "transliteration", "fr", ""))
                add((f"Abu {first[0]} al {nisba[0]}", "transliteration", "ar-Latn", ""))
                add((f"Abu-{first[0]} al-{nisba[0]}", "transliteration", "ar-Latn", ""))
            else:
                second = spec["second"]
                for v in first[2]:
                    add((f"{v} {second[0]} al-{nisba[0]}", "transliteration", "ar-Latn", ""))
                add((f"{first[0]} al-{nisba[0]}", "short", "ar-Latn", ""))
                add((f"{first[0]} {second[0]} el-{nisba[0]}", "transliteration", "fr", ""))
            add((f"al-{nisba[0]}", "short", "ar-Latn", ""))
            add((nisba[0], "short", "en", ""))
            add((f"al {nisba[0]}", "short", "en", ""))
            add((nisba[1], "short", "ar", ""))
            for other in rng.sample(FIRST_NAMES, 8):
                add((f"Abu {other[0]}", "nickname", "ar-Latn", "Kunya used in propaganda."))
        else:
            name = spec["name"]
            acronym = initials(name)
            if acronym:
                add((acronym, "acronym", "en", ""))
            if spec.get("arabic"):
                add((spec["arabic"], "translation", "ar", "Arabic-script name."))
            if name.startswith("Government of "):
                add((f"{name[14:]} government", "short", "en", ""))
            if spec.get("adj") and " " in name:
                add((f"the {name}", "short", "en", ""))
                add((name.replace(spec["adj"], spec["adj"] + " Arab", 1), "former", "en", ""))
            add((name.upper(), "short", "en", "As written in some reports."))
        seen = {actor["name"]}
        unique = []
        for candidate in out:
            name = candidate[0][:300]
            if name and name not in seen:
                seen.add(name)
                unique.append((name, *candidate[1:]))
        return unique

    def make_actor_details(self):
        plan = self.plan
        rng = self.rng("aliases")
        actors = self.actors
        m = len(actors)
        if m == 0:
            return
        candidates = [self.alias_candidates(rng, a) for a in actors]
        capacity = [len(c) for c in candidates]
        counts = [0] * m
        remaining = min(plan.aliases, sum(capacity))
        # Families first: their spellings are the point of the exercise.
        for i, a in enumerate(actors):
            spec = a["spec"]
            if spec["type"] == "group" and spec["family"] and remaining:
                counts[i] = min(FAMILY_MIN_ALIASES, capacity[i], remaining)
                remaining -= counts[i]
        # The rest: busy actors have many names (Zipf), everyone has a few.
        rank_weight = [0.0] * m
        for rank, i in enumerate(self.activity_order):
            rank_weight[i] = 1.0 / (rank + 1)
        total_rank = sum(rank_weight)
        pick = Picker(range(m), [0.6 / m + 0.4 * w / total_rank for w in rank_weight])
        while remaining:
            i = pick(rng)
            if counts[i] < capacity[i]:
                counts[i] += 1
                remaining -= 1
            else:  # full: give it to the next actor with room
                for j in range(m):
                    k = (i + j) % m
                    if counts[k] < capacity[k]:
                        counts[k] += 1
                        remaining -= 1
                        break
        sink = self.sinks[ActorName]
        rows = []
        n = 0
        for i, actor in enumerate(actors):
            aid = actor["id"]
            for name, kind, language, note in candidates[i][: counts[i]]:
                ts = self.stamp(4, n)
                n += 1
                rows.append(
                    (
                        *(new_id(rng), ts, ts, 1, aid, name, kind, language, note),
                        *name_keys(ACTORNAME_KEYS, name),
                    )
                )
                if len(rows) >= plan.batch_size:
                    sink.write(rows)
                    rows = []
        sink.write(rows)

        # Identifiers: the crosswalk. Values carry the seed, so (scheme, value) stays
        # unique across runs.
        rows = []
        n = 0
        for i, actor in enumerate(actors):
            for scheme, p in (("wikidata", 0.5), ("acled", 0.4), ("ucdp", 0.25), ("gtd", 0.1)):
                if rng.random() < p:
                    ts = self.stamp(5, n)
                    n += 1
                    value = f"syn-{plan.seed}-{i}"
                    rows.append((new_id(rng), ts, ts, 1, actor["id"], scheme, value))
        self.sinks[ActorIdentifier].write(rows)

        # One citation for about half the actors.
        if not self.doc_ids:
            return
        rows = []
        n = 0
        for actor in actors:
            if rng.random() < 0.5:
                d = int(rng.random() * len(self.doc_ids))
                label = ACTOR_KIND_LABEL[actor["kind"]]
                quote = (
                    f"{actor['name']}, a {label}"
                    f"{' based in ' + actor['country'] if actor['country'] else ''}, "
                    f"was named by {self.doc_outlets[d]}."
                )
                ts = self.stamp(6, n)
                n += 1
                rows.append(
                    (
                        *(new_id(rng), ts, ts, 1, self.doc_ids[d], quote),
                        *(f"para {1 + int(rng.random() * 30)}", 1 + int(rng.random() * 6), ""),
                        actor["id"],
                    )
                )
        self.sinks[ActorCitation].write(rows)

    # -- affiliations ------------------------------------------------------------------

    def make_affiliations(self):
        plan = self.plan
        if not plan.affiliations:
            return
        rng = self.rng("affiliations")
        actors = self.actors
        ranked = self.activity_order  # most active first
        pools = {"person": [], "group": [], "state": [], "all": ranked}
        for i in ranked:
            kind = actors[i]["kind"]
            if kind == "person":
                pools["person"].append(i)
            elif kind in ("armed_group", "coalition", "political_organisation"):
                pools["group"].append(i)
            elif kind in ("state", "state_force", "government_body"):
                pools["state"].append(i)
        pickers = {
            name: Picker(pool, zipf_weights(len(pool), 0.9)) for name, pool in pools.items() if pool
        }

        def from_pool(name):
            return pickers.get(name, pickers["all"])(rng)

        shapes = {  # kind: (subject pool, object pool, weight)
            "member_of": ("person", "group", 15),
            "leader_of": ("person", "group", 8),
            "branch_of": ("group", "group", 12),
            "allied_with": ("group", "group", 20),
            "coordinates_with": ("group", "all", 10),
            "supports": ("state", "group", 12),
            "split_from": ("group", "group", 8),
            "merged_into": ("group", "group", 5),
            "rival_of": ("group", "all", 10),
        }
        kind_pick = Picker(list(shapes), [s[2] for s in shapes.values()])
        status_pick = Picker(
            (("published", ""), ("draft", ""), ("retracted", RETRACTION_REASONS[3])),
            (95, 3, 2),
        )
        rows, cites = [], []
        for n in range(plan.affiliations):
            kind = kind_pick(rng)
            s_pool, o_pool, _w = shapes[kind]
            subject = from_pool(s_pool)
            obj = from_pool(o_pool)
            tries = 0
            while obj == subject:
                tries += 1
                obj = from_pool(o_pool if tries < 10 else "all")
            role = ""
            if kind == "leader_of":
                role = rng.choice(("emir", "commander", "founder", "deputy leader", "spokesman"))
            elif kind == "member_of" and rng.random() < 0.5:
                role = rng.choice(("fighter", "field commander", "sharia official"))
            start_day = random_day(rng, AFFILIATION_PICKER)
            start = partial_date(rng, start_day, mix=(0.25, 0.6, 0.65, 0.95))[:4]
            end = ("", None, None, "")
            if rng.random() < 0.35:
                end_day = start_day + datetime.timedelta(days=30 + int(rng.random() * 3000))
                if end_day <= LAST_DAY:
                    end = partial_date(rng, end_day, mix=(0.25, 0.6, 0.65, 0.95))[:4]
            s_name, o_name = actors[subject]["name"], actors[obj]["name"]
            description = f"{s_name} {kind.replace('_', ' ')} {o_name} from {start[0]}"
            description += f" to {end[0]}." if end[0] else "."
            status, reason = status_pick(rng)
            aid = new_id(rng)
            ts = self.stamp(7, n)
            rows.append(
                (
                    *(aid, ts, ts, 1, status, reason),
                    *(actors[subject]["id"], kind, actors[obj]["id"], role),
                    *start,
                    *end,
                    description,
                )
            )
            for _ in range(1 + (rng.random() < 0.4)):
                d = self.pick_document(rng, start_day.toordinal())
                quote = rng.choice(
                    (
                        f"{s_name} is {kind.replace('_', ' ')} {o_name}, {self.doc_outlets[d]} "
                        "reported.",
                        f"Sources describe ties between {s_name} and {o_name} since {start[0]}.",
                    )
                )
                cites.append(
                    (
                        *(new_id(rng), ts, ts, 1, self.doc_ids[d], quote),
                        *(f"para {1 + int(rng.random() * 30)}", 1 + int(rng.random() * 6), ""),
                        aid,
                    )
                )
        self.sinks[Affiliation].write(rows)
        self.sinks[AffiliationCitation].write(cites)

    # -- events ------------------------------------------------------------------------

    def event_types(self):
        types = list(
            EventType.objects.using(self.using)
            .order_by("slug")
            .values_list("id", "slug", "name", "parent__slug")
        )
        subs = [t for t in types if t[3]]
        tops = [t for t in types if not t[3]]
        sub_weights = [EVENT_TYPE_WEIGHTS.get(t[1], 0.5) for t in subs]
        sub_total = sum(sub_weights)
        top_weight = (
            (sub_total * TOP_LEVEL_SHARE / (1 - TOP_LEVEL_SHARE) / len(tops)) if tops else 0
        )
        if not subs:
            top_weight = 1
        specs = []
        for type_id, slug, name, parent in subs + tops:
            category = parent or slug
            roles = ROLES_BY_TYPE.get(slug) or ROLES_BY_CATEGORY.get(category, DEFAULT_ROLES)
            titles = TITLES.get(slug, DEFAULT_TITLES)
            specs.append((type_id, slug, name, category, roles, titles))
        return Picker(specs, sub_weights + [top_weight] * len(tops))

    def make_events(self):
        if not self.plan.events:
            return
        sinks = (
            self.sinks[Event],
            self.sinks[EventIdentifier],
            self.sinks[EventParticipant],
            self.sinks[EventCitation],
        )
        totals = [0, 0, 0, 0]
        # Our own ACLED and UCDP ids, one block a scheme (events.models.own_identifier).
        self.first_ids = {
            scheme: IdentifierCounter.allocate(scheme, self.plan.events, using=self.using)
            for scheme in IDENTIFIER_SCHEMES
        }
        writer = None
        if self.method == "copy":
            writer = BackgroundWriter(self.sinks[Event].raw_connection())

        def flush(*buffers):
            for k, (sink, rows) in enumerate(zip(sinks, buffers, strict=True)):
                totals[k] += len(rows)
                if writer is not None:
                    writer.submit(sink, rows)
                else:
                    sink.write(rows)
            return [], [], [], []

        try:
            self.event_rows(flush, totals)
        finally:
            if writer is not None:
                writer.close()

    def event_rows(self, flush, totals):
        """Generate the events with their participants and citations, handing each
        batch of the three tables to flush()."""
        plan = self.plan
        rng = self.rng("events")
        random_ = rng.random
        getrandbits = rng.getrandbits
        UUID = uuid.UUID
        timedelta = datetime.timedelta
        type_pick = self.event_types()
        actors = self.actors
        actor_ids = [a["id"] for a in actors]
        actor_names = [a["name"] for a in actors]
        m = len(actors)
        activity_cum, activity_items, activity_total = (
            self.activity.cum,
            self.activity.items,
            self.activity.total,
        )
        bisect_ = bisect.bisect
        towns, admin1, countries = self.towns, self.admin1, self.countries
        place_paths = self.place_paths
        town_pick = Picker(range(len(towns)), zipf_weights(len(towns), 0.7)) if towns else None
        town_order = list(range(len(towns)))
        rng.shuffle(town_order)
        country_pick = (
            Picker(range(len(countries)), [c[2] for c in countries]) if countries else None
        )
        country_names = {c[0]: c[1] for c in countries}
        doc_ids, doc_outlets = self.doc_ids, self.doc_outlets
        participants_k = Picker((1, 2, 3, 4), (25, 50, 17, 8))
        citations_k = Picker((1, 2, 3), (55, 30, 15))
        status_pick = Picker(("published", "draft", "retracted"), (95, 3.5, 1.5))
        epoch = self.epoch + timedelta(hours=8)
        batch = plan.batch_size
        id_schemes = [
            (scheme, self.first_ids[scheme], own_identifier(scheme, ""))  # the prefix
            for scheme in IDENTIFIER_SCHEMES
        ]
        ev_rows, id_rows, part_rows, cit_rows = [], [], [], []
        started = last = time.perf_counter()

        for i in range(plan.events):
            eid = UUID(int=getrandbits(128), version=4)
            ts = epoch + timedelta(milliseconds=i)
            type_id, _slug, type_name, category, roles, titles = type_pick(rng)
            day = random_day(rng)
            text, d_start, d_end, precision, phrase = partial_date(rng, day)

            # Place: most events have one; towns mostly, a heavy tail of busy towns.
            r = random_()
            place_id = geo = None
            place_name = "an unspecified location"
            if r < 0.92 and towns:
                if r < 0.74 or not admin1:
                    t = towns[town_order[town_pick.index(rng)]]
                    place_id, place_name = t[0], t[1]
                    geo = 1 if random_() < 0.75 else 2
                elif r < 0.86:
                    a = admin1[int(random_() * len(admin1))]
                    place_id = a[0]
                    place_name = f"{a[1]} province"
                    geo = 3 if random_() < 0.6 else 2
                else:
                    c = countries[country_pick.index(rng)]
                    place_id, place_name, geo = c[0], country_names[c[0]], 3
            elif r < 0.92 and countries:
                c = countries[country_pick.index(rng)]
                place_id, place_name, geo = c[0], country_names[c[0]], 3

            # Participants: distinct actors, so (event, actor, role) never repeats.
            k = participants_k(rng)
            if k > m:
                k = m
            chosen = []
            tries = 0
            while len(chosen) < k:
                a = activity_items[bisect_(activity_cum, random_() * activity_total)]
                if a not in chosen:
                    chosen.append(a)
                else:
                    tries += 1
                    if tries > 20:
                        a = int(random_() * m)
                        while a in chosen:
                            a = (a + 1) % m
                        chosen.append(a)

            # Fatalities: many null or zero, a heavy tail, low ≤ best ≤ high.
            low = best = high = None
            r = random_()
            if category in ("battles", "explosions-remote-violence", "violence-against-civilians"):
                null_p, zero_p = 0.25, 0.55
            elif category in ("protests", "riots"):
                null_p, zero_p = 0.3, 0.9
            else:
                null_p, zero_p = 0.7, 0.98
            if r < null_p:
                pass
            elif r < zero_p:
                best = 0
                if random_() < 0.5:
                    low = high = 0
            else:
                best = min(int(rng.paretovariate(1.1)), 20000)
                if random_() < 0.5:
                    low = best - int(random_() * (best // 2 + 1))
                    high = best + int(random_() * best * 1.5)
                if random_() < 0.05 and low is not None:
                    best = None  # "between 10 and 20 killed"

            a_name = actor_names[chosen[0]]
            b_name = actor_names[chosen[1]] if k > 1 else OTHER_PARTY.get(category, "others")
            title = titles[int(random_() * len(titles))].format(
                a=a_name, b=b_name, p=place_name, t=type_name
            )[:300]
            deaths = (
                f"{best} {'person was' if best == 1 else 'people were'} reported killed."
                if best
                else f"Between {low} and {high} people were reported killed."
                if best is None and high
                else "No fatalities were reported."
                if best == 0
                else "Casualty figures were not reported."
            )
            summary = (
                f"{phrase[0].upper()}{phrase[1:]}, {a_name} was involved in "
                f"{type_name.lower()} in {place_name}"
                f"{' with ' + b_name if k > 1 else ''}. {deaths}"
            )
            status = status_pick(rng)
            reason = RETRACTION_REASONS[int(random_() * 4)] if status == "retracted" else ""
            ev_rows.append(
                (
                    *(eid, ts, ts, 1, status, reason, title, type_id),
                    *(text, d_start, d_end, precision, place_id, geo, low, best, high, summary),
                    *(place_paths[place_id] if place_id else ("", "")),
                    *("", "", "", ""),
                )
            )
            for scheme, first, prefix in id_schemes:
                iid = UUID(int=getrandbits(128), version=4)
                id_rows.append((iid, ts, ts, 1, eid, scheme, f"{prefix}{first + i}"))
            for j, a in enumerate(chosen):
                pid = UUID(int=getrandbits(128), version=4)
                part_rows.append((pid, ts, ts, 1, eid, actor_ids[a], roles[j], ""))
            ordinal = d_start.toordinal()
            for _ in range(citations_k(rng)):
                d = self.pick_document(rng, ordinal)
                quote = QUOTES[int(random_() * len(QUOTES))].format(
                    a=a_name,
                    b=b_name,
                    p=place_name,
                    t_lower=type_name.lower(),
                    title=title,
                    d=text,
                    source=doc_outlets[d],
                )
                cit_rows.append(
                    (
                        *(UUID(int=getrandbits(128), version=4), ts, ts, 1, doc_ids[d], quote),
                        *(f"para {1 + int(random_() * 30)}", 1 + int(random_() * 6), "", eid),
                    )
                )
            if len(ev_rows) >= batch:
                ev_rows, id_rows, part_rows, cit_rows = flush(ev_rows, id_rows, part_rows, cit_rows)
                now = time.perf_counter()
                if now - last >= self.progress_every:
                    last = now
                    rate = totals[0] / (now - started)
                    eta = (plan.events - totals[0]) / max(rate, 1e-9)
                    self.log(
                        f"  events {totals[0]:>10,}/{plan.events:,}  {rate:,.0f} events/s  "
                        f"participants {totals[2]:,}  citations {totals[3]:,}  "
                        f"{now - started:.0f} s, about {eta:.0f} s to go"
                    )
        flush(ev_rows, id_rows, part_rows, cit_rows)


def generate(plan, *, using="default", log=None):
    """Generate the plan's rows into the database ``using``; return a Report."""
    return Generator(plan, using=using, log=log).run()
