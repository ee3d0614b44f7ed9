// SPDX-License-Identifier: GPL-2.0-only
/* Boot markers, test exit and halting. */
#include "firmware/handoff.h"
#include "firmware/io.h"

void fw_mark(u8 marker)
{
	outb(PORT_DEBUG, marker);
}

void fw_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void fw_exit(u8 status)
{
	outb(PORT_TEST_EXIT, status);
	fw_halt();
}
