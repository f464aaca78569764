/* commands_common.c - placeholder until the commands route is split. */
#include "config.h"

typedef int commands_common_placeholder;
