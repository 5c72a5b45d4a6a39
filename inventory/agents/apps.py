from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "inventory.agents"
    label = "agents"
