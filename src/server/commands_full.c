/* commands_full.c - placeholder until the commands route is split. */
#include "config.h"

typedef int commands_full_placeholder;
