/* requests.h (placeholder) */
#ifndef CCON_TUI_REQUESTS_H
#define CCON_TUI_REQUESTS_H
#endif
