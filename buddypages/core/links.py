"""Links to outside services that need no account or key."""

from urllib.parse import urlencode


def map_search_link(address: str) -> str:
    """OpenStreetMap's search for ``address`` ("" for no address): works on any phone."""
    if not address:
        return ""
    return "https://www.openstreetmap.org/search?" + urlencode({"query": address})
