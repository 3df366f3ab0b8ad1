/* globals.c — see globals.h. */
#include "globals.h"

janus_callbacks *ts_gateway;
janus_plugin *ts_self;
ts_config ts_cfg;
_Atomic int ts_running;

