"""The schedule change log: who changed what, when (on the event's clocks)."""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from events.access import Capability
from events.models import ScheduleChange

from ..changelog import field_changes
from ..forms.sessions import ChangeFilterForm
from ..pages import organiser_page, page

PER_PAGE = 50


@organiser_page(Capability.VIEW_EVENT)
def change_log(request, event):
    """The event's schedule changes, newest first."""
    filters = ChangeFilterForm(request.GET)
    changes = (
        ScheduleChange.objects.filter(event=event)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    if filters.is_valid() and filters.cleaned_data["kind"]:
        changes = changes.filter(kind=filters.cleaned_data["kind"])
    page_obj = Paginator(changes, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(change, field_changes(change, event)) for change in page_obj]
    query = request.GET.copy()
    query.pop("page", None)
    return page(
        request,
        event,
        "organise/change_log.html",
        crumbs=[(_("Change log"), None)],
        filters=filters,
        page_obj=page_obj,
        rows=rows,
        query=query.urlencode(),
    )
