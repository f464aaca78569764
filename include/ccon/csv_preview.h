/* ccon/csv_preview.h (placeholder) */
#ifndef CCON_CSV_PREVIEW_H
#define CCON_CSV_PREVIEW_H
#endif
