"""The invitee's page behind the secret link.

The link is the credential: anyone holding it may see the invitation, decline it
or pass it to a substitute. Accepting registers a person, so it needs an account
for the invited address: the signed-in owner of that address, or a new account
made here (the link proves the address, so it is marked verified).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.services import find_person

from ..invitation_forms import AcceptForm, SignUpAcceptForm, SubstituteForm
from ..models import Invitation
from ..services import RegistrationError
from ..services.invitation_answers import (
    accept_invitation,
    decline_invitation,
    is_invitee,
    name_substitute,
    sign_up_and_accept,
)
from ..services.invitations import (
    InvitationError,
    check_answerable,
)

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _get_invitation(token: str) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related(
            "event__venue", "registration_type", "registration", "substitute_for"
        ),
        token=token,
    )
    if invitation.status == Invitation.Status.REVOKED:
        raise Http404(_("No such invitation."))
    return invitation


def invitation(request, token):
    """Show an invitation and take the invitee's answer."""
    invitation = _get_invitation(token)
    try:
        check_answerable(invitation)
    except InvitationError as closed:
        return _answered(request, invitation, str(closed))
    user = request.user
    signed_in = user.is_authenticated
    owner = signed_in and is_invitee(invitation, user)
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if data else None
    accept_form = None
    if owner:
        accept_form = AcceptForm(
            data if action == "accept" else None, invitation=invitation
        )
    elif not signed_in:
        accept_form = SignUpAcceptForm(
            data if action == "signup" else None, invitation=invitation
        )
    substitute_form = SubstituteForm(data if action == "substitute" else None)
    error = None
    try:
        if action in {"accept", "signup"} and accept_form is not None:
            if accept_form.is_valid():
                return _accept(request, invitation, accept_form, action)
        elif action == "decline":
            decline_invitation(invitation=invitation, actor=_actor(user))
            messages.info(request, _("Thank you for letting us know."))
            return redirect(invitation.get_absolute_url())
        elif action == "substitute" and substitute_form.is_valid():
            name_substitute(
                invitation=invitation,
                name=substitute_form.cleaned_data["substitute_name"],
                email=substitute_form.cleaned_data["substitute_email"],
                actor=_actor(user),
            )
            return redirect(invitation.get_absolute_url())
        elif action is not None and action not in {"accept", "signup", "substitute"}:
            error = _("Unknown action.")
    except RegistrationError as refused:  # InvitationError, or register_attendee's
        error = str(refused)
    has_account = False
    if not signed_in:
        has_account = find_person(invitation.email) is not None
    context = {
        "invitation": invitation,
        "event": invitation.event,
        "signed_in": signed_in,
        "owner": owner,
        "has_account": has_account,
        "accept_form": accept_form,
        "substitute_form": substitute_form,
        "error": error,
        "login_url": reverse("account_login")
        + "?"
        + urlencode({"next": invitation.get_absolute_url()}),
        "logout_url": reverse("account_logout"),
    }
    status = 400 if error or (data and action) else 200
    return TemplateResponse(
        request, "registrations/invitation.html", context, status=status
    )


def _actor(user):
    return user if user.is_authenticated else None


def _accept(request, invitation, form, action):
    answers = form.answers()
    privacy = form.cleaned_data.get("privacy_accepted", False)
    if action == "signup":
        user, registration = sign_up_and_accept(
            invitation=invitation,
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
            answers=answers,
            privacy_accepted=privacy,
        )
        login(request, user, backend=LOGIN_BACKEND)
    else:
        registration = accept_invitation(
            invitation=invitation,
            user=request.user,
            answers=answers,
            privacy_accepted=privacy,
        )
    messages.success(
        request,
        _("Thank you: you are registered (%(status)s).")
        % {"status": registration.get_status_display()},
    )
    return redirect(registration.get_absolute_url())


def _answered(request, invitation, reason):
    successor = None
    if invitation.status == Invitation.Status.SUBSTITUTED:
        successor = invitation.substitutes.order_by("-created_at").first()
    context = {
        "invitation": invitation,
        "event": invitation.event,
        "reason": reason,
        "successor": successor,
        "show_registration": (
            invitation.registration is not None
            and request.user.is_authenticated
            and invitation.registration.attendee_id == request.user.pk
        ),
        "now": timezone.now(),
    }
    return TemplateResponse(request, "registrations/invitation_answered.html", context)
