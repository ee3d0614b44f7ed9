// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host side of virtio-vsock (see vsock-uds.h). The CONNECT line is
 * peeked and only its own bytes are consumed, so data a client sends
 * early stays in its socket. Sends never raise SIGPIPE.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "devices/virtio/vsock-uds.h"
#include "lib/log.h"

#define VSOCK_BACKLOG	16

static int uds_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, strlen(path));
	return 0;
}

/* Does a process listen on the socket at sa? (If unsure: yes.) */
static bool uds_live(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return true;
	live = !connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) ||
	       errno == EAGAIN;
	close(fd);
	return live;
}

/* Make way for our socket: only a stale socket is removed. */
static int uds_clear(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	if (uds_live(sa))
		return -EADDRINUSE;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

int vsock_uds_listen(const char *path, int *out, struct vsock_uds_id *id)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd, r = uds_addr(path, &sa);

	r = r ?: uds_clear(path, &sa);
	if (r)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old = umask(0177);	/* the socket file is created 0600 */
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(old);
	if (!r && (lstat(path, &st) || !S_ISSOCK(st.st_mode)))
		r = -EEXIST;
	if (!r && listen(fd, VSOCK_BACKLOG))
		r = -errno;
	if (r) {
		close(fd);
		return r;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	*out = fd;
	return 0;
}

void vsock_uds_unlink(const char *path, const struct vsock_uds_id *id)
{
	struct stat st;

	if (!lstat(path, &st) && S_ISSOCK(st.st_mode) &&
	    st.st_dev == id->dev && st.st_ino == id->ino)
		unlink(path);
}

int vsock_uds_connect(const char *path, u32 port, int *out)
{
	char p[sizeof(((struct sockaddr_un *)0)->sun_path) + 16];
	struct sockaddr_un sa;
	struct stat st;
	int fd, r;

	snprintf(p, sizeof(p), "%s_%u", path, port);
	r = uds_addr(p, &sa);
	if (r)
		return r;
	if (lstat(p, &st) || !S_ISSOCK(st.st_mode))
		return -ECONNREFUSED;	/* none, or not a socket itself */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		r = -errno;
		close(fd);
		return r;
	}
	*out = fd;
	return 0;
}

int vsock_uds_parse_connect(const char *line, size_t len, u32 *port)
{
	static const char pre[] = "CONNECT ";
	size_t i = sizeof(pre) - 1;
	u64 v = 0;

	if (len < i + 2 || memcmp(line, pre, i) || line[len - 1] != '\n')
		return -EINVAL;
	len--;
	if (line[len - 1] == '\r')
		len--;
	if (len <= i || len - i > 10)
		return -EINVAL;
	for (; i < len; i++) {
		if (line[i] < '0' || line[i] > '9')
			return -EINVAL;
		v = v * 10 + (u64)(line[i] - '0');
	}
	if (v >= 0xffffffffULL)		/* -1U is VMADDR_PORT_ANY */
		return -EINVAL;
	*port = (u32)v;
	return 0;
}

void vsock_accept(struct vsock *v)
{
	struct vsock_conn *c;
	int fd;

	for (;;) {
		fd = accept4(v->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0)
			return;
		c = vsock_conn_alloc(v, fd);
		if (!c) {
			close(fd);	/* the table is full: refused */
			v->dropped++;
			continue;
		}
		vsock_host_io(v, c);
	}
}

/* "CONNECT <port>\n" from a new host client. */
static void host_line(struct vsock *v, struct vsock_conn *c)
{
	char buf[VSOCK_LINE_MAX];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
	const char *nl;
	u32 port;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	nl = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL;
	if (!nl && n == (ssize_t)sizeof(buf))
		n = 0;				/* too long: refused */
	if (!nl && n > 0)
		return;				/* wait for the rest */
	if (n > 0) {
		n = nl - buf + 1;
		if (recv(c->fd, buf, (size_t)n, MSG_DONTWAIT) != n ||
		    vsock_uds_parse_connect(buf, (size_t)n, &port) ||
		    !v->running)
			n = 0;
	}
	if (n <= 0) {
		vsock_conn_close(v, c);
		return;
	}
	c->guest_port = port;
	c->host_port = vsock_alloc_port(v);
	c->state = VC_CONNECTING;
	c->need_request = true;
}

int vsock_host_ok(struct vsock_conn *c)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "OK %u\n", c->host_port);

	return send(c->fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) == n ?
	       0 : -EIO;
}

/* Is the host client of a connection not yet accepted gone? */
static void host_check_hup(struct vsock *v, struct vsock_conn *c)
{
	char b;

	if (!recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT))
		vsock_conn_reset(v, c);
}

/* Tell the guest when it may think our buffer is more than half full. */
static void credit_due(struct vsock_conn *c)
{
	u32 seen_used = c->rx_cnt - c->fwd_cnt_sent;

	if (c->fwd_cnt != c->fwd_cnt_sent && seen_used > VSOCK_BUF_ALLOC / 2)
		c->need_credit = true;
}

void vsock_host_flush(struct vsock *v, struct vsock_conn *c)
{
	ssize_t n;
	u32 chunk;

	while (c->ring_len && c->fd >= 0) {
		chunk = MIN(c->ring_len, VSOCK_BUF_ALLOC - c->ring_head);
		n = send(c->fd, c->ring + c->ring_head, chunk,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			vsock_conn_reset(v, c);
			return;
		}
		c->ring_head = (c->ring_head + (u32)n) % VSOCK_BUF_ALLOC;
		c->ring_len -= (u32)n;
		c->fwd_cnt += (u32)n;
	}
	credit_due(c);
	if (c->ring_len || c->fd < 0)
		return;
	if (c->state == VC_CLOSING) {
		vsock_conn_reset(v, c);
	} else if (c->guest_no_send && !c->shut_wr) {
		shutdown(c->fd, SHUT_WR);
		c->shut_wr = true;
	}
}

void vsock_host_read(struct vsock *v, struct vsock_conn *c)
{
	u32 want = MIN(vsock_peer_credit(c), (u32)VSOCK_CHUNK);
	ssize_t n;

	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;	/* all sent */
	if (c->state != VC_ESTABLISHED || c->fd < 0 || c->host_eof ||
	    c->out_len || !want || c->guest_no_rcv)
		return;
	do {
		n = recv(c->fd, c->out, want, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n > 0) {
		c->out_off = 0;
		c->out_len = (u32)n;
	} else if (!n) {
		c->host_eof = true;
	} else if (errno != EAGAIN) {
		vsock_conn_reset(v, c);
	}
}

void vsock_host_io(struct vsock *v, struct vsock_conn *c)
{
	if (c->dead || c->fd < 0)
		return;
	switch (c->state) {
	case VC_LINE:
		host_line(v, c);
		break;
	case VC_CONNECTING:
		host_check_hup(v, c);
		break;
	case VC_ESTABLISHED:
	case VC_CLOSING:
		vsock_host_flush(v, c);
		vsock_host_read(v, c);
		break;
	default:
		break;
	}
}
