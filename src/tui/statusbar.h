/* statusbar.h (placeholder) */
#ifndef CCON_TUI_STATUSBAR_H
#define CCON_TUI_STATUSBAR_H
#endif
