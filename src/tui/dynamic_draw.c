/* dynamic_draw.c - part of the dynamic audiences pane (dynamic.h). */
#include "config.h"

#include "dynamic.h"
