/* sanitize.c (placeholder) */
#include "config.h"
