/* pane_campaigns.c (placeholder) */
#include "config.h"

#include "pane.h"
