#include "config.h"

/* placeholder: being written */
extern int ccon_placeholder_send_draft;
