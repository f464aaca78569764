/* colors.h (placeholder) */
#ifndef CCON_TUI_COLORS_H
#define CCON_TUI_COLORS_H
#endif
