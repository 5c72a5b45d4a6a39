from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "inventory.organisations"
    label = "organisations"
