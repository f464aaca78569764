/* envelope.h - the envelope campaign editor's parts (pane_envelope.c). */
#ifndef CCON_TUI_ENVELOPE_H
#define CCON_TUI_ENVELOPE_H

#endif
