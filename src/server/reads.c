/* reads.c - placeholder until implemented. */
#include "config.h"

typedef int reads_placeholder;
