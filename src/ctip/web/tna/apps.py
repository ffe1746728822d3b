from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TnaConfig(AppConfig):
    name = "ctip.web.tna"
    label = "tna"
    verbose_name = _("Training needs assessment")
