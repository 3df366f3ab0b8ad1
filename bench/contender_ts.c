#include "bench.h"
contender *contender_ts_new(const char *lib, const char *confdir, const char *socket_path) { return NULL; }
