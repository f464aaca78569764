/* model_export.c (placeholder) */
#include "config.h"
