"""Rotating the manage link: the old URL answers 404 from then on."""

from ..models import Registration
from ..tokens import new_token


def regenerate_manage_token(*, registration) -> Registration:
    registration.manage_token = new_token()
    Registration.objects.filter(pk=registration.pk).update(
        manage_token=registration.manage_token
    )
    return registration
