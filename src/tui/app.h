/* app.h (placeholder) */
#ifndef CCON_TUI_APP_H
#define CCON_TUI_APP_H
#endif
