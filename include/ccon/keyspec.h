/* ccon/keyspec.h (placeholder) */
#ifndef CCON_KEYSPEC_H
#define CCON_KEYSPEC_H
#endif
