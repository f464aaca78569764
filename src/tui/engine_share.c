/* engine_share.c - the lock and the file of the running embedded engine. */
#include "config.h"

#include "engine_share.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int path_of(char *buf, size_t size, const char *dir, const char *name,
                   struct ccon_error *err)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= size)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the data directory path is too long");
	return 0;
}

int engine_lock_try(const char *data_dir, int *fd, struct ccon_error *err)
{
	char path[4200];
	int f;

	*fd = -1;
	if (path_of(path, sizeof(path), data_dir, "engine.lock", err) < 0)
		return -1;
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (f < 0)
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	if (flock(f, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(f);
		if (e == EWOULDBLOCK)
			return 0;
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(e));
	}
	*fd = f;
	return 1;
}

void engine_unlock(const char *data_dir, int fd)
{
	char path[4200];
	struct ccon_error err;

	if (fd < 0)
		return;
	if (path_of(path, sizeof(path), data_dir, "engine", &err) == 0)
		unlink(path);
	close(fd);
}

int engine_info_write(const char *data_dir, const struct engine_info *in, struct ccon_error *err)
{
	char path[4200], tmp[4300];
	FILE *f;
	int fd, ok;

	if (path_of(path, sizeof(path), data_dir, "engine", err) < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return ccon_error_set(err, CCON_E_IO, "%s: %s", tmp, strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return ccon_error_set(err, CCON_E_IO, "%s: %s", tmp, strerror(errno));
	}
	fprintf(f, "url %s\napp %" PRId64 "\nkey %s\nowner %s\npid %ld\n", in->url, in->app_id,
	        in->key, in->owner, in->pid);
	ok = fflush(f) == 0 && fsync(fd) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) < 0) {
		ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int copy_value(char *dst, size_t size, const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= size)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

static int parse_line(struct engine_info *out, char *line)
{
	char *sp = strchr(line, ' '), *end;

	line[strcspn(line, "\n")] = '\0';
	if (!sp)
		return -1;
	*sp++ = '\0';
	if (strcmp(line, "url") == 0)
		return copy_value(out->url, sizeof(out->url), sp);
	if (strcmp(line, "key") == 0)
		return copy_value(out->key, sizeof(out->key), sp);
	if (strcmp(line, "owner") == 0)
		return copy_value(out->owner, sizeof(out->owner), sp);
	if (strcmp(line, "app") == 0) {
		out->app_id = strtoll(sp, &end, 10);
		return *end || out->app_id < 1 ? -1 : 0;
	}
	if (strcmp(line, "pid") == 0) {
		out->pid = strtol(sp, &end, 10);
		return *end ? -1 : 0;
	}
	return 0;
}

int engine_info_read(const char *data_dir, struct engine_info *out, struct ccon_error *err)
{
	char path[4200], line[256];
	struct stat st;
	FILE *f;
	int fd, bad = 0;

	memset(out, 0, sizeof(*out));
	if (path_of(path, sizeof(path), data_dir, "engine", err) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return ccon_error_set(err, CCON_E_NOT_FOUND, "%s: no running engine", path);
	if (fd < 0)
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077)) {
		close(fd);
		return ccon_error_set(err, CCON_E_CONFIG_PERMISSIONS,
		                      "%s: not a file of yours with mode 0600: refused", path);
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	}
	while (!bad && fgets(line, sizeof(line), f))
		bad = parse_line(out, line) < 0;
	explicit_bzero(line, sizeof(line));
	fclose(f);
	if (bad || !out->url[0] || !out->key[0] || !out->app_id) {
		explicit_bzero(out->key, sizeof(out->key));
		return ccon_error_set(err, CCON_E_CONFIG_SYNTAX, "%s: not an engine file", path);
	}
	return 0;
}
