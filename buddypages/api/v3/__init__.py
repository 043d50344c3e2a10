"""API v3: Wagtail's v3 API on Django Ninja, with this plugin's reads and public writes.

Modules: ``api`` builds the one Ninja API; ``http`` wraps its views (language, ETags, 304s);
``errors`` answers problem details; ``schemas`` holds the shared shapes; ``pages`` and the
other routers are thin: they parse, call a selector or a service, and shape the answer.
"""
