"""Reads of the referral guide: local services (housing, work, health, papers, ...) with how to
reach them and the languages spoken there.

The guide is a translatable snippet, the same for every site of the installation. Only what
the organisations publish themselves: no person is ever named here.
"""

from collections import defaultdict
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema

from buddypages.api.v3.schemas import ListQuery, Page_, paginate, request_locale
from buddypages.pages.referrals import ReferralService, language_name

router = Router(tags=["referral guide"])

MAX_ID = 2**63 - 1
Category = Literal[tuple(ReferralService.Category.values)]
ServiceId = Annotated[int, Path(ge=1, le=MAX_ID)]


class LanguageOut(Schema):
    code: str = Field(examples=["ar"], description="ISO 639 code.")
    name: str = Field(examples=["Arabic"], description="In the language asked for.")


class ReferralTranslationOut(Schema):
    locale: str = Field(examples=["ar"])
    id: int


class ReferralOut(Schema):
    id: int
    key: str = Field(description="The same in every language (the translation key).")
    locale: str = Field(examples=["nl"])
    category: Category
    category_label: str = Field(examples=["Housing"], description="In the language asked for.")
    name: str
    description: str
    address: str
    opening_hours: str
    phone: str
    website: str
    email: str = Field(description="The organisation's public address.")
    languages: list[LanguageOut] = Field(description="Languages spoken there.")
    map_url: str = Field(description="A map of the address (OpenStreetMap when none is given).")
    translations: list[ReferralTranslationOut] = Field(
        description="The same service in the other languages it is translated into."
    )


class ReferralList(Page_):
    items: list[ReferralOut]


class ReferralsQuery(ListQuery):
    locale: str | None = Field(
        None, max_length=20, examples=["ar"], description="One language; default: all."
    )
    category: Category | None = Field(None, description="One theme.")
    language: str | None = Field(
        None,
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$",
        examples=["ar"],
        description="Only services where this language is spoken (ISO 639 code).",
    )


def _serialize(services: list[ReferralService]) -> list[dict]:
    """Items with their translations, in one more query for the whole page."""
    labels = dict(ReferralService.Category.choices)
    others = defaultdict(list)
    keys = {service.translation_key for service in services}
    if keys:
        rows = ReferralService.objects.filter(translation_key__in=keys).values_list(
            "translation_key", "pk", "locale__language_code"
        )
        for key, pk, code in rows.order_by("locale__language_code"):
            others[key].append({"locale": code, "id": pk})
    return [
        {
            "id": service.pk,
            "key": str(service.translation_key),
            "locale": service.locale.language_code,
            "category": service.category,
            "category_label": str(labels.get(service.category, "")),
            "name": service.name,
            "description": service.description,
            "address": service.address,
            "opening_hours": service.opening_hours,
            "phone": service.phone,
            "website": service.website,
            "email": service.email,
            "languages": [
                {"code": code, "name": language_name(code)} for code in service.language_codes
            ],
            "map_url": service.map_link,
            "translations": [t for t in others[service.translation_key] if t["id"] != service.pk],
        }
        for service in services
    ]


@router.get(
    "/referrals/",
    response=ReferralList,
    operation_id="list_referrals",
    summary="The referral guide",
)
def list_referrals(request, query: Query[ReferralsQuery]):
    """Local services a buddy can point a newcomer to, by theme, in every language
    (`?locale=`); `?language=` keeps those where a language is spoken."""
    services = ReferralService.objects.select_related("locale")
    locale = request_locale(query.locale)
    if locale is not None:
        services = services.filter(locale=locale)
    if query.category:
        services = services.filter(category=query.category)
    if query.language:
        code = query.language.lower()
        services = services.filter(languages__iregex=rf"(^|,)\s*{code}\s*(,|$)")
    services = services.order_by("category", "sort_order", "name", "pk")
    return paginate(request, services, query, _serialize)


@router.get(
    "/referrals/{id}/",
    response=ReferralOut,
    operation_id="get_referral",
    summary="One service of the referral guide",
)
def get_referral(request, id: ServiceId):
    """One service with how to reach it and its translations."""
    service = ReferralService.objects.select_related("locale").filter(pk=id).first()
    if service is None:
        raise Http404
    return _serialize([service])[0]
