from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dagsorden.core"
    label = "core"
    verbose_name = _("Kerne")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from dagsorden.core.middleware import stamp_session_on_login

        user_logged_in.connect(stamp_session_on_login, dispatch_uid="dagsorden.session_stamps")
