/* explain_json.c — renders a decision as JSON, following
 * rulesets/schema/decision.schema.json: the same content as the text motivation, as
 * data (outcome, exact amounts as strings, missing facts, conflicts, values, the four
 * CRPA sections, and the trace). Key order is fixed, so output is byte-stable. */
#include "eval.h"
#include <string.h>

typedef struct jctx {
    dc_buf *out;
    const decide_result *r;
    const char *lang;
    bool first;
    dc_buf tmp;
} jctx;

static void key(jctx *j, const char *k)
{
    if (!j->first) dc_buf_putc(j->out, ',');
    j->first = false;
    dc_buf_json_string(j->out, k);
    dc_buf_putc(j->out, ':');
}

static void open_obj(jctx *j) { dc_buf_putc(j->out, '{'); j->first = true; }
static void close_obj(jctx *j) { dc_buf_putc(j->out, '}'); j->first = false; }
static void open_arr(jctx *j) { dc_buf_putc(j->out, '['); j->first = true; }
static void close_arr(jctx *j) { dc_buf_putc(j->out, ']'); j->first = false; }
static void sep(jctx *j) { if (!j->first) dc_buf_putc(j->out, ','); j->first = false; }

static void str(jctx *j, const char *s)
{
    if (s) dc_buf_json_string(j->out, s);
    else dc_buf_puts(j->out, "null");
}

static void kstr(jctx *j, const char *k, const char *s) { key(j, k); str(j, s); }

static void value_json(jctx *j, dc_ev v, int32_t enum_of)
{
    if (v.why) { dc_buf_puts(j->out, "null"); return; }
    dc_value_json(j->out, v.v, enum_of >= 0 ? j->r->rs->inputs[enum_of].enum_values : NULL);
}

static void article_ref(jctx *j, int32_t article)
{
    const dc_ruleset *rs = j->r->rs;
    if (article < 0) { dc_buf_puts(j->out, "null"); return; }
    dc_buf_clear(&j->tmp);
    dc_article_cite(&j->tmp, &rs->articles[article], j->lang);
    open_obj(j);
    kstr(j, "id", rs->articles[article].id);
    kstr(j, "citation", j->tmp.data);
    kstr(j, "legi", rs->articles[article].legi);
    close_obj(j);
}

static void record_ref(jctx *j, int32_t entity, int32_t record)
{
    if (record < 0) { dc_buf_puts(j->out, "null"); return; }
    const char *id = j->r->c->lists[entity].ids ? j->r->c->lists[entity].ids[record] : NULL;
    open_obj(j);
    kstr(j, "list", j->r->rs->entities[entity].plural);
    key(j, "index");
    dc_buf_printf(j->out, "%d", record);
    kstr(j, "id", id);
    close_obj(j);
}

static void data_entry(const dc_trace_read *rd, void *ctx)
{
    jctx *j = ctx;
    const dc_input *in = &j->r->rs->inputs[rd->index];
    sep(j);
    open_obj(j);
    dc_buf_clear(&j->tmp);
    dc_case_fact_path(&j->tmp, j->r->rs, rd->index, rd->record);
    kstr(j, "input", j->tmp.data);
    kstr(j, "label", in->label);
    key(j, "value");
    if (rd->state == DC_FACT_PRESENT)
        dc_value_json(j->out, rd->value, in->type == DC_T_ENUM ? in->enum_values : NULL);
    else
        dc_buf_puts(j->out, "null");
    kstr(j, "state", rd->state == DC_FACT_PRESENT ? "present"
                     : rd->state == DC_FACT_INVALID ? "invalid" : "missing");
    kstr(j, "source", "case");
    dc_buf_clear(&j->tmp);
    dc_render_data_line(&j->tmp, j->r, rd, j->lang);
    kstr(j, "text", j->tmp.data);
    close_obj(j);
    j->first = false;
}

static void param_entry(const dc_trace_read *rd, void *ctx)
{
    jctx *j = ctx;
    const dc_param *p = &j->r->rs->params[rd->index];
    sep(j);
    open_obj(j);
    kstr(j, "name", p->name);
    kstr(j, "label", p->label);
    if (rd->param_value >= 0) {
        const dc_param_value *pv = &p->values[rd->param_value];
        key(j, "value");
        dc_value_json(j->out, pv->value, NULL);
        key(j, "from");
        dc_value_json(j->out, dc_v_make(DC_T_DATE, pv->from), NULL);
        key(j, "source");
        article_ref(j, pv->source.article);
    } else {
        kstr(j, "value", NULL);
    }
    dc_buf_clear(&j->tmp);
    dc_render_param_line(&j->tmp, j->r, rd, j->lang);
    kstr(j, "text", j->tmp.data);
    close_obj(j);
    j->first = false;
}

static const char *how_name(uint8_t how)
{
    switch (how) {
    case DC_HOW_RULE: return "rule";
    case DC_HOW_OTHERWISE: return "otherwise";
    case DC_HOW_UNKNOWN: return "unknown";
    case DC_HOW_CONFLICT: return "conflict";
    default: return "none";
    }
}

static void node_head(jctx *j, const dc_trace_node *n)
{
    const dc_ruleset *rs = j->r->rs;
    const dc_computed *cv = &rs->computeds[n->computed];
    const dc_rule *rule = n->rule >= 0 ? rs->all_rules[n->rule] : NULL;
    kstr(j, "value", cv->name);
    key(j, "record");
    record_ref(j, cv->entity, n->record);
    key(j, "result");
    value_json(j, n->value, cv->enum_of);
    kstr(j, "how", how_name(n->how));
    kstr(j, "rule", rule ? (rule->id ? rule->id : (rule == cv->otherwise ? "otherwise" : cv->name)) : NULL);
    key(j, "article");
    article_ref(j, rule ? rule->source.article : -1);
}

int dc_render_json(dc_buf *out, const decide_result *r, const char *lang)
{
    const dc_ruleset *rs = r->rs;
    jctx j = { out, r, lang, true, { 0 } };
    dc_buf_init(&j.tmp);

    open_obj(&j);
    kstr(&j, "outcome", decide_outcome_name(r->outcome));
    key(&j, "amount");
    if (rs->amount >= 0 && !r->amount.why && r->outcome == DECIDE_GRANTED) {
        dc_buf_clear(&j.tmp);
        dc_value_canonical(&j.tmp, r->amount.v, NULL);
        str(&j, j.tmp.data);
    } else {
        dc_buf_puts(out, "null");
    }
    kstr(&j, "period", rs->period == DC_PERIOD_MONTH ? "month" : rs->period == DC_PERIOD_YEAR ? "year" : "once");
    kstr(&j, "date", r->date_text);   /* filled by the caller (decide_result_render) */
    key(&j, "ruleset");
    open_obj(&j);
    kstr(&j, "id", rs->id);
    kstr(&j, "version", rs->version);
    kstr(&j, "title", rs->title);
    close_obj(&j);

    key(&j, "missing");
    open_arr(&j);
    for (size_t i = 0; i < r->n_missing; i++) {
        const decide_missing *m = &r->missing[i];
        sep(&j);
        open_obj(&j);
        kstr(&j, "input", m->input);
        kstr(&j, "label", m->label);
        kstr(&j, "reason", m->reason);
        if (m->detail) kstr(&j, "detail", m->detail);
        key(&j, "needed_by");
        open_arr(&j);
        for (size_t k = 0; k < m->n_needed_by; k++) { sep(&j); str(&j, m->needed_by[k]); }
        close_arr(&j);
        close_obj(&j);
        j.first = false;
    }
    close_arr(&j);

    key(&j, "conflicts");
    open_arr(&j);
    for (size_t i = 0; i < r->n_conflicts; i++) {
        const decide_conflict *c = &r->conflicts[i];
        sep(&j);
        open_obj(&j);
        kstr(&j, "variable", c->variable);
        key(&j, "rules");
        open_arr(&j); sep(&j); str(&j, c->rules[0]); sep(&j); str(&j, c->rules[1]); close_arr(&j);
        key(&j, "articles");
        open_arr(&j); sep(&j); str(&j, c->articles[0]); sep(&j); str(&j, c->articles[1]); close_arr(&j);
        close_obj(&j);
        j.first = false;
    }
    close_arr(&j);

    key(&j, "values");
    open_obj(&j);
    for (uint32_t k = 0; k < rs->n_computeds; k++) {
        const dc_computed *cv = &rs->computeds[k];
        if (cv->entity >= 0) continue;
        key(&j, cv->name);
        const dc_memo *m = r->memo_top ? &r->memo_top[cv->slot] : NULL;
        if (m && m->state == 2) value_json(&j, m->value, cv->enum_of);
        else dc_buf_puts(out, "null");
    }
    close_obj(&j);

    key(&j, "motivation");
    open_obj(&j);
    dc_buf_clear(&j.tmp);
    dc_render_contribution(&j.tmp, r, lang);
    kstr(&j, "contribution", j.tmp.data);
    key(&j, "data");
    open_arr(&j);
    dc_for_each_used(r, DC_READ_INPUT, data_entry, &j);
    close_arr(&j);
    key(&j, "parameters");
    open_arr(&j);
    dc_for_each_used(r, DC_READ_PARAM, param_entry, &j);
    close_arr(&j);
    key(&j, "operations");
    open_arr(&j);
    for (size_t i = 0; i < r->n_order; i++) {
        const dc_trace_node *n = dc_trace_at(r, i);
        if (!n->reached) continue;
        sep(&j);
        open_obj(&j);
        node_head(&j, n);
        dc_buf_clear(&j.tmp);
        dc_render_explanation(&j.tmp, r, n, lang);
        kstr(&j, "explanation", j.tmp.data);
        const dc_rule *rule = n->rule >= 0 ? rs->all_rules[n->rule] : NULL;
        key(&j, "formula");
        if (rule && rule->then_text) {
            dc_buf_clear(&j.tmp);
            dc_buf_puts_folded(&j.tmp, rule->then_text);
            str(&j, j.tmp.data);
        } else {
            dc_buf_puts(out, "null");
        }
        close_obj(&j);
        j.first = false;
    }
    close_arr(&j);
    close_obj(&j);

    key(&j, "trace");
    open_arr(&j);
    for (size_t i = 0; i < r->n_order; i++) {
        const dc_trace_node *n = dc_trace_at(r, i);
        sep(&j);
        open_obj(&j);
        node_head(&j, n);
        key(&j, "contributes");
        dc_buf_puts(out, n->reached ? "true" : "false");
        key(&j, "reads");
        open_arr(&j);
        for (const dc_trace_read *rd = n->reads; rd; rd = rd->next) {
            sep(&j);
            open_obj(&j);
            kstr(&j, "kind", rd->kind == DC_READ_INPUT ? "input" : rd->kind == DC_READ_PARAM ? "parameter" : "value");
            dc_buf_clear(&j.tmp);
            int32_t enum_of = -1;
            if (rd->kind == DC_READ_INPUT) {
                dc_case_fact_path(&j.tmp, rs, rd->index, rd->record);
                if (rs->inputs[rd->index].type == DC_T_ENUM) enum_of = rd->index;
            } else if (rd->kind == DC_READ_PARAM) {
                dc_buf_puts(&j.tmp, rs->params[rd->index].name);
            } else {
                dc_buf_puts(&j.tmp, rs->computeds[rd->index].name);
                enum_of = rs->computeds[rd->index].enum_of;
                if (rd->record >= 0) dc_buf_printf(&j.tmp, "[%d]", rd->record);
            }
            kstr(&j, "name", j.tmp.data);
            key(&j, "value");
            if (rd->value.known && rd->value.type != DC_T_LIST) dc_value_json(out, rd->value, enum_of >= 0 ? rs->inputs[enum_of].enum_values : NULL);
            else dc_buf_puts(out, "null");
            close_obj(&j);
            j.first = false;
        }
        close_arr(&j);
        key(&j, "skipped");
        open_arr(&j);
        for (const dc_trace_skip *s = n->skipped; s; s = s->next) {
            const dc_rule *ru = rs->all_rules[s->rule];
            sep(&j);
            open_obj(&j);
            kstr(&j, "rule", ru->id);
            key(&j, "condition");
            dc_buf_clear(&j.tmp);
            dc_buf_puts_folded(&j.tmp, ru->cond_text ? ru->cond_text : "");
            str(&j, ru->cond_text ? j.tmp.data : NULL);
            kstr(&j, "condition_value", s->cond_unknown ? "unknown" : "false");
            close_obj(&j);
            j.first = false;
        }
        close_arr(&j);
        close_obj(&j);
        j.first = false;
    }
    close_arr(&j);
    close_obj(&j);
    dc_buf_putc(out, '\n');
    dc_buf_free(&j.tmp);
    return out->failed ? -1 : 0;
}
