"""How the API shows what pages point at."""

from rest_framework import serializers


class ThemeSerializer(serializers.Serializer):
    """A tip's theme in the API: its stable key and its name in the page's language."""

    def to_representation(self, theme):
        if theme is None:
            return None
        return {"id": theme.pk, "key": theme.key, "name": theme.name}
