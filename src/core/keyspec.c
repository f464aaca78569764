/* keyspec.c (placeholder) */
#include "config.h"
