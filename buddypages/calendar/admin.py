"""The activity sign-ups' list in the admin: its filters offer only the user's sites."""

from __future__ import annotations

import django_filters
from wagtail.admin.filters import WagtailFilterSet

from buddypages.calendar.models import ActivitySignup
from buddypages.calendar.pages import ActivityPage
from buddypages.pages.access import seal_pages


def activity_choices(request):
    return seal_pages(ActivityPage.objects.order_by("title", "pk"), request.user)


class ActivitySignupFilterSet(WagtailFilterSet):
    activity = django_filters.ModelChoiceFilter(
        label=ActivitySignup._meta.get_field("activity").verbose_name,
        queryset=activity_choices,
    )

    class Meta:
        model = ActivitySignup
        fields = ["activity", "status", "occurrence_start"]
