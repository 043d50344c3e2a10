"""Idempotent demo content: run it twice and nothing is duplicated.

Later issues add their own parts (programme, tips, activities, participants)
as more functions called from :func:`demo_load`.
"""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from buddypages.conf import buddypages_setting
from buddypages.core import languages
from buddypages.models import ActivityCalendarPage, HomePage, LanguageTipIndexPage, ProgrammePage
from buddypages.pages.access import SiteGrant
from buddypages.pages.new_municipality import municipality_team_ensure, pages_grant
from buddysite.demo import duos as duos_demo
from buddysite.demo import followup, home, municipality, pages, tip_library, trainings, volunteering
from buddysite.demo import newsletter as newsletter_demo
from buddysite.demo import registry as registry_demo
from buddysite.demo import sites as demo_sites
from buddysite.demo.sites import Town
from buddysite.demo.translate import translate_instance

COORDINATORS = "Coordinators"
EDITORS = "Communications staff"
REGIONAL = "Regional figures"
# The second town's staff: the coordinators' permissions, its own pages and people only
# (made as ``manage.py add_municipality`` makes a municipality's group).
SECOND_COORDINATORS = "Coordinators Bosdonk"
DEMO_USERS = {"coordinator": COORDINATORS, "editor": EDITORS}
# With a second municipality: its coordinator, and the region's staff (figures only).
MORE_USERS = {"coordinator2": SECOND_COORDINATORS, "regional": REGIONAL}
# What each demo account may see of which municipality (SiteGrant), once there are several
# (one site needs no grants): the first town's coordinator its registry, the region only the
# yearly figures of every demo site. The second town's coordinator has theirs through their
# group.
FIRST_SITE, SECOND_SITE, EVERY_SITE = "first", "second", "every"
DEMO_GRANTS = [
    ("coordinator", FIRST_SITE, SiteGrant.Level.REGISTRY),
    ("regional", EVERY_SITE, SiteGrant.Level.FIGURES),
]


@dataclass
class DemoResult:
    password: str
    password_generated: bool
    home_pages: dict[str, HomePage] = field(default_factory=dict)
    site: Site | None = None
    second: Town | None = None
    region: list[Site] = field(default_factory=list)
    accounts: dict[str, str] = field(default_factory=dict)  # username -> group
    programme: ProgrammePage | None = None
    tip_index: LanguageTipIndexPage | None = None
    calendar: ActivityCalendarPage | None = None
    registration_pages: dict = field(default_factory=dict)
    participants: int = 0
    duos: int = 0
    newsletter_issue: object = None
    proposals: int = 0


def demo_password() -> tuple[str, bool]:
    """DEMO_PASSWORD from the environment, else one generated (and kept in
    ``BUDDYPAGES["DEMO_PASSWORD_FILE"]`` when the host names one)."""
    from_env = os.environ.get("DEMO_PASSWORD", "")
    if from_env:
        return from_env, False
    path = buddypages_setting("DEMO_PASSWORD_FILE")
    if path is None:
        return secrets.token_urlsafe(12), True
    path = Path(path)
    if path.exists() and path.read_text().strip():
        return path.read_text().strip(), True
    password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password, True


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code in languages.LANGUAGE_CODES
    }


def ensure_home(locales: dict[str, Locale]) -> dict[str, HomePage]:
    """The Dutch home page as the site root, translated into every locale."""
    root = Page.get_first_root_node()
    source_locale = locales[languages.SOURCE_LANGUAGE]
    # Slug "home" at the top: the other demo towns' home pages sit beside it.
    nl_home = HomePage.objects.filter(locale=source_locale, depth=2, slug="home").first()
    if nl_home is None:
        # Wagtail's migrations leave a "Welcome" page; replace it, as bakerydemo does.
        for welcome in root.get_children().filter(depth=2, content_type__model="page"):
            if not welcome.get_children().exists():
                welcome.delete()
        nl_home = HomePage(
            title=home.TITLE,
            slug="home",
            intro=home.INTRO,
            body=home.BODY,
            locale=source_locale,
        )
        root.add_child(instance=nl_home)
        nl_home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    site.hostname = base.hostname or "localhost"
    site.port = base.port or (443 if base.scheme == "https" else 80)
    site.root_page = nl_home
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.save()

    pages = {languages.SOURCE_LANGUAGE: nl_home}
    for code, strings in home.TRANSLATIONS.items():
        existing = nl_home.get_translation_or_none(locales[code])
        # Never overwrite a translation that exists: editors may have changed it.
        pages[code] = existing or translate_instance(nl_home, locales[code], strings)
    return pages


def _group(name: str, codenames: list[str]) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    return group


def ensure_groups(home: HomePage) -> dict[str, Group]:
    """Communications staff edit and translate the first town's pages (``home`` and under it,
    in every language); coordinators also see the registry."""
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    snippet_perms = [
        f"{action}_{model}"
        for action in ("add", "change", "delete")
        for model in (
            "partner",
            "languagetiptheme",
            "interest",
            "goaloption",
            "referralservice",
            # The volunteers' information note: editors help write and translate it.
            "informationnote",
        )
    ]
    editor_perms = ["access_admin", "submit_translation", *snippet_perms]
    # Personal data (sign-ups, later the registry): coordinators only.
    coordinator_perms = [
        *editor_perms,
        "view_activitysignup",
        "change_activitysignup",
        "delete_activitysignup",
        "view_participant",
        "change_participant",
        "delete_participant",
        "export_participant",
        "view_duo",
        "change_duo",
        "view_matchproposal",
        "change_matchproposal",
        # The coordinator's cycle (issue 18): the volunteers' paperwork and trainings, action
        # plans and feedback, questions from duos, partner vouchers.
        *(
            f"{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in (
                "informationnote",
                "insurancepolicy",
                "insurancecover",
                "trainingattendance",
                "duogoal",
                "voucheroffer",
                "voucher",
            )
        ),
        "view_noteacknowledgement",
        "view_duofeedback",
        "view_duoquestion",
        "change_duoquestion",
        "add_send",
        "view_send",
        "change_send",
        "view_suppression",
        "change_suppression",
        "delete_suppression",
        # Publish webhooks (buddypages.api.webhooks): endpoints and their delivery log.
        "add_webhookendpoint",
        "change_webhookendpoint",
        "delete_webhookendpoint",
        "view_webhookendpoint",
        "view_webhookdelivery",
    ]
    groups = {
        EDITORS: _group(EDITORS, editor_perms),
        COORDINATORS: _group(COORDINATORS, coordinator_perms),
    }
    media_perms = Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"],
        codename__in=[
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        ],
    )
    for group in groups.values():
        # Demos before page permissions per town gave them on the root (every town's pages).
        GroupPagePermission.objects.filter(group=group, page=root).delete()
        pages_grant(group, home)
        for permission in media_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    return groups


def ensure_regional_group() -> Group:
    """Regional staff: the admin, and no permission on any registry. Their ``figures``
    grants alone open the yearly report of their sites (``buddypages.reports.admin``)."""
    group, _created = Group.objects.get_or_create(name=REGIONAL)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def ensure_grants(sites: dict[str, list[Site]]) -> None:
    User = get_user_model()
    for username, which, level in DEMO_GRANTS:
        user = User.objects.get(username=username)
        for site in sites[which]:
            SiteGrant.objects.get_or_create(site=site, user=user, level=level)


def ensure_accounts(groups: dict[str, Group], password: str, users: dict[str, str]) -> None:
    User = get_user_model()
    for username, group_name in users.items():
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "first_name": username.title()},
        )
        user.is_staff = False
        user.is_superuser = False
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set([groups[group_name]])


@transaction.atomic
def demo_load(*, participants: int = 60, sites: int = 1) -> DemoResult:
    """The demo: Heidestad (the default site) with ``participants`` people; with ``sites``
    2 also Bosdonk (a smaller second town), its coordinator and the region's account; with
    more, that many light towns in all, ``participants`` people each (64: a region).

    ``load_demo`` asks for 2. The tests' demo fixtures keep one site: they read page
    addresses without a request (relative with one site only) and find pages by language."""
    if sites < 1:
        raise ValueError("sites must be 1 or more")
    password, generated = demo_password()
    locales = ensure_locales()
    result = DemoResult(password=password, password_generated=generated)
    result.home_pages = ensure_home(locales)
    home = result.home_pages[languages.SOURCE_LANGUAGE]
    themes = pages.ensure_themes(locales)
    partners = pages.ensure_partners(locales)
    result.programme = pages.ensure_programme(home, locales, partners)
    result.tip_index = pages.ensure_tips(home, locales, themes)
    result.calendar = pages.ensure_activities(home, locales)
    interests = registry_demo.ensure_interests(locales)
    result.registration_pages = registry_demo.ensure_registration_pages(
        result.programme,
        locales,
        {lang: pages.programme_strings(lang) for lang in registry_demo.LANGS},
    )
    result.participants = registry_demo.ensure_participants(
        result.programme, result.registration_pages, interests, participants
    )
    volunteering.ensure_volunteering(result.programme, result.calendar, locales)
    trainings.ensure_trainings(result.programme, result.calendar, locales)
    result.duos = duos_demo.ensure_duos(result.programme)
    followup.ensure_plans(result.programme, locales)
    followup.ensure_referrals(locales)
    followup.ensure_vouchers(result.programme, partners)
    result.proposals = duos_demo.ensure_proposals(result.programme)
    result.newsletter_issue = newsletter_demo.ensure_newsletter(home, locales, result.calendar)
    groups = ensure_groups(home)
    result.accounts = dict(DEMO_USERS)
    ensure_accounts(groups, password, result.accounts)
    municipality.ensure_municipality()
    result.site = Site.objects.get(is_default_site=True)
    if sites < 2:
        return result
    result.second = demo_sites.ensure_bosdonk(locales, themes, interests, participants=participants)
    groups[SECOND_COORDINATORS] = municipality_team_ensure(
        result.second.site, name=SECOND_COORDINATORS, like=groups[COORDINATORS]
    )
    groups[REGIONAL] = ensure_regional_group()
    ensure_accounts(groups, password, MORE_USERS)
    result.accounts.update(MORE_USERS)
    # The region's tips, kept and translated once, on both towns' tips pages; the first
    # town's communications staff keep them.
    pages_grant(groups[EDITORS], tip_library.ensure_tip_library(locales, themes))
    if sites > 2:
        result.region = demo_sites.ensure_region(
            locales, sites=sites - 2, participants=participants
        )
    ensure_grants(
        {
            FIRST_SITE: [result.site],
            SECOND_SITE: [result.second.site],
            EVERY_SITE: [result.site, result.second.site, *result.region],
        }
    )
    return result
