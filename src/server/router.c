#include "config.h"

#include "router.h"

#include <string.h>

bool router_match_pattern(const char *pattern, const char *path,
                          char params[API_MAX_PARAMS][API_PARAM_MAX], int *n_params)
{
	const char *p = pattern, *s = path;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);

			if (len == 0 || len >= API_PARAM_MAX || n == API_MAX_PARAMS)
				return false;
			memcpy(params[n], s, len);
			params[n][len] = '\0';
			n++;
			s += len;
			p = strchr(p, '}');
			if (!p)
				return false;
			p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*s == '/' && s[1] == '\0')   /* tolerate one trailing slash */
		s++;
	if (*p || *s)
		return false;
	*n_params = n;
	return true;
}

enum router_match router_find(const char *method, const char *path, struct api_call *c)
{
	char params[API_MAX_PARAMS][API_PARAM_MAX];
	bool path_known = false;
	int n;

	for (size_t i = 0; i < api_n_routes; i++) {
		if (!router_match_pattern(api_routes[i].pattern, path, params, &n))
			continue;
		path_known = true;
		if (strcmp(api_routes[i].method, method) != 0)
			continue;
		c->route = &api_routes[i];
		memcpy(c->params, params, sizeof(params));
		c->n_params = n;
		return ROUTER_FOUND;
	}
	return path_known ? ROUTER_NO_METHOD : ROUTER_NO_PATH;
}
