#include "config.h"

#include "http.h"

#include "access_log.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static struct access_log *access_log;

void http_set_access_log(struct access_log *log)
{
	access_log = log;
}

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_app app;
	size_t max_body;
	uint16_t port;
};

const char *http_query(const struct http_request *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static int64_t now_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void request_free(struct http_request *req)
{
	if (!req)
		return;
	if (req->route_state_free)
		req->route_state_free(req->route_state);
	ccon_strbuf_free(&req->body);
	free(req->raw_uri);
	free(req);
}

/* MHD's first sight of a request (the request line): its record starts
 * here, so the log has the query as written and the time from the start. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_request *req = calloc(1, sizeof(*req));

	(void)cls;
	if (!req)
		return NULL;
	req->conn = conn;
	req->start_unix_us = now_us(CLOCK_REALTIME);
	req->start_mono_us = now_us(CLOCK_MONOTONIC);
	if (access_log)
		req->raw_uri = strdup(uri);
	return req;
}

static void log_request(const struct http_request *req, enum MHD_RequestTerminationCode code)
{
	struct access_log_entry e = { 0 };

	e.start_unix_us = req->start_unix_us;
	e.method = req->method;
	e.uri = req->raw_uri ? req->raw_uri : req->path;
	e.status = req->status;
	e.bytes = req->answer_bytes;
	e.duration_us = now_us(CLOCK_MONOTONIC) - req->start_mono_us;
	e.incomplete = code != MHD_REQUEST_TERMINATED_COMPLETED_OK;
	access_log_write(access_log, &e);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)conn;
	if (access_log && *con_cls)
		log_request(*con_cls, code);
	request_free(*con_cls);
	*con_cls = NULL;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct http_response *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len = resp->body.len;
	char *body = ccon_strbuf_detach(&resp->body);

	if (!body)
		return MHD_NO;
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        resp->content_type ? resp->content_type
	                                           : "application/json; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(conn, resp->status ? resp->status : 500, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	struct http_server *srv = cls;
	struct http_request *req = *con_cls;
	struct http_response resp;
	enum MHD_Result ret;

	(void)version;
	if (!req) {
		req = on_uri(NULL, url, conn);
		if (!req)
			return MHD_NO;
		*con_cls = req;
	}
	if (!req->begun) {
		req->begun = true;
		req->method = method;
		req->path = url;
		req->content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                                 MHD_HTTP_HEADER_CONTENT_TYPE);
		req->authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                                 MHD_HTTP_HEADER_AUTHORIZATION);
		req->idempotency_key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                                   "Idempotency-Key");
		*con_cls = req;
		srv->app.begin(srv->app.ctx, req);
		return MHD_YES;
	}
	if (*upload_data_size) {
		http_request_chunk(&srv->app, req, upload_data, *upload_data_size, srv->max_body);
		*upload_data_size = 0;
		return MHD_YES;
	}
	resp.status = 500;
	resp.content_type = NULL;
	ccon_strbuf_init(&resp.body);
	srv->app.end(srv->app.ctx, req, &resp);
	req->status = resp.status ? resp.status : 500;
	req->answer_bytes = resp.body.len;
	ret = send_response(conn, &resp);
	ccon_strbuf_free(&resp.body);
	return ret;
}

static int parse_address(const char *host, uint16_t port, struct sockaddr_storage *ss,
                         socklen_t *len, bool *ipv6, struct ccon_error *err)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		*len = sizeof(*in4);
		*ipv6 = false;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		*ipv6 = true;
		return 0;
	}
	return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
	                      "'%s' is not an IP address (write 127.0.0.1 or [::1])", host);
}

int http_start(const struct http_config *cfg, const struct http_app *app,
               struct http_server **out, struct ccon_error *err)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	struct http_server *srv;
	/* poll, not epoll: libmicrohttpd 0.9.75 can abort in MHD_quiesce_daemon
	 * when a pool worker took its listen socket out of its epoll set at the
	 * same moment ("Failed to remove listen FD from epoll set"). */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC |
	                 MHD_USE_ERROR_LOG;
	socklen_t len = 0;
	bool ipv6 = false;

	if (parse_address(cfg->host ? cfg->host : "127.0.0.1", cfg->port, &ss, &len, &ipv6, err) < 0)
		return -1;
	if (ipv6)
		flags |= MHD_USE_IPv6;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	srv->app = *app;
	srv->max_body = cfg->max_body ? cfg->max_body : 16u << 20;
	srv->daemon = MHD_start_daemon(flags, cfg->port, NULL, NULL, on_request, srv,
	                               MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                               MHD_OPTION_THREAD_POOL_SIZE,
	                               (unsigned int)(cfg->threads ? cfg->threads : 4),
	                               MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	                               MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
	                               MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
	                               MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
	                               MHD_OPTION_END);
	if (!srv->daemon) {
		free(srv);
		return ccon_error_set(err, CCON_E_IO, "cannot listen on %s port %u (in use?)",
		                      cfg->host ? cfg->host : "127.0.0.1", (unsigned)cfg->port);
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : cfg->port;
	*out = srv;
	return 0;
}

uint16_t http_port(const struct http_server *srv)
{
	return srv->port;
}

void http_stop(struct http_server *srv, unsigned grace_ms)
{
	const union MHD_DaemonInfo *info;
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	unsigned waited = 0;
	MHD_socket fd;

	if (!srv)
		return;
	fd = MHD_quiesce_daemon(srv->daemon);
	while (waited < grace_ms) {
		info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || info->num_connections == 0)
			break;
		nanosleep(&pause, NULL);
		waited += 10;
	}
	MHD_stop_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	free(srv);
}
