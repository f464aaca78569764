/* ccon/sha256.h - SHA-256 (FIPS 180-4), for hashing API keys and request
 * bodies (idempotency). */
#ifndef CCON_SHA256_H
#define CCON_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CCON_SHA256_SIZE 32
#define CCON_SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

struct ccon_sha256 {
	uint32_t state[8];
	uint64_t length;        /* bytes hashed so far */
	unsigned char block[64];
	size_t used;            /* bytes waiting in block */
};

void ccon_sha256_init(struct ccon_sha256 *h);
void ccon_sha256_update(struct ccon_sha256 *h, const void *data, size_t len);
void ccon_sha256_final(struct ccon_sha256 *h, unsigned char out[CCON_SHA256_SIZE]);

/* One-shot, lowercase hex. */
void ccon_sha256_hex(const void *data, size_t len, char out[CCON_SHA256_HEX_SIZE]);

#endif
