/* placeholder: being written */
#ifndef SRC_SERVER_ACCESS_LOG_H
#define SRC_SERVER_ACCESS_LOG_H
#endif
