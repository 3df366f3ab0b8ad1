/* confine.h — where the app may have a recording written: only inside recordings_folder
 * (jcfg), whatever `folder` and `filename` it passes (both may come from a client, as the
 * VideoCall's `filename` does). */
#ifndef JANUS_TS_CONFINE_H
#define JANUS_TS_CONFINE_H

/* The recording's folder and file name (without the .mjr Janus appends) for the app's
 * `folder` (NULL: base; relative: under base; absolute: must be inside base) and `filename`
 * (relative to the folder; absolute only without a folder). 0 with *dir and *file set
 * (g_free them), or -1 with *why (g_free it) when the result is outside base: `..` that
 * climbs out, an existing folder on the way that is a symlink leading out of base, or an
 * existing file at the recording's path that is a symlink or not a regular file. */
int ts_confine_recording(const char *base, const char *folder, const char *filename,
	char **dir, char **file, char **why);
#endif
