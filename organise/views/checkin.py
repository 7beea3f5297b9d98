"""The door: scan codes (camera, wedge scanner, typed) or find people by name on
one check-in list; the page's script sends scans, queued offline, as JSON."""

import hashlib
import json
import uuid

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import ratelimits
from events import access
from events.access import Capability
from registrations.models import Registration
from registrations.selectors import door as door_selectors
from registrations.services import door

from ..door_access import door_page
from ..forms.checkin import CheckInCodeForm
from ..pages import layout

UNKNOWN_CODES_PER_MINUTE = 60
MAX_SCANS_PER_SYNC = 500
LIMITED = _(
    "Too many unknown codes from this account or network in the last minute. Wait a "
    "minute, then try again, or find the person by name."
)


@door_page
def checkin(request, event, checkin_list):
    form, verdict, limited = CheckInCodeForm(), None, False
    if request.method == "POST":
        if "registration" in request.POST:
            verdict = _by_name(request, checkin_list)
        else:
            form = CheckInCodeForm(request.POST)
            limited = form.is_valid() and _limited(request)
            if form.is_valid() and not limited:
                verdict = _scan(request, checkin_list, form.cleaned_data["code"])
                form = CheckInCodeForm()  # empty and focused for the next scan
    query = request.GET.get("q", "").strip()
    refused = limited or form.errors or (verdict and verdict.colour == door.RED)
    status = 429 if limited else 400 if refused else 200
    response = render(
        request,
        "organise/checkin.html",
        _context(request, event, checkin_list, form, verdict, query, limited),
        status=status,
    )
    if limited:
        response["Retry-After"] = str(ratelimits.seconds_until_reset())
    return response


def _badge_url(event, verdict) -> str:
    """The person's single badge, where the organiser area prints badges."""
    if verdict is None or verdict.registration is None or verdict.colour == door.RED:
        return ""
    return reverse(
        "organise:registration_badge",
        kwargs={"event": event.slug, "registration": verdict.registration.pk},
    )


def _context(request, event, checkin_list, form, verdict, query, limited) -> dict:
    device = request.checkin_device
    context = {
        "checkin_list": checkin_list,
        "device": device,
        "base_template": "organise/door_device_base.html"
        if device
        else "organise/base.html",
        "form": form,
        "verdict": verdict,
        "badge_url": "" if device else _badge_url(event, verdict),
        "error": _(LIMITED) if limited else None,
        "query": query,
        "matches": door_selectors.search(checkin_list, query),
        "count": door_selectors.count(checkin_list),
        "may_walk_in": not device
        and (
            checkin_list.allows_walk_ins
            or _may(request, Capability.MANAGE_REGISTRATIONS)
        ),
        "may_pair": not device and _may(request, Capability.MANAGE_REGISTRATIONS),
    }
    if device:
        return {"event": event, "crumbs": [], **context}
    crumbs = [(_("Check-in"), None)]
    return layout(request, event, crumbs=crumbs, **context)


def _may(request, capability) -> bool:
    return access.may(request, capability, request.organiser_event.pk)


def _scope(request) -> str:
    device = request.checkin_device
    return f"checkin-code-device-{device.pk}" if device else "checkin-code"


def _limited(request) -> bool:
    return ratelimits.is_limited(
        request, scope=_scope(request), limit=UNKNOWN_CODES_PER_MINUTE
    )


def _scan(request, checkin_list, code, **scan) -> door.Verdict:
    verdict = door.scan(
        checkin_list=checkin_list,
        code=code,
        device=request.checkin_device,
        actor=request.user,
        **scan,
    )
    if verdict.unknown_code:
        ratelimits.count_attempt(request, scope=_scope(request))
    return verdict


def _by_name(request, checkin_list) -> door.Verdict:
    pk = request.POST["registration"]
    registration = get_object_or_404(
        Registration.objects.live(),
        pk=int(pk) if pk.isdigit() else 0,
        event_id=checkin_list.event_id,
    )
    return door.scan(
        checkin_list=checkin_list,
        registration=registration,
        device=request.checkin_device,
        actor=request.user,
    )


@door_page(json=True)
@require_POST
def scans(request, event, checkin_list):
    """Scans as JSON, one made now or many queued offline; each answered with
    its verdict. {"scans": [{"uuid", "code" or "registration", "at", "offline"}]}
    ("registration": the id of a person tapped in the offline name search)."""
    try:
        sent = json.loads(request.body)["scans"]
        assert isinstance(sent, list) and len(sent) <= MAX_SCANS_PER_SYNC
        parsed = [_parse_scan(item) for item in sent]
    except (ValueError, KeyError, TypeError, AssertionError):
        return JsonResponse({"error": _("Not a list of scans.")}, status=400)
    results = []
    for scan_uuid, code, registration_id, at, offline in parsed:
        if not offline and _limited(request):
            results.append(
                {
                    "uuid": str(scan_uuid),
                    "colour": door.RED,
                    "headline": _("Too many unknown codes"),
                    "reason": LIMITED,
                }
            )
            continue
        verdict = _scan(
            request,
            checkin_list,
            code,
            registration_id=registration_id,
            scan_uuid=scan_uuid,
            scanned_at=at,
            offline=offline,
        )
        results.append({"uuid": str(scan_uuid), **verdict.as_json()})
    count = door_selectors.count(checkin_list)
    return JsonResponse({"results": results, "count": count.__dict__})


def _parse_scan(item: dict) -> tuple:
    at = parse_datetime(str(item.get("at") or "")) if item.get("at") else None
    if item.get("at") and (at is None or at.tzinfo is None):
        raise ValueError("bad time")
    registration_id = None
    if "registration" in item:
        registration_id = item["registration"]
        if type(registration_id) is not int or not 0 < registration_id < 2**63:
            raise ValueError("not a registration id")
        code = ""
    else:
        code = str(item["code"])[:200]
    scan_uuid = uuid.UUID(str(item["uuid"]))
    return scan_uuid, code, registration_id, at, bool(item.get("offline"))


@door_page(json=True)
@require_GET
def roster(request, event, checkin_list):
    """The list's roster for offline scanning: code digests and names."""
    response = JsonResponse(door_selectors.roster(checkin_list))
    response["Cache-Control"] = "no-store"
    return response


# What the door page loads, for the service worker to keep (organise/base.html,
# door_device_base.html, base.html and checkin.html).
DOOR_ASSETS = [
    "css/kokous.css",
    "css/organise.css",
    "js/copy-button.js",
    "vendor/jsqr/jsQR.js",
    "js/checkin-door.js",
]


@require_GET
def worker(request):
    """The door's service worker script. Served from /organise/ so that its
    scope covers the door pages; it keeps only them and their static files.
    It holds no data and needs no sign-in (templates/organise/door_worker.js)."""
    assets = [static(name) for name in DOOR_ASSETS]
    version = hashlib.sha256("\n".join(assets).encode()).hexdigest()[:12]
    response = render(
        request,
        "organise/door_worker.js",
        {"assets": assets, "version": version},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response
