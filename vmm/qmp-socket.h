/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The QMP listening socket (--qmp PATH): mode 0600 whatever the umask, or
 * 0660 with a group (--qmp-group). An existing PATH is replaced only if
 * it is a socket nobody listens on (connect() refused: left by a sevm
 * that died); a live socket or any other file is refused.
 */
#ifndef SEVM_QMP_SOCKET_H
#define SEVM_QMP_SOCKET_H

#include <sys/types.h>

/* The group of sockets created from now on; (gid_t)-1: none, 0600. */
void qmp_socket_set_group(gid_t gid);
/*
 * Bind and listen at path. Returns the listening fd (non-blocking,
 * close-on-exec) or -ENAMETOOLONG, -EEXIST (not a socket), -EADDRINUSE
 * (a live socket), or the -errno of socket/bind/listen/chmod.
 */
int qmp_socket_listen(const char *path, int backlog);

/*
 * Remove the socket at path: through the directory opened when it was
 * made (so also after --chroot), and only while it is still a socket.
 */
void qmp_socket_unlink(const char *path);

#endif /* SEVM_QMP_SOCKET_H */
