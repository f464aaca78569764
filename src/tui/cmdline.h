/* cmdline.h (placeholder) */
#ifndef CCON_TUI_CMDLINE_H
#define CCON_TUI_CMDLINE_H
#endif
