/* ccon/codec_campaign_def.h - placeholder until implemented. */
#ifndef CCON_CODEC_CAMPAIGN_DEF_H
#define CCON_CODEC_CAMPAIGN_DEF_H
#endif
