/* model_focus.c (placeholder) */
#include "config.h"
