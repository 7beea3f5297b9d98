from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from . import mfa

        authenticator_added.connect(
            mfa.on_authenticator_added, dispatch_uid="accounts.mfa.enrolment"
        )
