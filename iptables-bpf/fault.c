// SPDX-License-Identifier: GPL-2.0-or-later
/* Named stop points for fault-injection tests: see fault.h. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "iptables-bpf/fault.h"

void ipb_fault_point(const char *name)
{
	const char *want = getenv("IPTABLES_BPF_FAULT_STOP");

	if (want && !strcmp(want, name))
		raise(SIGSTOP);
}
