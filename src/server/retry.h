/* retry.h - re-sending a campaign's failed recipients (placeholder). */
#ifndef CCOND_RETRY_H
#define CCOND_RETRY_H

#endif
