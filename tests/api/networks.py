"""The ties the network tests draw, in every format (tests/api/test_network.py,
tests/api/test_network_formats.py)."""

from actors.models import AffiliationCitation
from tests.factories import ActorFactory, AffiliationFactory, DocumentFactory

AS_OF = "2015-06-01"


def build_graph():
    """Ties around Nusra, seen on 1 June 2015:

        qaeda <-branch_of- NUSRA -allied_with-> ahrar -coordinates_with-> jund
                                                                          |
                                                               supports (2015)
                                                                          v
                                                                        levant
    and ties that do not hold on that day: Nusra was a member of ISIS until April 2013;
    the FSA became Nusra's rival only in 2016. Besides: a published tie to a draft actor,
    a draft tie, and a retracted tie, which anonymous readers must not see.
    """
    a = {
        slug: ActorFactory(slug=slug, name=slug.title())
        for slug in ("nusra", "qaeda", "ahrar", "isis", "fsa", "jund", "levant", "hidden")
    }
    a["secret"] = ActorFactory(slug="secret", name="Secret", status="draft")

    def tie(subject, kind, obj, start="", end="", **kwargs):
        return AffiliationFactory(
            subject=a[subject], kind=kind, object=a[obj], start_date=start, end_date=end, **kwargs
        )

    ties = {
        "branch": tie("nusra", "branch_of", "qaeda", "2013-04"),
        "allied": tie("nusra", "allied_with", "ahrar", "2015-03", "2016-01"),
        "member": tie("nusra", "member_of", "isis", "2012", "2013-04"),
        "rival": tie("fsa", "rival_of", "nusra", "2016-02"),
        "coordinates": tie("ahrar", "coordinates_with", "jund", "2014-10~"),
        "supports": tie("jund", "supports", "levant", "2015", "2015"),
        "to_draft_actor": tie("nusra", "allied_with", "secret", "2014"),
        "draft": tie("nusra", "rival_of", "hidden", "2014", status="draft"),
        "retracted": tie(
            "nusra", "split_from", "hidden", "2014", status="retracted", retraction_reason="x"
        ),
    }
    AffiliationCitation.objects.create(
        affiliation=ties["branch"],
        document=DocumentFactory(title="Nusra pledges allegiance"),
        quote="pledged allegiance to al-Qaeda's leader",
        locator="para. 2",
        credibility=1,
    )
    return a, ties
