/* backend.c — a small agency back-end, as an integrator would write it against
 * libdecide: load the rule set once, evaluate a caseload (one JSON case per line) on
 * several threads sharing it, store each decision (outcome, amount, JSON motivation),
 * and route REVIEW cases to a work queue with the facts to ask for.
 *
 *   backend RULESET CASELOAD.jsonl OUTDIR [THREADS]
 *   → OUTDIR/results.jsonl       {"case":N,"outcome":…,"amount":…,"motivation":{…}}
 *   → OUTDIR/review-queue.jsonl  {"case":N,"missing":[{"input","label","reason","needed_by"}]}
 *
 * Kept simple on purpose: the caseload is read whole (decide-batch streams instead). */
#include <decide.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct work {
    const decide_ruleset *rs;   /* shared, read-only: safe across threads */
    char **lines;
    char **results;             /* per case: the rendered JSON, or NULL */
    int *outcomes;
    char **queue;               /* per REVIEW case: its work-queue record */
    size_t n, first, step;
} work;

static char *json_string(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(2 * n + 3), *p = o;
    *p++ = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') *p++ = '\\';
        *p++ = (*s == '\n') ? ' ' : *s;
    }
    *p++ = '"';
    *p = '\0';
    return o;
}

static void *evaluate_share(void *arg)
{
    work *w = arg;
    decide_result *r = NULL;            /* one result per thread, reused */
    decide_result_new(&r);
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.trace = DECIDE_TRACE_FULL;       /* the motivation is stored with the decision */
    decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
    ro.format = DECIDE_FORMAT_JSON;
    for (size_t i = w->first; i < w->n; i += w->step) {
        decide_case *c = NULL;
        if (decide_case_read_json(&c, NULL, w->rs, w->lines[i], strlen(w->lines[i]), "caseload") != DECIDE_OK ||
            decide_evaluate(r, w->rs, c, &eo) != DECIDE_OK) {
            w->outcomes[i] = 0;         /* an unreadable case: reported, never dropped */
            decide_case_free(c);
            continue;
        }
        w->outcomes[i] = decide_result_outcome(r);
        decide_result_render(&w->results[i], NULL, r, &ro);
        if (w->outcomes[i] == DECIDE_REVIEW) {
            size_t cap = 256, len = 0;
            char *q = malloc(cap);
            len += (size_t)snprintf(q, cap, "{\"case\":%zu,\"missing\":[", i + 1);
            for (size_t k = 0; k < decide_result_missing_count(r); k++) {
                const decide_missing *m = decide_result_missing(r, k);
                char *in = json_string(m->input), *label = json_string(m->label ? m->label : "");
                size_t need = strlen(in) + strlen(label) + 128 + 64 * m->n_needed_by;
                if (len + need >= cap) { cap = 2 * (len + need); q = realloc(q, cap); }
                len += (size_t)snprintf(q + len, cap - len, "%s{\"input\":%s,\"label\":%s,\"reason\":\"%s\",\"needed_by\":[",
                                        k ? "," : "", in, label, m->reason);
                for (size_t a = 0; a < m->n_needed_by; a++)
                    len += (size_t)snprintf(q + len, cap - len, "%s\"%s\"", a ? "," : "", m->needed_by[a]);
                len += (size_t)snprintf(q + len, cap - len, "]}");
                free(in);
                free(label);
            }
            if (len + 4 >= cap) q = realloc(q, len + 4);
            strcpy(q + len, "]}");
            w->queue[i] = q;
        }
        decide_case_free(c);
    }
    decide_result_free(r);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: backend RULESET CASELOAD.jsonl OUTDIR [THREADS]\n");
        return 2;
    }
    size_t threads = argc > 4 ? (size_t)atoi(argv[4]) : 2;
    if (threads < 1 || threads > 64) threads = 2;
    decide_ruleset *rs = NULL;
    if (decide_ruleset_load_file(&rs, NULL, argv[1], NULL) != DECIDE_OK) {
        fprintf(stderr, "backend: %s\n", decide_last_error());
        return 2;
    }
    FILE *in = fopen(argv[2], "r");
    if (!in) { perror(argv[2]); return 2; }
    char **lines = NULL, *line = NULL;
    size_t n = 0, cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, in)) > 0) {
        if (line[got - 1] == '\n') line[got - 1] = '\0';
        lines = realloc(lines, (n + 1) * sizeof *lines);
        lines[n++] = strdup(line);
    }
    free(line);
    fclose(in);

    work w[64];
    char **results = calloc(n + 1, sizeof *results), **queue = calloc(n + 1, sizeof *queue);
    int *outcomes = calloc(n + 1, sizeof *outcomes);
    pthread_t th[64];
    for (size_t t = 0; t < threads; t++) {
        w[t] = (work){ rs, lines, results, outcomes, queue, n, t, threads };
        pthread_create(&th[t], NULL, evaluate_share, &w[t]);
    }
    for (size_t t = 0; t < threads; t++) pthread_join(th[t], NULL);

    char path[4096];
    snprintf(path, sizeof path, "%s/results.jsonl", argv[3]);
    FILE *res = fopen(path, "w");
    snprintf(path, sizeof path, "%s/review-queue.jsonl", argv[3]);
    FILE *rq = fopen(path, "w");
    if (!res || !rq) { perror(argv[3]); return 2; }
    size_t counts[4] = { 0 };
    for (size_t i = 0; i < n; i++) {
        counts[outcomes[i]]++;
        if (!results[i]) {
            fprintf(res, "{\"case\":%zu,\"error\":\"unreadable case record\"}\n", i + 1);
        } else {
            size_t len = strlen(results[i]);
            while (len && results[i][len - 1] == '\n') results[i][--len] = '\0';
            /* store outcome and amount as columns, the whole decision as the motivation */
            const char *amount = strstr(results[i], "\"amount\":");
            char amount_text[32] = "null";
            if (amount && sscanf(amount, "\"amount\":\"%20[0-9.-]\"", amount_text + 1) == 1) {
                amount_text[0] = '"';
                strcat(amount_text, "\"");
            }
            fprintf(res, "{\"case\":%zu,\"outcome\":\"%s\",\"amount\":%s,\"motivation\":%s}\n", i + 1,
                    decide_outcome_name((decide_outcome)outcomes[i]), amount_text, results[i]);
        }
        if (queue[i]) fprintf(rq, "%s\n", queue[i]);
        decide_free(results[i]);
        free(queue[i]);
        free(lines[i]);
    }
    fclose(res);
    fclose(rq);
    printf("backend: %zu case(s): %zu granted, %zu denied, %zu to review, %zu unreadable\n", n,
           counts[DECIDE_GRANTED], counts[DECIDE_DENIED], counts[DECIDE_REVIEW], counts[0]);
    free(lines); free(results); free(queue); free(outcomes);
    decide_ruleset_free(rs);
    return 0;
}
