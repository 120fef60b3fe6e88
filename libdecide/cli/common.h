/* common.h — small helpers shared by the command-line tools: option parsing of
 * "--name value" / "--name=value", diagnostics printing, version banner. */
#ifndef DECIDE_CLI_COMMON_H
#define DECIDE_CLI_COMMON_H
#include <stdio.h>
#include "decide.h"

/* If argv[*i] is --name or --name=value, stores the value (consuming the next
 * argument in the first form) and returns 1; returns -1 when the value is missing. */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **value);
/* Prints every diagnostic (or only the errors), one per line; returns the number of
 * errors. */
size_t cli_print_diagnostics(FILE *f, const decide_diagnostics *d);
size_t cli_print_errors(FILE *f, const decide_diagnostics *d);
void cli_print_version(const char *tool);
#endif
