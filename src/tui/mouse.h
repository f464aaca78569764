/* mouse.h (placeholder) */
#ifndef CCON_TUI_MOUSE_H
#define CCON_TUI_MOUSE_H
#endif
