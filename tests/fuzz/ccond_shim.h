/* ccond_shim.h - what fuzz_ccond builds ccond's engine on instead of
 * libmicrohttpd: ccond_shim.c replaces src/server/http.c (http_query and
 * http_header read the fuzz input's own query and headers, http_start
 * only keeps the engine's struct http_app) and the three post processor
 * calls of routes_send_csv.c (a small multipart/form-data parser with
 * libmicrohttpd's calling convention). The fuzz target links no
 * libmicrohttpd at all. */
#ifndef CCON_FUZZ_CCOND_SHIM_H
#define CCON_FUZZ_CCOND_SHIM_H

#include "../../src/server/http.h"

#include <stddef.h>

/* Opaque to the engine (microhttpd.h only declares it): here, the
 * request's headers and query as the fuzz input gives them. */
struct MHD_Connection {
	const char **header_names, **header_values;   /* n_headers each */
	size_t n_headers;
	const char **query_keys, **query_values;      /* a value may be NULL */
	size_t n_query;
};

/* The application the engine gave http_start, NULL before ccond_start. */
const struct http_app *shim_http_app(void);

/* "%41b+c" -> "Ab c" (plus as blank only with plus), in place; a bad
 * escape stays as it is. */
void shim_url_decode(char *s, bool plus);

#endif
