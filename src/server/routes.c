/* The route table: every endpoint ccond answers. */
#include "config.h"

#include "api.h"
#include "routes_health.h"

const struct api_route api_routes[] = {
	{ "GET", "/v1/health", API_AUTH_NONE, api_health, NULL },
};

const size_t api_n_routes = sizeof(api_routes) / sizeof(api_routes[0]);
