/* router.h - matches a method and path against the route table. */
#ifndef CCOND_ROUTER_H
#define CCOND_ROUTER_H

#include "api.h"

enum router_match { ROUTER_FOUND, ROUTER_NO_PATH, ROUTER_NO_METHOD };

/* Finds the route; on ROUTER_FOUND fills c->route and c->params. */
enum router_match router_find(const char *method, const char *path, struct api_call *c);

/* Does the path match the pattern ({name} matches one non-empty segment)?
 * Captured segments go to params (at most API_MAX_PARAMS). */
bool router_match_pattern(const char *pattern, const char *path,
                          char params[API_MAX_PARAMS][API_PARAM_MAX], int *n_params);

#endif
