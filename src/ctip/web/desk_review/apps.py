from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskReviewConfig(AppConfig):
    name = "ctip.web.desk_review"
    label = "desk_review"
    verbose_name = _("Legal review and library")
