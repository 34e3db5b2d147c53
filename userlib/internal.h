/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libmultios_hv - helpers private to the library.
 *
 * Nothing here is part of the public API: the symbols are hidden in
 * libmultios_hv.so. The unit tests link the static library and may use
 * them.
 */
#ifndef _MHV_INTERNAL_H
#define _MHV_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MHV_HIDDEN	__attribute__((visibility("hidden")))

/* ---- ioctl ------------------------------------------------------------- */

/**
 * mhv_ioctl() - ioctl(2) with the library's return convention.
 * @fd:  system, VM or vCPU fd
 * @cmd: MHV_* ioctl number
 * @arg: its argument (a pointer as an integer, or a value)
 *
 * Return: the ioctl's non-negative result, or -errno.
 */
MHV_HIDDEN int mhv_ioctl(int fd, unsigned long cmd, unsigned long arg);

/*
 * The size of a run page (MHV_GET_RUN_SIZE), 0 until known: remembered by
 * mhv_get_run_size(), asked by mhv_map_run() when nobody asked yet.
 * Accessed with __atomic builtins (any thread may map a run page).
 */
MHV_HIDDEN extern int mhv_run_size;

/* ---- bounded output (out.c) -------------------------------------------- */

/*
 * An snprintf-style output buffer: writes stop at the end of the buffer
 * (which always stays NUL-terminated when @len > 0), but @pos keeps
 * counting, so the caller learns the length the whole text needs.
 */
struct mhv_out {
	char *buf;
	size_t len;
	size_t pos;
};

MHV_HIDDEN void mhv_out_init(struct mhv_out *o, char *buf, size_t len);
MHV_HIDDEN void mhv_out_printf(struct mhv_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append @n bytes of @s (which may contain anything but NUL). */
MHV_HIDDEN void mhv_out_write(struct mhv_out *o, const char *s, size_t n);
MHV_HIDDEN void mhv_out_putc(struct mhv_out *o, char c);
/* The length needed (without the NUL), or -EOVERFLOW past INT_MAX. */
MHV_HIDDEN int mhv_out_done(struct mhv_out *o);

/* ---- JSON (json.c) ----------------------------------------------------- */

/**
 * mhv_json_string() - append @s as a JSON string literal, with quotes.
 * @o: output
 * @s: NUL-terminated text; NULL is written as null
 *
 * Escapes as RFC 8259 requires: '"' and '\\', the control characters
 * (\b \f \n \r \t, others and DEL as \u00XX). Valid UTF-8 is copied as
 * is; each byte that does not start a valid UTF-8 sequence (stray
 * continuation bytes, overlong forms, surrogates, > U+10FFFF, a sequence
 * cut short) becomes \ufffd, so the output is always valid JSON.
 */
MHV_HIDDEN void mhv_json_string(struct mhv_out *o, const char *s);
/* The same for at most @max bytes of @s (fixed-size fields). */
MHV_HIDDEN void mhv_json_string_n(struct mhv_out *o, const char *s,
				  size_t max);

#define MHV_JSON_MAX_DEPTH	32

/*
 * A JSON writer over a struct mhv_out: it places the commas and keys.
 * Every value function takes the member's @key inside an object, NULL
 * inside an array or at the top level. Output is one line:
 *   {"a": 1, "b": [true, null], "c": {"d": "x"}}
 */
struct mhv_json {
	struct mhv_out *out;
	unsigned int depth;		/* open objects and arrays */
	uint32_t has_items;		/* bit d: container d has a member */
	int err;			/* -EINVAL: unbalanced or too deep */
};

MHV_HIDDEN void mhv_json_init(struct mhv_json *j, struct mhv_out *out);
MHV_HIDDEN void mhv_json_begin_object(struct mhv_json *j, const char *key);
MHV_HIDDEN void mhv_json_end_object(struct mhv_json *j);
MHV_HIDDEN void mhv_json_begin_array(struct mhv_json *j, const char *key);
MHV_HIDDEN void mhv_json_end_array(struct mhv_json *j);
MHV_HIDDEN void mhv_json_str(struct mhv_json *j, const char *key,
			     const char *val);
MHV_HIDDEN void mhv_json_strn(struct mhv_json *j, const char *key,
			      const char *val, size_t max);
MHV_HIDDEN void mhv_json_uint(struct mhv_json *j, const char *key,
			      uint64_t val);
MHV_HIDDEN void mhv_json_int(struct mhv_json *j, const char *key,
			     int64_t val);
MHV_HIDDEN void mhv_json_bool(struct mhv_json *j, const char *key, bool val);
MHV_HIDDEN void mhv_json_null(struct mhv_json *j, const char *key);
/* 0 when every container was closed, else -EINVAL. */
MHV_HIDDEN int mhv_json_finish(struct mhv_json *j);

/* ---- guest exceptions (guest_ex.c) ------------------------------------ */

struct mhv_guest;
struct mhv_sregs;

/* Does the CPU push an error code for exception @vector? */
MHV_HIDDEN bool mhv_ex_has_error_code(unsigned int vector);
/* Guest address of the IDT stub of @vector (0 .. 255). */
MHV_HIDDEN uint64_t mhv_ex_stub_addr(unsigned int vector);
/* Byte stride between two stubs (the stubs are an array). */
#define MHV_EX_STUB_SIZE	16

/*
 * A 64-bit interrupt gate (16 bytes, as two little-endian quadwords) to
 * @handler through code selector @sel, stack table entry @ist (0: none)
 * and descriptor privilege level @dpl.
 */
MHV_HIDDEN void mhv_idt_gate(uint64_t gate[2], uint64_t handler, uint16_t sel,
			     unsigned int ist, unsigned int dpl);
/* A 104-byte 64-bit TSS with RSP0 and IST1 set, no I/O bitmap. */
#define MHV_TSS64_SIZE		104
MHV_HIDDEN void mhv_tss64_init(uint8_t *tss, uint64_t rsp0, uint64_t ist1);

/* What mhv_guest_setup_idt()/enable_user() add to vCPU @i's sregs. */
MHV_HIDDEN void mhv_guest_apply_options(const struct mhv_guest *g,
					unsigned int i, struct mhv_sregs *s);

/* ---- shared by guest.c and loader.c ----------------------------------- */

struct mhv_segment;

/*
 * The GDT (MHV_GUEST_GDT: null, 64-bit code 0x08, data 0x10) and the
 * identity page tables of the first 4 GiB (MHV_GUEST_PT, 6 pages, 2 MiB
 * pages) that mhv_guest_long_mode_sregs() points to, written into the
 * guest memory at @mem (at least MHV_GUEST_PT + 0x6000 bytes).
 */
MHV_HIDDEN void mhv_long_mode_tables(uint8_t *mem);

struct mhv_image;
struct mhv_image_segment;
struct mhv_regs;
struct mhv_sregs;

/* loader.c for linux.c: refuse an image (always -ENOEXEC), add a segment */
MHV_HIDDEN int __attribute__((format(printf, 3, 4)))
mhv_image_refuse(struct mhv_image *img, int error, const char *fmt, ...);
MHV_HIDDEN int mhv_image_add_segment(struct mhv_image *img, const char *what,
				     const struct mhv_image_segment *s,
				     uint64_t limit);
/* linux.c: the bzImage format of mhv_image_parse/load/boot_state */
MHV_HIDDEN int mhv_linux_detect(const struct mhv_image *img);
MHV_HIDDEN int mhv_linux_parse(struct mhv_image *img);
MHV_HIDDEN int mhv_linux_load(const struct mhv_image *img, uint8_t *mem);
MHV_HIDDEN int mhv_linux_boot_state(const struct mhv_image *img,
				    struct mhv_regs *regs,
				    struct mhv_sregs *sregs);
/* A present flat segment: base 0, limit 4 GiB (G=1), S=1, DPL 0. */
MHV_HIDDEN void mhv_flat_segment(struct mhv_segment *s, uint16_t sel,
				 uint8_t type, uint8_t l, uint8_t db);

#endif /* _MHV_INTERNAL_H */
