"""Questions an analyst asks of the four seed articles, answered through the JSON API."""

import pytest
from rest_framework.test import APIClient

API = "/api/v1"


@pytest.fixture
def api(seeded_db):
    return APIClient()


def results(api, resource, **params):
    params.setdefault("page_size", 1000)
    response = api.get(f"{API}/{resource}/", params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def slugs(items):
    return {item["slug"] for item in items}


def titles(items):
    return {item["title"] for item in items}


def actor_slugs(affiliations, side):
    return {a[side]["slug"] for a in affiliations}


def participants(events, role):
    return {p["actor"]["slug"] for e in events for p in e["participants"] if p["role"] == role}


def document_id(api, title_prefix):
    (doc,) = [d for d in results(api, "documents") if d["title"].startswith(title_prefix)]
    return doc["id"]


CAPTURE_TOWNS = {
    "maarshorin",
    "maasaran",
    "dadikh",
    "kafr-battikh",
    "kafr-ruma",
    "khan-al-subul",
    "deir-sunbul",
}


def test_who_was_excluded_from_the_february_2016_truce(api):
    events = results(
        api, "events", event_type="agreement", date_from="2016-02-01", date_to="2016-02-29"
    )
    # Announced (22 Feb), accepted (23 Feb) and due to take effect (27 Feb).
    assert len(events) == 3
    assert participants(events, "excluded") == {"isis", "jabhat-al-nusra", "al-qaeda"}
    assert participants(events, "party") >= {"syria", "syrian-rebels", "russia", "united-states"}


def test_which_truce_statement_excluded_al_qaeda_by_name(api):
    events = results(api, "events", actor="al-qaeda", role="excluded", date_to="2016-02-23")
    assert titles(events) == {
        "Syrian government accepts the cessation of hostilities with rebel forces, excluding "
        "ISIS, al-Nusra and al-Qaeda"
    }


def test_which_groups_formed_the_shamiyya_front(api):
    ties = results(api, "affiliations", object="shamiyya-front", kind="member_of")
    assert actor_slugs(ties, "subject") == {
        "islamic-front",
        "mujahideen-army",
        "nour-al-din-al-zenki",
    }
    assert {t["start_date"] for t in ties} == {"2014-12-25"}


def test_the_shamiyya_front_did_not_exist_before_christmas_2014(api):
    assert (
        results(
            api, "affiliations", object="shamiyya-front", kind="member_of", active_on="2014-12-01"
        )
        == []
    )
    ties = results(
        api, "affiliations", object="shamiyya-front", kind="member_of", active_on="2015-01-15"
    )
    assert len(ties) == 3


def test_who_coordinates_with_the_shamiyya_front_without_joining(api):
    ties = results(api, "affiliations", actor="shamiyya-front", kind="coordinates_with")
    assert {t["subject"]["slug"] for t in ties} | {t["object"]["slug"] for t in ties} == {
        "jabhat-al-nusra",
        "shamiyya-front",
    }
    formed = results(
        api,
        "events",
        actor="jabhat-al-nusra",
        role="excluded",
        date_from="2014-12-01",
        date_to="2014-12-31",
    )
    assert titles(formed) == {"Aleppo rebel groups form the Shamiyya Front"}


def test_which_towns_in_idlib_were_captured_in_november_2014(api):
    events = results(
        api,
        "events",
        place="idlib-governorate",
        event_type="non-state-actor-overtakes-territory",
        date_from="2014-11-01",
        date_to="2014-11-30",
    )
    places = {e["place"]["slug"] for e in events}
    # The seven towns, and Harakat Hazm's Idlib strongholds (located to the governorate).
    assert places == CAPTURE_TOWNS | {"idlib-governorate"}
    assert participants(events, "initiator") == {"jabhat-al-nusra"}


def test_which_documents_say_al_nusra_is_al_qaedas_branch(api):
    citing = set()
    for doc in results(api, "documents"):
        ties = results(
            api,
            "affiliations",
            subject="jabhat-al-nusra",
            object="al-qaeda",
            kind="branch_of",
            document=doc["id"],
        )
        if ties:
            citing.add(doc["title"])
    assert citing == {
        "Al-Qaeda Leader Ayman Al-Zawahiri: The Mujahideen In Syria Must Unite; Syrians Must "
        "Beware Both Saudi And ‘Crusader’ Plots",
        "Truce Signed in Syria by Assad Regime, Rebel Forces – Excludes ISIS, Al Qaeda, Al Nusra",
        "Exclusive: Obama Cuts Funds for the Syrian Rebels He Claims to Support",
        "Inside The ISIS-Al Qaeda Merger Talks",
    }


def test_who_funded_harakat_hazm_and_whether_it_stopped(api):
    ties = results(api, "affiliations", object="harakat-hazm", kind="supports")
    assert {(t["subject"]["slug"], t["end_date"]) for t in ties} == {
        ("united-states", ""),
        ("cia", ""),  # halved, not stopped (Jan 2015)
    }
    changes = results(api, "events", actor="harakat-hazm", event_type="funding-or-support-change")
    assert titles(changes) == {
        "CIA cuts Harakat Hazm's monthly subsidy to about half",
        # What still reached it: the supplier is not named.
        "Weapon shipments reach Harakat Hazm",
        "Harakat Hazm receives six new armoured personnel carriers from overseas",
    }


def test_who_funded_the_srf_and_its_7th_division_and_when_it_stopped(api):
    srf = results(api, "affiliations", object="syrian-revolutionaries-front", kind="supports")
    assert actor_slugs(srf, "subject") == {"united-states"}
    division = results(api, "affiliations", object="7th-division", kind="supports")
    assert {(t["subject"]["slug"], t["end_date"]) for t in division} == {
        ("cia", "../2014-12"),
        ("us-state-department", ""),
    }
    # In force on 1 Jan 2015: only the State Department's food shipments.
    current = results(
        api, "affiliations", object="7th-division", kind="supports", active_on="2015-01-15"
    )
    assert actor_slugs(current, "subject") == {"us-state-department"}


def test_find_isis_by_daesh_in_any_spelling(api):
    for spelling in ("Da'esh", "Da’esh", "DAESH", "داعش", "the new Khawarij"):
        assert slugs(results(api, "actors", q=spelling)) == {"isis"}, spelling
    assert "isis" in slugs(results(api, "actors", q="ISIL"))


def test_find_the_cia_by_langley_and_al_nusra_by_jn(api):
    assert slugs(results(api, "actors", q="Langley")) == {"cia"}
    assert slugs(results(api, "actors", q="Jabhat al Nusra")) == {"jabhat-al-nusra"}
    assert slugs(results(api, "actors", q="جبهة النصرة")) == {"jabhat-al-nusra"}
    assert slugs(results(api, "actors", q="Syria Revolutionaries Front")) == {
        "syrian-revolutionaries-front"
    }


def test_events_by_alias_equal_events_by_slug(api):
    by_alias = results(api, "events", actor="JN")
    by_slug = results(api, "events", actor="jabhat-al-nusra")
    assert by_alias and {e["id"] for e in by_alias} == {e["id"] for e in by_slug}


def test_who_leads_the_jihadist_groups(api):
    leaders = results(api, "affiliations", kind="leader_of", object="jabhat-al-nusra")
    assert actor_slugs(leaders, "subject") == {"abu-mohammad-al-golani"}
    leaders = results(api, "affiliations", kind="leader_of", actor="al-qaeda")
    assert actor_slugs(leaders, "subject") == {"ayman-al-zawahiri"}
    leaders = results(api, "affiliations", kind="leader_of", object="isis")
    assert actor_slugs(leaders, "subject") == {"abu-bakr-al-baghdadi"}


def test_isis_ties_to_al_qaeda_as_of_mid_2014(api):
    ties = results(api, "affiliations", subject="isis", object="al-qaeda", active_on="2014-06-01")
    assert {t["kind"] for t in ties} == {"split_from", "rival_of"}
    ties = results(api, "affiliations", subject="isis", object="al-qaeda", active_on="2013-06-01")
    assert {t["kind"] for t in ties} == {"branch_of", "rival_of"}


def test_who_attended_the_meeting_west_of_aleppo(api):
    events = results(api, "events", event_type="meeting-or-negotiation", place="aleppo-governorate")
    assert len(events) == 1
    assert participants(events, "attendee") == {
        "jabhat-al-nusra",
        "isis",
        "abu-mohammad-al-golani",
        "jund-al-aqsa",
        "ahrar-al-sham",
    }
    assert participants(events, "mediator") == {"khorasan-group"}


def test_where_isis_supported_al_nusra(api):
    events = results(api, "events", actor="isis", role="supporter")
    assert titles(events) == {
        "Jabhat al-Nusra routs the U.S.-backed SRF and Harakat Hazm in Idlib",
        "Al-Nusra, helped by an ISIS column, makes its final assault on the Syrian "
        "Revolutionaries Front in Idlib",
    }


def test_strikes_and_bombings_include_sub_types(api):
    events = results(api, "events", event_type="explosions-remote-violence")
    assert {e["event_type"]["slug"] for e in events} == {
        "explosions-remote-violence",
        "shelling-artillery-missile-attack",
        "air-drone-strike",
        "suicide-bomb",
    }
    assert len(events) == 7
    airstrikes = results(
        api, "events", event_type="air-drone-strike", actor="united-states", role="initiator"
    )
    assert titles(airstrikes) == {"U.S. airstrikes on al-Nusra positions and the Khorasan group"}


def test_what_happened_in_aleppo(api):
    events = results(api, "events", place="aleppo-governorate")
    assert titles(events) == {
        "Al-Nusra and ISIS representatives meet west of Aleppo under Khorasan oversight and "
        "agree to eliminate the SRF",
        "Assad's forces launch a major offensive to encircle rebel-held Aleppo",
        "Aleppo rebel groups form the Shamiyya Front",
    }


def test_funding_cuts_reported_by_the_daily_beast_in_january_2015(api):
    doc = document_id(api, "Exclusive: Obama Cuts Funds")
    events = results(api, "events", document=doc, event_type="funding-or-support-change")
    assert titles(events) == {
        "U.S. cuts off funding for four of 16 approved brigades in northern Syria",
        "Shortfalls and cuts in U.S. assistance to the 12 remaining approved brigades in "
        "northern Syria",
        "CIA cuts Harakat Hazm's monthly subsidy to about half",
        "CIA stops paying salaries to the 7th Division",
        "Farouq Brigade gets no money for salaries",
        # and the shipments that still came
        "Weapon shipments reach Harakat Hazm",
    }


def test_documents_by_outlet_and_date(api):
    assert titles(results(api, "documents", outlet="daily-beast")) == {
        "Exclusive: Obama Cuts Funds for the Syrian Rebels He Claims to Support",
        "Inside The ISIS-Al Qaeda Merger Talks",
    }
    recent = results(api, "documents", published_from="2016-01-01")
    assert {d["title"][:20] for d in recent} == {"Al-Qaeda Leader Ayma", "Truce Signed in Syri"}


def test_statements_by_al_zawahiri(api):
    events = results(api, "events", actor="ayman-al-zawahiri", role="speaker")
    assert titles(events) == {
        "Al-Zawahiri declares that ISIS is not a branch of al-Qaeda",
        "Al-Zawahiri audio message: the mujahideen in Syria must unite",
    }


def test_actors_by_wikidata_identifier_and_country(api):
    assert slugs(results(api, "actors", identifier="wikidata:Q2429253")) == {"isis"}
    assert slugs(results(api, "actors", country="IQ")) == {"peshmerga", "iraqi-shia-militias"}


def test_who_the_united_states_supports(api):
    ties = results(api, "affiliations", subject="united-states", kind="supports")
    assert actor_slugs(ties, "object") == {
        "syrian-revolutionaries-front",
        "harakat-hazm",
        "nour-al-din-al-zenki",
        "syrian-rebels",
    }


def test_who_backs_the_syrian_regime(api):
    ties = results(api, "affiliations", object="syria", kind="supports")
    assert actor_slugs(ties, "subject") == {"russia", "iran", "irgc", "hezbollah"}


def test_events_inside_a_bounding_box_around_maarat_al_numan(api):
    events = results(api, "events", bbox="36.45,35.55,36.8,35.85")
    assert {e["place"]["slug"] for e in events} == CAPTURE_TOWNS | {"idlib-governorate"}


def test_actors_cited_by_the_memri_report(api):
    doc = document_id(api, "Al-Qaeda Leader")
    assert slugs(results(api, "actors", document=doc)) == {
        "al-qaeda",
        "ayman-al-zawahiri",
        "jabhat-al-nusra",
        "isis",
        "abu-bakr-al-baghdadi",
        "united-states",
        "russia",
        "syria",
        "iran",
        "saudi-arabia",
        "israel",
        "taliban",
        "mullah-omar",
        "un-security-council",
        "united-kingdom",
    }


def test_actors_affiliated_with_the_free_syrian_army(api):
    backers = results(
        api, "actors", affiliated_with="free-syrian-army", affiliation_kind="supports"
    )
    assert slugs(backers) == {"cia", "pentagon", "us-state-department"}


# --- Second pass (issue 17): one question per new kind of fact ------------------------------


def detail(api, resource, item):
    response = api.get(f"{API}/{resource}/{item['id']}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_when_the_february_2016_truce_was_announced_and_when_it_took_effect(api):
    events = results(
        api, "events", event_type="agreement", date_from="2016-02-01", date_to="2016-02-29"
    )
    by_date = {e["date"]: e for e in events}
    assert set(by_date) == {"2016-02-22", "2016-02-23", "2016-02-27"}
    begins = by_date["2016-02-27"]
    assert begins["title"] == (
        "The Russian-U.S. cessation of hostilities in Syria is due to take effect"
    )
    # The taking effect names the announcement it follows.
    assert "russia-us-joint-statement-cessation-2016-02-22" in begins["summary"]
    assert participants([begins], "excluded") == {"isis", "jabhat-al-nusra", "al-qaeda"}
    # Nothing takes effect before it is announced.
    assert results(api, "events", event_type="agreement", date_from="2016-02-24") == [begins]


def test_who_leads_isis_and_who_disputes_his_caliphate(api):
    leaders = results(api, "affiliations", kind="leader_of", object="isis")
    assert actor_slugs(leaders, "subject") == {"abu-bakr-al-baghdadi"}
    disputes = results(api, "affiliations", kind="rival_of", actor="abu-bakr-al-baghdadi")
    assert {(t["subject"]["slug"], t["object"]["slug"]) for t in disputes} == {
        ("ayman-al-zawahiri", "abu-bakr-al-baghdadi")
    }
    assert "Caliph" in disputes[0]["role"]
    claim = results(api, "events", actor="abu-bakr-al-baghdadi", role="speaker")
    assert titles(claim) == {"Al-Baghdadi declares himself Caliph of the Islamic State"}
    # Dated only between al-Zawahiri's disavowal (winter 2013-14) and the report.
    assert claim[0]["date"] == "2013-24/2014-11-11"
    # Whose leadership of the SRF was disputed, and why.
    (srf,) = results(api, "affiliations", kind="leader_of", object="syrian-revolutionaries-front")
    assert "corruption" in srf["description"]


def test_which_states_back_the_regime_and_which_are_hostile_to_it(api):
    backers = results(api, "affiliations", object="syria", kind="supports")
    assert actor_slugs(backers, "subject") >= {"russia", "iran"}
    (iran,) = [t for t in backers if t["subject"]["slug"] == "iran"]
    assert {
        c["document"]["outlet"]["slug"] for c in detail(api, "affiliations", iran)["citations"]
    } == {
        "jewish-press",
        "memri",
    }
    hostile = results(api, "affiliations", actor="syria", kind="rival_of")
    others = {t["subject"]["slug"] for t in hostile} | {t["object"]["slug"] for t in hostile}
    assert others - {"syria"} == {
        "united-states",
        "al-qaeda",
        "syrian-rebels",
        "isis",
        "jabhat-al-nusra",
    }


def test_who_is_hostile_to_jabhat_al_nusra_and_since_when(api):
    ties = results(api, "affiliations", actor="jabhat-al-nusra", kind="rival_of")
    others = {t["subject"]["slug"] for t in ties} | {t["object"]["slug"] for t in ties}
    assert others - {"jabhat-al-nusra"} == {
        "isis",
        "united-states",
        "syria",
        "syrian-revolutionaries-front",
        "harakat-hazm",
    }
    dated = {t["object"]["slug"]: t["start_date"] for t in ties if t["start_date"]}
    assert dated == {
        "syrian-revolutionaries-front": "../2014-10",
        "harakat-hazm": "../2014-11",
        "jabhat-al-nusra": "../2014-11-09",  # the U.S. airstrikes of early November 2014
    }


def test_the_rebels_fight_the_regime_since_about_2011(api):
    (war,) = results(api, "affiliations", subject="syrian-rebels", object="syria", kind="rival_of")
    assert war["start_date"] == "2011~"
    assert (
        results(
            api, "affiliations", subject="syrian-rebels", object="syria", active_on="2010-06-01"
        )
        == []
    )


def test_find_a_place_by_another_latin_spelling(api):
    expected = {
        "Idleb": {"idlib-governorate"},
        "Raqqah": {"raqqa", "raqqa-governorate"},
        "Deir al-Zour": {"deir-ez-zor", "deir-ez-zor-governorate"},
        "Dayr az-Zawr": {"deir-ez-zor", "deir-ez-zor-governorate"},
        "Antep": {"gaziantep", "gaziantep-province"},
        "Cilvegözü": {"bab-al-hawa"},
        "Genève": {"geneva", "canton-of-geneva"},
        "al-Quds": {"jerusalem"},
        "Dimashq": {"damascus", "damascus-governorate"},
        "Bahía de Cochinos": {"bay-of-pigs"},
    }
    for spelling, places in expected.items():
        assert slugs(results(api, "places", q=spelling)) == places, spelling


def test_find_a_place_by_its_arabic_name(api):
    expected = {
        "العراق": {"iraq"},
        "لبنان": {"lebanon"},
        "الأردن": {"jordan"},
        "تركيا": {"turkey"},
        "الرياض": {"riyadh", "riyadh-province"},
        "دير الزور": {"deir-ez-zor", "deir-ez-zor-governorate"},
        "إدلب": {"idlib-governorate"},
    }
    for name, places in expected.items():
        assert slugs(results(api, "places", q=name)) == places, name


def test_the_places_al_zawahiri_names_lie_in_their_countries(api):
    assert slugs(results(api, "places", within="saudi-arabia")) == {
        "saudi-arabia",
        "riyadh-province",
        "riyadh",
    }
    assert slugs(results(api, "places", within="switzerland")) == {
        "switzerland",
        "canton-of-geneva",
        "geneva",
    }
    assert slugs(results(api, "places", parent="jerusalem")) == {"al-aqsa-mosque"}


def test_find_an_actor_by_another_name(api):
    expected = {
        "Mullah Omar": "mullah-omar",
        "Abu Mohammed al-Julani": "abu-mohammad-al-golani",
        "Hizbullah": "hezbollah",
        "Levant Front": "shamiyya-front",
        "Россия": "russia",
        "Britain": "united-kingdom",
        "IRGC": "irgc",
    }
    for name, slug in expected.items():
        assert slugs(results(api, "actors", q=name)) == {slug}, name


def test_claims_the_articles_hedge_on_both_sides(api):
    # The U.S. and the Assad regime: hostility as stated, and an alliance only as claimed.
    ties = {
        t["kind"]: t for t in results(api, "affiliations", subject="united-states", object="syria")
    }
    assert set(ties) == {"rival_of", "allied_with"}
    claimed = detail(api, "affiliations", ties["allied_with"])["citations"]
    assert {c["credibility"] for c in claimed if "Contradicts" not in c["note"]} == {6}
    assert any("Contradicts" in c["note"] and c["credibility"] <= 2 for c in claimed)
    stated = detail(api, "affiliations", ties["rival_of"])["citations"]
    assert max(c["credibility"] for c in stated) <= 3
    # The CIA's funding cuts: the CIA's explanation and the rebels' disbelief, both cited.
    (cuts,) = results(api, "events", q="four of 16 approved brigades")
    notes = {c["note"] for c in detail(api, "events", cuts)["citations"] if c["credibility"] == 6}
    assert notes == {
        "The CIA's explanation, as rebel commanders report it.",
        "A rebel commander disputes the CIA's explanation.",
    }


def test_defections_to_al_nusra_and_to_isis(api):
    events = results(api, "events", event_type="defection")
    assert {(e["title"], e["date"]) for e in events} == {
        (
            "Members of U.S.-backed rebel groups defect to al-Nusra during its Idlib offensive",
            "2014-10/2014-11-02",
        ),
        ("Rebel fighters defect to ISIS, drawn by higher salaries", "../2015-01-27"),
    }
