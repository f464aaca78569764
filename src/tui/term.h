/* term.h (placeholder) */
#ifndef CCON_TUI_TERM_H
#define CCON_TUI_TERM_H
#endif
