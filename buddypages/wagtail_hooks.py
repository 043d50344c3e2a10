from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.settings.registry import register_setting
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from buddypages.api.webhooks import admin as webhook_admin
from buddypages.api.webhooks.models import WebhookDelivery
from buddypages.calendar.admin import ActivitySignupFilterSet
from buddypages.calendar.models import ActivitySignup
from buddypages.core.permissions import ModelPermissionPolicyWithout
from buddypages.core.twofactor import SecondFactorViewSetMixin, guarded
from buddypages.duos import admin as duo_admin
from buddypages.duos import closing, plans_admin, referrals_admin, vouchers_admin
from buddypages.duos.models import Duo, DuoQuestion, Meeting, Voucher, VoucherOffer
from buddypages.pages import municipality
from buddypages.pages.access import SealedViewSetMixin
from buddypages.pages.access_admin import SiteGrantViewSet, site_access_warning
from buddypages.pages.history import log_per_site
from buddypages.pages.snippets import GoalOption, Interest, LanguageTipTheme, Partner
from buddypages.registry import training_admin
from buddypages.registry.admin import (
    SUGGESTIONS_HOOK,
    AuditEventViewSet,
    ParticipantViewSet,
)
from buddypages.registry.models import Participant, RegistryAuditEvent
from buddypages.registry.volunteer_admin import VIEW as VOLUNTEERING_VIEW
from buddypages.registry.volunteer_admin import (
    InformationNoteViewSet,
    InsuranceCoverViewSet,
    InsurancePolicyViewSet,
    of_visible_programmes,
)
from buddypages.registry.volunteer_admin import urlpatterns as volunteering_urlpatterns
from buddypages.registry.volunteering import InformationNote, InsuranceCover
from buddypages.reports import admin as report_admin


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partners")
    list_display = ["name", "url"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300


class LanguageTipThemeViewSet(SnippetViewSet):
    model = LanguageTipTheme
    icon = "tag"
    menu_label = _("Tip themes")
    list_display = ["name", "key", "sort_order"]
    add_to_admin_menu = True
    menu_order = 310


class InterestViewSet(SnippetViewSet):
    model = Interest
    icon = "pick"
    menu_label = _("Interests")
    list_display = ["name", "key", "sort_order"]
    add_to_admin_menu = True
    menu_order = 315


register_snippet(PartnerViewSet)
register_snippet(LanguageTipThemeViewSet)
register_snippet(InterestViewSet)


class ActivitySignupViewSet(SealedViewSetMixin, SecondFactorViewSetMixin, ModelViewSet):
    """Sign-ups per activity, for coordinators only (model permissions): personal data."""

    sealed_via = "site"
    model = ActivitySignup
    icon = "list-ul"
    menu_label = _("Activity sign-ups")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name", "activity", "occurrence_start", "places", "status", "created_at"]
    filterset_class = ActivitySignupFilterSet
    list_export = [
        "activity",
        "occurrence_start",
        "name",
        "email",
        "places",
        "status",
        "language",
        "created_at",
    ]
    export_filename = "activity-signups"
    search_fields = ["name", "email", "activity__title"]
    search_backend_name = None
    form_fields = ["status", "places"]
    inspect_view_enabled = True
    copy_view_enabled = False
    # Personal data: keep it out of the reference index (editors see "usage" counts).
    add_to_reference_index = False

    def get_queryset(self, request):
        return ActivitySignup.objects.select_related("activity")


@hooks.register("register_admin_viewset")
def register_activity_signups():
    return ActivitySignupViewSet("activity_signups")


# Participants sign up themselves (with their consent): nobody adds one by hand.
register_permission_policy(Participant, ModelPermissionPolicyWithout(Participant, denied={"add"}))
register_permission_policy(
    RegistryAuditEvent,
    ModelPermissionPolicyWithout(RegistryAuditEvent, denied={"add", "change", "delete"}),
)


@hooks.register("register_admin_viewset")
def register_registry():
    return [ParticipantViewSet("participants"), AuditEventViewSet("registry_audit")]


# Duos come from accepted proposals and end through their own page.
register_permission_policy(Duo, ModelPermissionPolicyWithout(Duo, denied={"add", "delete"}))


# Matching suggests buddies on a participant's page in the registry (which sits below it).
hooks.register(SUGGESTIONS_HOOK, duo_admin.participant_suggestions)


@hooks.register("register_admin_viewset")
def register_duos():
    return duo_admin.DuoViewSet("duos")


# Publish webhooks: endpoints, and the delivery log (read-only).
register_permission_policy(WebhookDelivery, webhook_admin.delivery_permission_policy)


@hooks.register("register_admin_viewset")
def register_webhooks():
    return webhook_admin.WebhooksViewSetGroup()


@hooks.register("register_admin_urls")
def register_matching_urls():
    return guarded(
        [
            path("matching/", duo_admin.matching_index, name="matching_index"),
            path("matching/<int:pk>/", duo_admin.matching_programme, name="matching_programme"),
            path("matching/<int:pk>/pairs/", duo_admin.matching_pairs, name="matching_pairs"),
        ]
    )


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users with ``permission``."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_matching_menu_item():
    return PermissionMenuItem(
        _("Matching"),
        reverse("matching_index"),
        icon_name="link",
        order=204,
        permission=duo_admin.VIEW,
    )


@hooks.register("construct_homepage_panels")
def add_duo_dashboard(request, panels):
    if request.user.has_perm(duo_admin.VIEW):
        panels.append(duo_admin.DuoDashboardPanel())


# --- The coordinator's cycle (issue 18): each feature registers its admin parts below. ---

# Volunteers: insurance policy, information note, acknowledgements, insurer export.
# Policies and periods: coordinators (model permissions); the note: a translatable snippet.
# Periods open from the participant page or when the note is acknowledged.
register_permission_policy(
    InsuranceCover, ModelPermissionPolicyWithout(InsuranceCover, denied={"add"})
)
register_snippet(InformationNoteViewSet)


@hooks.register("before_bulk_action")
def refuse_another_sites_notes(request, action_type, objects, action_class_instance):
    """Wagtail's bulk actions on snippets find their objects themselves: another
    municipality's information note is not found there either."""
    notes = [item.pk for item in objects if isinstance(item, InformationNote)]
    mine = of_visible_programmes(InformationNote.objects.filter(pk__in=notes), request.user)
    if notes and mine.count() != len(notes):
        raise Http404


@hooks.register("register_admin_viewset")
def register_volunteering():
    return [
        InsurancePolicyViewSet("volunteer_insurance"),
        InsuranceCoverViewSet("insured_volunteers"),
    ]


@hooks.register("register_admin_urls")
def register_volunteering_urls():
    return guarded(volunteering_urlpatterns())


@hooks.register("register_admin_menu_item")
def register_volunteering_menu_item():
    return PermissionMenuItem(
        _("Note and insurance"),
        reverse("volunteering_index"),
        icon_name="lock",
        order=206,
        permission=VOLUNTEERING_VIEW,
    )


# Volunteer trainings and attendance.


@hooks.register("register_admin_urls")
def register_training_urls():
    return guarded(training_admin.urlpatterns())


@hooks.register("register_admin_menu_item")
def register_training_menu_item():
    return PermissionMenuItem(
        _("Trainings"),
        reverse("training_index"),
        icon_name=training_admin.ICON,
        order=207,
        permission=training_admin.VIEW,
    )


# Action plans, feedback and the anonymised results on the dashboard.


class GoalOptionViewSet(SnippetViewSet):
    model = GoalOption
    icon = "list-ol"
    menu_label = _("Action plan goals")
    list_display = ["name", "key", "sort_order"]
    add_to_admin_menu = True
    menu_order = 316


register_snippet(GoalOptionViewSet)


@hooks.register("register_admin_urls")
def register_plan_urls():
    return guarded([path("duo-plans/<int:pk>/", plans_admin.plan_edit, name="duo_plan_edit")])


@hooks.register("construct_homepage_panels")
def add_feedback_results(request, panels):
    if request.user.has_perm(plans_admin.VIEW):
        panels.append(plans_admin.FeedbackResultsPanel())


# Referral guide and questions for the coordinator.
register_snippet(referrals_admin.ReferralServiceViewSet)
# Questions come from the duo page, never typed in by hand.
register_permission_policy(
    referrals_admin.DuoQuestion,
    ModelPermissionPolicyWithout(referrals_admin.DuoQuestion, denied={"add"}),
)


@hooks.register("register_admin_viewset")
def register_duo_questions():
    return referrals_admin.DuoQuestionViewSet("duo_questions")


# Partner vouchers.
# An offer stays for the report (its vouchers point to it): lower it or let it expire.
register_permission_policy(
    VoucherOffer, ModelPermissionPolicyWithout(VoucherOffer, denied={"delete"})
)


@hooks.register("register_admin_viewset")
def register_vouchers():
    return vouchers_admin.OfferViewSet("voucher_offers")


# Closing: certificates and invitations.


@hooks.register("register_admin_urls")
def register_closing_urls():
    return guarded(
        [
            path(
                "duo-closing/<int:pk>/certificate/<str:role>/",
                closing.certificate_admin_view,
                name="duo_closing_certificate",
            ),
            path("duo-closing/<int:pk>/send/", closing.closing_send_view, name="duo_closing_send"),
        ]
    )


# Municipalities: site settings (issue 19).

register_setting(municipality.MunicipalitySettings, icon="site")


@hooks.register("before_serve_page")
def redirect_to_a_site_language(page, request, serve_args, serve_kwargs):
    return municipality.language_redirect(page=page, request=request)


# Yearly report (issue 19).


@hooks.register("register_admin_urls")
def register_report_urls():
    return guarded(report_admin.urlpatterns())


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return report_admin.menu_item()  # coordinators, and regional users with figures only


# Site access: who sees which municipality (issue 19).


@hooks.register("register_admin_viewset")
def register_site_access():
    return SiteGrantViewSet("site_access")


@hooks.register("construct_homepage_panels")
def add_site_access_warning(request, panels):
    panel = site_access_warning(request.user)
    if panel is not None:
        panels.append(panel)


# Wagtail's history of people's records: per site, by number (buddypages.pages.history).


@hooks.register("register_log_actions")
def register_history_per_site(actions):
    log_per_site(
        actions,
        Participant,
        InsuranceCover,
        ActivitySignup,
        Duo,
        Meeting,
        DuoQuestion,
        Voucher,
    )
