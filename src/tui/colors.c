/* colors.c (placeholder) */
#include "config.h"

#include "colors.h"
