/* decide-check — loads rule sets and prints every diagnostic (schema, names, types,
 * cycles, dated tables, unused inputs and values, rules without explanation). The rule
 * set author's and the jurist's lint. */
#include "common.h"
#include <string.h>

static const char usage[] =
    "Usage: decide-check [--werror] [--quiet] RULESET...\n"
    "Load each rule set and print every diagnostic as FILE:LINE:COL: severity: message [code].\n"
    "\n"
    "  --werror   treat warnings as errors\n"
    "  --quiet    print nothing when a rule set is clean\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O error.\n";

int main(int argc, char **argv)
{
    int werror = 0, quiet = 0, nfiles = 0, status = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(usage, stdout); return 0; }
        if (!strcmp(argv[i], "--version")) { cli_print_version("decide-check"); return 0; }
        if (!strcmp(argv[i], "--werror")) { werror = 1; continue; }
        if (!strcmp(argv[i], "--quiet")) { quiet = 1; continue; }
        if (argv[i][0] == '-') { fprintf(stderr, "decide-check: unknown option '%s'\n%s", argv[i], usage); return 2; }
        nfiles++;
    }
    if (!nfiles) { fputs(usage, stderr); return 2; }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        decide_load_options o = DECIDE_LOAD_OPTIONS_INIT;
        o.warnings_are_errors = werror;
        decide_ruleset *rs = NULL;
        decide_diagnostics *d = NULL;
        int rc = decide_ruleset_load_file(&rs, &d, argv[i], &o);
        size_t n = decide_diagnostics_count(d);
        cli_print_diagnostics(stdout, d);
        if (rc == DECIDE_EIO || rc == DECIDE_ENOMEM) {
            fprintf(stderr, "decide-check: %s\n", decide_last_error());
            status = 2;
        } else if (rc != DECIDE_OK) {
            printf("%s: %zu error(s), %zu warning(s)\n", argv[i], decide_diagnostics_errors(d),
                   n - decide_diagnostics_errors(d));
            if (status == 0) status = 1;
        } else if (!quiet) {
            printf("%s: ok (%s %s), %zu warning(s)\n", argv[i], decide_ruleset_id(rs),
                   decide_ruleset_version(rs), n);
        }
        decide_diagnostics_free(d);
        decide_ruleset_free(rs);
    }
    return status;
}
