"""Matching never pairs across municipalities: a programme's proposals hold people of its own
site only, even when another site's waiting people speak the same languages, live in a
neighbourhood of the same name, and (a regional programme, a record moved by hand) carry the
same programme key."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buddypages.duos import services
from buddypages.duos.admin import participant_suggestions
from buddypages.duos.models import Duo, MatchProposal
from buddypages.registry.models import Participant
from tests.buddypages.duos.test_sealed_duos import person, town

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "uk", "fa"]
PLACES = ["Centrum", "Molenwijk"]


@pytest.fixture
def sites(demo):
    site_a, programme_a = town("Aalterhb", "Buddy Aalter")
    site_b, programme_b = town("Beverenhb", "Buddy Beveren")
    return site_a, programme_a, site_b, programme_b


def waiting(programme, site, role, language, place, n):
    """A waiting person of ``site`` in ``programme`` (whatever site that programme is in)."""
    someone = person(
        programme,
        f"{role.title()}{n}",
        f"Site{site.pk}",
        role,
        neighbourhood=place,
        availability=0b111,
        site=site,
    )
    someone.spoken_languages.create(code=language)
    return someone


def assert_one_site(proposals, site):
    for proposal in proposals:
        assert proposal.newcomer.site_id == site.pk, proposal
        assert proposal.volunteer.site_id == site.pk, proposal


@pytest.mark.parametrize(
    ("b_people_key", "label"),
    [("own", "each site its own programme"), ("shared", "site B's people carry A's key")],
)
def test_each_programme_proposes_within_its_own_site(sites, b_people_key, label):
    """Site A has waiting newcomers and no volunteer; site B has volunteers who would suit
    them perfectly (same language, same neighbourhood name, same free moments)."""
    site_a, programme_a, site_b, programme_b = sites
    b_programme = programme_b if b_people_key == "own" else programme_a
    for n in range(2):
        waiting(programme_a, site_a, "newcomer", "ar", "Centrum", n)
        waiting(b_programme, site_b, "volunteer", "ar", "Centrum", n)
    waiting(programme_b, site_b, "newcomer", "ar", "Centrum", 9)
    assert services.proposals_create(programme=programme_a) == [], label
    made = services.proposals_create(programme=programme_b)
    assert_one_site(made, site_b)
    if b_people_key == "own":
        assert len(made) == 1


def test_a_pair_across_sites_is_refused_whatever_proposes_it(sites):
    site_a, programme_a, site_b, _programme_b = sites
    newcomer = waiting(programme_a, site_a, "newcomer", "ar", "Centrum", 1)
    volunteer = waiting(programme_a, site_b, "volunteer", "ar", "Centrum", 1)
    proposal = MatchProposal.objects.create(
        programme_key=programme_a.translation_key, newcomer=newcomer, volunteer=volunteer, score=5
    )
    with pytest.raises(services.DuoError):
        services.proposal_accept(proposal=proposal, user=None)
    with pytest.raises(services.DuoError):
        services.duo_create(newcomer=newcomer, volunteer=volunteer)
    own = waiting(programme_a, site_a, "volunteer", "ar", "Centrum", 2)
    proposal.volunteer = own
    proposal.save()
    with pytest.raises(services.DuoError):
        services.proposal_change(proposal=proposal, volunteer=volunteer, user=None)
    assert not Duo.objects.filter(newcomer=newcomer).exists()
    # A waiting person's own page suggests buddies of their site only.
    suggested = {row["person"].pk for row in participant_suggestions(newcomer)}
    assert suggested == {own.pk}


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["newcomer", "volunteer"]),
            st.sampled_from(LANGUAGES),
            st.sampled_from(PLACES),
            st.booleans(),  # carries the other site's programme key
        ),
        min_size=2,
        max_size=10,
    )
)
def test_proposals_never_hold_people_of_two_sites(sites, people):
    site_a, programme_a, site_b, programme_b = sites
    keys = [programme_a.translation_key, programme_b.translation_key]
    Participant.objects.filter(programme_key__in=keys).delete()  # the previous example's
    for n, (which, role, language, place, crossed) in enumerate(people):
        site = site_a if which == "a" else site_b
        programme = programme_a if (which == "a") != crossed else programme_b
        waiting(programme, site, role, language, place, n)
    for programme, site in ((programme_a, site_a), (programme_b, site_b)):
        made = services.proposals_create(programme=programme)
        assert_one_site(made, site)
        # Whoever could be paired within the site is: the seal hides nobody of the site.
        cohort = services.cohort_for(programme.translation_key)
        assert {p.site_id for p in cohort.newcomers + cohort.volunteers} <= {site.pk}
