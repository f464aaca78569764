/* campaigns.c - placeholder until implemented. */
#include "config.h"

typedef int campaigns_placeholder;
