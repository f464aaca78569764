/* ccon/theme.h (placeholder) */
#ifndef CCON_THEME_H
#define CCON_THEME_H
#endif
