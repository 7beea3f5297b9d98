"""The site header's link to the organiser area, for those who organise."""

from django.http import HttpRequest

from events import access
from events.access import Capability


def organiser_links(request: HttpRequest) -> dict:
    # A callable: templates call it only when the header asks (one query, once).
    return {
        "may_organise": lambda: (
            request.user.is_authenticated
            and access.may_somewhere(request, Capability.VIEW_EVENT)
        )
    }
