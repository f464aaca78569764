/* theme.c (placeholder) */
#include "config.h"
