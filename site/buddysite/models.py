from django.db import models


class CacheGeneration(models.Model):
    """One row whose number changes whenever published content changes.

    The anonymous page cache keys every entry by this number, so bumping it
    makes every cached page stale at once, in every web process, whatever the
    cache backend. Reading it costs one primary-key lookup per request.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.value)
