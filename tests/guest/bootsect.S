/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 512-byte MBR boot sector that checks the BIOS disk services (int 13h)
 * of whatever firmware loads it at 0000:7c00 (SeaBIOS under QEMU or sevm).
 *
 * It prints on COM1 (port 0x3f8, polling LSR bit 5; no BIOS call):
 *   bootsect: started
 *   bootsect: int13 ext ok                  (AH=41h: extended reads)
 *   bootsect: int13 read 8 sectors ok       (AH=42h, LBA 1..8)
 *   bootsect: int13 chs read 1 sector ok    (AH=02h, C0/H0/S2 = LBA 1)
 * or a failure line, then writes a status to the exit port 0xf4:
 *   0 success, 1 no extended reads (AH=41h), 2 a read failed (AH status
 *   printed), 3 a sector's content is wrong (its LBA printed).
 *
 * The disk (tests/guest/mkbootdisk.sh) holds in each sector n = 1..8:
 * "SEVMDISK", n as le32, then 500 bytes of value n.
 *
 * Build: gcc -c bootsect.S && ld -m elf_i386 -Ttext 0x7c00 && objcopy -O binary
 */
#define COM1		0x3f8
#define EXIT_PORT	0xf4
#define NSECT		8
#define BUF_LBA		0x8000		/* 8 sectors: 0x8000..0x8fff */
#define BUF_CHS		0x9000

	.code16
	.text
	.globl _start
_start:
	cli
	xorw %ax, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw $0x7c00, %sp
	ljmp $0, $1f			/* normalise CS:IP to 0000:7cxx */
1:	sti
	cld
	movb %dl, drive

	movw $m_started, %si
	call puts

	/* AH=41h: are the extended (LBA) services there? */
	movb $0x41, %ah
	movw $0x55aa, %bx
	movb drive, %dl
	int $0x13
	jc no_ext
	cmpw $0xaa55, %bx
	jne no_ext
	testb $1, %cl			/* bit 0: fixed disk access subset */
	jz no_ext
	movw $m_ext, %si
	call puts

	/* AH=42h: LBA 1..8 into BUF_LBA through the disk address packet */
	movb $0x42, %ah
	movb drive, %dl
	movw $dap, %si
	int $0x13
	jc read_err
	movw $BUF_LBA, %di
	movw $NSECT, %cx
	call check
	movw $m_lba_ok, %si
	call puts

	/* AH=02h: one sector by CHS (cylinder 0, head 0, sector 2) */
	movw $0x0201, %ax
	movw $0x0002, %cx
	movb $0, %dh
	movb drive, %dl
	movw $BUF_CHS, %bx
	int $0x13
	jc read_err
	movw $BUF_CHS, %di
	movw $1, %cx
	call check
	movw $m_chs_ok, %si
	call puts
	movb $0, %al
	jmp done

no_ext:
	movw $m_no_ext, %si
	call puts
	movb $1, %al
	jmp done

read_err:				/* AH = int 13h status */
	movb %ah, %bl
	movw $m_read_err, %si
	call puts
	movb %bl, %al
	call puthex
	movb $2, %al
	jmp done

/* check: CX sectors at ES:DI hold LBA 1.. of the disk pattern; returns or
 * prints the first bad LBA and ends with status 3 */
check:
	movw $1, %bx			/* BX = expected LBA */
2:	pushw %cx
	movw $sig, %si
	movw $8, %cx
	repe cmpsb
	jne bad
	cmpw %bx, (%di)
	jne bad
	cmpw $0, 2(%di)
	jne bad
	addw $4, %di
	movb %bl, %al
	movw $500, %cx
	repe scasb
	jne bad
	popw %cx
	incw %bx
	loop 2b
	ret
bad:
	movw $m_bad, %si
	call puts
	movb %bl, %al
	call puthex
	movb $3, %al
	/* fall through */

/* done: AL = status; newline after a hex value, then the exit port */
done:
	movb %al, %bl
	testb %al, %al
	jz 3f
	movb $'\n', %al
	call putc
3:	movb %bl, %al
	outb %al, $EXIT_PORT
4:	cli
	hlt
	jmp 4b

/* puts: "bootsect: " and the NUL-terminated string at DS:SI */
puts:
	pushw %si
	movw $m_prefix, %si
	call puts_raw
	popw %si
puts_raw:
	lodsb
	testb %al, %al
	jz 5f
	call putc
	jmp puts_raw
5:	ret

/* puthex: AL as two hex digits */
puthex:
	pushw %ax
	shrb $4, %al
	call puthex_digit
	popw %ax
puthex_digit:
	andb $0x0f, %al
	addb $'0', %al
	cmpb $'9', %al
	jbe putc
	addb $'a' - '0' - 10, %al
	/* fall through */

/* putc: AL to COM1 once the transmit holding register is empty */
putc:
	pushw %dx
	pushw %ax
	movw $COM1 + 5, %dx
6:	inb %dx, %al
	testb $0x20, %al
	jz 6b
	popw %ax
	movw $COM1, %dx
	outb %al, %dx
	popw %dx
	ret

	.p2align 2
dap:	.byte 16, 0			/* size, reserved */
	.word NSECT			/* sectors */
	.word BUF_LBA, 0		/* buffer offset, segment */
	.quad 1				/* first LBA */
drive:	.byte 0x80
sig:	.ascii "SEVMDISK"
m_prefix:	.asciz "bootsect: "
m_started:	.asciz "started\n"
m_ext:		.asciz "int13 ext ok\n"
m_lba_ok:	.asciz "int13 read 8 sectors ok\n"
m_chs_ok:	.asciz "int13 chs read 1 sector ok\n"
m_no_ext:	.asciz "int13 ext (AH=41h) not supported\n"
m_read_err:	.asciz "int13 read failed, status 0x"
m_bad:		.asciz "int13 read wrong data in sector 0x"

	.org 510
	.word 0xaa55
