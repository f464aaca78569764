/* statusbar.c (placeholder) */
#include "config.h"

#include "statusbar.h"
