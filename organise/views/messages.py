"""Messages to an event's people: compose, preview, test, confirm, send, follow.

Reading the outbox and the broadcasts needs VIEW_MESSAGES (bodies hold people's
personal links); composing and sending need SEND_MESSAGES. Nothing is sent by a
GET. The broadcast rows, with who wrote them, who sent them and when, are the
log of what was said, listed on the messages page.
"""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from events import access
from events.access import Capability
from notifications import selectors
from notifications.models import Broadcast, Message
from notifications.services import broadcasts, delivery
from notifications.services.broadcast_messages import PLACEHOLDERS, build_message

from ..forms.messages import MessageForm, RecipientFilterForm
from ..pages import layout, organiser_page

# What a recipient's email client shows is ours to mimic, not the site's page:
# the HTML part keeps its inline styles, and runs nothing (sandbox, no scripts).
EMAIL_PREVIEW_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "frame-ancestors": ["'self'"],
    "sandbox": [""],
}
PREVIEW_CHOICES = 500  # recipients offered in the preview's chooser


def _filter_form(request, event, data=None) -> RecipientFilterForm:
    return RecipientFilterForm(
        data,
        event=event,
        include_sensitive=access.may(
            request, Capability.SEE_SENSITIVE_ANSWERS, event.pk
        ),
    )


def _crumbs(event, *more):
    url = reverse("organise:messages", kwargs={"event": event.slug})
    return [(_("Messages"), url), *more]


@organiser_page(Capability.VIEW_MESSAGES)
def index(request, event):
    """The event's broadcasts (the log of what was said) and its outbox."""
    outbox = Message.objects.filter(event=event).select_related("broadcast")
    status = request.GET.get("status", "")
    if status in Message.Status.values:
        outbox = outbox.filter(status=status)
    page = Paginator(outbox, 50).get_page(request.GET.get("page"))
    rows = Broadcast.objects.filter(event=event).select_related("author", "sent_by")
    context = layout(
        request,
        event,
        crumbs=[(_("Messages"), None)],
        broadcasts=[(b, broadcasts.progress(b)) for b in rows],
        outbox=page,
        status=status,
        statuses=Message.Status.choices,
        may_send=access.may(request, Capability.SEND_MESSAGES, event.pk),
    )
    return render(request, "organise/messages.html", context)


@organiser_page(Capability.SEND_MESSAGES)
def compose(request, event):
    """Write the message and choose who receives it; saving makes a draft."""
    data = request.POST if request.method == "POST" else None
    filters, message = _filter_form(request, event, data), MessageForm(data)
    count = None
    if data is not None and filters.is_valid():
        count = selectors.recipient_count(event=event, filters=filters.audience())
        if request.POST.get("action") != "count" and message.is_valid():
            broadcast = broadcasts.create_broadcast(
                event=event,
                author=request.user,
                texts=message.texts(),
                audience=filters.audience(),
            )
            return _to_broadcast(event, broadcast)
    context = layout(
        request,
        event,
        crumbs=_crumbs(event, (_("New message"), None)),
        filters=filters,
        message=message,
        count=count,
        placeholders=PLACEHOLDERS,
    )
    return render(request, "organise/message_compose.html", context)


@organiser_page(Capability.SEND_MESSAGES)
def count(request, event):
    """How many people the filters reach (htmx swaps it in as filters change)."""
    filters = _filter_form(request, event, request.GET)
    number = (
        selectors.recipient_count(event=event, filters=filters.audience())
        if filters.is_valid()
        else None
    )
    if _is_htmx(request):
        return render(request, "organise/_recipient_count.html", {"count": number})
    context = layout(
        request, event, crumbs=_crumbs(event, (_("Recipients"), None)), count=number
    )
    return render(request, "organise/message_count.html", context)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _broadcast(event, pk) -> Broadcast:
    return get_object_or_404(
        Broadcast.objects.select_related("event", "author", "sent_by"),
        pk=pk,
        event=event,
    )


def _to_broadcast(event, broadcast, *, recipient=None):
    url = reverse(
        "organise:message", kwargs={"event": event.slug, "broadcast": broadcast.pk}
    )
    return redirect(f"{url}?recipient={recipient.key}" if recipient else url)


def _chosen_recipient(request, broadcast):
    chosen = selectors.recipients(event=broadcast.event, filters=broadcast.audience)
    wanted = request.GET.get("recipient") or request.POST.get("recipient")
    found = next((r for r in chosen if r.key == wanted), chosen[0] if chosen else None)
    return chosen, found


@organiser_page(Capability.SEND_MESSAGES)
def broadcast_page(request, event, broadcast):
    """A draft: the preview as one recipient receives it. Sent: its progress."""
    broadcast = _broadcast(event, broadcast)
    if broadcast.queued_at is not None:
        return _progress_page(request, event, broadcast)
    chosen, recipient = _chosen_recipient(request, broadcast)
    preview = build_message(broadcast, recipient) if recipient else None
    context = layout(
        request,
        event,
        crumbs=_crumbs(event, (broadcast.subject, None)),
        broadcast=broadcast,
        recipients=chosen[:PREVIEW_CHOICES],
        recipient=recipient,
        count=len(chosen),
        preview=preview,
    )
    return render(request, "organise/message_preview.html", context)


@csp_override(EMAIL_PREVIEW_POLICY)
@xframe_options_sameorigin
@organiser_page(Capability.SEND_MESSAGES)
def preview_html(request, event, broadcast):
    """The HTML part exactly as built for the chosen recipient, for the frame."""
    broadcast = _broadcast(event, broadcast)
    _chosen, recipient = _chosen_recipient(request, broadcast)
    if recipient is None:
        return HttpResponse(status=404)
    return HttpResponse(build_message(broadcast, recipient).body_html)


@require_POST
@organiser_page(Capability.SEND_MESSAGES)
def test_send(request, event, broadcast):
    """The chosen recipient's message, to the organiser's own address only."""
    broadcast = _broadcast(event, broadcast)
    _chosen, recipient = _chosen_recipient(request, broadcast)
    if recipient is None:
        flash.error(request, _("Nobody receives this message: nothing to test."))
    else:
        broadcasts.send_test(
            broadcast=broadcast, sender=request.user, recipient=recipient
        )
        flash.success(
            request,
            _("A test copy of %(name)s's message is on its way to %(email)s.")
            % {"name": recipient.name or recipient.email, "email": request.user.email},
        )
    return _to_broadcast(event, broadcast, recipient=recipient)


@organiser_page(Capability.SEND_MESSAGES)
def send(request, event, broadcast):
    """GET: the confirmation with the count. POST: send it (once)."""
    broadcast = _broadcast(event, broadcast)
    if request.method == "POST" and broadcast.queued_at is None:
        broadcasts.send_broadcast(broadcast=broadcast, sender=request.user)
        flash.success(request, _("The message is being sent."))
    if broadcast.queued_at is not None or request.method == "POST":
        return _to_broadcast(event, broadcast)
    count = selectors.recipient_count(event=event, filters=broadcast.audience)
    context = layout(
        request,
        event,
        crumbs=_crumbs(event, (broadcast.subject, None)),
        broadcast=broadcast,
        count=count,
    )
    return render(request, "organise/message_confirm.html", context)


def _progress_context(broadcast) -> dict:
    counts = broadcasts.progress(broadcast)
    finished = broadcast.sent_at is not None and not (
        counts["queued"] or counts["sending"]
    )
    return {"broadcast": broadcast, "counts": counts, "finished": finished}


def _progress_page(request, event, broadcast):
    context = layout(
        request,
        event,
        crumbs=_crumbs(event, (broadcast.subject, None)),
        **_progress_context(broadcast),
    )
    return render(request, "organise/message_progress.html", context)


@organiser_page(Capability.SEND_MESSAGES)
def progress(request, event, broadcast):
    """The progress box alone: htmx polls it every 2 s until all are done."""
    broadcast = _broadcast(event, broadcast)
    if not _is_htmx(request):  # the whole page, which reloads by hand
        return _to_broadcast(event, broadcast)
    context = {"event": event, **_progress_context(broadcast)}
    return render(request, "organise/_message_progress.html", context)


@require_POST
@organiser_page(Capability.SEND_MESSAGES)
def retry(request, event, broadcast):
    """Queue the broadcast's failed messages again."""
    broadcast = _broadcast(event, broadcast)
    failed = broadcast.messages.filter(status=Message.Status.FAILED)
    retried = delivery.retry_failed(failed.values_list("pk", flat=True))
    flash.success(
        request,
        ngettext(
            "%(count)d message queued again.",
            "%(count)d messages queued again.",
            retried,
        )
        % {"count": retried},
    )
    return _to_broadcast(event, broadcast)
