"""The referral guide and the duos' questions for the coordinator in the Wagtail admin.

Editors keep the guide (a translatable snippet). Coordinators read the questions: unread
first; opening one marks it read (who, when) and writes the registry's audit log.
"""

from __future__ import annotations

import django_filters
from django.db.models import F
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from buddypages.core.twofactor import SecondFactorViewSetMixin
from buddypages.duos.models import DuoQuestion
from buddypages.duos.referrals import duo_question_read
from buddypages.pages.access import SealedViewSetMixin
from buddypages.pages.referrals import ReferralService

ROLES = [("newcomer", _("newcomer")), ("volunteer", _("volunteer"))]
THEMES = dict(ReferralService.Category.choices)


def theme_label(question: DuoQuestion) -> str:
    return str(THEMES.get(question.category, "-"))


def role_label(question: DuoQuestion) -> str:
    return str(dict(ROLES).get(question.role, question.role))


class ReferralServiceViewSet(SnippetViewSet):
    """The guide, for editors: written in Dutch, translated like any snippet."""

    model = ReferralService
    icon = "help"
    menu_label = _("Referral guide")
    menu_order = 318
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("category", label=_("theme"), accessor="get_category_display"),
        "phone",
        Column("languages", label=_("languages spoken")),
    ]
    # Wagtail adds its locale filter to translatable snippets.
    list_filter = ["category"]
    search_fields = ["name", "description"]
    # The database's own search: works with the locale and theme filters on any backend.
    search_backend_name = None


class QuestionFilterSet(WagtailFilterSet):
    unread = django_filters.BooleanFilter(
        label=_("unread"), field_name="read_at", lookup_expr="isnull"
    )
    category = django_filters.ChoiceFilter(
        label=_("theme"), choices=ReferralService.Category.choices
    )
    role = django_filters.ChoiceFilter(label=_("from"), choices=ROLES)

    class Meta:
        model = DuoQuestion
        fields = ["unread", "category", "role"]


UNREAD_FIRST = (F("read_at").asc(nulls_first=True), "-asked_at", "-pk")


class QuestionIndexView(IndexView):
    def order_queryset(self, queryset):
        if self.request.GET.get("ordering"):
            return super().order_queryset(queryset)
        return queryset.order_by(*UNREAD_FIRST)

    def get_edit_url(self, instance):
        # Reading a question is its page: nobody edits what a member wrote.
        return None


class QuestionInspectView(InspectView):
    template_name = "buddypages/duos/admin/question_inspect.html"

    def get_context_data(self, **kwargs):
        # Here, not in get_object(): that runs before the permission check.
        duo_question_read(question=self.object, user=self.request.user)
        return super().get_context_data(**kwargs)

    def get_fields(self):
        return ["duo", "role", "category", "text", "language", "asked_at", "read_at", "read_by"]

    def get_field_display_value(self, field_name, field):
        if field_name == "role":
            return role_label(self.object)
        if field_name == "category":
            return theme_label(self.object)
        return super().get_field_display_value(field_name, field)


class DuoQuestionViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    """Questions members send from their duo page, for coordinators only."""

    sealed_via = "duo__site"
    model = DuoQuestion
    icon = "mail"
    menu_label = _("Questions from duos")
    menu_order = 206
    add_to_admin_menu = True
    index_view_class = QuestionIndexView
    inspect_view_class = QuestionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["category"]
    list_display = [
        "__str__",
        BooleanColumn("unread", label=_("unread"), accessor=lambda q: q.read_at is None),
        Column("text", label=_("question"), accessor=lambda q: Truncator(q.text).chars(60)),
        Column("duo", label=_("duo")),
        Column("category", label=_("theme"), accessor=theme_label),
        Column("role", label=_("from"), accessor=role_label),
        DateColumn("asked_at", label=_("asked at")),
    ]
    filterset_class = QuestionFilterSet

    def get_queryset(self, request):
        return DuoQuestion.objects.select_related("duo__newcomer", "duo__volunteer")
