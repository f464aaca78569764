#include "config.h"

#include <ccon/ccon.h>

const char *ccon_version(void)
{
	return PACKAGE_VERSION;
}
