// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated platform's config file, DIR/platform.json (json-c). It
 * holds no key material; it is still written mode 0600 like the rest.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sev/emul/fw.h"
#include "sev/emul/platform.h"
#include "lib/log.h"

#define CONFIG_NAME	"platform.json"
#define CONFIG_MAX	(64 * 1024)

int emul_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

void emul_config_defaults(struct emul_config *cfg, unsigned int max_guests)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->api_major = EMUL_API_MAJOR;
	cfg->api_minor = EMUL_API_MINOR;
	cfg->build = EMUL_BUILD;
	cfg->max_guests = max_guests;
	cfg->keys_gen = 1;
}

static int add_int(struct json_object *o, const char *key, s64 v)
{
	struct json_object *n = json_object_new_int64(v);

	if (!n || json_object_object_add(o, key, n)) {
		json_object_put(n);
		return -ENOMEM;
	}
	return 0;
}

static int add_str(struct json_object *o, const char *key, const char *v)
{
	struct json_object *n = json_object_new_string(v);

	if (!n || json_object_object_add(o, key, n)) {
		json_object_put(n);
		return -ENOMEM;
	}
	return 0;
}

static int add_bool(struct json_object *o, const char *key, bool v)
{
	struct json_object *n = json_object_new_boolean(v);

	if (!n || json_object_object_add(o, key, n)) {
		json_object_put(n);
		return -ENOMEM;
	}
	return 0;
}

static int config_to_json(const struct emul_config *cfg,
			  struct json_object *o)
{
	char id[2 * EMUL_CHIP_ID_SIZE + 1];
	int r;

	hex_encode(cfg->chip_id, sizeof(cfg->chip_id), id);
	r = add_int(o, "api_major", cfg->api_major);
	r = r ?: add_int(o, "api_minor", cfg->api_minor);
	r = r ?: add_int(o, "build", cfg->build);
	r = r ?: add_int(o, "max_guests", cfg->max_guests);
	r = r ?: add_str(o, "owner", cfg->external ? "external" : "self");
	r = r ?: add_str(o, "state", cfg->initialised ? "INIT" : "UNINIT");
	r = r ?: add_bool(o, "config_es", cfg->es);
	r = r ?: add_int(o, "epoch", (s64)cfg->epoch);
	r = r ?: add_int(o, "keys_gen", (s64)cfg->keys_gen);
	r = r ?: add_str(o, "chip_id", id);
	return r;
}

int emul_config_save(const char *dir, const struct emul_config *cfg)
{
	struct json_object *o = json_object_new_object();
	char path[PATH_MAX];
	char text[2048];
	const char *s;
	int r, n;

	if (!o)
		return -ENOMEM;
	r = emul_path(path, sizeof(path), dir, CONFIG_NAME);
	r = r ?: config_to_json(cfg, o);
	if (!r) {
		s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_SPACED);
		n = s ? snprintf(text, sizeof(text), "%s\n", s) : -1;
		r = n < 0 || (size_t)n >= sizeof(text) ? -ENOMEM :
			write_file_atomic(path, text, (size_t)n, 0600);
	}
	json_object_put(o);
	if (r)
		pr_err("emulated PSP: writing %s failed: %s", path,
		       strerror(-r));
	return r;
}

static int get_int(struct json_object *o, const char *key, s64 min, s64 max,
		   s64 *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -EINVAL;
	*out = json_object_get_int64(v);
	return *out < min || *out > max ? -ERANGE : 0;
}

/* Returns 1 for the first choice, 0 for the second, -EINVAL otherwise. */
static int get_choice(struct json_object *o, const char *key,
		      const char *yes, const char *no)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return -EINVAL;
	s = json_object_get_string(v);
	if (!strcmp(s, yes))
		return 1;
	return strcmp(s, no) ? -EINVAL : 0;
}

static int get_bool(struct json_object *o, const char *key, bool *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return -EINVAL;
	*out = json_object_get_boolean(v);
	return 0;
}

static int get_chip_id(struct json_object *o, u8 *id)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, "chip_id", &v) ||
	    !json_object_is_type(v, json_type_string))
		return -EINVAL;
	return hex_decode(json_object_get_string(v), id, EMUL_CHIP_ID_SIZE);
}

static int config_from_json(struct json_object *o, struct emul_config *c)
{
	s64 v[6];
	int r, ext, init;
	bool es;

	r = get_int(o, "api_major", 0, 255, &v[0]);
	r = r ?: get_int(o, "api_minor", 0, 255, &v[1]);
	r = r ?: get_int(o, "build", 0, 255, &v[2]);
	r = r ?: get_int(o, "max_guests", 1, EMUL_MAX_GUESTS_LIMIT, &v[3]);
	r = r ?: get_bool(o, "config_es", &es);
	r = r ?: get_int(o, "epoch", 0, LLONG_MAX, &v[4]);
	r = r ?: get_int(o, "keys_gen", 0, LLONG_MAX, &v[5]);
	r = r ?: get_chip_id(o, c->chip_id);
	ext = get_choice(o, "owner", "external", "self");
	init = get_choice(o, "state", "INIT", "UNINIT");
	if (r || ext < 0 || init < 0)
		return r ?: -EINVAL;
	c->api_major = (u8)v[0];
	c->api_minor = (u8)v[1];
	c->build = (u8)v[2];
	c->max_guests = (u32)v[3];
	c->es = es;
	c->epoch = (u64)v[4];
	c->keys_gen = (u64)v[5];
	c->external = ext;
	c->initialised = init;
	return 0;
}

static struct json_object *parse_json(const char *buf, size_t len)
{
	struct json_tokener *tok;
	struct json_object *o;

	if (len > INT_MAX)
		return NULL;
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

int emul_config_load(const char *dir, struct emul_config *cfg)
{
	struct json_object *o = NULL;
	struct emul_config c;
	char path[PATH_MAX];
	size_t len;
	char *buf;
	int r;

	r = emul_path(path, sizeof(path), dir, CONFIG_NAME);
	r = r ?: read_file(path, (void **)&buf, &len, CONFIG_MAX);
	if (r == -ENOENT)
		return r;		/* the caller explains */
	if (r) {
		pr_err("emulated PSP: reading %s failed: %s", path,
		       strerror(-r));
		return r;
	}
	o = parse_json(buf, len);
	free(buf);
	memset(&c, 0, sizeof(c));
	r = o ? config_from_json(o, &c) : -EINVAL;
	json_object_put(o);
	if (r) {
		pr_err("emulated PSP: %s is malformed: %s", path, strerror(-r));
		return -EINVAL;
	}
	*cfg = c;
	return 0;
}
