/* decide-explain — evaluates one case with a rule set and prints the decision and its
 * motivation (text in French or English, HTML, or JSON). The caseworker's tool. */
#include "common.h"
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: decide-explain RULESET CASE [options]\n"
    "Evaluate CASE (a .json or .xml case record, or - for standard input) with RULESET\n"
    "and print the decision with its motivation, organised along the four items of\n"
    "article R. 311-3-1-2 of the code des relations entre le public et l'administration.\n"
    "\n"
    "Options:\n"
    "  --date YYYY-MM-DD       evaluation date (default: the case's \"date\" field)\n"
    "  --format text|json|html output format (default: text)\n"
    "  --lang fr|en            language of the motivation (default: fr)\n"
    "  --verbose               also list the rules that did not apply, and why\n"
    "  --trace summary|full    trace depth (default: full)\n"
    "  --help, --version\n"
    "\n"
    "Exit status: 0 a decision was produced (GRANTED, DENIED or REVIEW), 1 usage error,\n"
    "2 invalid rule set, 3 unreadable case, 4 evaluation error.\n";

int main(int argc, char **argv)
{
    const char *files[2] = { NULL, NULL };
    int nfiles = 0;
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
    eo.trace = DECIDE_TRACE_FULL;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int m;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(usage, stdout); return 0; }
        if (!strcmp(argv[i], "--version")) { cli_print_version("decide-explain"); return 0; }
        if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) { ro.verbose = 1; continue; }
        if ((m = cli_opt_value(argc, argv, &i, "--date", &v)) != 0) {
            if (m < 0) goto missing;
            eo.date = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--format", &v)) != 0) {
            if (m < 0) goto missing;
            if (!strcmp(v, "text")) ro.format = DECIDE_FORMAT_TEXT;
            else if (!strcmp(v, "json")) ro.format = DECIDE_FORMAT_JSON;
            else if (!strcmp(v, "html")) ro.format = DECIDE_FORMAT_HTML;
            else { fprintf(stderr, "decide-explain: unknown format '%s' (text, json, html)\n", v); return 1; }
        } else if ((m = cli_opt_value(argc, argv, &i, "--lang", &v)) != 0) {
            if (m < 0) goto missing;
            if (strcmp(v, "fr") && strcmp(v, "en")) {
                fprintf(stderr, "decide-explain: unknown language '%s' (fr, en)\n", v);
                return 1;
            }
            ro.lang = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--trace", &v)) != 0) {
            if (m < 0) goto missing;
            if (!strcmp(v, "summary")) eo.trace = DECIDE_TRACE_SUMMARY;
            else if (!strcmp(v, "full")) eo.trace = DECIDE_TRACE_FULL;
            else { fprintf(stderr, "decide-explain: unknown trace level '%s' (summary, full)\n", v); return 1; }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "decide-explain: unknown option '%s'\n%s", argv[i], usage);
            return 1;
        } else if (nfiles < 2) {
            files[nfiles++] = argv[i];
        } else {
            fprintf(stderr, "decide-explain: too many arguments\n%s", usage);
            return 1;
        }
        continue;
    missing:
        fprintf(stderr, "decide-explain: option '%s' needs a value\n", argv[i]);
        return 1;
    }
    if (nfiles != 2) { fputs(usage, stderr); return 1; }

    decide_diagnostics *diags = NULL;
    decide_ruleset *rs = NULL;
    int rc = decide_ruleset_load_file(&rs, &diags, files[0], NULL);
    /* rule set warnings are decide-check's business; a caseworker sees errors only */
    cli_print_errors(stderr, diags);
    decide_diagnostics_free(diags);
    if (rc != DECIDE_OK) {
        fprintf(stderr, "decide-explain: %s\n", decide_last_error());
        return 2;
    }
    decide_case *c = NULL;
    rc = decide_case_read_file(&c, &diags, rs, files[1]);
    cli_print_diagnostics(stderr, diags);
    decide_diagnostics_free(diags);
    if (rc != DECIDE_OK) {
        /* a malformed record's position was just printed with the diagnostics */
        if (rc == DECIDE_ECASE) fprintf(stderr, "decide-explain: %s: the case record is not well-formed\n", files[1]);
        else fprintf(stderr, "decide-explain: %s\n", decide_last_error());
        decide_ruleset_free(rs);
        return 3;
    }
    decide_result *r = NULL;
    int status = 0;
    if ((rc = decide_result_new(&r)) != DECIDE_OK ||
        (rc = decide_evaluate(r, rs, c, &eo)) != DECIDE_OK) {
        fprintf(stderr, "decide-explain: %s\n", decide_last_error());
        status = rc == DECIDE_EDATE || rc == DECIDE_EMISUSE ? 1 : 4;
    } else {
        char *text = NULL;
        size_t len = 0;
        if ((rc = decide_result_render(&text, &len, r, &ro)) != DECIDE_OK) {
            fprintf(stderr, "decide-explain: %s\n", decide_last_error());
            status = 4;
        } else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "decide-explain: write error\n");
            status = 4;
        }
        decide_free(text);
    }
    decide_result_free(r);
    decide_case_free(c);
    decide_ruleset_free(rs);
    return status;
}
