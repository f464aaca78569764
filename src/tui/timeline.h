/* placeholder: being written */
#ifndef SRC_TUI_TIMELINE_H
#define SRC_TUI_TIMELINE_H
#endif
