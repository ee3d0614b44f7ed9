// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON config file: one object whose keys are the long option names.
 * Flags are JSON booleans, numbers JSON integers or strings ("256M"), the
 * rest strings. Each value goes through the same config_set() as the
 * command line, so the rules and messages are the same.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vmm/config-priv.h"
#include "vmm/json-check.h"
#include "lib/log.h"

#define CONFIG_JSON_MAX	(1u << 20)

static int line_of(const char *buf, size_t off)
{
	int line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

static int tokenize(const char *path, const char *buf, size_t len,
		    struct json_object **root)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error err;
	size_t end;

	if (!tok) {
		pr_err("config %s: out of memory", path);
		return -ENOMEM;
	}
	/* With the NUL counted, a bare literal at the end ("null") is
	 * complete instead of "continue". */
	*root = json_tokener_parse_ex(tok, buf, (int)len + 1);
	err = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (err == json_tokener_continue ||
	    err == json_tokener_error_parse_eof) {
		pr_err("config %s: not valid JSON: unexpected end of file",
		       path);
		return -EINVAL;
	}
	/* A NULL root with success is the JSON literal null. */
	if (err != json_tokener_success) {
		pr_err("config %s:%d: not valid JSON: %s", path,
		       line_of(buf, MIN(end, len)),
		       json_tokener_error_desc(err));
		json_object_put(*root);
		return -EINVAL;
	}
	/* A comment running to the end ("1//") is parsed through the NUL. */
	end = MIN(end, len);
	end += strspn(buf + end, " \t\r\n");
	if (end < len) {
		pr_err("config %s:%d: not valid JSON: data after the top-level value",
		       path, line_of(buf, end));
		json_object_put(*root);
		return -EINVAL;
	}
	return 0;
}

static int parse_file(const char *path, char **text, size_t *len)
{
	void *buf;
	int r;

	r = read_file(path, &buf, len, CONFIG_JSON_MAX);
	if (r) {
		pr_err("config %s: cannot read: %s", path,
		       r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
		return r;
	}
	/* NUL-terminated for the tokenizer and strspn(). */
	*text = realloc(buf, *len + 1);
	if (!*text) {
		free(buf);
		pr_err("config %s: out of memory", path);
		return -ENOMEM;
	}
	(*text)[*len] = '\0';
	return 0;
}

static const char *expected(const struct opt *o)
{
	if (o->flags & OPTF_COUNT)
		return "an integer";
	switch (o->kind) {
	case OPT_SIZE:
		return "an integer or a size string like \"256M\"";
	case OPT_UINT:
		return "an integer";
	case OPT_HEX32:
		return "an integer or a hex string like \"0x33\"";
	case OPT_FLAG:
		return "true or false";
	case OPT_TRISTATE:
		return "\"on\", \"off\" or a boolean";
	default:
		return "a string";
	}
}

static const char *int_text(const struct opt *o, struct json_object *v,
			    char buf[32])
{
	int64_t i = json_object_get_int64(v);

	if (i < 0)
		snprintf(buf, 32, "%" PRId64, i);
	else
		snprintf(buf, 32, o->kind == OPT_HEX32 ? "0x%" PRIx64 :
			 "%" PRIu64, json_object_get_uint64(v));
	return buf;
}

/* The value as config_set() text, or NULL for a JSON type that is wrong. */
static const char *value_text(const struct opt *o, struct json_object *v,
			      char buf[32])
{
	enum json_type t = json_object_get_type(v);
	bool numeric = o->kind == OPT_SIZE || o->kind == OPT_UINT ||
		       o->kind == OPT_HEX32;

	if (numeric && t == json_type_int)
		return int_text(o, v, buf);
	if ((o->kind == OPT_FLAG || o->kind == OPT_TRISTATE) &&
	    t == json_type_boolean)
		return json_object_get_boolean(v) ? "on" : "off";
	if (t == json_type_string && o->kind != OPT_FLAG)
		return json_object_get_string(v);
	return NULL;
}

static int load_key(struct vm_config *cfg, const char *path,
		    const char *key, struct json_object *v)
{
	const struct opt *o = config_find_opt(key, strlen(key));
	const char *hint, *text;
	char buf[32];

	if (!strcmp(key, "devices"))
		return config_json_devices(cfg, path, v);
	if (!o) {
		hint = config_suggest(key);
		if (hint)
			pr_err("config %s: unknown key \"%s\" (did you mean \"%s\"?)",
			       path, key, hint);
		else
			pr_err("config %s: unknown key \"%s\"", path, key);
		return -EINVAL;
	}
	if (o->flags & OPTF_CLI_ONLY) {
		pr_err("config %s: key \"%s\" is only valid on the command line",
		       path, key);
		return -EINVAL;
	}
	text = value_text(o, v, buf);
	if (!text) {
		pr_err("config %s: key \"%s\": expected %s", path, key,
		       expected(o));
		return -EINVAL;
	}
	return config_set(cfg, o, text, path);
}

int config_load_json_text(struct vm_config *cfg, const char *path,
			  const char *text, size_t len)
{
	struct json_object *root;
	int r;

	r = tokenize(path, text, len, &root);
	if (r)
		return r;
	if (!json_object_is_type(root, json_type_object)) {
		pr_err("config %s: the top level must be an object {...}, not %s",
		       path, json_type_to_name(json_object_get_type(root)));
		json_object_put(root);
		return -EINVAL;
	}
	json_object_object_foreach(root, key, val) {
		const char *why;

		/* "a.bin\u0000x" must not become "a.bin". */
		if (json_tree_check(val, &why, 0)) {
			pr_err("config %s: key \"%s\": a string in it %s",
			       path, key, why);
			r = -EINVAL;
			break;
		}
		r = load_key(cfg, path, key, val);
		if (r)
			break;
	}
	json_object_put(root);
	return r;
}

int config_load_json(struct vm_config *cfg, const char *path)
{
	size_t len;
	char *text;
	int r;

	r = parse_file(path, &text, &len);
	if (r)
		return r;
	r = config_load_json_text(cfg, path, text, len);
	free(text);
	return r;
}

/* One key of a device object, as the --device text would give it. */
static int device_key(struct devcfg_build *b, const char *key,
		      struct json_object *v)
{
	enum json_type t = json_object_get_type(v);
	char num[32];

	if (t == json_type_boolean)
		return devcfg_set(b, key, json_object_get_boolean(v) ? "on" :
				  "off");
	if (t == json_type_string)
		return devcfg_set(b, key, json_object_get_string(v));
	if (t == json_type_int) {
		snprintf(num, sizeof(num), "%" PRId64, json_object_get_int64(v));
		return devcfg_set(b, key, num);
	}
	pr_err("%s: key \"%s\": expected a string, a boolean or an integer", b->where,
	       key);
	return -EINVAL;
}

static int json_device(struct vm_config *cfg, const char *where,
		       struct json_object *obj)
{
	struct json_object *type;
	struct devcfg_build b;
	int r;

	if (!json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, "type", &type) ||
	    !json_object_is_type(type, json_type_string)) {
		pr_err("%s: expected an object with a \"type\" string",
		       where);
		return -EINVAL;
	}
	r = devcfg_begin(cfg, &b, json_object_get_string(type), where);
	if (r)
		return r;
	json_object_object_foreach(obj, key, val) {
		if (!strcmp(key, "type"))
			continue;
		r = device_key(&b, key, val);
		if (r) {
			devcfg_abort(&b);
			return r;
		}
	}
	return devcfg_end(cfg, &b);
}

int config_json_devices(struct vm_config *cfg, const char *path,
			struct json_object *list)
{
	char where[512];
	size_t i, n;
	int r;

	if (!json_object_is_type(list, json_type_array)) {
		pr_err("config %s: key \"devices\": expected a list [...]",
		       path);
		return -EINVAL;
	}
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "config %s: devices[%zu]", path,
			 i);
		r = json_device(cfg, where, json_object_array_get_idx(list, i));
		if (r)
			return r;
	}
	return 0;
}
