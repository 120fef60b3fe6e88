/* fuzz_ruleset.c — libFuzzer target: any bytes as a rule set. Loading must report
 * diagnostics, never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include "decide.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decide_ruleset *rs = NULL;
    decide_diagnostics *d = NULL;
    if (decide_ruleset_load_memory(&rs, &d, (const char *)data, size, "fuzz.xml", NULL) == DECIDE_OK)
        decide_ruleset_free(rs);
    decide_diagnostics_free(d);
    return 0;
}
