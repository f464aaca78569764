/* ccon/ccon.h - libccon's version and the umbrella of its public headers. */
#ifndef CCON_CCON_H
#define CCON_CCON_H

#define CCON_NAME "ccon"

/* The package version, from configure.ac. */
const char *ccon_version(void);

#endif
