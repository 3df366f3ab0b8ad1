/* jcfg.c — reads janus.plugin.ts.jcfg (group `general`) with Janus's config parser
 * (janus_config_parse/get/destroy: the only config helpers used, so a harness can
 * supply them) and applies environment overrides. A value that cannot work keeps its
 * default and is described in ts_config.problem (the plugin then refuses requests). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <pwd.h>
#include <glib.h>
#include <config.h>
#include "jcfg.h"
#include "log.h"
#include "router_abi.h"

static const char *item(janus_config *jc, janus_config_category *general, const char *key)
{
	janus_config_item *it = janus_config_get(jc, general, janus_config_type_item, key);
	return it && it->value ? it->value : NULL;
}

static void set_str(char **dst, const char *value)
{
	if (!value) return;
	g_free(*dst);
	*dst = *value ? g_strdup(value) : NULL;
}

/* Logs one invalid value and appends it to c->problem ("; "-separated). */
static void problem(ts_config *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void problem(ts_config *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	TS_LOG(LOG_ERR, "%s\n", text);
	char *joined = c->problem ? g_strdup_printf("%s; %s", c->problem, text) : g_strdup(text);
	g_free(c->problem);
	g_free(text);
	c->problem = joined;
}

/* Unsigned number in [min, max], decimal (or 0x hex); a file mode is always octal, with
 * or without its leading 0 (libconfig hands an unquoted 0600 over as "600"). */
static int set_uint(ts_config *c, const char *key, const char *value, unsigned long min, unsigned long max, unsigned long *out)
{
	if (!value) return 0;
	char *end = NULL;
	errno = 0;
	bool mode = strstr(key, "_mode") != NULL;
	int base = mode ? 8 : (value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) ? 16 : 10;
	unsigned long v = strtoul(value, &end, base);
	if (errno || end == value || *end || v < min || v > max || value[0] == '-') {
		if (mode)
			problem(c, "janus.plugin.ts.jcfg: %s = \"%s\" is not an octal file mode in [0000, %04lo] (write it like \"0660\")",
				key, value, max);
		else
			problem(c, "janus.plugin.ts.jcfg: %s = \"%s\" is not a number in [%lu, %lu]", key, value, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* An app_config starting with '/' names a file the app reads (as janus_lua's `config`):
 * Janus (whose user runs app_command) must be able to read it. Anything else is handed
 * over as is. */
static void check_app_config(ts_config *c)
{
	const char *path = c->app_config;
	if (!path || path[0] != '/') return;
	const char *why = NULL;
	if (access(path, R_OK) < 0) why = g_strerror(errno);
	else if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) why = "not a regular file";
	if (why)
		problem(c, "janus.plugin.ts.jcfg: app_config = \"%s\" cannot be read (%s); an app_config starting with / "
			"names a file for the app: create it, or fix the path", path, why);
}

/* control_allowed_uids: numbers or user names, separated by commas or spaces. */
static void set_uids(ts_config *c, const char *value)
{
	if (!value) return;
	gchar **parts = g_strsplit_set(value, ", \t", -1);
	unsigned n = 0;
	bool ok = true;
	for (gchar **p = parts; *p && ok; p++) {
		if (!**p) continue;
		char *end = NULL;
		errno = 0;
		unsigned long v = strtoul(*p, &end, 10);
		struct passwd pw, *found = NULL;
		char buf[1024];
		if (!errno && end != *p && !*end && **p != '-' && v < (uid_t)-1) {
			/* a number */
		} else if (getpwnam_r(*p, &pw, buf, sizeof(buf), &found) == 0 && found) {
			v = found->pw_uid;
		} else {
			ok = false;
			break;
		}
		if (n == TS_MAX_ALLOWED_UIDS) { ok = false; break; }
		c->control_allowed_uids[n++] = (uid_t)v;
	}
	g_strfreev(parts);
	if (!ok || n == 0)
		problem(c, "janus.plugin.ts.jcfg: control_allowed_uids = \"%s\" is not a list of at most %d user ids or "
			"names (write it like \"0, 1000, janus\")", value, TS_MAX_ALLOWED_UIDS);
	else
		c->n_control_allowed_uids = n;
}

/* recordings_folder: an absolute path (recordings go only under it, recorder.c). */
static void set_recordings(ts_config *c, const char *value)
{
	if (!value) return;
	if (value[0] != '/') {
		problem(c, "janus.plugin.ts.jcfg: recordings_folder = \"%s\" is not an absolute path", value);
		return;
	}
	set_str(&c->recordings_folder, value);
}

static bool is_true(const char *v)
{
	return !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on");
}

static void apply(ts_config *c, janus_config *jc, janus_config_category *g)
{
	unsigned long v;
	set_str(&c->router, item(jc, g, "router"));
	set_str(&c->package, item(jc, g, "package"));
	set_str(&c->name, item(jc, g, "name"));
	set_str(&c->control_socket, item(jc, g, "control_socket"));
	set_str(&c->control_token, item(jc, g, "control_token"));
	set_str(&c->app_command, item(jc, g, "app_command"));
	set_str(&c->app_config, item(jc, g, "app_config"));
#define NUM(key, min, max, field) \
	v = c->field; if (set_uint(c, #key, item(jc, g, #key), min, max, &v) == 0) c->field = v;
	NUM(max_sessions, 1, TS_MAX_SESSIONS_LIMIT, max_sessions)
	NUM(max_routes, 1, TS_MAX_ROUTES_LIMIT, max_routes)
	NUM(max_threads, 0, 4096, max_threads)
	NUM(pli_min_interval_ms, 0, 3600000, pli_min_interval_ms)
	NUM(max_forwarders, 0, TS_MAX_FORWARDERS_LIMIT, max_forwarders)
	NUM(control_socket_mode, 0, 07777, control_socket_mode)
	NUM(control_max_rate, 0, 10000000, control_max_rate)
	NUM(control_max_frame, 64, 64u << 20, control_max_frame)
	NUM(control_queue_bytes, 1024, 1u << 30, control_queue_bytes)
	NUM(message_timeout_ms, 1, 600000, message_timeout_ms)
	NUM(query_timeout_ms, 1, 600000, query_timeout_ms)
	NUM(setup_timeout_ms, 0, 60000, setup_timeout_ms)
#undef NUM
	set_uids(c, item(jc, g, "control_allowed_uids"));
	set_recordings(c, item(jc, g, "recordings_folder"));
	const char *ev = item(jc, g, "events");
	if (ev) c->events = is_true(ev);
	check_app_config(c);
}

int ts_config_load(ts_config *c, const char *config_dir)
{
	memset(c, 0, sizeof(*c));
	c->router = g_strdup(TS_DEFAULT_ROUTER);
	c->package = g_strdup(TS_DEFAULT_PACKAGE);
	c->name = g_strdup(TS_DEFAULT_NAME);
	c->max_sessions = 1024;
	c->max_routes = 64;
	c->pli_min_interval_ms = 1000;
	c->max_forwarders = 256;
	c->control_socket_mode = 0600;
	c->control_max_rate = 10000;
	c->recordings_folder = g_strdup(TS_DEFAULT_RECORDINGS);
	c->control_max_frame = 1 << 20;
	c->control_queue_bytes = 8 << 20;
	c->message_timeout_ms = 5000;
	c->query_timeout_ms = 1000;
	c->setup_timeout_ms = TS_SETUP_TIMEOUT_DEFAULT;
	c->events = true;

	const char *dir = getenv("JANUS_TS_CONFIG_DIR");
	if (!dir || !*dir) dir = config_dir;
	int rc = 0;
	if (dir) {
		char *file = g_build_filename(dir, TS_CONFIG_FILE, NULL);
		if (g_file_test(file, G_FILE_TEST_EXISTS)) {
			janus_config *jc = janus_config_parse(file);
			if (!jc) {
				problem(c, "could not parse %s (Janus's config parser said where, above)", file);
			} else {
				janus_config_category *g = janus_config_get(jc, NULL, janus_config_type_category, "general");
				if (g) apply(c, jc, g);
				janus_config_destroy(jc);
			}
		} else {
			TS_LOG(LOG_WARN, "no %s, using defaults\n", file);
		}
		g_free(file);
	}
	const char *router = getenv("JANUS_TS_ROUTER");
	if (router && *router) set_str(&c->router, router);
	if (!c->package) c->package = g_strdup(TS_DEFAULT_PACKAGE);
	if (!c->name) c->name = g_strdup(TS_DEFAULT_NAME);
	if (!c->router) {
		TS_LOG(LOG_ERR, "janus.plugin.ts.jcfg: router (path to router.wasm) is empty\n");
		rc = -1;
	}
	return rc;
}

void ts_config_clear(ts_config *c)
{
	g_free(c->router); g_free(c->package); g_free(c->name);
	g_free(c->control_socket); g_free(c->control_token);
	g_free(c->app_command); g_free(c->app_config); g_free(c->recordings_folder);
	g_free(c->problem);
	memset(c, 0, sizeof(*c));
}
