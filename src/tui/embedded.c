/* embedded.c (placeholder) */
#include "config.h"

#include "embedded.h"
