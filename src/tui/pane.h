/* pane.h (placeholder) */
#ifndef CCON_TUI_PANE_H
#define CCON_TUI_PANE_H
#endif
