/* demo.c - placeholder until implemented. */
#include "config.h"

typedef int demo_placeholder;
