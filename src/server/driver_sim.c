/* driver_sim.c - placeholder until implemented. */
#include "config.h"

typedef int driver_sim_placeholder;
