/* draw.h (placeholder) */
#ifndef CCON_TUI_DRAW_H
#define CCON_TUI_DRAW_H
#endif
