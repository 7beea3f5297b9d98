"""The personal calendar feed and its page. (Stubs.)"""

from django.http import Http404


def personal_calendar_page(request):
    raise Http404("not built yet")


def personal_feed(request, token):
    raise Http404("not built yet")
