"""allauth's own texts that our catalogues translate anew.

Messages in locale/ win over allauth's catalogues. These are named here so that
makemessages keeps them: allauth's Swedish login page says "Already have an
account? Then log in" on a link that leads to sign-up.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = [
    # templates/account/login.html: the link leads to the sign-up page.
    gettext_noop(
        "If you have not created an account yet, then please "
        "%(link)ssign up%(end_link)s first."
    ),
]
