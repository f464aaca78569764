/* gen_audience PATH [ROWS] - writes a deterministic CSV audience for the
 * seed 001 example 1 layout: contactCode (valid E.164 digits without "+",
 * as in the seed), channelType cloud_api, and the custom field columns
 * nombre, ticket_id and edad. ROWS defaults to 1,000,000. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const names[] = {
	"John", "Jane", "Alice", "Bob", "Carmen", "Diego", "Lucía", "Mateo",
	"Sofía", "Hugo", "Martina", "Pablo", "Valeria", "Álvaro", "Noa", "Leo",
};

/* country code and the national number's length: all assigned codes */
static const struct {
	const char *cc;
	int digits;
} countries[] = {
	{ "34", 9 }, { "44", 10 }, { "49", 11 }, { "33", 9 }, { "351", 9 }, { "1", 10 },
	{ "52", 10 }, { "55", 11 }, { "39", 10 }, { "54", 10 },
};

static uint64_t next(uint64_t *s)
{
	/* splitmix64: deterministic, same file on every machine */
	uint64_t z = (*s += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, rows = 1000000;
	FILE *f;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s PATH [ROWS]\n", argv[0]);
		return 2;
	}
	if (argc == 3)
		rows = strtoull(argv[2], NULL, 10);
	f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fputs("contactCode,channelType,nombre,ticket_id,edad\n", f);
	for (uint64_t i = 0; i < rows; i++) {
		uint64_t r = next(&seed);
		int c = (int)(r % (sizeof(countries) / sizeof(countries[0])));
		uint64_t n = next(&seed);

		fputs(countries[c].cc, f);
		/* first national digit 6..9 (mobile-like, never a trunk 0) */
		fputc('6' + (int)(n % 4), f);
		n /= 4;
		for (int d = 1; d < countries[c].digits; d++, n /= 10)
			fputc('0' + (int)(n % 10), f);
		fprintf(f, ",cloud_api,%s,%" PRIu64 ",%d\n", names[(r >> 8) % 16], 1000 + (r >> 16) % 9000,
		        18 + (int)((r >> 32) % 70));
	}
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
