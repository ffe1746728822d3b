from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "ctip.web.shell"
    label = "shell"
