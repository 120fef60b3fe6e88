/* fuzz_case.c — libFuzzer target: any bytes as a JSON and as an XML case record for
 * the allocations familiales rule set, then evaluated and rendered when readable. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "decide.h"

static decide_ruleset *rs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    const char *path = getenv("DECIDE_FUZZ_RULESET");
    if (decide_ruleset_load_file(&rs, NULL, path ? path : "rulesets/fr/allocations-familiales.xml", NULL) != DECIDE_OK)
        abort();
    return 0;
}

static void run(int xml, const uint8_t *data, size_t size)
{
    decide_case *c = NULL;
    int rc = xml ? decide_case_read_xml(&c, NULL, rs, (const char *)data, size, "fuzz")
                 : decide_case_read_json(&c, NULL, rs, (const char *)data, size, "fuzz");
    if (rc != DECIDE_OK) return;
    decide_result *r = NULL;
    decide_result_new(&r);
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.date = "2025-06-01";
    eo.trace = DECIDE_TRACE_FULL;
    if (decide_evaluate(r, rs, c, &eo) == DECIDE_OK) {
        decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
        ro.format = DECIDE_FORMAT_JSON;
        char *out = NULL;
        if (decide_result_render(&out, NULL, r, &ro) == DECIDE_OK) decide_free(out);
    }
    decide_result_free(r);
    decide_case_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(0, data, size);
    run(1, data, size);
    return 0;
}
