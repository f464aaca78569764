/* ccon/sanitize.h (placeholder) */
#ifndef CCON_SANITIZE_H
#define CCON_SANITIZE_H
#endif
