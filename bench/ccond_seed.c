/* ccond_seed URL KEY COUNT [RECIPIENTS [THREADS]] - stores COUNT campaigns
 * in a running ccond through its API, for bench/ccond_http.sh: each one a
 * seed 002 `set /campaign/full` command (POST URL/commands, Authorization:
 * Key KEY) with RECIPIENTS recipients (default 3), so that the summaries
 * have counts. THREADS connections (default 2) share the work; every answer
 * must be a success, or the run stops. Prints the time taken. */
#include "config.h"

#include <curl/curl.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 16

struct worker {
	const char *url;
	const char *auth;
	long first, count;
	int recipients;
	long failed;
	char error[512];
};

struct answer {
	char buf[4096];
	size_t len;
};

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
	struct answer *a = ctx;
	size_t len = size * n, room = sizeof(a->buf) - 1 - a->len;

	memcpy(a->buf + a->len, data, len < room ? len : room);
	a->len += len < room ? len : room;
	a->buf[a->len] = '\0';
	return len;
}

/* Campaign i: a few sources and senders, so the filters have something to do. */
static int envelope(char *buf, size_t size, long i, int recipients)
{
	static const char *const sources[] = { "Portal", "Desk", "Api", "Console" };
	size_t len;
	int n;

	n = snprintf(buf, size,
	             "{\"id\":\"seed-%ld\",\"to\":\"postmaster@activecampaign.msging.net\","
	             "\"method\":\"set\",\"uri\":\"/campaign/full\",\"type\":"
	             "\"application/vnd.iris.activecampaign.full-campaign+json\",\"resource\":"
	             "{\"campaign\":{\"name\":\"bench campaign %ld\",\"campaignType\":\"Batch\","
	             "\"sourceApplication\":\"%s\",\"campaignSender\":\"sender%ld@bench\"},"
	             "\"audiences\":[",
	             i, i, sources[i % 4], i % 7);
	len = (size_t)n;
	for (int r = 0; r < recipients && len < size; r++) {
		n = snprintf(buf + len, size - len,
		             "%s{\"recipient\":\"+5531%09ld\",\"messageParams\":{\"name\":\"N%d\"}}",
		             r ? "," : "", (i * recipients + r) % 1000000000L, r);
		len += (size_t)n;
	}
	if (len < size)
		len += (size_t)snprintf(buf + len, size - len,
		                        "],\"message\":{\"messageTemplate\":\"bench_template\","
		                        "\"messageParams\":[\"name\"]}}}");
	return len < size ? 0 : -1;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	struct curl_slist *headers = NULL;
	struct answer a;
	char body[16384], url[512];
	CURL *curl = curl_easy_init();
	long status;

	if (!curl) {
		snprintf(w->error, sizeof(w->error), "curl_easy_init failed");
		w->failed++;
		return NULL;
	}
	snprintf(url, sizeof(url), "%s/commands", w->url);
	headers = curl_slist_append(headers, w->auth);
	headers = curl_slist_append(headers, "Content-Type: application/json");
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a);
	for (long i = w->first; i < w->first + w->count && !w->failed; i++) {
		CURLcode rc;

		if (envelope(body, sizeof(body), i, w->recipients) < 0) {
			snprintf(w->error, sizeof(w->error), "too many recipients for one envelope");
			w->failed++;
			break;
		}
		a.len = 0;
		a.buf[0] = '\0';
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		rc = curl_easy_perform(curl);
		status = 0;
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
		if (rc != CURLE_OK || status != 200 || !strstr(a.buf, "\"status\":\"success\"")) {
			snprintf(w->error, sizeof(w->error), "campaign %ld: %s, HTTP %ld: %.300s", i,
			         curl_easy_strerror(rc), status, a.buf);
			w->failed++;
		}
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker w[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	struct timespec t0, t1;
	char auth[256];
	long count, failed = 0;
	int recipients = 3, threads = 2;
	double secs;

	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: %s URL KEY COUNT [RECIPIENTS [THREADS]]\n", argv[0]);
		return 2;
	}
	count = strtol(argv[3], NULL, 10);
	if (argc > 4)
		recipients = atoi(argv[4]);
	if (argc > 5)
		threads = atoi(argv[5]);
	if (count < 1 || recipients < 1 || recipients > 100 || threads < 1 || threads > MAX_THREADS) {
		fprintf(stderr, "%s: COUNT >= 1, RECIPIENTS 1..100, THREADS 1..%d\n", argv[0],
		        MAX_THREADS);
		return 2;
	}
	snprintf(auth, sizeof(auth), "Authorization: Key %s", argv[2]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int t = 0; t < threads; t++) {
		memset(&w[t], 0, sizeof(w[t]));
		w[t].url = argv[1];
		w[t].auth = auth;
		w[t].recipients = recipients;
		w[t].first = count * t / threads;
		w[t].count = count * (t + 1) / threads - w[t].first;
		pthread_create(&tid[t], NULL, run, &w[t]);
	}
	for (int t = 0; t < threads; t++) {
		pthread_join(tid[t], NULL);
		if (w[t].failed) {
			fprintf(stderr, "%s: %s\n", argv[0], w[t].error);
			failed += w[t].failed;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	curl_global_cleanup();
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (failed)
		return 1;
	printf("seeded %ld campaigns (%d recipients each) in %.1f s (%.0f/s)\n", count, recipients,
	       secs, (double)count / secs);
	return 0;
}
