/* placeholder: being written */
#ifndef SRC_TUI_WIZARD_STEPS_H
#define SRC_TUI_WIZARD_STEPS_H
#endif
