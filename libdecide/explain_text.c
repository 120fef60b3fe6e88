/* explain_text.c — renders a decision and its motivation for people, in French or
 * English, as plain text or HTML, organised along the four items of CRPA R311-3-1-2:
 * (1) how the processing contributed to the decision, (2) the data used and their
 * sources, (3) the parameters applied to the person's situation, (4) the operations
 * carried out, each with its article cited in full. Also the shared pieces the JSON
 * renderer uses: value formatting, citations, explanation sentences. */
#include "eval.h"
#include <string.h>

static bool is_en(const char *lang) { return lang && strcmp(lang, "en") == 0; }
#define L(fr, en) (is_en(lang) ? (en) : (fr))

void dc_format_for(dc_buf *out, const dc_ruleset *rs, dc_value v, int32_t enum_of, const char *lang)
{
    const char *const *names = enum_of >= 0 ? rs->inputs[enum_of].enum_values : NULL;
    dc_value_format(out, v, lang, names);
}

/* The record of a trace node, for people: "enfant e1" / "enfant n° 2". */
void dc_render_record(dc_buf *out, const decide_result *r, int32_t entity, int32_t record, const char *lang)
{
    const dc_entity *en = &r->rs->entities[entity];
    const char *id = r->c->lists[entity].ids ? r->c->lists[entity].ids[record] : NULL;
    if (id) dc_buf_printf(out, "%s %s", en->name, id);
    else dc_buf_printf(out, "%s %s%d", en->name, L("n° ", "#"), record + 1);
}

/* Value of a placeholder expression in the context of a trace node. */
static void render_placeholder(dc_buf *out, const decide_result *r, const dc_trace_node *n,
                               const dc_expr *e, const char *lang)
{
    const dc_ruleset *rs = r->rs;
    dc_value v = dc_v_unknown(DC_T_BOOL);
    int32_t enum_of = e->enum_of;
    switch ((dc_expr_kind)e->kind) {
    case DC_E_INPUT: case DC_E_FIELD: {
        const dc_input *in = &rs->inputs[e->ref];
        const dc_fact *f = in->entity < 0 || (n->record >= 0 && r->c->lists[in->entity].count > n->record)
                           ? dc_case_fact(r->c, e->ref, n->record) : NULL;
        if (f && f->value.known) v = f->value;
        enum_of = in->type == DC_T_ENUM ? e->ref : -1;
        break;
    }
    case DC_E_PARAM: {
        int32_t i = dc_param_value_at(&rs->params[e->ref], r->date);
        if (i >= 0) v = rs->params[e->ref].values[i].value;
        break;
    }
    case DC_E_COMPUTED: case DC_E_RECORD_COMPUTED: {
        const dc_trace_node *dep = dc_trace_find(r, e->ref, e->kind == DC_E_COMPUTED ? -1 : n->record);
        if (dep && !dep->value.why) v = dep->value.v;
        else if (e->kind == DC_E_COMPUTED && r->memo_top) {
            const dc_memo *m = dc_memo_top(r, e->ref);
            if (m->state == 2 && !m->value.why) v = m->value.v;
        }
        enum_of = rs->computeds[e->ref].enum_of;
        break;
    }
    case DC_E_EVAL_DATE:
        v = dc_v_make(DC_T_DATE, r->date);
        break;
    default:
        dc_expr_print(out, e, rs);
        return;
    }
    dc_format_for(out, rs, v, enum_of, lang);
}

/* The explanation sentence of a node: its rule's template, or a generated sentence. */
void dc_render_explanation(dc_buf *out, const decide_result *r, const dc_trace_node *n, const char *lang)
{
    const dc_ruleset *rs = r->rs;
    const dc_computed *cv = &rs->computeds[n->computed];
    const dc_rule *rule = n->rule >= 0 ? rs->all_rules[n->rule] : NULL;
    if (rule && rule->explain && rule->explain->n_parts && !is_en(lang)) {
        for (uint32_t i = 0; i < rule->explain->n_parts; i++) {
            const dc_tpl_part *p = &rule->explain->parts[i];
            if (p->text) dc_buf_puts(out, p->text);
            else render_placeholder(out, r, n, p->expr, lang);
        }
        return;
    }
    /* generated sentence (and the English rendering: templates are written in the
     * rule set's language) */
    if (n->value.why) {
        dc_buf_printf(out, L("%s n'a pas pu être déterminé", "%s could not be determined"), cv->label);
        return;
    }
    if (rule && rule->source.article >= 0) {
        dc_buf_puts(out, L("En application de l'", "Under "));
        dc_article_cite(out, &rs->articles[rule->source.article], lang);
        dc_buf_puts(out, ", ");
    }
    dc_buf_printf(out, "%s %s ", cv->label, L("vaut", "is"));
    dc_format_for(out, rs, n->value.v, cv->enum_of, lang);
    dc_buf_putc(out, '.');
}

void dc_render_contribution(dc_buf *out, const decide_result *r, const char *lang)
{
    const dc_ruleset *rs = r->rs;
    dc_buf date;
    dc_buf_init(&date);
    dc_date_format(&date, r->date, lang);
    if (is_en(lang))
        dc_buf_printf(out, "This decision was determined by an algorithmic processing (libdecide) "
                      "applying the rules \"%s\" (%s, version %s), written from the articles cited "
                      "below, to the data of your file, at %s.", rs->title ? rs->title : rs->id,
                      rs->id, rs->version, date.data);
    else
        dc_buf_printf(out, "Cette décision a été déterminée par un traitement algorithmique "
                      "(libdecide) appliquant les règles « %s » (%s, version %s), écrites à partir "
                      "des articles cités ci-dessous, aux données de votre dossier, au %s.",
                      rs->title ? rs->title : rs->id, rs->id, rs->version, date.data);
    dc_buf_free(&date);
    if (r->outcome == DECIDE_REVIEW)
        dc_buf_puts(out, L(" Le traitement n'a pas pu conclure à partir des seules données connues : "
                           "votre dossier est transmis à un agent pour examen. Aucune suspension ni "
                           "aucun refus n'est décidé du seul fait de données manquantes.",
                           " The processing could not conclude from the known data alone: your file "
                           "is sent to a caseworker for review. No suspension or refusal is decided "
                           "because of missing data."));
    else
        dc_buf_puts(out, L(" Vous pouvez demander la communication des règles appliquées et de leur "
                           "mise en œuvre dans votre situation (article L. 311-3-1 du code des "
                           "relations entre le public et l'administration).",
                           " You may request the rules applied and how they were applied to your "
                           "situation (article L. 311-3-1 of the Code des relations entre le public "
                           "et l'administration)."));
}

const char *dc_outcome_words(decide_outcome o, const char *lang)
{
    switch (o) {
    case DECIDE_GRANTED: return L("droit accordé", "granted");
    case DECIDE_DENIED: return L("droit refusé", "denied");
    default: return L("examen par un agent", "referred to a caseworker");
    }
}

static const char *period_words(dc_period p, const char *lang)
{
    switch (p) {
    case DC_PERIOD_MONTH: return L(" par mois", " per month");
    case DC_PERIOD_YEAR: return L(" par an", " per year");
    default: return "";
    }
}

/* Appends text with every run of white space folded into one space (formulas are
 * written across lines in the rule set). */
void dc_buf_puts_folded(dc_buf *out, const char *s)
{
    bool space = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') { space = true; continue; }
        if (space && out->len) dc_buf_putc(out, ' ');
        space = false;
        dc_buf_putc(out, *s);
    }
}

/* ---- text / HTML output ------------------------------------------------------ */

typedef struct out_ctx {
    dc_buf *out;
    int html;
    const char *lang;
} out_ctx;

static void heading(out_ctx *o, const char *text)
{
    if (o->html) { dc_buf_puts(o->out, "<h2>"); dc_buf_html(o->out, text); dc_buf_puts(o->out, "</h2>\n"); }
    else dc_buf_printf(o->out, "\n%s\n", text);
}

static void para(out_ctx *o, const char *text)
{
    if (o->html) { dc_buf_puts(o->out, "<p>"); dc_buf_html(o->out, text); dc_buf_puts(o->out, "</p>\n"); }
    else dc_buf_printf(o->out, "  %s\n", text);
}

static void list_open(out_ctx *o) { if (o->html) dc_buf_puts(o->out, "<ul>\n"); }
static void list_close(out_ctx *o) { if (o->html) dc_buf_puts(o->out, "</ul>\n"); }
static void item(out_ctx *o, const char *text)
{
    if (o->html) { dc_buf_puts(o->out, "<li>"); dc_buf_html(o->out, text); dc_buf_puts(o->out, "</li>\n"); }
    else dc_buf_printf(o->out, "  - %s\n", text);
}

static void subitem(out_ctx *o, const char *text)
{
    if (o->html) { dc_buf_puts(o->out, "<li class=\"skipped\">"); dc_buf_html(o->out, text); dc_buf_puts(o->out, "</li>\n"); }
    else dc_buf_printf(o->out, "      · %s\n", text);
}

/* Calls fn once per distinct input (per record) or parameter read by a node that
 * contributed to the decision, in trace order. Quadratic in the reads of the reached
 * nodes, which number in the tens for a household. */
void dc_for_each_used(const decide_result *r, dc_read_kind kind,
                      void (*fn)(const dc_trace_read *rd, void *ctx), void *ctx)
{
    for (size_t i = 0; i < r->n_order; i++) {
        const dc_trace_node *n = dc_trace_at(r, i);
        if (!n->reached) continue;
        for (const dc_trace_read *rd = n->reads; rd; rd = rd->next) {
            if (rd->kind != kind || rd->value.type == DC_T_LIST) continue;
            bool seen = false;
            for (size_t j = 0; j <= i && !seen; j++) {
                if (!dc_trace_at(r, j)->reached) continue;
                for (const dc_trace_read *p = dc_trace_at(r, j)->reads; p && !seen; p = p->next) {
                    if (p == rd) break;
                    seen = p->kind == kind && p->index == rd->index && p->record == rd->record;
                }
            }
            if (!seen) fn(rd, ctx);
        }
    }
}

typedef struct line_ctx { out_ctx *o; dc_buf *line; const decide_result *r; size_t count; } line_ctx;

static void data_item(const dc_trace_read *rd, void *ctx)
{
    line_ctx *l = ctx;
    dc_buf_clear(l->line);
    dc_render_data_line(l->line, l->r, rd, l->o->lang);
    item(l->o, l->line->data);
    l->count++;
}

static void param_item(const dc_trace_read *rd, void *ctx)
{
    line_ctx *l = ctx;
    dc_buf_clear(l->line);
    dc_render_param_line(l->line, l->r, rd, l->o->lang);
    item(l->o, l->line->data);
    l->count++;
}

/* Data used: each input read by a node that contributed, once. */
void dc_render_data_line(dc_buf *b, const decide_result *r, const dc_trace_read *rd, const char *lang)
{
    const dc_ruleset *rs = r->rs;
    const dc_input *in = &rs->inputs[rd->index];
    dc_buf_puts(b, in->label);
    if (rd->record >= 0) {
        dc_buf_puts(b, " (");
        dc_render_record(b, r, in->entity, rd->record, lang);
        dc_buf_puts(b, ")");
    }
    dc_buf_puts(b, L(" : ", ": "));
    if (rd->state == DC_FACT_PRESENT) dc_format_for(b, rs, rd->value, in->type == DC_T_ENUM ? rd->index : -1, lang);
    else if (rd->state == DC_FACT_INVALID) dc_buf_puts(b, L("invalide", "invalid"));
    else dc_buf_puts(b, L("non renseigné", "not provided"));
    dc_buf_puts(b, L(" (source : votre dossier, champ « ", " (source: your file, field \""));
    dc_case_fact_path(b, rs, rd->index, rd->record);
    dc_buf_puts(b, L(" »)", "\")"));
}

void dc_render_param_line(dc_buf *b, const decide_result *r, const dc_trace_read *rd, const char *lang)
{
    const dc_ruleset *rs = r->rs;
    const dc_param *p = &rs->params[rd->index];
    dc_buf_printf(b, "%s%s", p->label, L(" : ", ": "));
    if (rd->param_value < 0) {
        dc_buf_puts(b, L("aucune valeur en vigueur à cette date", "no value in force at that date"));
        return;
    }
    const dc_param_value *pv = &p->values[rd->param_value];
    dc_format_for(b, rs, pv->value, -1, lang);
    dc_buf_puts(b, L(", en vigueur depuis le ", ", in force since "));
    dc_date_format(b, pv->from, lang);
    if (pv->source.article >= 0) {
        dc_buf_puts(b, " (");
        dc_article_cite(b, &rs->articles[pv->source.article], lang);
        dc_buf_puts(b, ")");
    }
}

void dc_render_operation(dc_buf *b, const decide_result *r, const dc_trace_node *n, const char *lang)
{
    const dc_ruleset *rs = r->rs;
    const dc_computed *cv = &rs->computeds[n->computed];
    dc_buf_puts(b, cv->label);
    if (n->record >= 0) {
        dc_buf_puts(b, " (");
        dc_render_record(b, r, cv->entity, n->record, lang);
        dc_buf_puts(b, ")");
    }
    dc_buf_puts(b, " = ");
    if (n->value.why) dc_buf_puts(b, L("inconnu", "unknown"));
    else dc_format_for(b, rs, n->value.v, cv->enum_of, lang);
    const dc_rule *rule = n->rule >= 0 ? rs->all_rules[n->rule] : NULL;
    if (rule && rule->source.article >= 0) {
        dc_buf_puts(b, " — ");
        dc_article_cite(b, &rs->articles[rule->source.article], lang);
        if (rule->source.alinea) dc_buf_printf(b, L(", alinéa %u", ", paragraph %u"), rule->source.alinea);
    }
    /* the line already says value and article: add the explanation only when the
     * rule set wrote one (the generated sentence would repeat the line) */
    bool templated = rule && rule->explain && rule->explain->n_parts && !is_en(lang);
    if (templated || n->value.why) {
        dc_buf_puts(b, L(" : ", ": "));
        dc_render_explanation(b, r, n, lang);
    }
    if (rule && rule->then_text && n->how != DC_HOW_CONFLICT) {
        dc_buf_puts(b, L(" [calcul : ", " [computation: "));
        dc_buf_puts_folded(b, rule->then_text);
        dc_buf_puts(b, "]");
    }
}

int dc_render_text(dc_buf *out, const decide_result *r, const char *lang, int verbose, int html)
{
    const dc_ruleset *rs = r->rs;
    out_ctx o = { out, html, lang };
    dc_buf line;
    dc_buf_init(&line);

    if (html)
        dc_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head><meta charset=\"utf-8\">"
                      "<title>%s</title></head>\n<body>\n<h1>", is_en(lang) ? "en" : "fr",
                      L("Décision et motivation", "Decision and reasons"));
    dc_buf_printf(&line, "%s%s%s", L("Décision", "Decision"), L(" : ", ": "), dc_outcome_words(r->outcome, lang));
    if (r->outcome == DECIDE_GRANTED && rs->amount >= 0) {
        dc_buf_puts(&line, " — ");
        dc_format_for(&line, rs, r->amount.v, -1, lang);
        dc_buf_puts(&line, period_words(rs->period, lang));
    }
    if (html) { dc_buf_html(out, line.data); dc_buf_puts(out, "</h1>\n"); }
    else dc_buf_printf(out, "%s\n", line.data);

    dc_buf_clear(&line);
    dc_buf_printf(&line, "%s%s%s (%s, version %s) — %s ", L("Règles", "Rules"), L(" : ", ": "),
                  rs->title ? rs->title : rs->id, rs->id, rs->version,
                  L("date d'évaluation :", "evaluation date:"));
    dc_date_format(&line, r->date, lang);
    para(&o, line.data);

    if (r->outcome == DECIDE_REVIEW) {
        heading(&o, L("Ce qui manque pour décider", "What is needed to decide"));
        list_open(&o);
        for (size_t i = 0; i < r->n_missing; i++) {
            const decide_missing *m = &r->missing[i];
            dc_buf_clear(&line);
            dc_buf_printf(&line, "%s (%s)%s", m->label ? m->label : m->input, m->input, L(" : ", ": "));
            if (strcmp(m->reason, "missing") == 0) dc_buf_puts(&line, L("non renseigné", "not provided"));
            else if (strcmp(m->reason, "invalid") == 0) {
                dc_buf_puts(&line, L("invalide", "invalid"));
                if (m->detail) dc_buf_printf(&line, " (%s)", m->detail);
            } else if (strcmp(m->reason, "no-value-in-force") == 0)
                dc_buf_puts(&line, L("aucune valeur en vigueur à la date d'évaluation : la période "
                                     "n'est pas couverte par ces règles",
                                     "no value in force at the evaluation date: the period is not "
                                     "covered by these rules"));
            else dc_buf_puts(&line, L("aucune règle ne s'applique", "no rule applies"));
            if (m->n_needed_by) {
                dc_buf_puts(&line, L(" — nécessaire à l'application de l'", " — needed to apply "));
                for (size_t k = 0; k < m->n_needed_by; k++) {
                    int32_t a = dc_rs_find_article(rs, m->needed_by[k]);
                    if (k) dc_buf_puts(&line, L(" et de l'", " and "));
                    if (a >= 0) dc_article_cite(&line, &rs->articles[a], lang);
                }
            }
            item(&o, line.data);
        }
        for (size_t i = 0; i < r->n_conflicts; i++) {
            const decide_conflict *c = &r->conflicts[i];
            dc_buf_clear(&line);
            dc_buf_printf(&line, L("conflit sur « %s » : les règles %s et %s s'appliquent toutes deux "
                                   "avec des résultats différents",
                                   "conflict on \"%s\": rules %s and %s both apply with different results"),
                          c->variable, c->rules[0], c->rules[1]);
            for (int k = 0; k < 2; k++) {
                int32_t a = c->articles[k] ? dc_rs_find_article(rs, c->articles[k]) : -1;
                if (a < 0 || (k == 1 && c->articles[0] && !strcmp(c->articles[0], c->articles[1]))) continue;
                dc_buf_puts(&line, k ? L(" et ", " and ") : " (");
                dc_article_cite(&line, &rs->articles[a], lang);
            }
            if (c->articles[0] || c->articles[1]) dc_buf_puts(&line, ")");
            item(&o, line.data);
        }
        list_close(&o);
        heading(&o, L("Ce qui est déjà établi", "What is already established"));
        list_open(&o);
        size_t shown = 0;
        for (uint32_t k = 0; k < rs->n_computeds; k++) {
            const dc_computed *cv = &rs->computeds[k];
            if (cv->entity >= 0 || !cv->is_variable || !r->memo_top) continue;
            const dc_memo *m = dc_memo_top(r, (int32_t)k);
            if (m->state != 2 || m->value.why) continue;
            dc_buf_clear(&line);
            dc_buf_printf(&line, "%s%s", cv->label, L(" : ", ": "));
            dc_format_for(&line, rs, m->value.v, cv->enum_of, lang);
            item(&o, line.data);
            shown++;
        }
        if (!shown) item(&o, L("rien de plus que les données ci-dessous", "nothing beyond the data below"));
        list_close(&o);
    }

    heading(&o, L("1. Contribution du traitement algorithmique à la décision",
                  "1. How the algorithmic processing contributed to the decision"));
    dc_buf_clear(&line);
    dc_render_contribution(&line, r, lang);
    para(&o, line.data);

    if (r->trace_level < DECIDE_TRACE_SUMMARY) {
        para(&o, L("(motivation détaillée non enregistrée : évaluer avec la trace)",
                   "(detailed reasons not recorded: evaluate with the trace on)"));
        if (html) dc_buf_puts(out, "</body>\n</html>\n");
        dc_buf_free(&line);
        return out->failed ? -1 : 0;
    }

    heading(&o, L("2. Données utilisées et leur source", "2. Data used and their sources"));
    list_open(&o);
    line_ctx lc = { &o, &line, r, 0 };
    dc_for_each_used(r, DC_READ_INPUT, data_item, &lc);
    if (!lc.count) item(&o, L("aucune donnée lue (trace « summary » : évaluer avec la trace complète)",
                              "no data read (summary trace: evaluate with the full trace)"));
    list_close(&o);

    heading(&o, L("3. Paramètres appliqués à votre situation", "3. Parameters applied to your situation"));
    list_open(&o);
    lc.count = 0;
    dc_for_each_used(r, DC_READ_PARAM, param_item, &lc);
    if (!lc.count) item(&o, L("aucun", "none"));
    list_close(&o);

    heading(&o, L("4. Opérations effectuées", "4. Operations carried out"));
    list_open(&o);
    for (size_t i = 0; i < r->n_order; i++) {
        const dc_trace_node *n = dc_trace_at(r, i);
        if (!n->reached) continue;
        dc_buf_clear(&line);
        dc_render_operation(&line, r, n, lang);
        item(&o, line.data);
        /* a refusal states why each rule that would grant the right did not apply */
        bool refusal = r->outcome == DECIDE_DENIED && n->computed == rs->eligible && n->record < 0;
        if (verbose || refusal) {
            for (const dc_trace_skip *s = n->skipped; s; s = s->next) {
                const dc_rule *ru = rs->all_rules[s->rule];
                dc_buf_clear(&line);
                dc_buf_printf(&line, L("règle %s non appliquée (", "rule %s not applied ("),
                              ru->id ? ru->id : rs->computeds[ru->owner].name);
                if (ru->source.article >= 0) dc_article_cite(&line, &rs->articles[ru->source.article], lang);
                dc_buf_printf(&line, L(") : condition %s : ", "): condition %s: "),
                              s->cond_unknown ? L("indéterminée", "unknown") : L("fausse", "false"));
                dc_buf_puts_folded(&line, ru->cond_text ? ru->cond_text : "");
                subitem(&o, line.data);
            }
        }
    }
    list_close(&o);
    if (html) dc_buf_puts(out, "</body>\n</html>\n");
    dc_buf_free(&line);
    return out->failed ? -1 : 0;
}
