/* commands.h - placeholder until the commands route is split. */
#ifndef CCOND_COMMANDS_H
#define CCOND_COMMANDS_H
#endif
