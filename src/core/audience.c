/* audience.c (placeholder) */
#include "config.h"
