/* sendjob.c - placeholder until implemented. */
#include "config.h"

typedef int sendjob_placeholder;
