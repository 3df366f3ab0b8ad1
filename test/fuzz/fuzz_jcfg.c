/* fuzz_jcfg.c — libFuzzer target: host-c/jcfg.c, the loader of janus.plugin.ts.jcfg (every
 * key, numbers, octal modes, paths, the app_config file check, problems collected).
 * Janus's own config parser (libconfig, in the janus executable) is not ours: the file is
 * read by the fake core's line reader (test/harness/fake_janus.c), which hands any
 * `key = value` text over, so the loader sees every key and value the input makes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include "../../host-c/jcfg.h"

extern int janus_log_level;
static char *dir, *file;

static void cleanup(void)
{
	unlink(file);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	janus_log_level = getenv("FUZZ_LOG") ? atoi(getenv("FUZZ_LOG")) : 0;
	unsetenv("JANUS_TS_CONFIG_DIR");
	unsetenv("JANUS_TS_ROUTER");
	/* In memory (/dev/shm) where there is one: a file is written per input. */
	dir = g_strdup(g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm/janus-ts-fuzz-jcfg-XXXXXX" : "/tmp/janus-ts-fuzz-jcfg-XXXXXX");
	if (!g_mkdtemp(dir)) abort();
	file = g_build_filename(dir, TS_CONFIG_FILE, NULL);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(file, "w");	/* not g_file_set_contents: no fsync per input */
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
	ts_config c;
	int rc = ts_config_load(&c, dir);
	/* What the plugin relies on after a load: a router path (or rc < 0), a package and a
	 * name, limits inside their ranges (a bad value keeps its default). */
	if (rc == 0 && (!c.router || !*c.router)) __builtin_trap();
	if (!c.package || !c.name) __builtin_trap();
	if (c.max_sessions < 1 || c.max_routes < 1 || c.control_max_frame < 64 || c.control_queue_bytes < 1024 ||
			c.message_timeout_ms < 1 || c.query_timeout_ms < 1 || c.control_socket_mode > 07777 || c.max_threads > 4096)
		__builtin_trap();
	ts_config_clear(&c);
	return 0;
}
