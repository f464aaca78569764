/* ccon/audience.h (placeholder) */
#ifndef CCON_AUDIENCE_H
#define CCON_AUDIENCE_H
#endif
