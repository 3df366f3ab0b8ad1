/* confine.c — see confine.h. The path is resolved lexically first (`.`, `..`, repeated
 * slashes), then checked against what exists on disk: the deepest existing folder on the way
 * must resolve (realpath) inside base's own resolution, and the file must not be a symlink.
 * What Janus then creates (janus_mkdir, fopen) is below that folder. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <glib.h>
#include "confine.h"

/* `path` (absolute) with `.`, `..` and empty components removed. */
static char *normalize(const char *path)
{
	gchar **parts = g_strsplit(path, "/", -1);
	GPtrArray *kept = g_ptr_array_new();
	for (gchar **p = parts; *p; p++) {
		if (!**p || !strcmp(*p, ".")) continue;
		if (!strcmp(*p, "..")) {
			if (kept->len) g_ptr_array_remove_index(kept, kept->len - 1);
			continue;
		}
		g_ptr_array_add(kept, *p);
	}
	g_ptr_array_add(kept, NULL);
	char *joined = g_strjoinv("/", (gchar **)kept->pdata);
	char *out = g_strconcat("/", joined, NULL);
	g_free(joined);
	g_ptr_array_free(kept, TRUE);
	g_strfreev(parts);
	return out;
}

/* Whether `path` is `dir` or below it (both normalized). */
static gboolean inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1) return TRUE;	/* "/" */
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* The realpath of the deepest folder of `path` that exists (its ancestors, up to "/"). */
static char *existing_real(const char *path)
{
	char *p = g_strdup(path);
	for (;;) {
		char *real = realpath(p, NULL);
		if (real || errno != ENOENT || !strcmp(p, "/")) {
			g_free(p);
			char *r = real ? g_strdup(real) : NULL;
			free(real);
			return r;
		}
		char *up = g_path_get_dirname(p);
		g_free(p);
		p = up;
	}
}

/* Symlinks on the way: the deepest existing folder of dir must resolve inside base's resolution. */
static int check_disk(const char *base, const char *dir, const char *file, char **why)
{
	char *rbase = existing_real(base), *rdir = existing_real(dir);
	int rc = 0;
	if (!rbase || !rdir || !inside(rdir, rbase)) {
		*why = g_strdup_printf("%s leads outside the recordings folder %s (a symlink on the way)", dir, base);
		rc = -1;
	}
	char *target = g_strdup_printf("%s/%s.mjr", dir, file);
	struct stat st;
	if (rc == 0 && lstat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
		*why = g_strdup_printf("%s exists and is not a regular file (a symlink?)", target);
		rc = -1;
	}
	g_free(target);
	g_free(rbase);
	g_free(rdir);
	return rc;
}

int ts_confine_recording(const char *base, const char *folder, const char *filename,
	char **dir, char **file, char **why)
{
	*dir = *file = *why = NULL;
	if (!base || base[0] != '/' || !filename || !*filename) {
		*why = g_strdup("no recordings folder, or no filename");
		return -1;
	}
	char *nbase = normalize(base), *joined;
	if (folder && *folder)
		joined = g_strconcat(folder[0] == '/' ? "" : nbase, "/", folder, "/", filename, NULL);
	else
		joined = filename[0] == '/' ? g_strdup(filename) : g_strconcat(nbase, "/", filename, NULL);
	char *full = normalize(joined);
	int rc = -1;
	if (!inside(full, nbase) || !strcmp(full, nbase)) {
		*why = g_strdup_printf("'%s%s%s' is outside the recordings folder %s (recordings_folder in janus.plugin.ts.jcfg)",
			folder && *folder ? folder : "", folder && *folder ? "' + '" : "", filename, nbase);
	} else {
		*dir = g_path_get_dirname(full);
		*file = g_path_get_basename(full);
		rc = check_disk(nbase, *dir, *file, why);
	}
	if (rc < 0) {
		g_clear_pointer(dir, g_free);
		g_clear_pointer(file, g_free);
	}
	g_free(joined);
	g_free(full);
	g_free(nbase);
	return rc;
}
