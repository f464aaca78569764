/* model.c (placeholder) */
#include "config.h"
