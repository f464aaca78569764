/* commands_reads.c - placeholder until the commands route is split. */
#include "config.h"

typedef int commands_reads_placeholder;
