from django import template

from buddypages.core.admin_dates import calendar_date

register = template.Library()


@register.inclusion_tag("buddypages/admin/date.html")
def admin_date(value):
    """``{% admin_date duo.planned_end %}``: "4 March 2027 (in 3 months)"."""
    return calendar_date(value)
