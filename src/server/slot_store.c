/* slot_store.c - placeholder until implemented. */
#include "config.h"

typedef int slot_store_placeholder;
