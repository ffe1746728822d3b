from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InceptionConfig(AppConfig):
    name = "ctip.web.inception"
    label = "inception"
    verbose_name = _("Inception")
