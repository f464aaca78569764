/* routes_health.h - GET /v1/health: is the server up, and which version. */
#ifndef CCOND_ROUTES_HEALTH_H
#define CCOND_ROUTES_HEALTH_H

#include "api.h"

void api_health(struct api_call *c);

#endif
