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

size_t cli_print_diagnostics(FILE *f, const decide_diagnostics *d)
{
    size_t n = decide_diagnostics_count(d);
    for (size_t k = 0; k < n; k++) {
        char *line = decide_diag_format(decide_diagnostics_get(d, k));
        if (line) fprintf(f, "%s\n", line);
        decide_free(line);
    }
    return decide_diagnostics_errors(d);
}

void cli_print_version(const char *tool)
{
    printf("%s (libdecide) %s\n", tool, decide_version());
}
