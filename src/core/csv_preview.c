/* csv_preview.c (placeholder) */
#include "config.h"
