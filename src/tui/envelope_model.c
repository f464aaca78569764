/* envelope_model.c - part of the envelope campaign editor (envelope.h). */
#include "config.h"

#include "envelope.h"
