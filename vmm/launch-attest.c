// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch, part 5: ATTESTATION (QMP query-sev-attestation-report),
 * any time after LAUNCH_MEASURE, also while the guest waits in LSECRET.
 * As QEMU does it: a length query, then the report into a buffer of that
 * length; the firmware decides whether the guest's state allows it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/launch-priv.h"
#include "lib/log.h"

#define ATTEST_REPORT_MAX	SEV_FW_BLOB_MAX

static int attest_len(struct sev_launch *l, u32 *len, char *err,
		      size_t errlen)
{
	u32 fw = 0;
	int r;

	*len = 0;
	r = sev_attestation_report(l->psp, l->vm_fd, NULL, NULL, len, &fw);
	if (r)		/* INVALID_LEN is the answer to the query */
		launch_note_fw(l, fw);
	if (r || !*len || *len > ATTEST_REPORT_MAX) {
		snprintf(err, errlen,
			 "SEV: Failed to query the attestation report length ret=%d fw_err=%d (%s)",
			 r ? -1 : 0, (int)fw, sev_fw_err_desc((int)fw));
		return r ? r : -EPROTO;
	}
	return 0;
}

int sev_launch_attestation(struct sev_launch *l, const u8 mnonce[16],
			   u8 **out, u32 *len, char *err, size_t errlen)
{
	u8 *buf;
	u32 fw = 0;
	int r;

	*out = NULL;
	l->last_fw_err = 0;
	if (!l->started) {
		snprintf(err, errlen, "SEV is not enabled");
		return -ENOTTY;
	}
	r = attest_len(l, len, err, errlen);
	if (r)
		return r;
	buf = calloc(1, *len);
	if (!buf) {
		snprintf(err, errlen, "SEV: attestation report: out of memory");
		return -ENOMEM;
	}
	r = sev_attestation_report(l->psp, l->vm_fd, mnonce, buf, len, &fw);
	launch_note_fw(l, fw);
	if (r) {
		snprintf(err, errlen,
			 "SEV: Failed to get attestation report ret=-1 fw_err=%d (%s): %s",
			 (int)fw, sev_fw_err_desc((int)fw), strerror(-r));
		free(buf);
		return r;
	}
	pr_debug("sev: attestation report, %u bytes", *len);
	*out = buf;
	return 0;
}
