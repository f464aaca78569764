/* send_common.h - the steps every send route shares. Each replies on
 * failure and returns false/-1, so a route just stops. */
#ifndef CCOND_SEND_COMMON_H
#define CCOND_SEND_COMMON_H

#include "api.h"
#include "campaigns.h"
#include "sendjob.h"

#include <ccon/codec_error.h>

#include <stdbool.h>

/* Loads the campaign whose id is path parameter `param` (404 when it is not
 * the key's application's). */
bool send_load_campaign(struct api_call *c, int param, struct campaign *out);
/* scheduleAt / delay into job->timing (400 with the path otherwise). */
int send_resolve_timing(struct api_call *c, const char *schedule_at, const char *delay,
                        struct sendjob *job);
/* Commits the job with the request's Idempotency-Key and answers; the
 * request's fingerprint is its method, path, dryRun and body. */
void send_commit(struct api_call *c, struct sendjob *job);
/* The same with a fingerprint computed by the route (streamed bodies). */
void send_commit_hashed(struct api_call *c, struct sendjob *job, const char *request_hash);
/* An error list as the answer. */
void send_reply_error_list(struct api_call *c, unsigned status, const struct ccon_error_list *l);

#endif
