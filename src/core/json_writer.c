/* placeholder until implemented. */
#include "config.h"

#include <ccon/json_writer.h>

typedef int json_writer_placeholder;
