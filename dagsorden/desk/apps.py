from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The work pages (/arbejde/): writing cases, the flow, the agenda builder, minutes."""

    name = "dagsorden.desk"
    verbose_name = _("Arbejdssider")
