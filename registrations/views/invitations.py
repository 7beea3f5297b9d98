"""The invitee's page behind the secret link.

The link is the credential: anyone holding it may see the invitation, accept it
for the invited address, decline it or pass it to a substitute; it never signs
anyone in. Accepting registers the person with the invited address: the
signed-in owner of that address, or, for a visitor who is not signed in, the
account with that address, made without a password if there is none (they sign
in later with a code sent to the address). Until the answer-by date the answer
can be changed on the same page.

`?answer=accept` and `?answer=decline` (the email's two links) show that one
step alone; declining always asks for confirmation and an optional reason.
"""

from typing import NamedTuple

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from accounts.services import find_person

from ..invitation_forms import (
    AcceptForm,
    DeclineForm,
    SignUpAcceptForm,
    SubstituteForm,
)
from ..models import Invitation
from ..services import RegistrationError
from ..services.invitation_answers import (
    accept_by_link,
    accept_invitation,
    decline_invitation,
    is_invitee,
    name_substitute,
)
from ..services.invitation_changes import ANSWERED, check_changeable
from ..services.invitations import InvitationError, check_answerable

STEPS = ("accept", "decline")


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


class InvitationForms(NamedTuple):
    """The forms the page shows, bound only for the action that posted them.

    `accept` is None for a signed-in person with another address: they may
    decline or name a substitute, but not accept for someone else.
    """

    owner: bool
    accept: AcceptForm | SignUpAcceptForm | None
    decline: DeclineForm
    substitute: SubstituteForm


def _allowed_actions(invitation: Invitation) -> set[str]:
    """What the invitee may do now; raises InvitationError when nothing."""
    if invitation.status not in ANSWERED:
        check_answerable(invitation)
        return {"accept", "signup", "decline", "substitute"}
    check_changeable(invitation)
    if invitation.status == Invitation.Status.DECLINED:
        return {"accept", "signup"}
    return {"decline"}


@cache_control(private=True, no_store=True)  # the page is its secret link
def invitation(request, token):
    """Show an invitation and take the invitee's answer, or a change of it."""
    invitation = _get_invitation(token)
    try:
        allowed = _allowed_actions(invitation)
    except InvitationError as closed:
        return _answered(request, invitation, str(closed))
    action = request.POST.get("action")  # None on a GET or an empty POST
    forms = _invitation_forms(request, invitation, action)
    if action is None:
        return _invitation_page(request, invitation, forms, None, action)
    handler = INVITATION_ACTIONS.get(action)
    if handler is None or action not in allowed:
        error = _("Unknown action.") if handler is None else _answered_already()
        return _invitation_page(request, invitation, forms, error, action)
    try:
        response = handler(request, invitation, forms, action)
    except RegistrationError as refused:  # InvitationError, or register_attendee's
        return _invitation_page(request, invitation, forms, str(refused), action)
    if response is not None:
        return response
    return _invitation_page(request, invitation, forms, None, action)


def _answered_already() -> str:
    return _("This invitation has already been answered.")


def _invitation_forms(request, invitation, action) -> InvitationForms:
    user = request.user
    owner = user.is_authenticated and is_invitee(invitation, user)
    accept = None
    if owner:
        accept = AcceptForm(
            request.POST if action == "accept" else None, invitation=invitation
        )
    elif not user.is_authenticated:
        accept = SignUpAcceptForm(
            request.POST if action == "signup" else None,
            invitation=invitation,
            needs_name=find_person(invitation.email) is None,
        )
    return InvitationForms(
        owner=owner,
        accept=accept,
        decline=DeclineForm(request.POST if action == "decline" else None),
        substitute=SubstituteForm(request.POST if action == "substitute" else None),
    )


def _invitation_page(request, invitation, forms, error, action):
    """The page with its forms; 400 when a posted answer was not taken."""
    step = request.GET.get("answer")
    context = {
        "invitation": invitation,
        "event": invitation.event,
        "step": step if step in STEPS else "",
        "signed_in": request.user.is_authenticated,
        "owner": forms.owner,
        "accept_form": forms.accept,
        "decline_form": forms.decline,
        "substitute_form": forms.substitute,
        "error": error,
        "logout_url": reverse("account_logout"),
        "decline_url": f"{invitation.answer_path()}?answer=decline",
    }
    template = "registrations/invitation.html"
    if invitation.status != Invitation.Status.PENDING:
        template = "registrations/invitation_answered.html"
    status = 400 if error or action else 200
    return TemplateResponse(request, template, context, status=status)


# Each answer runs one service and returns the response to send, or None to
# show the page again with the form's errors.


def _accept_or_sign_up(request, invitation, forms, action):
    if forms.accept is None or not forms.accept.is_valid():
        return None
    return _accept(request, invitation, forms.accept, action)


def _decline(request, invitation, forms, action):
    if not forms.decline.is_valid():
        return None
    decline_invitation(
        invitation=invitation,
        reason=forms.decline.cleaned_data["reason"],
        actor=_actor(request.user),
    )
    messages.info(request, _("Thank you for letting us know."))
    return redirect(invitation.answer_path())


def _substitute(request, invitation, forms, action):
    if not forms.substitute.is_valid():
        return None
    name_substitute(
        invitation=invitation,
        name=forms.substitute.cleaned_data["substitute_name"],
        email=forms.substitute.cleaned_data["substitute_email"],
        actor=_actor(request.user),
    )
    return redirect(invitation.answer_path())


def _actor(user):
    return user if user.is_authenticated else None


def _accept(request, invitation, form, action):
    answers = form.answers()
    privacy = form.cleaned_data.get("privacy_accepted", False)
    if action == "signup":
        # Nobody is signed in: the link is not a way into an account.
        _user, registration = accept_by_link(
            invitation=invitation,
            name=form.cleaned_data.get("name", ""),
            answers=answers,
            privacy_accepted=privacy,
        )
        _tell_how_to_sign_in(request, invitation)
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
    return redirect(registration.manage_path())


def _tell_how_to_sign_in(request, invitation) -> None:
    messages.info(
        request,
        _(
            "No password is needed: to sign in, ask for a sign-in code to be sent "
            "to %(email)s. You can set a password in your account later."
        )
        % {"email": invitation.email},
    )


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


INVITATION_ACTIONS = {
    "accept": _accept_or_sign_up,
    "signup": _accept_or_sign_up,
    "decline": _decline,
    "substitute": _substitute,
}
