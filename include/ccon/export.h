/* ccon/export.h (placeholder) */
#ifndef CCON_EXPORT_H
#define CCON_EXPORT_H
#endif
