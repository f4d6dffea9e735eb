from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import mfa

        # Note at log-in whether the person has two-factor sign-in on, so that pages need
        # not look it up on every request (see accounts.mfa.enabled_for_session).
        user_logged_in.connect(mfa.note_login, dispatch_uid="accounts.mfa.note_login")
