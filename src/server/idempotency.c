/* idempotency.c - placeholder until implemented. */
#include "config.h"

typedef int idempotency_placeholder;
