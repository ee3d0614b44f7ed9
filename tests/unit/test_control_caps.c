// SPDX-License-Identifier: GPL-2.0-only
/*
 * TEST DOUBLE for test_control: the host's kernel PSP as sev/caps.c
 * reports it (sev_caps_kernel), scripted by dbl_host_caps, and QMP's
 * rendering of it. The real function is tested by test_caps and the
 * integration test caps.sh (QMP and `sevm caps` compared).
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "sev/caps.h"
#include "test_control.h"

struct host_caps_dbl dbl_host_caps;

int sev_caps_kernel(struct sev_caps *c)
{
	memset(c, 0, sizeof(*c));
	dbl_host_caps.calls++;
	c->supported = dbl_host_caps.supported;
	c->cbitpos = 47;
	c->reduced_phys_bits = 1;
	snprintf(c->reason, sizeof(c->reason), "%s",
		 dbl_host_caps.reason ? dbl_host_caps.reason : "no /dev/sev");
	return dbl_host_caps.err;
}

struct json_object *sev_caps_qmp_json(const struct sev_caps *c)
{
	struct json_object *o;

	if (!c->supported || !(o = json_object_new_object()))
		return NULL;
	json_object_object_add(o, "cbitpos", json_object_new_int(c->cbitpos));
	json_object_object_add(o, "reduced-phys-bits",
			       json_object_new_int(c->reduced_phys_bits));
	return o;
}

void sev_caps_free(struct sev_caps *c)
{
	dbl_host_caps.freed++;
}
