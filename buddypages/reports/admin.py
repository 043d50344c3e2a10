"""The yearly report in the Wagtail admin: choose the sites and the period, read the figures
and charts, print them, or download them as PDF or XLSX. Coordinators (the participants' view
permission) read their own sites' reports; a regional user with only ``figures`` grants
(``SiteGrant``) reads those sites' reports and nothing of their registries. Every download is
written to the registry audit log."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.models import Site

from buddypages.core.languages import is_rtl
from buddypages.pages.access import ALL, registry_site_ids, report_site_ids, visible_sites
from buddypages.pages.municipality import municipality_names
from buddypages.registry.audit import Action, registry_audit
from buddypages.reports import charts, exports
from buddypages.reports.selectors import ReportError, period_choose, yearly_report

VIEW = "buddypages.view_participant"
ICON = "table"
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def may_read_reports(user) -> bool:
    """A coordinator (the participants' view permission) for their sites, or a user granted
    only the figures of some sites (a region), who needs no permission on the registry."""
    if user.has_perm(VIEW):
        return True
    figures = report_site_ids(user)
    registry = registry_site_ids(user)
    return figures is not ALL and registry is not ALL and bool(figures - registry)


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_reports(request.user)


def menu_item() -> MenuItem:
    return ReportMenuItem(_("Yearly report"), reverse("yearly_report"), icon_name=ICON, order=208)


class ReportForm(forms.Form):
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Several sites: their figures are added together (a regional report)."),
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = visible_sites(user, figures=True)
        names = municipality_names(self.fields["sites"].queryset)
        self.fields["sites"].label_from_instance = lambda site: names[site.pk]
        self.fields["year"].help_text = _("A calendar year, or leave it empty and give two dates.")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("sites"):
            data["sites"] = list(self.fields["sites"].queryset[:1])
        try:
            data["period"] = period_choose(
                year=data.get("year"), start=data.get("start"), end=data.get("end")
            )
        except ReportError as error:
            raise forms.ValidationError(error.message) from None
        return data


def _with_charts(report) -> None:
    """Give every section (its counts) and every split shown its SVG chart, and every hidden
    split the sentence that says why."""
    rtl = is_rtl(get_language() or "nl")
    for section in report.sections:
        rows = [(figure.label, figure.value) for figure in section.figures if figure.chart]
        section.chart = charts.bar_chart(title=section.title, rows=rows, rtl=rtl)
        for split in section.splits:
            split.chart = charts.bar_chart(title=split.title, rows=split.cells, rtl=rtl)
            split.hidden_text = exports.hidden_text(split)


def report_view(request):
    if not may_read_reports(request.user):
        raise PermissionDenied
    data = request.GET
    if not data:  # First visit: this calendar year of the first site the user may see.
        first = visible_sites(request.user, figures=True).first()
        data = {"sites": [first.pk] if first else [], "year": timezone.localdate().year}
    form = ReportForm(data, user=request.user)
    asked = {str(pk) for pk in (data.getlist("sites") if hasattr(data, "getlist") else [])}
    if asked - {str(site.pk) for site in form.fields["sites"].queryset}:
        raise Http404  # another municipality's figures: not even whether it exists
    report = None
    if form.is_valid() and form.cleaned_data["sites"]:
        report = yearly_report(sites=form.cleaned_data["sites"], period=form.cleaned_data["period"])
        kind = request.GET.get("format")
        if kind in FORMATS:
            return _download(request, report, kind, sites=form.cleaned_data["sites"])
        _with_charts(report)
    query = QueryDict(mutable=True)
    query.update(request.GET)
    query.pop("format", None)
    if not request.GET:
        query.setlist("sites", [str(pk) for pk in data["sites"]])
        query["year"] = str(data["year"])
    return TemplateResponse(
        request,
        "buddypages/reports/yearly_report.html",
        {
            "form": form,
            "report": report,
            "small_cell_note": exports.small_cell_note(),
            "query": query.urlencode(),
            "page_title": _("Yearly report"),
            "header_icon": ICON,
        },
    )


def _download(request, report, kind: str, *, sites) -> HttpResponse:
    if kind == "pdf":
        content = exports.report_pdf(report, language=get_language() or "nl")
    else:
        content = exports.report_xlsx(report)
    for site in sites:  # in the audit log of each municipality it counts
        registry_audit(
            Action.EXPORT_LIST,
            user=request.user,
            count=1,
            detail=f"{kind}; yearly report {report.period}; {', '.join(report.site_names)}",
            site_id=site.pk,
        )
    response = HttpResponse(content, content_type=FORMATS[kind])
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.report_filename(report, kind)}"'
    )
    return response


def urlpatterns() -> list:
    return [path("yearly-report/", report_view, name="yearly_report")]
