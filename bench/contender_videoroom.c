#include "bench.h"
contender *contender_videoroom_new(const char *lib, const char *confdir) { return NULL; }
