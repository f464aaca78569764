/* embedded.h (placeholder) */
#ifndef CCON_TUI_EMBEDDED_H
#define CCON_TUI_EMBEDDED_H
#endif
