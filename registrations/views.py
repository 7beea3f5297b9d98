"""Attendee pages. (Stubs.)"""

from django.http import Http404


def register(request, slug):
    raise Http404("not built yet")


def participant_list(request, slug):
    raise Http404("not built yet")


def session_seat(request, slug, session_uuid):
    raise Http404("not built yet")


def bookmark(request, slug, session_uuid):
    raise Http404("not built yet")


def my_registrations(request):
    raise Http404("not built yet")


def manage(request, token):
    raise Http404("not built yet")


def invitation(request, token):
    raise Http404("not built yet")
