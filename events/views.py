"""Public pages: upcoming events, event page, schedule, session page. (Stubs.)"""

from django.http import Http404


def event_list(request):
    raise Http404("not built yet")


def event_detail(request, slug):
    raise Http404("not built yet")


def schedule(request, slug):
    raise Http404("not built yet")


def session_detail(request, slug, session_uuid):
    raise Http404("not built yet")
