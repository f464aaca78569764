/* settings.c (placeholder) */
#include "config.h"
