"""``/embed.js``: outside the language prefix, one address for every language."""

urlpatterns = []
