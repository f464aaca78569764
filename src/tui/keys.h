/* keys.h (placeholder) */
#ifndef CCON_TUI_KEYS_H
#define CCON_TUI_KEYS_H
#endif
