from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "inventory.web"
    label = "web"
