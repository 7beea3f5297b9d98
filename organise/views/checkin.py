"""The door: check people in by code (typed or scanned) or by name."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts import ratelimits
from events.access import Capability
from registrations.models import Registration
from registrations.services import RegistrationError
from registrations.services import checkin as checkin_services

from ..forms.checkin import CheckInCodeForm
from ..pages import layout, organiser_page

UNKNOWN_CODES_PER_MINUTE = 60
LIMITED = _(
    "Too many unknown codes from this account or network in the last minute. Wait a "
    "minute, then try again, or find the person by name."
)


@organiser_page(Capability.CHECK_IN)
def checkin(request, event):
    form, result, error, limited = CheckInCodeForm(), None, None, False
    if request.method == "POST":
        try:
            if "registration" in request.POST:
                result = _by_name(request, event)
            else:
                form = CheckInCodeForm(request.POST)
                limited = form.is_valid() and ratelimits.is_limited(
                    request, scope="checkin-code", limit=UNKNOWN_CODES_PER_MINUTE
                )
                if form.is_valid() and not limited:
                    result = _by_code(request, event, form.cleaned_data["code"])
                    form = CheckInCodeForm()  # empty and focused for the next scan
        except RegistrationError as refused:
            error = str(refused)
    query = request.GET.get("q", "").strip()
    context = layout(
        request, event, form=form, result=result, query=query,
        error=_(LIMITED) if limited else error, matches=_matches(event, query),
        crumbs=[(_("Check-in"), None)],
    )  # fmt: skip
    refused = error is not None or limited or form.errors
    status = 429 if limited else 400 if refused else 200
    response = render(request, "organise/checkin.html", context, status=status)
    if limited:
        response["Retry-After"] = str(ratelimits.seconds_until_reset())
    return response


def _by_name(request, event) -> Registration:
    pk = request.POST["registration"]
    registration = get_object_or_404(
        Registration.objects.live(), pk=int(pk) if pk.isdigit() else 0, event=event
    )
    return checkin_services.check_in(
        registration=registration, actor=request.user, method="name"
    )


def _by_code(request, event, code) -> Registration:
    try:
        return checkin_services.check_in_by_code(
            event=event, code=code, actor=request.user
        )
    except checkin_services.UnknownCheckInCode:
        ratelimits.count_attempt(request, scope="checkin-code")
        raise


def _matches(event, query: str) -> list[Registration]:
    if not query:
        return []
    return list(
        Registration.objects.live()
        .filter(event=event)
        .filter(
            Q(attendee__name__icontains=query)
            | Q(attendee__email__icontains=query)
            | Q(attendee__affiliation__icontains=query)
        )
        .select_related("attendee", "registration_type")
        .order_by("attendee__name")[:50]
    )
