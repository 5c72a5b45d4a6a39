"""Agents who had typed an organisation in their profile ask to join it: curators decide."""

from django.db import migrations


def organisations_become_requests(apps, schema_editor):
    Agent = apps.get_model("agents", "Agent")
    Membership = apps.get_model("agents", "Membership")
    Membership.objects.bulk_create(
        [
            Membership(agent_id=agent_id, organisation_id=organisation_id, status="pending")
            for agent_id, organisation_id in Agent.objects.filter(
                organisation__isnull=False
            ).values_list("pk", "organisation_id")
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("agents", "0003_membership")]

    operations = [migrations.RunPython(organisations_become_requests, migrations.RunPython.noop)]
