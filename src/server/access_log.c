#include "config.h"

/* placeholder: being written */
extern int ccon_placeholder_access_log;
