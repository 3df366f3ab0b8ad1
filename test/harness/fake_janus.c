/* fake_janus.c — the janus_* helpers libjanus_ts.so imports, which inside a real Janus
 * come from the janus executable: log, config (a tiny "key = value" jcfg reader),
 * plugin_result, rtp reset, and recorders that print what they would save. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>
#include <debug.h>
#include <config.h>
#include <record.h>
#include <plugins/plugin.h>
#include "harness.h"

int janus_log_level = 4;
gboolean janus_log_timestamps = FALSE;
gboolean janus_log_colors = FALSE;
char *janus_log_global_prefix = NULL;
int refcount_debug = 0;

void janus_vprintf(const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fflush(stderr);
}

/* Config: every `key = value` line of the file becomes an item of category "general". */
janus_config *janus_config_parse(const char *file)
{
	gchar *text = NULL;
	if (!g_file_get_contents(file, &text, NULL, NULL)) return NULL;
	janus_config *c = g_new0(janus_config, 1);
	c->is_jcfg = TRUE;
	janus_config_container *g = g_new0(janus_config_container, 1);
	g->type = janus_config_type_category;
	g->name = g_strdup("general");
	gchar **lines = g_strsplit(text, "\n", -1);
	for (gchar **l = lines; *l; l++) {
		gchar **kv = g_strsplit(*l, "=", 2);
		if (kv[0] && kv[1]) {
			gchar *k = g_strstrip(kv[0]), *v = g_strstrip(kv[1]);
			size_t n = strlen(v);
			if (n >= 2 && v[0] == '"' && v[n - 1] == '"') { v[n - 1] = 0; v++; }
			janus_config_container *it = g_new0(janus_config_container, 1);
			it->type = janus_config_type_item;
			it->name = g_strdup(k);
			it->value = g_strdup(v);
			g->list = g_list_append(g->list, it);
		}
		g_strfreev(kv);
	}
	g_strfreev(lines);
	g_free(text);
	c->list = g_list_append(NULL, g);
	return c;
}

janus_config_container *janus_config_get(janus_config *config, janus_config_container *parent,
	janus_config_type type, const char *name)
{
	for (GList *l = parent ? parent->list : config->list; l; l = l->next) {
		janus_config_container *c = l->data;
		if (!strcmp(c->name, name) && (type == janus_config_type_any || c->type == type)) return c;
	}
	return NULL;
}

static void container_free(gpointer p)
{
	janus_config_container *c = p;
	g_list_free_full(c->list, container_free);
	g_free((char *)c->name);
	g_free((char *)c->value);
	g_free(c);
}

void janus_config_destroy(janus_config *config)
{
	g_list_free_full(config->list, container_free);
	g_free(config);
}

janus_plugin_result *janus_plugin_result_new(janus_plugin_result_type type, const char *text, json_t *content)
{
	janus_plugin_result *r = g_new0(janus_plugin_result, 1);
	r->type = type;
	r->text = text;
	r->content = content;
	return r;
}

void janus_plugin_result_destroy(janus_plugin_result *r)
{
	if (r->content) json_decref(r->content);
	g_free(r);
}

void janus_plugin_rtp_extensions_reset(janus_plugin_rtp_extensions *e)
{
	memset(e, 0, sizeof(*e));
	e->audio_level = -1;
	e->video_rotation = -1;
	e->min_delay = -1;
	e->max_delay = -1;
}

void janus_plugin_rtp_reset(janus_plugin_rtp *p)
{
	memset(p, 0, sizeof(*p));
	p->mindex = -1;
	janus_plugin_rtp_extensions_reset(&p->extensions);
}

/* Recorders: a struct with the file name; every call is printed. */
janus_recorder *janus_recorder_create_full(const char *dir, const char *codec, const char *fmtp, const char *filename)
{
	janus_recorder *r = g_new0(janus_recorder, 1);
	r->dir = g_strdup(dir);
	r->codec = g_strdup(codec);
	r->fmtp = g_strdup(fmtp);
	r->filename = g_strdup(filename);
	emit(json_pack("{ssssssss?}", "ev", "rec_create", "codec", codec, "file", filename, "dir", dir));
	return r;
}

int janus_recorder_save_frame(janus_recorder *r, char *buffer, uint length)
{
	json_t *o = json_pack("{sssssi}", "ev", "rec_save", "file", r->filename, "len", (int)length);
	if (length >= 12 && strcmp(r->codec, "text") && strcmp(r->codec, "binary"))
		json_object_set_new(o, "seq", json_integer(((uint8_t)buffer[2] << 8) | (uint8_t)buffer[3]));
	emit(o);
	return 0;
}

int janus_recorder_close(janus_recorder *r)
{
	emit(json_pack("{ssss}", "ev", "rec_close", "file", r->filename));
	return 0;
}

void janus_recorder_destroy(janus_recorder *r)
{
	g_free(r->dir); g_free(r->codec); g_free(r->fmtp); g_free(r->filename);
	g_free(r);
}
