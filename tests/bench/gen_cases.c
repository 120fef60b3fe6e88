/* gen_cases.c — prints a deterministic allocations familiales caseload as JSONL, one
 * household per line with an "id", for decide-batch benchmarks (af_caseload.h).
 * Usage: gen_cases COUNT [SEED] > caseload.jsonl */
#include "af_caseload.h"
#include <stdlib.h>

int main(int argc, char **argv)
{
    long count = argc > 1 ? atol(argv[1]) : 0;
    if (argc < 2 || count < 0) { fprintf(stderr, "usage: gen_cases COUNT [SEED]\n"); return 2; }
    af_rng g = { argc > 2 ? strtoull(argv[2], NULL, 10) : 20261122 };
    if (g.s == 0) g.s = 1;   /* xorshift never leaves 0 */
    af_household h;
    char json[2048];
    for (long i = 0; i < count; i++) {
        af_generate(&g, &h, i + 1, json, sizeof json);
        puts(json);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
