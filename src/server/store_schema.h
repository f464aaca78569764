/* store_schema.h - the migrations that build ccond's schema. */
#ifndef CCOND_STORE_SCHEMA_H
#define CCOND_STORE_SCHEMA_H

#include <stddef.h>

/* Number of migrations = newest schema version. */
size_t store_schema_count(void);
/* The SQL that takes the schema from version-1 to version (1-based). */
const char *store_schema_migration(size_t version);

#endif
