/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host side of virtio-vsock: the listening UNIX socket, the
 * "CONNECT <port>\n" / "OK <hostport>\n" handshake, the sockets
 * "<uds>_<port>" of guest-initiated connections, and the relay between
 * a connection's host socket and its bounded buffers (vsock-conn.h).
 * Every socket is nonblocking; nothing here waits.
 */
#ifndef SEVM_VIRTIO_VSOCK_UDS_H
#define SEVM_VIRTIO_VSOCK_UDS_H

#include <sys/types.h>

#include "devices/virtio/vsock-conn.h"

struct vsock_uds_id {
	dev_t dev;
	ino_t ino;
};

/*
 * Listen on path (mode 0600). A live socket, a symlink or any other file
 * already there: -EADDRINUSE, -ELOOP, -EEXIST; a stale socket (nobody
 * listening) is replaced. *id names the socket file for removal.
 */
int vsock_uds_listen(const char *path, int *fd, struct vsock_uds_id *id)
	__must_check;
/* Remove path if it is still the socket file we created. */
void vsock_uds_unlink(const char *path, const struct vsock_uds_id *id);
/* Connect to "<path>_<port>" (a socket, never through a symlink). */
int vsock_uds_connect(const char *path, u32 port, int *fd) __must_check;
/* "CONNECT <port>\n" (a trailing "\r" allowed): 0 and *port, -EINVAL. */
int vsock_uds_parse_connect(const char *line, size_t len, u32 *port)
	__must_check;

/* Accept pending host clients (refused beyond VSOCK_MAX_CONNS). */
void vsock_accept(struct vsock *v);
/* Everything that can move now on c's socket, both ways. */
void vsock_host_io(struct vsock *v, struct vsock_conn *c);
/* Write the ring to the host socket; advance fwd_cnt. */
void vsock_host_flush(struct vsock *v, struct vsock_conn *c);
/*
 * Read one chunk from the host if the guest has credit and out[] is
 * empty (all sent counts as empty: so never between vsock_next_packet
 * and the copy of the payload it returned).
 */
void vsock_host_read(struct vsock *v, struct vsock_conn *c);
/* The guest accepted a host-initiated connection: "OK <port>\n". */
int vsock_host_ok(struct vsock_conn *c) __must_check;

#endif /* SEVM_VIRTIO_VSOCK_UDS_H */
