"""Why a pair was proposed, in plain words, in the reader's language.

``pair_reasons`` works out the reasons from the same data and the same rules
as the score (buddypages.duos.matching) and returns them as plain data, so a
proposal keeps them; ``reason_texts`` puts them into words when they are shown.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext

from buddypages.duos.matching import (
    AGE_BANDS,
    BEGINNER_LEVELS,
    Candidate,
    Context,
    picks_by_pair,
)
from buddypages.pages.snippets import Interest
from buddypages.registry.choices import (
    SPOKEN_LANGUAGE_NAMES,
    AgeBand,
    availability_labels,
)


def pair_reasons(newcomer: Candidate, volunteer: Candidate, context: Context) -> list[dict]:
    reasons = []
    shared = sorted(newcomer.interests & volunteer.interests)
    if shared:
        reasons.append({"code": "interests", "values": shared})
    place_n, place_v = newcomer.neighbourhood.strip(), volunteer.neighbourhood.strip()
    if place_n and place_n.lower() == place_v.lower():
        reasons.append({"code": "neighbourhood", "values": [place_n]})
    elif newcomer.postcode and newcomer.postcode == volunteer.postcode:
        reasons.append({"code": "postcode", "values": [newcomer.postcode]})
    elif len(newcomer.postcode) == 4 and newcomer.postcode[:3] == volunteer.postcode[:3]:
        reasons.append({"code": "area", "values": [newcomer.postcode, volunteer.postcode]})
    if newcomer.household and newcomer.household == volunteer.household:
        reasons.append({"code": "household", "values": [newcomer.household]})
    elif {newcomer.household, volunteer.household} == {"children", "partner_children"}:
        reasons.append({"code": "children", "values": []})
    overlap = newcomer.availability & volunteer.availability
    if overlap:
        reasons.append({"code": "availability", "values": [overlap]})
    languages = sorted((newcomer.languages & volunteer.languages) - {"nl"})
    if languages:
        code = "language_beginner" if newcomer.dutch_level in BEGINNER_LEVELS else "language"
        reasons.append({"code": code, "values": languages})
    if newcomer.age_band and newcomer.age_band == volunteer.age_band:
        reasons.append({"code": "age", "values": [newcomer.age_band]})
    elif (
        newcomer.age_band in AGE_BANDS
        and volunteer.age_band in AGE_BANDS
        and abs(AGE_BANDS.index(newcomer.age_band) - AGE_BANDS.index(volunteer.age_band)) == 1
    ):
        reasons.append({"code": "age_near", "values": []})
    picks = picks_by_pair(context.picks, {newcomer.pk: 0}, {volunteer.pk: 0}).get((0, 0))
    if picks:
        reasons.append({"code": "speed_date", "values": sorted(picks)})
    if newcomer.waiting_days >= 30 or volunteer.waiting_days >= 30:
        reasons.append(
            {"code": "waiting", "values": [newcomer.waiting_days, volunteer.waiting_days]}
        )
    if not reasons:
        reasons.append({"code": "nothing", "values": []})
    return reasons


def _interest_names(keys: list[str]) -> list[str]:
    """Interest names in the reader's language, else in Dutch, else the key."""
    language = get_language() or settings.LANGUAGE_CODE
    preference = {language: 0, settings.LANGUAGE_CODE: 1}
    best: dict[str, tuple[int, str]] = {}
    for interest in Interest.objects.filter(key__in=keys).select_related("locale"):
        rank = preference.get(interest.locale.language_code, 2)
        if interest.key not in best or rank < best[interest.key][0]:
            best[interest.key] = (rank, interest.name)
    return [best[key][1] if key in best else key for key in keys]


def _join(items) -> str:
    return ", ".join(str(item) for item in items)


HOUSEHOLD_TEXTS = {
    "alone": gettext_lazy("both live alone"),
    "partner": gettext_lazy("both live with a partner"),
    "children": gettext_lazy("both live with children"),
    "partner_children": gettext_lazy("both live with a partner and children"),
}


def reason_texts(reasons: list[dict]) -> list[str]:
    texts = []
    for reason in reasons:
        code, values = reason["code"], reason.get("values", [])
        if code == "interests":
            texts.append(
                ngettext(
                    "%(count)s shared interest: %(names)s",
                    "%(count)s shared interests: %(names)s",
                    len(values),
                )
                % {"count": len(values), "names": _join(_interest_names(values))}
            )
        elif code == "neighbourhood":
            texts.append(gettext("both in %(place)s") % {"place": values[0]})
        elif code == "postcode":
            texts.append(gettext("both in postcode %(postcode)s") % {"postcode": values[0]})
        elif code == "area":
            texts.append(
                gettext("live close to each other (%(first)s and %(second)s)")
                % {"first": values[0], "second": values[1]}
            )
        elif code == "household":
            texts.append(str(HOUSEHOLD_TEXTS.get(values[0], gettext("same household"))))
        elif code == "children":
            texts.append(gettext("both live with children"))
        elif code == "availability":
            moments = availability_labels(values[0])
            texts.append(gettext("both free on %(moments)s") % {"moments": _join(moments)})
        elif code in ("language", "language_beginner"):
            names = _join(SPOKEN_LANGUAGE_NAMES.get(c, c) for c in values)
            text = gettext("both speak %(languages)s") % {"languages": names}
            if code == "language_beginner":
                text = format_lazy("{} ({})", text, gettext("helps a beginner in Dutch"))
            texts.append(str(text))
        elif code == "age":
            band = dict(AgeBand.choices).get(values[0], values[0])
            texts.append(gettext("same age group (%(band)s)") % {"band": band})
        elif code == "age_near":
            texts.append(gettext("close in age"))
        elif code == "speed_date":
            texts.append(
                gettext("chose each other at the speed date")
                if len(values) == 2
                else gettext("the newcomer wants to meet again after the speed date")
                if values == ["newcomer"]
                else gettext("the volunteer wants to meet again after the speed date")
            )
        elif code == "waiting":
            texts.append(
                gettext("waiting for %(newcomer)s and %(volunteer)s days")
                % {"newcomer": values[0], "volunteer": values[1]}
            )
        elif code == "nothing":
            texts.append(gettext("little in common: look at this pair closely"))
    return texts
