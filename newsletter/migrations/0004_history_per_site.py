from django.db import migrations

# The newsletter's records whose history moves to the per-site log, and the way to their site.
MOVED = {"send": "site", "delivery": "send__site", "suppression": "site"}
FIELDS = (
    "content_type_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
    "object_id",
)


def move_history(apps, schema_editor):
    """Wagtail's standard log entries about sends, deliveries and suppressed addresses move to
    the per-site log (buddypages.pages.history), with their site."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    SiteLogEntry = apps.get_model("buddypages", "SiteLogEntry")
    for name, path in MOVED.items():
        content_type = ContentType.objects.filter(app_label="newsletter", model=name).first()
        if content_type is None:
            continue
        entries = list(ModelLogEntry.objects.filter(content_type=content_type))
        numbers = {int(e.object_id) for e in entries if e.object_id.isdigit()}
        sites = dict(
            apps.get_model("newsletter", name)
            .objects.filter(pk__in=numbers)
            .values_list("pk", path)
        )
        SiteLogEntry.objects.bulk_create(
            SiteLogEntry(
                **{field: getattr(entry, field) for field in FIELDS},
                site_id=sites.get(int(entry.object_id)) if entry.object_id.isdigit() else None,
            )
            for entry in entries
        )
        ModelLogEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0003_sealed_sites"),
        ("buddypages", "0020_history_per_site"),
    ]

    operations = [migrations.RunPython(move_history, migrations.RunPython.noop)]
