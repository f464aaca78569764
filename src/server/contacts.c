/* contacts.c - placeholder until implemented. */
#include "config.h"

typedef int contacts_placeholder;
