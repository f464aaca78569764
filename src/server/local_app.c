/* local_app.c (placeholder) */
#include "config.h"

#include "ccond.h"
