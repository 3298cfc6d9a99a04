from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "dagsorden.access"
    verbose_name = _("Roller og adgang")
    default_auto_field = "django.db.models.BigAutoField"
