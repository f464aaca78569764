/* ccon/settings.h (placeholder) */
#ifndef CCON_SETTINGS_H
#define CCON_SETTINGS_H
#endif
