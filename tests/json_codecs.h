/* tests/json_codecs.h - every JSON codec of libccon that round-trips
 * (decode, encode, free), for the tests that loop over all of them: the
 * fuzzer tests/fuzz/fuzz_json_decoders.c and the fault-injection cases of
 * tests/faultinj/cases.c. The order is the fuzz corpus's: a corpus file's
 * first byte picks an entry by its index. Each user defines X:
 *   X(id, name, type, decode, encode, release) */
#ifndef CCON_TESTS_JSON_CODECS_H
#define CCON_TESTS_JSON_CODECS_H

#include <ccon/codec_campaign.h>
#include <ccon/codec_command.h>
#include <ccon/codec_error.h>
#include <ccon/codec_reports.h>
#include <ccon/codec_send.h>
#include <ccon/codec_transactional.h>
#include <ccon/codec_whatsapp.h>

/* The API error body as a codec: its encoder writes the error inside. */
static inline int ccon_test_api_error_encode(const struct ccon_api_error *e, cJSON **out)
{
	return ccon_error_encode(&e->error, out);
}

static inline void ccon_test_api_error_free(struct ccon_api_error *e)
{
	(void)e; /* it owns nothing */
}

#define CCON_JSON_CODECS(X) \
	X(command, "command", ccon_command, ccon_command_decode, ccon_command_encode, \
	  ccon_command_free) \
	X(answer, "command answer", ccon_command_answer, ccon_command_answer_decode, \
	  ccon_command_answer_encode, ccon_command_answer_free) \
	X(full, "full campaign", ccon_full_campaign, ccon_full_campaign_decode, \
	  ccon_full_campaign_encode, ccon_full_campaign_free) \
	X(dynamic, "dynamic campaign", ccon_dynamic_campaign, ccon_dynamic_campaign_decode, \
	  ccon_dynamic_campaign_encode, ccon_dynamic_campaign_free) \
	X(audiences, "audience list", ccon_audience_list, ccon_audience_list_decode, \
	  ccon_audience_list_encode, ccon_audience_list_free) \
	X(dispatch, "dispatch", ccon_dispatch, ccon_dispatch_decode, ccon_dispatch_encode, \
	  ccon_dispatch_free) \
	X(info, "campaign info", ccon_campaign_info, ccon_campaign_info_decode, \
	  ccon_campaign_info_encode, ccon_campaign_info_free) \
	X(summary, "campaign summary", ccon_campaign_summary, ccon_campaign_summary_decode, \
	  ccon_campaign_summary_encode, ccon_campaign_summary_free) \
	X(summaries, "summary list", ccon_summary_list, ccon_summary_list_decode, \
	  ccon_summary_list_encode, ccon_summary_list_free) \
	X(audience_page, "audience page", ccon_audience_page, ccon_audience_page_decode, \
	  ccon_audience_page_encode, ccon_audience_page_free) \
	X(message_page, "message page", ccon_message_page, ccon_message_page_decode, \
	  ccon_message_page_encode, ccon_message_page_free) \
	X(report, "campaign report", ccon_campaign_report, ccon_campaign_report_decode, \
	  ccon_campaign_report_encode, ccon_campaign_report_free) \
	X(send, "send request", ccon_send_request, ccon_send_request_decode, \
	  ccon_send_request_encode, ccon_send_request_free) \
	X(transactional, "transactional request", ccon_transactional_request, \
	  ccon_transactional_request_decode, ccon_transactional_request_encode, \
	  ccon_transactional_request_free) \
	X(whatsapp, "whatsapp message", ccon_whatsapp_message, ccon_whatsapp_message_decode, \
	  ccon_whatsapp_message_encode, ccon_whatsapp_message_free) \
	X(whatsapp_answer, "whatsapp answer", ccon_whatsapp_answer, ccon_whatsapp_answer_decode, \
	  ccon_whatsapp_answer_encode, ccon_whatsapp_answer_free) \
	X(error_list, "error list", ccon_error_list, ccon_error_list_decode, \
	  ccon_error_list_encode, ccon_error_list_free) \
	X(api_error, "api error", ccon_api_error, ccon_api_error_decode, \
	  ccon_test_api_error_encode, ccon_test_api_error_free)

#endif
