"""Reads remembered until the content changes: one cache entry per content generation.

Page views repeat the same reads (a page's route, its sections, the calendar's activities)
that only a publish, a move or a change to a watched model can change, and each of those
moves the content generation (:mod:`buddypages.core.generation`). Keying an entry by the
generation makes it stale in every process at once, whatever the cache backend; entries of
older generations age out with their timeout. Values are pickled by the cache (locmem,
Redis, memcached), so every request gets its own copy of a page or a list and may change it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from buddypages.core.generation import request_generation

logger = logging.getLogger(__name__)

T = TypeVar("T")
MEMO_SECONDS = 600
MAX_PLAIN_KEY = 160


def remembered(request, key: str, compute: Callable[[], T], *, seconds: int = MEMO_SECONDS) -> T:
    """``compute()``, or what it returned for ``key`` earlier in this content generation.

    ``key`` must name everything the answer depends on besides the content (the site, the
    language, the path); a ``None`` answer is remembered too. A cache that fails is a miss.
    """
    if len(key) > MAX_PLAIN_KEY or not key.isascii() or not key.isprintable() or " " in key:
        # memcached takes at most 250 printable ASCII characters without spaces.
        key = hashlib.sha256(key.encode()).hexdigest()
    full_key = f"buddypages-memo:{request_generation(request)}:{key}"
    try:
        found = cache.get(full_key)
    except Exception:  # an unreachable cache must never break a page view
        logger.warning("The cache is unreachable; reading without it", exc_info=True)
        return compute()
    if found is not None:
        return found[0]
    value = compute()
    try:
        cache.set(full_key, (value,), seconds)
    except Exception:  # as above: the answer is still right, only not remembered
        logger.warning("The cache is unreachable; not remembering %s", key.split(":", 1)[0])
    return value
