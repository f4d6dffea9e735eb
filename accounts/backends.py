"""Django's ModelBackend, loading the signed-in user on each request together with their
practitioner profile (or its absence) in one query: every page's menu asks the user's role
(User.role), which would otherwise cost a query of its own. The query's SQL is built once per
process (reflexbook.lib.prepared): every signed-in request runs it (issue 13)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from reflexbook.lib.prepared import PreparedQuery

SIGNED_IN = PreparedQuery(
    lambda *, pk: get_user_model()._default_manager.select_related("practitioner").filter(pk=pk)
)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            found = SIGNED_IN.instances(pk=int(user_id))
        except (TypeError, ValueError):
            return None
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
