import uuid

import django.db.models.deletion
from django.db import migrations, models


def fill_new_fields(apps, schema_editor):
    # Existing badges get their own random network id, and existing
    # credentials were all signed by the organisation that issued them.
    BadgeClass = apps.get_model("badges", "BadgeClass")
    for badge in BadgeClass.objects.all().only("pk"):
        BadgeClass.objects.filter(pk=badge.pk).update(network_public_id=uuid.uuid4())
    Credential = apps.get_model("badges", "Credential")
    Credential.objects.filter(issuer_profile__isnull=True).update(issuer_profile=models.F("organisation"))


class Migration(migrations.Migration):
    dependencies = [
        ("badges", "0004_credential_recipient_language"),
        ("issuers", "0002_network_issuer_profiles"),
    ]

    operations = [
        migrations.AddField(
            model_name="badgeclass",
            name="network_public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="credential",
            name="issuer_profile",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="profile_credentials",
                to="issuers.organisation",
            ),
        ),
        migrations.RunPython(fill_new_fields, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="badgeclass",
            name="network_public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="credential",
            name="issuer_profile",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="profile_credentials",
                to="issuers.organisation",
            ),
        ),
    ]
