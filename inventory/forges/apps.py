from django.apps import AppConfig


class ForgesConfig(AppConfig):
    name = "inventory.forges"
    label = "forges"
