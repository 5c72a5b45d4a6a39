from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "inventory.api"
    label = "api"
