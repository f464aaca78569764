/* commands_v2.c - placeholder until the commands route is split. */
#include "config.h"

typedef int commands_v2_placeholder;
