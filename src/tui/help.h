/* help.h (placeholder) */
#ifndef CCON_TUI_HELP_H
#define CCON_TUI_HELP_H
#endif
