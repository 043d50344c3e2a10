"""The isolation matrix (issue 19): a coordinator of site A asks for everything of site B.

Every admin URL of the plugin's apps (its view's module, or the model its generic view was
made for, is ``buddypages`` or ``newsletter``) is found by walking Django's URL resolver, so
a screen added tomorrow is in the matrix the day it is added; each is its own case. Site A's
coordinator (every permission of both apps, granted site A only, second factor verified)
asks it:

* with every number of site B (every record and page, each number used in one table only)
  in each parameter; a generic view's ``pk`` is its model's, so there it gets site B's rows
  of that model and the shared rows site B points to. The answer must be 403 or 404, or
  whatever a number nothing has gets (a redirect, a 405) when that does not depend on site
  B's record; a redirect goes to the login or to a screen that is not about site B's record.
  Site B's configuration (its settings, note, policy, offer, webhooks) may answer, but like
  every answer must show nobody;
* by an empty POST wherever the GET was not refused (a view finds its object before it
  looks at the method); no POST changes a row of site B;
* a list plainly, searched for site B's surnames (``?q=``), filtered on site B's numbers,
  and exported (``?export=csv``, ``?export=xlsx``): 200 is right there.

In every answer none of site B's names, addresses or words (``isolation_data.NEEDLES``) may
appear: not in the page, its headers, a CSV, an XLSX's cells or a PDF's text. The admin's
home, search, site history and page screens, and every read of the APIs (v3's OpenAPI
document lists them; v2's URLs) are read the same way. The last tests show the matrix can
fail: site B is there to be found by a superuser, and a participant screen made without the
seal is found by the walk and reported.

Site B and the coordinator: ``tests/buddypages/isolation_data.py``.
"""

from __future__ import annotations

import html
import io
import itertools
import re
from dataclasses import dataclass
from types import ModuleType
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve, reverse
from django.urls.exceptions import Resolver404
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from wagtail.models import Site

from tests.buddypages import isolation_data as data

pytestmark = pytest.mark.django_db

# A number nothing has: what a screen answers for it, it must answer for site B's records.
MISSING = data.FIRST_ID - 1
LIST_VARIANTS = [
    *({"q": surname} for surname in data.SURNAMES),
    {"export": "csv"},
    {"export": "xlsx"},
]
GUARDED = {**settings.BUDDYPAGES, "REQUIRE_TWO_FACTOR": True}


# --- The URLs ---------------------------------------------------------------------------


def _unwrapped(callback):
    """The chain from a URL's callback down through its decorators (``__wrapped__``)."""
    seen = []
    while callback is not None and all(callback is not other for other in seen):
        seen.append(callback)
        callback = getattr(callback, "__wrapped__", None)
    return seen


def view_of(callback):
    """The view class, or the function, a URL's callback runs (decorators unwrapped)."""
    chain = _unwrapped(callback)
    for step in chain:
        if getattr(step, "view_class", None) is not None:
            return step.view_class
    return chain[-1]


def model_of(callback):
    """The model a generic view was made for (``view_initkwargs``), or None."""
    for step in _unwrapped(callback):
        model = (getattr(step, "view_initkwargs", None) or {}).get("model")
        if model is not None:
            return apps.get_model(model) if isinstance(model, str) else model
    return None


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    route: str  # "admin/participants/edit/<int:pk>/"
    callback: object

    def __str__(self) -> str:
        return self.route

    @property
    def view(self):
        return view_of(self.callback)

    @property
    def model(self):
        return model_of(self.callback)

    @property
    def parameters(self) -> list[tuple[str, str]]:
        """(converter, name) of each parameter, in order."""
        return [
            (found["converter"] or "str", found["name"] or found["group"])
            for found in PARAMETER.finditer(self.route)
        ]

    def url(self, values: dict) -> str:
        filled = PARAMETER.sub(
            lambda found: str(values[found["name"] or found["group"]]), self.route
        )
        return "/" + filled.replace("^", "").replace("$", "")

    @property
    def takes_posts(self) -> bool:
        """A function view may read a POST whatever it says: only views of a class tell."""
        view = self.view
        return not isinstance(view, type) or hasattr(view, "post")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _is_plugins(route: Route) -> bool:
    module = getattr(route.view, "__module__", "") or ""
    model = route.model
    return module.split(".")[0] in data.APPS or (
        model is not None and model._meta.app_label in data.APPS
    )


def plugin_admin_routes(urlconf=None) -> list[Route]:
    """Every admin URL whose view, or whose view's model, is the plugin's."""
    routes = {}
    for route, callback in _walk(get_resolver(urlconf).url_patterns):
        found = Route(route, callback)
        if route.startswith("admin/") and _is_plugins(found):
            routes.setdefault(route, found)
    return list(routes.values())


def api_v2_routes(urlconf=None) -> list[Route]:
    return [
        Route(route, callback)
        for route, callback in _walk(get_resolver(urlconf).url_patterns)
        if route.startswith("api/v2/")
    ]


def api_v3_reads() -> list[tuple[str, dict]]:
    """(path, operation) of every GET in the v3 API's OpenAPI document."""
    from buddypages.api.v3.api import get_api

    schema = get_api().get_openapi_schema(path_prefix="/api/v3/")
    return [
        (route, operations["get"])
        for route, operations in schema["paths"].items()
        if "get" in operations
    ]


# --- What an answer says ----------------------------------------------------------------


def _xlsx_text(raw: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def _pdf_text(raw: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(raw))
    return "\n".join(page.extract_text() or "" for page in reader.pages) + "\n".join(
        str(value) for value in (reader.metadata or {}).values()
    )


def answer_text(response) -> str:
    """Everything a response says, as text: headers, and the body however it is encoded."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    parts = [f"{name}: {value}" for name, value in response.items()]
    if raw.startswith(b"PK") and ("sheet" in content_type or "excel" in content_type):
        parts.append(_xlsx_text(raw))
    elif raw.startswith(b"%PDF"):
        parts.append(_pdf_text(raw))
    else:
        text = raw.decode("utf-8", "replace")
        parts += [text, html.unescape(text)]
    return "\n".join(parts)


def names_in(text: str, *, asked: str = "") -> list[str]:
    """What of site B ``text`` shows (by label); not the word the request itself searched for
    (a search box shows what was typed)."""
    lowered = text.lower()
    return [
        label
        for label, needle in data.NEEDLES.items()
        if needle.lower() in lowered and needle.lower() != asked.lower()
    ]


# --- The two municipalities -------------------------------------------------------------


@dataclass
class World:
    site_a: Site
    site_b: data.SiteB
    coordinator: object


def logged_in(user) -> Client:
    """A client of ``user`` with a verified second factor."""
    client = Client(raise_request_exception=False)  # a server error is an answer (500)
    client.force_login(user)
    device = StaticDevice.objects.create(user=user, name="isolation", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture(scope="module")
def world(_demo_loaded, django_db_blocker):
    """The demo (site A) and site B, built once for this module inside a transaction that is
    rolled back after it: every test rolls back on top of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        site_a = Site.objects.get(is_default_site=True)
        built = World(
            site_a=site_a,
            site_b=data.build_site_b(),
            coordinator=data.coordinator_of(site_a, username="coordinator-of-site-a"),
        )
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def _coordinators_client(world, django_db_blocker):
    """Site A's coordinator past the second-factor guard, as in production (proved: the
    registry's list opens; with the guard unsatisfied every screen would redirect)."""
    with django_db_blocker.unblock(), override_settings(BUDDYPAGES=GUARDED):
        client = logged_in(world.coordinator)
        assert client.get("/admin/participants/results/").status_code == 200
        return client


@pytest.fixture
def coordinator(_coordinators_client, settings):
    settings.BUDDYPAGES = GUARDED
    return _coordinators_client


# --- Asking, and judging the answer -----------------------------------------------------


@dataclass
class Ask:
    route: str
    url: str
    what: str  # what of site B the URL names
    strict: bool  # site B's own record: 403 or 404


def _ids_for(route: Route, name: str, site_b: data.SiteB) -> list[tuple[object, str, bool]]:
    """The values to try for one parameter: (value, what it names, is it site B's own)."""
    if name == "role":
        return [("newcomer", "newcomer", False), ("volunteer", "volunteer", False)]
    if name == "start":
        return [(stamp, "date of an activity", False) for stamp in site_b.stamps]
    every = [(pk, what, site_b.is_personal(what)) for pk, what in site_b.ids().items()]
    model = route.model
    if model is None or name != "pk":
        return every
    # A generic view's pk is its model's (and site B's numbers are each used in one table
    # only): site B's rows of that model, and the shared rows site B points to (a shared row
    # may be shown, but not site B's people with it). A model with neither: a number of
    # site B that is not one of its rows.
    own = [
        (r.pk, what, site_b.is_personal(what))
        for what, r in site_b.records.items()
        if isinstance(r, model)
    ]
    shared = [(r.pk, what, False) for what, r in site_b.shared.items() if isinstance(r, model)]
    return own + shared or [(site_b.site.pk, "site (not a row of this model)", True)]


def asks(route: Route, site_b: data.SiteB, *, readable: bool = True) -> list[Ask]:
    """What to ask a screen; a screen without parameters that opens (``readable``) is a list:
    searched, filtered and exported too."""
    parameters = route.parameters
    if not parameters:
        plain = Ask(route.route, route.url({}), "the list", strict=False)
        if not readable:
            return [plain]
        filters = {
            "site": site_b.site.pk,
            "sites": site_b.site.pk,
            "programme": site_b.pages["programme"].pk,
            "activity": site_b.pages["activity"].pk,
            "issue": site_b.pages["newsletter issue"].pk,
        }
        return [
            plain,
            *(
                Ask(route.route, f"{plain.url}?{urlencode(query)}", str(query), strict=False)
                for query in [*LIST_VARIANTS, filters]
            ),
        ]
    choices = [_ids_for(route, name, site_b) for _converter, name in parameters]
    found = []
    for combination in itertools.product(*choices):
        values = {
            name: value for (_c, name), (value, _w, _s) in zip(parameters, combination, strict=True)
        }
        what = ", ".join(what for _v, what, _s in combination)
        strict = any(own for _v, _w, own in combination)
        found.append(Ask(route.route, route.url(values), what, strict))
    return found


def _missing_twin(url: str, site_b: data.SiteB) -> str:
    """``url`` with every number of site B replaced by one nothing has."""
    ids = {str(pk) for pk in site_b.ids()}
    return "/".join(str(MISSING) if part in ids else part for part in url.split("/"))


_ALONE: dict[str, list[str]] = {}


def _redirect_problem(client, ask: Ask, response, site_b: data.SiteB) -> str | None:
    """A redirect may go to the login, or to a screen that is not site B's record unless a
    number nothing has is sent to the same screen (that screen has its own case); what the
    screen shows after it, more than that screen alone (its message), names nobody."""
    location = response["Location"]
    target = urlsplit(location)
    if target.path == reverse("wagtailadmin_login"):
        return None
    try:
        match = resolve(target.path)
    except Resolver404:
        match = None
    ids = {str(pk) for pk in site_b.ids()}
    if match is not None and ids & {str(v) for v in match.kwargs.values()}:
        twin = _twin(client, response.request["REQUEST_METHOD"].lower(), ask.url, site_b)
        if _missing_twin(location, site_b) != twin.get("Location"):
            return f"redirects to {location}, a screen of site B's {ask.what}"
        return None
    followed = names_in(answer_text(client.get(location, follow=True)))
    if location not in _ALONE:  # the screen as it shows without the redirect's message
        _ALONE[location] = names_in(answer_text(client.get(location, follow=True)))
    added = [label for label in followed if label not in _ALONE[location]]
    if added:
        return f"redirects to {location}, which then shows {', '.join(added)}"
    return None


_TWINS: dict[tuple[str, str], object] = {}


def _twin(client, method: str, url: str, site_b: data.SiteB):
    """The answer to ``url`` with site B's numbers replaced by one nothing has (asked once:
    it does not change with site B's records)."""
    twin_url = _missing_twin(url, site_b)
    if (method, twin_url) not in _TWINS:
        _TWINS[method, twin_url] = getattr(client, method)(twin_url)
    return _TWINS[method, twin_url]


REFUSED = (403, 404)


def status_of(response, url: str) -> int:
    """The status, where the host's LocaleMiddleware's redirect of a 404 outside its language
    prefixes (to ``/<language><path>``, which Wagtail's page route answers) counts as the
    404 it replaced (Django makes that redirect of 404s only, and drops their body)."""
    if response.status_code == 302:
        target = urlsplit(response["Location"]).path
        path = urlsplit(url).path
        if any(target == f"/{code}{path}" for code, _name in settings.LANGUAGES):
            return 404
    return response.status_code


def problems_of(client, ask: Ask, method: str, site_b: data.SiteB, asked=""):
    """(Was it refused? What is wrong with the answer?)"""
    response = getattr(client, method)(ask.url)
    status = status_of(response, ask.url)
    where = f"{method.upper()} {ask.url} ({ask.what}): {status}"
    found = []
    shown = names_in(answer_text(response), asked=asked)
    if shown:
        found.append(f"{where} shows {', '.join(shown)}")
    if ask.strict and status not in REFUSED:
        # Refused or not, the answer must not depend on site B's record being there: what
        # the screen answers for a number nothing has, it answers for site B's.
        twin = _twin(client, method, ask.url, site_b)
        same = status == status_of(twin, twin.request["PATH_INFO"]) and (
            status != 302 or _missing_twin(response["Location"], site_b) == twin.get("Location")
        )
        if status not in (302, 405) or not same:
            found.append(f"{where}, expected 403 or 404 (a number nothing has: {twin.status_code})")
            return False, found
    if status in (301, 302, 303, 307):
        problem = _redirect_problem(client, ask, response, site_b)
        if problem:
            found.append(f"{where} {problem}")
    return status in REFUSED, found


def _changed(before: dict, site_b: data.SiteB) -> tuple[list[str], dict]:
    after = data.rows_of(site_b.site)
    return sorted(label for label in after if after[label] != before[label]), after


def matrix_problems(client, route: Route, site_b: data.SiteB) -> list[str]:
    _TWINS.clear()
    _ALONE.clear()
    found = []
    start = before = None
    readable = not route.parameters and client.get(route.url({})).status_code == 200
    for ask in asks(route, site_b, readable=readable):
        asked = ask.url.partition("q=")[2] if "q=" in ask.url else ""
        refused, problems = problems_of(client, ask, "get", site_b, asked=asked)
        found += problems
        # A view finds its object before it looks at the method: a number refused to a GET
        # is refused to a POST (the POSTs that remain are where it was not).
        if route.takes_posts and "?" not in ask.url and not (refused and route.parameters):
            if start is None:
                start = before = data.rows_of(site_b.site)
            refused, problems = problems_of(client, ask, "post", site_b)
            found += problems
            if problems or not refused:  # did this one change site B's rows? (a slow read)
                changed, before = _changed(before, site_b)
                if changed:
                    found.append(f"POST {ask.url} ({ask.what}) changed site B's {changed}")
    changed = _changed(start, site_b)[0] if start is not None else []
    if changed and not any("changed site B's" in problem for problem in found):
        found.append(f"a POST to {route} changed site B's {changed}")
    return found


# --- The matrix -------------------------------------------------------------------------

ROUTES = plugin_admin_routes()


def test_the_matrix_walks_the_plugins_screens():
    """The walk finds the screens (a broken walk would make every case below pass)."""
    found = {route.route for route in ROUTES}
    for expected in [
        "admin/participants/",
        "admin/participants/inspect/<int:pk>/",
        "admin/participants/history/<int:pk>/",
        "admin/duos/action/<int:pk>/",
        "admin/matching/<int:pk>/",
        "admin/newsletter/sends/<int:send_id>/progress/",
        "admin/snippets/buddypages/informationnote/edit/<int:pk>/",
    ]:
        assert expected in found
    assert len(found) > 100


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_site_a_learns_nothing_of_site_b(route, world, coordinator):
    problems = matrix_problems(coordinator, route, world.site_b)
    assert not problems, "\n".join(problems)


WAGTAIL_SCREENS = {
    "dashboard": lambda b: ["/admin/"],
    "search": lambda b: [f"/admin/search/?q={word}" for word in [*data.SURNAMES, "Okonkwo"]],
    "site history": lambda b: ["/admin/reports/site-history/"],
    "B's pages in the explorer": lambda b: [f"/admin/pages/{b.pages['home'].pk}/"],
    "B's pages in the editor": lambda b: [
        f"/admin/pages/{page.pk}/edit/" for page in b.pages.values()
    ],
    "B's pages' history": lambda b: [
        f"/admin/pages/{page.pk}/history/" for page in b.pages.values()
    ],
}


@pytest.mark.parametrize("screen", WAGTAIL_SCREENS)
def test_wagtails_screens_show_nothing_of_site_b(screen, world, coordinator):
    found = []
    for url in WAGTAIL_SCREENS[screen](world.site_b):
        asked = url.partition("q=")[2]
        ask = Ask(screen, url, screen, strict=False)
        found += problems_of(coordinator, ask, "get", world.site_b, asked=asked)[1]
    assert not found, "\n".join(found)


# --- The APIs ---------------------------------------------------------------------------

V3_READS = api_v3_reads()


def test_every_read_of_the_openapi_document_is_in_the_matrix(client):
    document = client.get("/api/v3/openapi.json").json()
    reads = {route for route, operations in document["paths"].items() if "get" in operations}
    assert reads == {route for route, _operation in V3_READS}


def api_fillings(names: list[str], site_b: data.SiteB) -> list[dict]:
    """Values for the path parameters of one read: every number of site B, a page's
    number for a page, the kinds of site B's records for a snippet type, and then the
    numbers of that kind's rows."""
    rows = {**site_b.records, **site_b.shared}
    fillings: list[dict] = [{}]
    for name in names:
        grown = []
        for filled in fillings:
            if name == "type":
                options = sorted({row._meta.label_lower for row in rows.values()})
            elif name == "pk" and "type" in filled:
                options = [r.pk for r in rows.values() if r._meta.label_lower == filled["type"]]
            elif name == "revision_id":
                options = [page.latest_revision_id for page in site_b.pages.values()]
            elif name == "page_id":
                options = [page.pk for page in site_b.pages.values()]
            elif name == "type_name":
                options = ["ProgrammePage", "ActivityPage"]
            else:
                options = list(site_b.ids())
            grown += [{**filled, name: option} for option in options]
        fillings = grown
    return fillings


@pytest.mark.parametrize(("route", "operation"), V3_READS, ids=[r for r, _o in V3_READS])
def test_api_v3_shows_nothing_of_site_b(route, operation, world, coordinator):
    site_b = world.site_b
    parameters = operation.get("parameters", [])
    names = [p["name"] for p in parameters if p["in"] == "path"]
    query = {"site": site_b.site.pk, "search": data.SURNAMES[0]}
    query = {k: v for k, v in query.items() if any(p["name"] == k for p in parameters)}
    asked = query.get("search", "")
    found = []
    for values in api_fillings(names, site_b):
        url = route
        for name, value in values.items():
            url = url.replace("{" + name + "}", str(value))
        url = f"{url}?{urlencode(query)}" if query else url
        # As site A's coordinator: the API reads with the session a visitor has, if any, and
        # a signed-in coordinator may read more than an anonymous visitor, never less.
        shown = names_in(answer_text(coordinator.get(url)), asked=asked)
        if shown:
            found.append(f"GET {url} shows {', '.join(shown)}")
    assert not found, "\n".join(found)


V2_ROUTES = api_v2_routes()


@pytest.mark.parametrize("route", V2_ROUTES, ids=str)
def test_api_v2_shows_nothing_of_site_b(route, world, coordinator):
    site_b = world.site_b
    choices = [list(site_b.ids()) for _parameter in route.parameters]
    found = []
    suffixes = [""] if route.parameters else ["", f"?search={data.SURNAMES[0]}"]
    suffixes += [f"?site={site_b.site.pk}"] if not route.parameters else []
    for values in itertools.product(*choices):
        url = route.url({name: v for (_c, name), v in zip(route.parameters, values, strict=True)})
        for suffix in suffixes:
            response = coordinator.get(url + suffix)
            shown = names_in(answer_text(response), asked=data.SURNAMES[0] if suffix else "")
            if shown:
                found.append(f"GET {url}{suffix} shows {', '.join(shown)}")
    assert not found, "\n".join(found)


# --- The matrix can fail ----------------------------------------------------------------


def test_site_b_has_a_row_in_every_sealed_model(world):
    """A model that belongs to a site but has no row in site B would be asked for nothing."""
    empty = [
        model._meta.label
        for model, lookup in data.sealed_models()
        if not model._default_manager.filter(**{lookup: world.site_b.site}).exists()
    ]
    assert not empty


def test_site_b_is_there_to_be_found(world):
    """A superuser sees site B's names on the same screens and in the same exports: the words
    the matrix looks for are on the screens when they are not sealed."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("isolation-admin", "admin@example.org")
    client = logged_in(admin)
    site_b = world.site_b
    for url, label in [
        ("/admin/participants/?q=Quaresma", "newcomer's first name"),
        ("/admin/participants/?export=xlsx", "volunteer's email"),
        ("/admin/activity_signups/?export=csv", "sign-up's email"),
        (f"/admin/duo_questions/inspect/{site_b.records['question'].pk}/", "question"),
        ("/admin/reports/site-history/", "site B coordinator's name"),
        (
            f"/admin/duo-closing/{site_b.records['completed duo'].pk}/certificate/newcomer/",
            "newcomer's surname",
        ),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert label in names_in(answer_text(response)), url


def _leaky_urlconf(site_b) -> ModuleType:
    """The site's URLs plus a participant viewset made without the seal."""
    from wagtail.admin.viewsets.model import ModelViewSet

    from buddypages.registry.models import Participant

    class LeakyParticipantViewSet(ModelViewSet):
        model = Participant
        form_fields = ["first_name"]
        inspect_view_enabled = True
        list_display = ["first_name", "last_name"]
        list_export = ["first_name", "last_name", "email"]
        search_fields = ["first_name", "last_name"]
        search_backend_name = None

    viewset = LeakyParticipantViewSet("leaky_participants")
    urlconf = ModuleType("leaky_urls")
    urlconf.urlpatterns = [
        path(
            "admin/leaky/",
            include((viewset.get_urlpatterns(), viewset.url_namespace), viewset.url_namespace),
        ),
        *get_resolver().url_patterns,
    ]
    return urlconf


def test_the_matrix_finds_a_screen_made_without_the_seal(world, coordinator, settings):
    """A participant screen made without ``SealedViewSetMixin``: the walk finds it, and the
    matrix reports site B's newcomer on it (by name, in the list and the export)."""
    urlconf = _leaky_urlconf(world.site_b)
    settings.ROOT_URLCONF = urlconf
    routes = {route.route: route for route in plugin_admin_routes(urlconf)}
    assert "admin/leaky/inspect/<int:pk>/" in routes

    inspect = matrix_problems(coordinator, routes["admin/leaky/inspect/<int:pk>/"], world.site_b)
    newcomer = f"/admin/leaky/inspect/{world.site_b.records['newcomer'].pk}/"
    assert any(
        problem.startswith(f"GET {newcomer}") and "newcomer's surname" in problem
        for problem in inspect
    )
    assert any(f"GET {newcomer} (newcomer): 200, expected 403 or 404" in p for p in inspect)
    listing = "\n".join(matrix_problems(coordinator, routes["admin/leaky/"], world.site_b))
    for variant in ["/admin/leaky/?q=Quaresma", "/admin/leaky/?export=xlsx"]:
        assert f"GET {variant} " in listing
    # The real screen, asked the same way, tells nothing.
    sealed = next(
        route for route in ROUTES if route.route == "admin/participants/inspect/<int:pk>/"
    )
    assert not matrix_problems(coordinator, sealed, world.site_b)
