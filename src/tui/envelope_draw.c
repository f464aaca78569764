/* envelope_draw.c - part of the envelope campaign editor (envelope.h). */
#include "config.h"

#include "envelope.h"
