/* common.c — helpers shared by the command-line tools (see common.h). */
#include "common.h"
#include <string.h>

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return 0;
    if (a[n] == '=') { *value = a + n + 1; return 1; }
    if (a[n] != '\0') return 0;
    if (*i + 1 >= argc) return -1;
    *value = argv[++*i];
    return 1;
}

static size_t print_diags(FILE *f, const decide_diagnostics *d, int errors_only)
{
    size_t n = decide_diagnostics_count(d);
    for (size_t k = 0; k < n; k++) {
        const decide_diag *g = decide_diagnostics_get(d, k);
        if (errors_only && g->severity != DECIDE_ERROR) continue;
        char *line = decide_diag_format(g);
        if (line) fprintf(f, "%s\n", line);
        decide_free(line);
    }
    return decide_diagnostics_errors(d);
}

size_t cli_print_diagnostics(FILE *f, const decide_diagnostics *d) { return print_diags(f, d, 0); }
size_t cli_print_errors(FILE *f, const decide_diagnostics *d) { return print_diags(f, d, 1); }

void cli_print_version(const char *tool)
{
    printf("%s (libdecide) %s\n", tool, decide_version());
}
