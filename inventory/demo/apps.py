from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's orchestration: above every domain, as it drives them all."""

    name = "inventory.demo"
    label = "demo"
