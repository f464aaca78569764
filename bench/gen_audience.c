/* gen_audience [--wide] PATH [ROWS] - writes a deterministic CSV audience
 * for the seed 001 example 1 layout: contactCode (valid E.164 digits
 * without "+", as in the seed), channelType cloud_api, and the custom field
 * columns nombre, ticket_id and edad (about 37 bytes a row). --wide adds
 * the template-variable columns of a realistic appointment reminder:
 * apellido and ciudad (UTF-8) and fecha_cita (about 64 bytes a row:
 * 1,000,000 rows make the "about 60 MB" file). ROWS defaults to
 * 1,000,000. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
	"John", "Jane", "Alice", "Bob", "Carmen", "Diego", "Lucía", "Mateo",
	"Sofía", "Hugo", "Martina", "Pablo", "Valeria", "Álvaro", "Noa", "Leo",
};

/* country code and the national number's length: all assigned codes */
static const char *const surnames[] = {
	"García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Núñez",
	"Muñoz", "Álvarez", "Romero", "Ibáñez", "Smith", "Müller", "Dubois", "Rossi",
};

static const char *const cities[] = {
	"Madrid", "Málaga", "A Coruña", "Cádiz", "León", "Córdoba", "Logroño", "Ávila",
	"London", "München", "Besançon", "Torino", "São Paulo", "Bogotá", "Mérida", "Zürich",
};

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
	bool wide = argc > 1 && strcmp(argv[1], "--wide") == 0;
	const char *prog = argv[0];
	FILE *f;

	argc -= wide;
	argv += wide;
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s [--wide] PATH [ROWS]\n", prog);
		return 2;
	}
	if (argc == 3)
		rows = strtoull(argv[2], NULL, 10);
	f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fputs(wide ? "contactCode,channelType,nombre,apellido,ciudad,ticket_id,edad,fecha_cita\n"
	           : "contactCode,channelType,nombre,ticket_id,edad\n", f);
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
		if (!wide) {
			fprintf(f, ",cloud_api,%s,%" PRIu64 ",%d\n", names[(r >> 8) % 16],
			        1000 + (r >> 16) % 9000, 18 + (int)((r >> 32) % 70));
			continue;
		}
		/* n's low digits went to the number: its high bits are fresh */
		n = next(&seed);
		fprintf(f, ",cloud_api,%s,%s,%s,%" PRIu64 ",%d,2025-%02d-%02d\n",
		        names[(r >> 8) % 16], surnames[n % 16], cities[(n >> 4) % 16],
		        1000 + (r >> 16) % 9000, 18 + (int)((r >> 32) % 70),
		        1 + (int)((n >> 8) % 12), 1 + (int)((n >> 12) % 28));
	}
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
