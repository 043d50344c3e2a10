"""What every email of the site does: absolute links, a text + HTML twin, its own Message-ID."""

import ipaddress
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from wagtail.models import Site


def site_root_url(site: Site | int | None) -> str:
    """The public address of ``site`` (a Site or its id), without a slash at the end.

    With several sites, each municipality's own host (``Site.root_url``): Wagtail routes by
    host name there, so the Site rows are right. With one site, or no site known (an admin
    link, a record from before the sites), ``WAGTAILADMIN_BASE_URL``: a single site answers
    on every host, and its row often still says ``localhost:80``.
    """
    site_id = getattr(site, "pk", site)
    if site_id is not None:
        # Wagtail's cached list (no query): every site's id and root URL.
        roots = {root.site_id: root.root_url for root in Site.get_site_root_paths()}
        if len(roots) > 1 and site_id in roots:
            return roots[site_id].rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(url: str, *, site: Site | int | None = None) -> str:
    """``url`` with the public address of ``site`` in front (unchanged if it already has one).

    Links in an email about a person, a duo, an activity or an issue go to that one's site;
    without ``site``, the installation's address (where the admin is).
    """
    if not url or url.startswith(("http://", "https://", "mailto:")):
        return url
    return site_root_url(site) + url


@dataclass(frozen=True)
class Sender:
    """From and Reply-To of an email; empty ``from_email``: ``DEFAULT_FROM_EMAIL``.

    A municipality's own come from its site's settings (``buddypages.pages.municipality``).
    """

    from_email: str = ""
    reply_to: tuple[str, ...] = ()


def send_templated_email(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
    sender: Sender | None = None,
) -> None:
    """Render ``template``.txt and ``template``.html (in the active language) and send both,
    with ``attachments`` (file name, content, MIME type), from ``sender`` (else the
    installation's ``DEFAULT_FROM_EMAIL``)."""
    sender = sender or Sender()
    from_email = sender.from_email or settings.DEFAULT_FROM_EMAIL
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"{template}.txt", context),
        from_email,
        to=[to],
        reply_to=list(sender.reply_to) or None,
        headers={"Message-ID": message_id(from_email)},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def message_id(from_email: str = "") -> str:
    """A new Message-ID on the site's own domain.

    Django's default names the machine that renders the email (often ``localhost``), which
    spam filters count against a message. The site's public host comes first, then the
    domain of the sender (``from_email``, else ``DEFAULT_FROM_EMAIL``); a host name beats an
    IPv4 address; ``localhost`` and IPv6 addresses are never used (the machine's name is
    the last resort, for a development setup that has nothing else).
    """
    sender = parseaddr(from_email or settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2].lower()
    site = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or ""
    candidates = [
        host for host in (site, sender) if host and ":" not in host and not _is_local(host)
    ]
    names = [host for host in candidates if "." in host and not _is_ip(host)]
    domain = (names or candidates or [str(DNS_NAME)])[0]
    return make_msgid(domain=domain)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_local(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")
