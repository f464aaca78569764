/* pane_report.c (placeholder) */
#include "config.h"

#include "pane.h"
