/* mouse.c (placeholder) */
#include "config.h"

#include "mouse.h"
