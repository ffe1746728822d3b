from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualitativeConfig(AppConfig):
    name = "ctip.web.qualitative"
    label = "qualitative"
    verbose_name = _("Interviews and focus groups")
