from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "inventory.opendata"
    label = "opendata"
