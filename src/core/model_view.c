/* model_view.c (placeholder) */
#include "config.h"
