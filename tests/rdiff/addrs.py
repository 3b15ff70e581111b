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

V4_LOCAL = ["192.0.2.1", "192.0.2.2", "198.51.100.1"]
V4_REMOTE = ["192.0.2.10", "192.0.2.11", "203.0.113.7", "203.0.113.200",
             "198.51.100.77"]
V4_GATEWAY = "192.0.2.254"
V6_LOCAL = ["2001:db8::1", "2001:db8::2", "2001:db8:1::1"]
V6_REMOTE = ["2001:db8::10", "2001:db8::11", "2001:db8:2::7",
             "2001:db8:2::c8", "2001:db8:3::4d"]
V6_GATEWAY = "2001:db8::fe"

PORTS = [22, 53, 80, 443, 1024, 1234, 8080, 65535, 0, 5000]


def aton4(a):
    return socket.inet_pton(socket.AF_INET, a)


def aton6(a):
    return socket.inet_pton(socket.AF_INET6, a)
