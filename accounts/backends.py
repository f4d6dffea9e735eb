"""Django's ModelBackend, loading the signed-in user on each request together with their
practitioner profile (or its absence) in one query: every page's menu asks the user's role
(User.role), which would otherwise cost a query of its own."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        user = user_model._default_manager.select_related("practitioner").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
