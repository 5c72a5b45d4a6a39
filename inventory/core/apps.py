from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inventory.core"
    label = "core"
