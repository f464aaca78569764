/* export.c (placeholder) */
#include "config.h"
