/* help.c (placeholder) */
#include "config.h"

#include "help.h"
