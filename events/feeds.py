"""Public iCalendar feeds (views). (Stubs.)"""

from django.http import Http404


def all_events_feed(request):
    raise Http404("not built yet")


def schedule_feed(request, slug):
    raise Http404("not built yet")


def session_feed(request, slug, session_uuid):
    raise Http404("not built yet")
