from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_search_extensions'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('changed_at', models.DateTimeField()),
            ],
        ),
    ]
