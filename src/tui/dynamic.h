/* dynamic.h - the dynamic audiences pane's parts (pane_dynamic.c). */
#ifndef CCON_TUI_DYNAMIC_H
#define CCON_TUI_DYNAMIC_H

#endif
