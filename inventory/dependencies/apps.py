from django.apps import AppConfig


class DependenciesConfig(AppConfig):
    name = "inventory.dependencies"
    verbose_name = "Dependencies"
