# SPDX-License-Identifier: GPL-2.0-or-later
"""The addresses, ports and names rules and packets are drawn from.

Small pools, so that random rules match random packets often.  All
addresses are documentation ranges (RFC 5737, RFC 3849), used only
inside the tester's own network namespaces.
"""
import socket

TARGET_MAC = bytes.fromhex("020000000001")
TARGET_IF = "eth0"
TARGET_GROUP = 5          # the target's eth0 devgroup
FAR_IF = "eth1"           # where the target forwards to
FAR_GROUP = 7

V4_LOCAL = ["192.0.2.1", "192.0.2.2", "198.51.100.1"]
V4_REMOTE = ["192.0.2.10", "192.0.2.11", "203.0.113.7", "203.0.113.200",
             "198.51.100.77"]
V4_GATEWAY = "192.0.2.254"
V6_LOCAL = ["2001:db8::1", "2001:db8::2", "2001:db8:1::1"]
V6_REMOTE = ["2001:db8::10", "2001:db8::11", "2001:db8:2::7",
             "2001:db8:2::c8", "2001:db8:3::4d"]
V6_GATEWAY = "2001:db8::fe"

# Beyond the target, routed out of eth1 (FORWARD): RFC 2544, RFC 3849.
V4_FAR = ["198.18.0.5", "198.18.1.9"]
V4_FAR_NET, V4_FAR_LINK, V4_FAR_GW = ("198.18.0.0/16", "198.19.0.1/24",
                                      "198.19.0.254")
V6_FAR = ["2001:db8:ff::5", "2001:db8:ff::9"]
V6_FAR_NET, V6_FAR_LINK, V6_FAR_GW = ("2001:db8:ff::/48", "2001:db8:fe::1/64",
                                      "2001:db8:fe::fe")

PORTS = [22, 53, 80, 443, 1024, 1234, 8080, 65535, 0, 5000]


def aton4(a):
    return socket.inet_pton(socket.AF_INET, a)


def aton6(a):
    return socket.inet_pton(socket.AF_INET6, a)
