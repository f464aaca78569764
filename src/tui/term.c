/* term.c (placeholder) */
#include "config.h"

#include "term.h"
