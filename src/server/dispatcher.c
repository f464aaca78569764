/* dispatcher.c - placeholder until implemented. */
#include "config.h"

typedef int dispatcher_placeholder;
