/* retry.c - re-sending a campaign's failed recipients (placeholder). */
#include "config.h"

#include "retry.h"
