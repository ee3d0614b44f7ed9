/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small AML encoder (ACPI 6.x, chapter 20) on a growable byte buffer.
 *
 * Terms are written in prefix order, as AML is: an opcode, then its
 * operands. Objects with a PkgLength (Scope, Device, Method, If, Package,
 * Field) are opened by their function and closed by aml_end(), which
 * inserts the PkgLength in front of the contents. The same buffer type
 * holds raw bytes: ACPI tables and resource templates (aml_rt_*).
 *
 * Errors are sticky: the first one (-ENOMEM, -E2BIG for a PkgLength or a
 * buffer beyond AML's limits or too deep a nesting, -EINVAL for a bad
 * name, EISA ID or range) is kept in the buffer; later calls do nothing
 * and return it. Every function returns 0 or that error, so a builder can
 * check each call or only aml_error() at the end.
 */
#ifndef SEVM_DEVICES_ACPI_AML_H
#define SEVM_DEVICES_ACPI_AML_H

#include "lib/util.h"

#define AML_MAX_DEPTH		16		/* open PkgLength objects */
#define AML_PKGLEN_MAX		0x0fffffffu	/* 28 bits */

/* Opcodes the builders below emit, and those written with aml_op(). */
enum aml_opcode {
	AML_ZERO_OP		= 0x00,
	AML_ONE_OP		= 0x01,
	AML_NAME_OP		= 0x08,
	AML_BYTE_PREFIX		= 0x0a,
	AML_WORD_PREFIX		= 0x0b,
	AML_DWORD_PREFIX	= 0x0c,
	AML_STRING_PREFIX	= 0x0d,
	AML_QWORD_PREFIX	= 0x0e,
	AML_SCOPE_OP		= 0x10,
	AML_BUFFER_OP		= 0x11,
	AML_PACKAGE_OP		= 0x12,
	AML_METHOD_OP		= 0x14,
	AML_DUAL_NAME_PREFIX	= 0x2e,
	AML_MULTI_NAME_PREFIX	= 0x2f,
	AML_EXT_OP_PREFIX	= 0x5b,
	AML_ROOT_CHAR		= 0x5c,
	AML_PARENT_PREFIX	= 0x5e,
	AML_LOCAL0_OP		= 0x60,
	AML_ARG0_OP		= 0x68,
	AML_STORE_OP		= 0x70,
	AML_AND_OP		= 0x7b,
	AML_NOTIFY_OP		= 0x86,
	AML_LEQUAL_OP		= 0x93,
	AML_IF_OP		= 0xa0,
	AML_RETURN_OP		= 0xa4,
	AML_ONES_OP		= 0xff,
	/* after AML_EXT_OP_PREFIX */
	AML_EXT_OPREGION_OP	= 0x80,
	AML_EXT_FIELD_OP	= 0x81,
	AML_EXT_DEVICE_OP	= 0x82,
};

/* OperationRegion spaces and Field flags */
enum aml_region_space { AML_SYSTEM_MEMORY = 0, AML_SYSTEM_IO = 1 };
enum aml_field_access {
	AML_ACCESS_ANY = 0, AML_ACCESS_BYTE = 1, AML_ACCESS_WORD = 2,
	AML_ACCESS_DWORD = 3, AML_ACCESS_QWORD = 4,
};
#define AML_FIELD_LOCK		(1u << 4)
#define AML_FIELD_PRESERVE	(0u << 5)
#define AML_FIELD_WRITE_ONES	(1u << 5)
#define AML_FIELD_WRITE_ZEROS	(2u << 5)

struct aml {
	u8 *buf;
	size_t len, cap;
	size_t open[AML_MAX_DEPTH];	/* where each open object's
					 * contents start */
	unsigned int depth;
	int err;			/* first error, sticky */
};

void aml_init(struct aml *a);
void aml_free(struct aml *a);
/* The first error, or -EINVAL if objects are still open; else 0. */
int aml_error(const struct aml *a);
/* Hand the bytes over (the caller frees them); the builder is reset. */
u8 *aml_take(struct aml *a, size_t *len);

/* ---- Raw bytes, little-endian */
int aml_put(struct aml *a, const void *p, size_t n);
int aml_u8(struct aml *a, u8 v);
int aml_u16(struct aml *a, u16 v);
int aml_u32(struct aml *a, u32 v);
int aml_u64(struct aml *a, u64 v);
int aml_zeros(struct aml *a, size_t n);

/*
 * The PkgLength encoding of value (which must already count the encoding
 * itself where the grammar says so): 1 to 4 bytes in out, returned; or
 * -E2BIG above AML_PKGLEN_MAX.
 */
int aml_pkglen_encode(u32 value, u8 out[4]);
/* Bytes of PkgLength in front of a payload of n bytes (1..4), -E2BIG. */
int aml_pkglen_size(size_t payload);

/* ---- Data */
/* A NameString: "\_SB.PCI0", "^PCI0", "COM1", "_HID"; segments of 1-4
 * characters [A-Z0-9_] (not starting with a digit) are padded with '_'. */
int aml_name_string(struct aml *a, const char *path);
/* The shortest encoding: Zero, One, Byte/Word/DWord/QWord prefix. */
int aml_integer(struct aml *a, u64 v);
/* Always DWordPrefix + 4 bytes. */
int aml_dword(struct aml *a, u32 v);
/* EISA ID "PNP0A08" as its compressed DWord; -EINVAL if malformed. */
int aml_eisaid(struct aml *a, const char *id);
int aml_eisaid_value(const char *id, u32 *out);
/* StringPrefix, ASCII 0x01..0x7f, NUL. */
int aml_string(struct aml *a, const char *s);
/* BufferOp PkgLength BufferSize bytes. */
int aml_buffer(struct aml *a, const void *p, size_t n);
int aml_local(struct aml *a, unsigned int n);	/* Local0..Local7 */
int aml_arg(struct aml *a, unsigned int n);	/* Arg0..Arg6 */
/* A one-byte opcode (AML_STORE_OP, AML_AND_OP, ...); operands follow. */
int aml_op(struct aml *a, u8 op);

/* ---- Named objects and statements */
/* NameOp NameString; the value follows. */
int aml_name(struct aml *a, const char *name);
/* StoreOp: then the source and the target. */
int aml_store(struct aml *a);
/* AndOp: then two operands and a target (aml_null_target for none). */
int aml_and(struct aml *a);
/* LEqualOp: then two operands. */
int aml_lequal(struct aml *a);
/* NotifyOp: then the object and the value. */
int aml_notify(struct aml *a);
int aml_null_target(struct aml *a);
/* OperationRegion (name, space, offset, length), complete. */
int aml_operation_region(struct aml *a, const char *name,
			 enum aml_region_space space, u64 offset, u64 len);

/* ---- Objects with a PkgLength: open, fill, aml_end() */
int aml_scope(struct aml *a, const char *path);
int aml_device(struct aml *a, const char *path);
/* nargs 0..7; serialized: the Serialized flag (sync level 0). */
int aml_method(struct aml *a, const char *path, unsigned int nargs,
	       bool serialized);
/* IfOp: the predicate, then the statements. */
int aml_if(struct aml *a);
/* PackageOp with nelem elements (0..255) that follow. */
int aml_package(struct aml *a, unsigned int nelem);
/* Field (region, flags): then aml_field_unit() for each unit. */
int aml_field(struct aml *a, const char *region, enum aml_field_access acc,
	      unsigned int flags);
/* A named field unit of bits bits; name NULL: reserved (skipped) bits. */
int aml_field_unit(struct aml *a, const char *name, u32 bits);
/* Close the innermost open object. */
int aml_end(struct aml *a);

/* ---- Resource templates (ACPI 6.x section 6.4): raw descriptors */
enum aml_rt_type { AML_RT_MEMORY = 0, AML_RT_IO = 1, AML_RT_BUS = 2 };
/* type-specific flags */
#define AML_RT_MEM_RW		(1u << 0)
#define AML_RT_MEM_CACHEABLE	(1u << 1)
#define AML_RT_IO_ENTIRE	3u		/* ISA and non-ISA ranges */
/* Extended Interrupt flags */
#define AML_RT_IRQ_CONSUMER	(1u << 0)
#define AML_RT_IRQ_EDGE		(1u << 1)
#define AML_RT_IRQ_LOW		(1u << 2)
#define AML_RT_IRQ_SHARED	(1u << 3)

/*
 * Word (size 2), DWord (4) or QWord (8) Address Space Descriptor: a
 * producer, positive decode, minimum and maximum fixed, granularity and
 * translation 0, length max - min + 1. -EINVAL if max < min or a value
 * does not fit the size.
 */
int aml_rt_address(struct aml *rt, unsigned int size, enum aml_rt_type type,
		   u8 type_flags, u64 min, u64 max);
/* IO (Decode16, min, max, align, len) */
int aml_rt_io(struct aml *rt, u16 min, u16 max, u8 align, u8 len);
int aml_rt_memory32_fixed(struct aml *rt, u32 base, u32 len, bool rw);
/* Extended Interrupt with one interrupt number. */
int aml_rt_interrupt(struct aml *rt, u32 irq, u8 flags);
/* End tag, checksum 0 ("the template is valid"). */
int aml_rt_end(struct aml *rt);

#endif /* SEVM_DEVICES_ACPI_AML_H */
