/* commands_delete.c - placeholder until the commands route is split. */
#include "config.h"

typedef int commands_delete_placeholder;
