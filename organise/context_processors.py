"""The site header's link to the organiser area, for those who organise."""

from django.http import HttpRequest

from events.organising_hint import organises_anything


def organiser_links(request: HttpRequest) -> dict:
    # A callable: templates call it only when the header asks.
    return {"may_organise": lambda: organises_anything(request)}
