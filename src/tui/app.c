/* app.c (placeholder) */
#include "config.h"

#include "app.h"
