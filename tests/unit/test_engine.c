/* test_engine.c — properties of the whole engine through the public API and the
 * internal case model:
 *  - monotonicity (DESIGN.md property 2): on generated cases, removing any subset of
 *    inputs yields the same outcome and amount, or REVIEW; never another
 *    GRANTED/DENIED, never another amount presented as certain;
 *  - the compiled program (compile.c) decides exactly as the reference evaluator
 *    (eval.c): on every generated case, full or with inputs removed, the same outcome
 *    and the same eligible and amount values (type and payload);
 *  - a rule set shared by threads gives byte-identical results to one thread;
 *  - API contract: misuse codes, option versions, dates, diagnostics with positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decide.h"
#include "case.h"
#include "compile.h"
#include "eval.h"
#include "model.h"

/* xorshift64*: deterministic, seeded, no global state */
typedef struct rng { uint64_t s; } rng;
static uint64_t rnd(rng *r)
{
    r->s ^= r->s >> 12; r->s ^= r->s << 25; r->s ^= r->s >> 27;
    return r->s * UINT64_C(2685821657736338717);
}
static int64_t rnd_range(rng *r, int64_t lo, int64_t hi) { return lo + (int64_t)(rnd(r) % (uint64_t)(hi - lo + 1)); }

typedef struct gen_cfg {
    int32_t date_lo, date_hi;      /* evaluation dates */
    int64_t money_hi_cents;        /* money inputs without max */
    int max_records;
} gen_cfg;

static dc_value random_value(rng *g, const dc_input *in, int32_t date, const gen_cfg *cfg)
{
    switch (in->type) {
    case DC_T_BOOL: return dc_v_make(DC_T_BOOL, (int64_t)(rnd(g) & 1));
    case DC_T_INT: return dc_v_make(DC_T_INT, rnd_range(g, in->has_min ? in->min.u.i : 0, in->has_max ? in->max.u.i : 10));
    case DC_T_MONEY: {
        /* half round amounts (hit thresholds), half arbitrary cents */
        int64_t hi = in->has_max ? in->max.u.i : cfg->money_hi_cents;
        int64_t v = rnd_range(g, 0, hi);
        if (rnd(g) & 1) v -= v % 100000;
        if (rnd(g) % 8 == 0) v = 0;
        return dc_v_make(DC_T_MONEY, v);
    }
    case DC_T_DECIMAL: case DC_T_RATE: return dc_v_make((dc_type_kind)in->type, rnd_range(g, 0, 1000000000));
    case DC_T_DATE: return dc_v_make(DC_T_DATE, date - rnd_range(g, 0, 23 * 366));
    case DC_T_ENUM: return dc_v_make(DC_T_ENUM, rnd_range(g, 0, (int64_t)in->n_enum_values - 1));
    default: return dc_v_unknown(in->type);
    }
}

static dc_case *random_case(rng *g, const dc_ruleset *rs, int32_t date, const gen_cfg *cfg)
{
    dc_case *c = dc_case_new(rs);
    assert_non_null(c);
    c->has_date = true;
    c->date = date;
    for (uint32_t i = 0; i < rs->n_inputs; i++) {
        const dc_input *in = &rs->inputs[i];
        if (in->entity >= 0 || in->type == DC_T_TEXT) continue;
        c->top[in->slot].value = random_value(g, in, date, cfg);   /* known: present */
    }
    for (uint32_t e = 0; e < rs->n_entities; e++) {
        const dc_entity *en = &rs->entities[e];
        int32_t n = (int32_t)rnd_range(g, 0, cfg->max_records);
        c->lists[e].count = n;
        c->lists[e].facts = dc_arena_zalloc(&c->arena, ((size_t)n * en->n_inputs + 1) * sizeof(dc_fact));
        c->lists[e].ids = NULL;
        for (int32_t k = 0; k < n; k++)
            for (uint32_t f = 0; f < en->n_inputs; f++) {
                const dc_input *in = &rs->inputs[en->first_input + f];
                if (in->type == DC_T_TEXT) continue;
                dc_fact *fa = &c->lists[e].facts[(size_t)k * en->n_inputs + f];
                fa->value = random_value(g, in, date, cfg);   /* known: present */
            }
    }
    return c;
}

/* A copy of c with each fact removed with probability num/8, lists removed rarely. */
static dc_case *remove_some(rng *g, const dc_ruleset *rs, const dc_case *c, unsigned num)
{
    dc_case *d = dc_case_new(rs);
    assert_non_null(d);
    d->has_date = c->has_date;
    d->date = c->date;
    for (uint32_t i = 0; i < rs->n_top_inputs; i++) {
        d->top[i] = c->top[i];
        if (rnd(g) % 8 < num) dc_fact_set_missing(&d->top[i], d->top[i].value.type);
    }
    for (uint32_t e = 0; e < rs->n_entities; e++) {
        const dc_entity *en = &rs->entities[e];
        int32_t n = c->lists[e].count;
        if (rnd(g) % 32 == 0) { d->lists[e].count = -1; continue; }
        d->lists[e].count = n;
        d->lists[e].facts = dc_arena_zalloc(&d->arena, ((size_t)(n > 0 ? n : 0) * en->n_inputs + 1) * sizeof(dc_fact));
        d->lists[e].ids = NULL;
        for (size_t k = 0; k < (size_t)(n > 0 ? n : 0) * en->n_inputs; k++) {
            d->lists[e].facts[k] = c->lists[e].facts[k];
            if (rnd(g) % 8 < num) dc_fact_set_missing(&d->lists[e].facts[k], d->lists[e].facts[k].value.type);
        }
    }
    return d;
}

static decide_ruleset *load(const char *path)
{
    decide_ruleset *rs = NULL;
    decide_diagnostics *d = NULL;
    int rc = decide_ruleset_load_file(&rs, &d, path, NULL);
    if (rc != DECIDE_OK) {
        for (size_t i = 0; i < decide_diagnostics_count(d); i++) {
            char *s = decide_diag_format(decide_diagnostics_get(d, i));
            fprintf(stderr, "%s\n", s);
            decide_free(s);
        }
    }
    decide_diagnostics_free(d);
    assert_int_equal(rc, DECIDE_OK);
    return rs;
}

/* Evaluates c again with the reference evaluator alone (the program detached for the
 * call: this test is single-threaded) and compares with r, which the program may have
 * decided. Counts the cases the program decided. */
static void check_reference(decide_result *r, decide_ruleset *prs, dc_case *c, decide_result *ref,
                            int *decided_by_program)
{
    dc_ruleset *rs = (dc_ruleset *)prs;
    struct dc_program *program = rs->program;
    rs->program = NULL;
    assert_int_equal(decide_evaluate(ref, prs, (decide_case *)c, NULL), DECIDE_OK);
    rs->program = program;
    assert_false(ref->fast);
    if (r->fast) (*decided_by_program)++;
    if (r->outcome != ref->outcome)
        fail_msg("program %s, reference %s", decide_outcome_name(r->outcome), decide_outcome_name(ref->outcome));
    const dc_ev *mine[2] = { &r->eligible, &r->amount }, *theirs[2] = { &ref->eligible, &ref->amount };
    for (int k = 0; k < 2; k++) {
        if ((mine[k]->why == NULL) != (theirs[k]->why == NULL))
            fail_msg("%s known in one evaluator only", k ? "amount" : "eligible");
        if (!mine[k]->why && (mine[k]->v.type != theirs[k]->v.type || mine[k]->v.u.i != theirs[k]->v.u.i))
            fail_msg("%s: program %d:%lld, reference %d:%lld", k ? "amount" : "eligible",
                     mine[k]->v.type, (long long)mine[k]->v.u.i, theirs[k]->v.type, (long long)theirs[k]->v.u.i);
    }
    /* a REVIEW after the program stopped: the reference evaluator took from the program
     * every value it could compute (dc_program_value); same missing facts, same
     * articles, same conflicts as from nothing */
    assert_int_equal(decide_result_missing_count(r), decide_result_missing_count(ref));
    for (size_t i = 0; i < decide_result_missing_count(r); i++) {
        const decide_missing *a = decide_result_missing(r, i), *b = decide_result_missing(ref, i);
        assert_string_equal(a->input, b->input);
        assert_string_equal(a->reason, b->reason);
        assert_int_equal(a->n_needed_by, b->n_needed_by);
        for (size_t j = 0; j < a->n_needed_by; j++) assert_string_equal(a->needed_by[j], b->needed_by[j]);
    }
    assert_int_equal(decide_result_conflict_count(r), decide_result_conflict_count(ref));
    for (size_t i = 0; i < decide_result_conflict_count(r); i++)
        for (int j = 0; j < 2; j++)
            assert_string_equal(decide_result_conflict(r, i)->rules[j], decide_result_conflict(ref, i)->rules[j]);
    /* every value, as the renderers ask for them: on a REVIEW the reference evaluator
     * took from the program each value that did not depend on what was missing
     * (dc_program_value); what is certain must be exactly what it finds alone */
    if (r->outcome == DECIDE_REVIEW || r->fast) {
        dc_evaluate_rest(r);
        rs->program = NULL;
        dc_evaluate_rest(ref);
        rs->program = program;
        for (uint32_t i = 0; i < rs->n_computeds; i++) {
            const dc_computed *cv = &rs->computeds[i];
            if (cv->entity >= 0) continue;
            const dc_ev *a = &r->memo_top[cv->slot].value, *b = &ref->memo_top[cv->slot].value;
            if ((a->why == NULL) != (b->why == NULL))
                fail_msg("%s: known in one evaluator only", cv->name);
            if (!a->why && (a->v.type != b->v.type || a->v.u.i != b->v.u.i || a->v.aux != b->v.aux))
                fail_msg("%s: program %lld, reference %lld", cv->name, (long long)a->v.u.i, (long long)b->v.u.i);
        }
    }
}

static bool same_value(dc_value a, dc_value b)
{
    return a.type == b.type && a.known == b.known && a.aux == b.aux && a.u.i == b.u.i;
}

/* Evaluates c with a trace (full or summary) with the traced program and with the
 * reference evaluator alone, and requires the same trace: nodes in the same order with
 * the same value, applied rule and how, the same reads in the same order, the same
 * skipped rules; every 16th time also the same JSON rendering (values computed after
 * the evaluation included). Counts the cases the traced program decided. */
static void check_traced(decide_ruleset *prs, dc_case *c, decide_result *r, decide_result *ref,
                         decide_trace_level level, bool render, int *decided_by_program)
{
    dc_ruleset *rs = (dc_ruleset *)prs;
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.trace = level;
    assert_int_equal(decide_evaluate(r, prs, (decide_case *)c, &eo), DECIDE_OK);
    struct dc_program *traced = rs->program_traced;
    rs->program_traced = NULL;
    assert_int_equal(decide_evaluate(ref, prs, (decide_case *)c, &eo), DECIDE_OK);
    rs->program_traced = traced;
    assert_false(ref->compiled);
    if (r->compiled) (*decided_by_program)++;
    assert_int_equal(r->outcome, ref->outcome);
    assert_int_equal(r->n_nodes, ref->n_nodes);
    assert_int_equal(r->n_order, ref->n_order);
    for (size_t i = 0; i < r->n_order; i++) assert_int_equal(r->order[i], ref->order[i]);
    for (size_t i = 0; i < r->n_nodes; i++) {
        const dc_trace_node *a = &r->nodes[i], *b = &ref->nodes[i];
        if (a->computed != b->computed || a->record != b->record || a->rule != b->rule || a->how != b->how ||
            (a->value.why == NULL) != (b->value.why == NULL) || !same_value(a->value.v, b->value.v))
            fail_msg("node %zu (%s[%d]): program rule %d how %d, reference rule %d how %d", i,
                     rs->computeds[b->computed].name, b->record, a->rule, a->how, b->rule, b->how);
        const dc_trace_read *x = a->reads, *y = b->reads;
        for (; x && y; x = x->next, y = y->next)
            if (x->kind != y->kind || x->index != y->index || x->record != y->record ||
                x->param_value != y->param_value || x->state != y->state || !same_value(x->value, y->value))
                fail_msg("node %zu (%s[%d]): reads differ", i, rs->computeds[b->computed].name, b->record);
        if (x || y) fail_msg("node %zu (%s[%d]): not as many reads", i, rs->computeds[b->computed].name, b->record);
        const dc_trace_skip *s = a->skipped, *t = b->skipped;
        for (; s && t; s = s->next, t = t->next)
            if (s->rule != t->rule || s->cond_unknown != t->cond_unknown)
                fail_msg("node %zu (%s[%d]): skipped rules differ", i, rs->computeds[b->computed].name, b->record);
        if (s || t) fail_msg("node %zu (%s[%d]): not as many skipped rules", i, rs->computeds[b->computed].name, b->record);
    }
    if (render) {
        decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
        ro.format = DECIDE_FORMAT_JSON;
        char *mine = NULL, *theirs = NULL;
        assert_int_equal(decide_result_render(&mine, NULL, r, &ro), DECIDE_OK);
        assert_int_equal(decide_result_render(&theirs, NULL, ref, &ro), DECIDE_OK);
        assert_string_equal(mine, theirs);
        decide_free(mine);
        decide_free(theirs);
    }
}

static void check_monotone(const char *path, const gen_cfg *cfg, int n_cases, uint64_t seed)
{
    decide_ruleset *prs = load(path);
    const dc_ruleset *rs = (const dc_ruleset *)prs;
    rng g = { seed };
    decide_result *full = NULL, *part = NULL, *ref = NULL;
    assert_int_equal(decide_result_new(&full), DECIDE_OK);
    assert_int_equal(decide_result_new(&part), DECIDE_OK);
    assert_int_equal(decide_result_new(&ref), DECIDE_OK);
    assert_non_null(rs->program);
    int counts[4] = { 0 }, reviews_after_removal = 0, by_program = 0, evaluations = 0, traced = 0;
    for (int i = 0; i < n_cases; i++) {
        int32_t date = (int32_t)rnd_range(&g, cfg->date_lo, cfg->date_hi);
        dc_case *c = random_case(&g, rs, date, cfg);
        check_traced(prs, c, full, ref, i % 2 ? DECIDE_TRACE_FULL : DECIDE_TRACE_SUMMARY, i % 16 == 0, &traced);
        assert_int_equal(decide_evaluate(full, prs, (decide_case *)c, NULL), DECIDE_OK);
        check_reference(full, prs, c, ref, &by_program);
        evaluations++;
        decide_outcome o = decide_result_outcome(full);
        int64_t amount = 0;
        int has_amount = decide_result_amount(full, &amount);
        counts[o]++;
        for (unsigned k = 1; k <= 3; k++) {
            dc_case *d = remove_some(&g, rs, c, k * 2 - 1);
            if (k == 1) check_traced(prs, d, part, ref, i % 2 ? DECIDE_TRACE_SUMMARY : DECIDE_TRACE_FULL, false, &traced);
            assert_int_equal(decide_evaluate(part, prs, (decide_case *)d, NULL), DECIDE_OK);
            check_reference(part, prs, d, ref, &by_program);
            evaluations++;
            decide_outcome p = decide_result_outcome(part);
            if (p != DECIDE_REVIEW) {
                if (p != o) fail_msg("case %d (seed %llu): full %s, after removal %s", i,
                                     (unsigned long long)seed, decide_outcome_name(o), decide_outcome_name(p));
                int64_t pa = 0;
                int has_pa = decide_result_amount(part, &pa);
                if (p == DECIDE_GRANTED && (!has_amount || !has_pa || pa != amount))
                    fail_msg("case %d: amount %lld became %lld after removing inputs", i,
                             (long long)amount, (long long)pa);
            } else {
                reviews_after_removal++;
                /* a REVIEW always says why */
                if (decide_result_missing_count(part) == 0 && decide_result_conflict_count(part) == 0)
                    fail_msg("case %d: REVIEW without any missing fact or conflict", i);
            }
            dc_case_free(d);
        }
        dc_case_free(c);
    }
    printf("# %s: %d cases: %d granted, %d denied, %d review; %d reviews after removals\n", path,
           n_cases, counts[DECIDE_GRANTED], counts[DECIDE_DENIED], counts[DECIDE_REVIEW],
           reviews_after_removal);
    printf("# %s: the compiled program decided %d of %d evaluations, each as the reference evaluator\n",
           path, by_program, evaluations);
    printf("# %s: the traced program decided %d of %d traced evaluations, each with the reference's trace\n",
           path, traced, 2 * n_cases);
    /* the generator must exercise every outcome, or the property says little */
    assert_true(by_program > 0);
    assert_true(traced > 0);
    assert_true(counts[DECIDE_GRANTED] > 0);
    assert_true(counts[DECIDE_DENIED] > 0);
    assert_true(reviews_after_removal > 0);
    decide_result_free(full);
    decide_result_free(part);
    decide_result_free(ref);
    decide_ruleset_free(prs);
}

static void test_monotone_engine(void **state)
{
    (void)state;
    /* the parameter is in force from 2024-01-01 to 2025-12-31: dates on either side too */
    gen_cfg cfg = { 19539 /* 2023-07-01 */, 20634 /* 2026-06-30 */, 150000, 4 };
    check_monotone("tests/rulesets/engine/semantics.xml", &cfg, 10000, 42);
}

static void test_monotone_booleans(void **state)
{
    (void)state;
    /* booleans the program computes and tests through jumps it may thread (compile.c,
     * thread_bools); no parameter, any date */
    gen_cfg cfg = { 19539 /* 2023-07-01 */, 20634 /* 2026-06-30 */, 150000, 4 };
    check_monotone("tests/rulesets/engine/booleans.xml", &cfg, 4000, 99);
}

static void test_monotone_brackets(void **state)
{
    (void)state;
    /* levels whose later rules the program does not check once an earlier one applies
     * (compile.c, excluded), and look-alikes that conflict; no parameter, any date */
    gen_cfg cfg = { 19539 /* 2023-07-01 */, 20634 /* 2026-06-30 */, 150000, 0 };
    check_monotone("tests/rulesets/engine/brackets.xml", &cfg, 4000, 1234);
}

static void test_monotone_af(void **state)
{
    (void)state;
    /* the parameters are in force between 2019-01-01 and 2026-12-31, not all of them
     * over the whole span: dates on either side too */
    gen_cfg cfg = { 17713 /* 2018-07-01 */, 20999 /* 2027-06-30 */, 15000000, 6 };
    check_monotone("rulesets/fr/allocations-familiales.xml", &cfg, 10000, 7);
}

/* ---- threads: one rule set, several threads, same bytes as one thread ---- */

typedef struct job {
    decide_ruleset *rs;
    dc_case **cases;
    int n;
    char **out;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    decide_result *r = NULL;
    decide_result_new(&r);
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.trace = DECIDE_TRACE_FULL;
    decide_render_options ro = DECIDE_RENDER_OPTIONS_INIT;
    ro.format = DECIDE_FORMAT_JSON;
    for (int i = 0; i < j->n; i++) {
        if (decide_evaluate(r, j->rs, (decide_case *)j->cases[i], &eo) != DECIDE_OK) { j->out[i] = NULL; continue; }
        decide_result_render(&j->out[i], NULL, r, &ro);
    }
    decide_result_free(r);
    return NULL;
}

static void test_threads_identical(void **state)
{
    (void)state;
    decide_ruleset *prs = load("rulesets/fr/allocations-familiales.xml");
    const dc_ruleset *rs = (const dc_ruleset *)prs;
    enum { N = 400, T = 4 };
    gen_cfg cfg = { 17987, 20818, 15000000, 6 };
    rng g = { 99 };
    dc_case *cases[N];
    for (int i = 0; i < N; i++) {
        cases[i] = random_case(&g, rs, (int32_t)rnd_range(&g, cfg.date_lo, cfg.date_hi), &cfg);
        if (i % 3 == 0) { dc_case *d = remove_some(&g, rs, cases[i], 1); dc_case_free(cases[i]); cases[i] = d; }
    }
    char *single[N], *multi[N];
    job one = { prs, cases, N, single };
    run_job(&one);
    pthread_t th[T];
    job jobs[T];
    for (int t = 0; t < T; t++) {
        jobs[t] = (job){ prs, cases + t * (N / T), N / T, multi + t * (N / T) };
        assert_int_equal(pthread_create(&th[t], NULL, run_job, &jobs[t]), 0);
    }
    for (int t = 0; t < T; t++) pthread_join(th[t], NULL);
    for (int i = 0; i < N; i++) {
        assert_non_null(single[i]);
        assert_non_null(multi[i]);
        assert_string_equal(single[i], multi[i]);
        decide_free(single[i]);
        decide_free(multi[i]);
        dc_case_free(cases[i]);
    }
    decide_ruleset_free(prs);
}

/* ---- API contract ---- */

static const char tiny[] =
    "<ruleset xmlns=\"urn:libdecide:ruleset:1\" id=\"t\" version=\"1\">\n"
    "  <title>t</title>\n"
    "  <sources><article id=\"a1\" code=\"Code de test\" num=\"L1\"><quote>q</quote></article></sources>\n"
    "  <inputs><input name=\"n\" type=\"int\" label=\"nombre\"/></inputs>\n"
    "  <variable name=\"ok\" type=\"bool\">\n"
    "    <rule id=\"r1\" source=\"a1\"><if>n &gt;= 2</if><then>true</then><explain>n = {n}</explain></rule>\n"
    "    <otherwise source=\"a1\">false</otherwise>\n"
    "  </variable>\n"
    "  <variable name=\"m\" type=\"money\"><rule id=\"r2\" source=\"a1\"><then>n * 10.00 €</then><explain>x</explain></rule></variable>\n"
    "  <decision eligible=\"ok\" amount=\"m\" period=\"month\"/>\n"
    "</ruleset>\n";

static void test_api_contract(void **state)
{
    (void)state;
    decide_ruleset *rs = NULL;
    decide_diagnostics *d = NULL;
    assert_int_equal(decide_ruleset_load_memory(NULL, NULL, tiny, sizeof tiny - 1, "tiny", NULL), DECIDE_EMISUSE);
    decide_load_options bad = { 99, 0 };
    assert_int_equal(decide_ruleset_load_memory(&rs, NULL, tiny, sizeof tiny - 1, "tiny", &bad), DECIDE_EMISUSE);
    assert_int_equal(decide_ruleset_load_file(&rs, &d, "/nonexistent/x.xml", NULL), DECIDE_EIO);
    assert_null(rs);
    assert_int_equal(decide_ruleset_load_memory(&rs, &d, tiny, sizeof tiny - 1, "tiny", NULL), DECIDE_OK);
    decide_diagnostics_free(d);
    assert_string_equal(decide_ruleset_id(rs), "t");

    decide_case *c = NULL;
    const char good[] = "{\"n\": 3}";
    assert_int_equal(decide_case_read_json(&c, NULL, rs, good, sizeof good - 1, "c"), DECIDE_OK);
    decide_result *r = NULL;
    assert_int_equal(decide_result_new(&r), DECIDE_OK);
    /* no date anywhere */
    assert_int_equal(decide_evaluate(r, rs, c, NULL), DECIDE_EDATE);
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.date = "2025-02-30";
    assert_int_equal(decide_evaluate(r, rs, c, &eo), DECIDE_EMISUSE);
    eo.date = "2025-02-28";
    assert_int_equal(decide_evaluate(r, rs, c, &eo), DECIDE_OK);
    assert_int_equal(decide_result_outcome(r), DECIDE_GRANTED);
    int64_t cents = 0;
    assert_true(decide_result_amount(r, &cents));
    assert_int_equal(cents, 3000);   /* 3 × 10,00 € */
    assert_string_equal(decide_result_date(r), "2025-02-28");
    const char *txt = NULL;
    assert_true(decide_result_value(r, "m", &txt));
    assert_string_equal(txt, "30.00");
    assert_false(decide_result_value(r, "nope", &txt));

    /* malformed case: ECASE with a position */
    decide_case *bad_case = NULL;
    const char broken[] = "{\"n\": 3,\n  \"x\" 4}";
    assert_int_equal(decide_case_read_json(&bad_case, &d, rs, broken, sizeof broken - 1, "broken.json"), DECIDE_ECASE);
    assert_null(bad_case);
    assert_true(decide_diagnostics_count(d) >= 1);
    assert_int_equal(decide_diagnostics_get(d, 0)->line, 2);
    decide_diagnostics_free(d);

    /* a rule set with an error reports file:line:col and the rule */
    char *broken_rs = strdup(tiny);
    char *p = strstr(broken_rs, "source=\"a1\"><if>");
    memcpy(p, "source=\"zz\"", 11);
    decide_ruleset *rs2 = NULL;
    assert_int_equal(decide_ruleset_load_memory(&rs2, &d, broken_rs, strlen(broken_rs), "broken.xml", NULL), DECIDE_ELOAD);
    assert_null(rs2);
    int found = 0;
    for (size_t i = 0; i < decide_diagnostics_count(d); i++) {
        const decide_diag *g = decide_diagnostics_get(d, i);
        if (!strcmp(g->code, "unknown-source")) {
            found = 1;
            assert_string_equal(g->file, "broken.xml");
            assert_int_equal(g->line, 6);
            assert_string_equal(g->rule, "r1");
        }
    }
    assert_true(found);
    decide_diagnostics_free(d);
    free(broken_rs);

    decide_render_options ro = { 42, DECIDE_FORMAT_TEXT, "fr", 0 };
    char *out = NULL;
    assert_int_equal(decide_result_render(&out, NULL, r, &ro), DECIDE_EMISUSE);
    ro.version = DECIDE_RENDER_OPTIONS_VERSION;
    ro.lang = "de";
    assert_int_equal(decide_result_render(&out, NULL, r, &ro), DECIDE_EMISUSE);
    decide_result_free(r);
    decide_case_free(c);
    decide_ruleset_free(rs);
}

/* One result object used with a rule set, which is then freed, and with another one
 * loaded afterwards (possibly at the same addresses): the compiled program's state
 * kept in the result must follow, and the answers equal a fresh result's. */
static void test_result_across_rulesets(void **state)
{
    (void)state;
    decide_result *r = NULL, *fresh = NULL;
    assert_int_equal(decide_result_new(&r), DECIDE_OK);
    assert_int_equal(decide_result_new(&fresh), DECIDE_OK);
    decide_eval_options eo = DECIDE_EVAL_OPTIONS_INIT;
    eo.date = "2025-02-28";
    for (int round = 0; round < 3; round++) {
        decide_ruleset *af = load("rulesets/fr/allocations-familiales.xml");
        decide_case *c = NULL;
        const char af_case[] = "{\"date\": \"2025-05-01\", \"residence\": \"metropole\", \"ressources\": 30000,"
            " \"charge_par_parent\": true, \"conditions_titre_I\": true, \"enfant_a_charge_avant_2012\": false,"
            " \"enfants\": []}";
        assert_int_equal(decide_case_read_json(&c, NULL, af, af_case, sizeof af_case - 1, "af"), DECIDE_OK);
        assert_int_equal(decide_evaluate(r, af, c, NULL), DECIDE_OK);
        assert_true(((const struct decide_result *)r)->fast);
        assert_int_equal(decide_result_outcome(r), DECIDE_DENIED);   /* no child: L521-1 */
        decide_case_free(c);
        decide_ruleset_free(af);

        decide_ruleset *t = NULL;
        assert_int_equal(decide_ruleset_load_memory(&t, NULL, tiny, sizeof tiny - 1, "tiny", NULL), DECIDE_OK);
        const char n4[] = "{\"n\": 4}";
        assert_int_equal(decide_case_read_json(&c, NULL, t, n4, sizeof n4 - 1, "c"), DECIDE_OK);
        assert_int_equal(decide_evaluate(r, t, c, &eo), DECIDE_OK);
        assert_int_equal(decide_evaluate(fresh, t, c, &eo), DECIDE_OK);
        int64_t a = 0, b = 0;
        assert_int_equal(decide_result_outcome(r), DECIDE_GRANTED);
        assert_true(decide_result_amount(r, &a));
        assert_true(decide_result_amount(fresh, &b));
        assert_int_equal(a, 4000);   /* 4 × 10,00 € */
        assert_int_equal(a, b);
        decide_case_free(c);
        decide_ruleset_free(t);
    }
    decide_result_free(r);
    decide_result_free(fresh);
}

/* A household of 300 children whose birth dates are all missing: each child's age
 * decides whether it is a dependent child (L. 512-3), so each birth date is missing,
 * 300 entries, none dropped however deep the reasons behind the decision are. */
static void test_missing_many_records(void **state)
{
    (void)state;
    enum { CHILDREN = 300 };
    decide_ruleset *af = load("rulesets/fr/allocations-familiales.xml");
    dc_buf b;
    dc_buf_init(&b);
    dc_buf_puts(&b, "{\"date\": \"2025-05-01\", \"residence\": \"metropole\", \"ressources\": 30000,"
                    " \"charge_par_parent\": true, \"conditions_titre_I\": true,"
                    " \"enfant_a_charge_avant_2012\": false, \"enfants\": [");
    for (int i = 0; i < CHILDREN; i++)
        dc_buf_printf(&b, "%s{\"remuneration_mensuelle\": 0, \"prise_en_charge\": \"effective_permanente\","
                          " \"a_deja_ouvert_droit_af\": true, \"apl_titre_personnel\": false}",
                      i ? ", " : "");
    dc_buf_puts(&b, "]}");
    assert_false(b.failed);
    decide_case *c = NULL;
    decide_result *r = NULL;
    assert_int_equal(decide_case_read_json(&c, NULL, af, b.data, b.len, "many"), DECIDE_OK);
    assert_int_equal(decide_result_new(&r), DECIDE_OK);
    assert_int_equal(decide_evaluate(r, af, c, NULL), DECIDE_OK);
    assert_int_equal(decide_result_outcome(r), DECIDE_REVIEW);
    assert_int_equal(decide_result_missing_count(r), CHILDREN);
    char seen[CHILDREN] = { 0 };
    for (size_t i = 0; i < CHILDREN; i++) {
        const decide_missing *m = decide_result_missing(r, i);
        int k = -1, end = 0;
        assert_int_equal(sscanf(m->input, "enfants[%d].date_naissance%n", &k, &end), 1);
        assert_true(k >= 0 && k < CHILDREN && m->input[end] == '\0' && !seen[k]);
        seen[k] = 1;
        bool l512_3 = false;
        for (size_t j = 0; j < m->n_needed_by; j++) l512_3 |= strcmp(m->needed_by[j], "css-L512-3") == 0;
        assert_true(l512_3);
    }
    decide_result_free(r);
    decide_case_free(c);
    dc_buf_free(&b);
    decide_ruleset_free(af);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_contract),
        cmocka_unit_test(test_monotone_engine),
        cmocka_unit_test(test_monotone_booleans),
        cmocka_unit_test(test_monotone_brackets),
        cmocka_unit_test(test_missing_many_records),
        cmocka_unit_test(test_monotone_af),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_result_across_rulesets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
