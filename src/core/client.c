/* client.c (placeholder) */
#include "config.h"
