/* keys.c (placeholder) */
#include "config.h"

#include "keys.h"
