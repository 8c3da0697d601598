"""Where a webhook target may not point: link-local addresses (169.254.0.0/16, fe80::/10, where cloud
metadata services answer), the unspecified address (0.0.0.0, ::, which reaches this machine) and the known
cloud metadata addresses and names. A webhook URL is configuration, but an alert body posted there is the
tracker's request, and a metadata service answers such requests with credentials.

Refused twice: when ``tracker.toml`` is read (an address written in the URL, in any form the resolver
accepts: ``169.254.169.254``, ``2852039166``, ``0xa9fea9fe``, ``[::ffff:169.254.169.254]``) and before each
POST (the addresses the host name resolves to). ``[alerts] allow_link_local_targets = true`` lifts both.
Loopback and private networks stay allowed: a receiver on this machine or the LAN is a normal setup.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket

# names that reach a metadata service whatever they resolve to here
_METADATA_NAMES = {"metadata", "metadata.google.internal", "metadata.goog", "instance-data"}
# metadata services outside the link-local ranges: Alibaba Cloud, AWS's IPv6 endpoint
_METADATA_ADDRESSES = {ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")}


def forbidden_address(address: str) -> str | None:
    """What is wrong with an IP address as a target (None: nothing)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) is no part of it
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in _METADATA_ADDRESSES:
        return f"{ip}, a cloud metadata address"
    if ip.is_link_local:
        return f"{ip}, a link-local address (where cloud metadata services answer)"
    if ip.is_unspecified:
        return f"{ip}, the unspecified address"
    return None


def forbidden_literal(host: str) -> str | None:
    """What is wrong with a URL's host as written: a metadata name, or an address in any notation."""
    name = host.strip("[]").rstrip(".").lower()
    if name in _METADATA_NAMES:
        return f"{name}, a cloud metadata name"
    with contextlib.suppress(OSError):  # not an IPv4 address in any notation
        name = socket.inet_ntoa(socket.inet_aton(name))  # 2852039166, 0xa9fea9fe, 169.254.43518 ...
    return forbidden_address(name)


def forbidden_resolved(host: str, port: int) -> str | None:
    """What is wrong with the addresses ``host`` resolves to (None also when it does not resolve: the POST
    then fails with its own error)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = str(info[4][0])
        wrong = forbidden_address(address)
        if wrong:
            return wrong if address == host.strip("[]") else f"{host}, which resolves to {wrong}"
    return None
