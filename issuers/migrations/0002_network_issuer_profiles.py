import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("issuers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="is_network",
            field=models.BooleanField(
                default=False,
                help_text="A shared issuer name that member organisations may issue under.",
                verbose_name="network issuer profile",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="network",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"is_network": True},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="issuers.organisation",
                verbose_name="network",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="may_issue_as_network",
            field=models.BooleanField(default=False, verbose_name="may issue under the network's name"),
        ),
    ]
