"""The admin's test send: one copy of an issue to the editor's own address."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from buddypages.pages.access import may_see_site
from newsletter.models import NewsletterIssuePage
from newsletter.services import issue_test_send

KINDS = [
    ("duo_newcomer", _("a newcomer in a duo")),
    ("volunteer", _("a volunteer")),
    ("subscriber", _("a subscriber")),
]


class TestSendForm(forms.Form):
    language = forms.ChoiceField(label=_("language"))
    kind = forms.ChoiceField(label=_("as received by"), choices=KINDS, initial="subscriber")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]


def send_a_test_view(request, page_id: int):
    page = get_object_or_404(NewsletterIssuePage, pk=page_id)
    site = page.get_site()
    if not may_see_site(request.user, site.pk if site else None):
        raise Http404  # another municipality's newsletter
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    form = TestSendForm(request.POST or None, initial={"language": page.locale.language_code})
    if not request.user.email:
        messages.error(request, _("Your account has no email address. Add one in your profile."))
    elif request.method == "POST" and form.is_valid():
        issue_test_send(
            issue=page,
            to=request.user.email,
            language=form.cleaned_data["language"],
            kind=form.cleaned_data["kind"],
        )
        messages.success(
            request, _("A test copy is on its way to %(email)s.") % {"email": request.user.email}
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "newsletter/admin/test_send.html",
        {"page": page, "form": form, "page_title": _("Send a test"), "header_icon": "mail"},
    )
