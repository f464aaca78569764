/* placeholder until implemented. */
#include "config.h"

#include <ccon/codec_campaign_def.h>

typedef int codec_campaign_def_placeholder;
