/* dynamic_flow.c - placeholder: being written (issue 6). */
#include "config.h"

#include <ccon/dynamic_flow.h>
