/* draw.c (placeholder) */
#include "config.h"

#include "draw.h"
