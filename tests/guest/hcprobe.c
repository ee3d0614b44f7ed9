// SPDX-License-Identifier: GPL-2.0-only
/*
 * Does this host's KVM deliver a guest's KVM_HC_MAP_GPA_RANGE hypercall
 * to the VMM as KVM_EXIT_HYPERCALL? A one-vCPU 64-bit guest loads the
 * hypercall's registers (RAX = 12, RBX = 0x5000, RCX = 2, RDX = 0) and
 * runs one instruction, then reports AL on port 0x80 and halts:
 *
 *   hcprobe vmmcall|vmcall|port
 *
 * "port" is sevm's stand-in (out %al, $0xe6); the probe answers it like
 * sevm does (KVM_GET_REGS, RAX = 0x77, KVM_SET_REGS). Output, one line
 * each: the capability, KVM_ENABLE_CAP's result, then every exit, or
 * "no exit within 2 s, rip 0x..." when KVM_RUN never returned (the
 * vCPU spins inside KVM). Exit status 0 when the probe ran, 1 when the
 * host could not run it. Built and run by tests/integration/sev-dma.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define RAM	0x200000UL
#define CODE	0x1000UL
#define PML4	0x10000UL
#define GDT	0x500UL

static void on_alarm(int sig)
{
	(void)sig;	/* only there to interrupt KVM_RUN */
}

/* mov eax,12; mov ebx,0x5000; mov ecx,2; xor edx,edx; INSN; out 0x80,al; hlt */
static size_t guest_code(unsigned char *p, const char *insn)
{
	static const unsigned char head[] = {
		0xb8, 12, 0, 0, 0, 0xbb, 0, 0x50, 0, 0,
		0xb9, 2, 0, 0, 0, 0x31, 0xd2,
	};
	static const unsigned char tail[] = { 0xe6, 0x80, 0xf4 };
	unsigned char mid[3] = { 0x0f, 0x01, 0xd9 };	/* vmmcall */
	size_t n = sizeof(head);

	if (!strcmp(insn, "vmcall"))
		mid[2] = 0xc1;
	if (!strcmp(insn, "port")) {
		mid[0] = 0x90;				/* nop */
		mid[1] = 0xe6;				/* out $0xe6, %al */
		mid[2] = 0xe6;
	}
	memcpy(p, head, n);
	memcpy(p + n, mid, 3);
	memcpy(p + n + 3, tail, sizeof(tail));
	return n + 3 + sizeof(tail);
}

static void long_mode(unsigned char *ram, struct kvm_sregs *s)
{
	unsigned long long *pt = (void *)(ram + PML4);
	unsigned long long *gdt = (void *)(ram + GDT);
	struct kvm_segment cs = { .limit = 0xffffffff, .selector = 8,
				  .type = 0xb, .present = 1, .s = 1, .l = 1,
				  .g = 1 };
	struct kvm_segment ds = { .limit = 0xffffffff, .selector = 16,
				  .type = 3, .present = 1, .s = 1, .db = 1,
				  .g = 1 };

	pt[0] = (PML4 + 0x1000) | 3;		/* PML4 -> PDPT */
	pt[512] = (PML4 + 0x2000) | 3;		/* PDPT -> PD */
	pt[1024] = 0x83;			/* 2 MiB identity page */
	gdt[1] = 0x00af9b000000ffffULL;
	gdt[2] = 0x00cf93000000ffffULL;
	s->cs = cs;
	s->ds = s->es = s->fs = s->gs = s->ss = ds;
	s->gdt.base = GDT;
	s->gdt.limit = 23;
	s->cr3 = PML4;
	s->cr4 = 0x20;				/* PAE */
	s->cr0 = 0x80000011;			/* PG, ET, PE */
	s->efer = 0x500;			/* LME, LMA */
}

static int setup(int kvm, int vm, const char *insn, int *vcpu,
		 struct kvm_run **run)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_EXIT_HYPERCALL,
				      .args = { 1ULL << 12 } };
	struct kvm_userspace_memory_region mr = { .memory_size = RAM };
	struct kvm_regs regs = { .rip = CODE, .rflags = 2 };
	struct kvm_sregs s;
	unsigned char *ram;

	printf("KVM_CHECK_EXTENSION(KVM_CAP_EXIT_HYPERCALL) = 0x%x\n",
	       ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_EXIT_HYPERCALL));
	printf("KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL, 1 << 12) = %d\n",
	       ioctl(vm, KVM_ENABLE_CAP, &cap));
	ram = mmap(NULL, RAM, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		return -1;
	mr.userspace_addr = (unsigned long)ram;
	guest_code(ram + CODE, insn);
	*vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0 || *vcpu < 0 ||
	    ioctl(*vcpu, KVM_GET_SREGS, &s) < 0)
		return -1;
	long_mode(ram, &s);
	*run = mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
		    PROT_READ | PROT_WRITE, MAP_SHARED, *vcpu, 0);
	if (*run == MAP_FAILED || ioctl(*vcpu, KVM_SET_SREGS, &s) < 0 ||
	    ioctl(*vcpu, KVM_SET_REGS, &regs) < 0)
		return -1;
	return 0;
}

/* One exit; 1 to go on, 0 when done. */
static int report(int vcpu, struct kvm_run *run)
{
	struct kvm_regs regs;

	ioctl(vcpu, KVM_GET_REGS, &regs);
	if (run->exit_reason == KVM_EXIT_HYPERCALL) {
		printf("KVM_EXIT_HYPERCALL nr %llu args 0x%llx %llu 0x%llx\n",
		       run->hypercall.nr, run->hypercall.args[0],
		       run->hypercall.args[1], run->hypercall.args[2]);
		run->hypercall.ret = 0x77;
		return 1;
	}
	if (run->exit_reason == KVM_EXIT_IO) {
		printf("KVM_EXIT_IO port 0x%x value %u rax 0x%llx\n",
		       run->io.port,
		       *((unsigned char *)run + run->io.data_offset), regs.rax);
		if (run->io.port == 0xe6) {
			regs.rax = 0x77;
			ioctl(vcpu, KVM_SET_REGS, &regs);
		}
		return 1;
	}
	printf("exit %u rip 0x%llx\n", run->exit_reason, regs.rip);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm, vcpu, i;
	struct kvm_run *run;
	struct kvm_regs regs;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 2 || kvm < 0)
		return 1;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0 || setup(kvm, vm, argv[1], &vcpu, &run))
		return 1;
	sigaction(SIGALRM, &sa, NULL);
	for (i = 0; i < 4; i++) {
		alarm(2);
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			ioctl(vcpu, KVM_GET_REGS, &regs);
			printf("no exit within 2 s (%s), rip 0x%llx rax 0x%llx\n",
			       strerror(errno), regs.rip, regs.rax);
			return 0;
		}
		if (!report(vcpu, run))
			return 0;
	}
	return 0;
}
