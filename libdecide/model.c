/* model.c — small services on a loaded rule set (model.h): lookups by name, the
 * parameter value in force at a date, article citations as a jurist writes them, and
 * freeing. Building the model is ruleset_xml.c's job. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "model.h"
#include "compile.h"
#include <stdlib.h>
#include <string.h>
#include <pcre2.h>

int32_t dc_rs_find_article(const dc_ruleset *rs, const char *id)
{
    for (uint32_t i = 0; i < rs->n_articles; i++)
        if (rs->articles[i].id && strcmp(rs->articles[i].id, id) == 0) return (int32_t)i;
    return -1;
}

int32_t dc_rs_find_input(const dc_ruleset *rs, int32_t entity, const char *name)
{
    for (uint32_t i = 0; i < rs->n_inputs; i++)
        if (rs->inputs[i].entity == entity && strcmp(rs->inputs[i].name, name) == 0)
            return (int32_t)i;
    return -1;
}

int32_t dc_rs_find_param(const dc_ruleset *rs, const char *name)
{
    for (uint32_t i = 0; i < rs->n_params; i++)
        if (strcmp(rs->params[i].name, name) == 0) return (int32_t)i;
    return -1;
}

int32_t dc_rs_find_computed(const dc_ruleset *rs, const char *name)
{
    for (uint32_t i = 0; i < rs->n_computeds; i++)
        if (strcmp(rs->computeds[i].name, name) == 0) return (int32_t)i;
    return -1;
}

int32_t dc_rs_find_entity(const dc_ruleset *rs, const char *name_or_plural)
{
    for (uint32_t i = 0; i < rs->n_entities; i++)
        if (strcmp(rs->entities[i].name, name_or_plural) == 0 ||
            strcmp(rs->entities[i].plural, name_or_plural) == 0)
            return (int32_t)i;
    return -1;
}

int32_t dc_param_value_at(const dc_param *p, int32_t date)
{
    /* last value whose from <= date; values are sorted by from (checked at load) */
    uint32_t lo = 0, hi = p->n_values;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p->values[mid].from <= date) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return -1;
    const dc_param_value *v = &p->values[lo - 1];
    return date <= v->to ? (int32_t)(lo - 1) : -1;
}

/* "L521-1" -> "L. 521-1": the letter says which part of the code (législative,
 * réglementaire…) and is written as an abbreviation. */
static void put_num(dc_buf *out, const char *num)
{
    size_t letters = 0;
    while (num[letters] >= 'A' && num[letters] <= 'Z') letters++;
    if (letters == 0 || num[letters] == '\0') {
        dc_buf_puts(out, num);
        return;
    }
    dc_buf_append(out, num, letters);
    dc_buf_puts(out, ". ");
    const char *rest = num + letters;
    if (*rest == '.') rest++;          /* already written "L.521-1" */
    while (*rest == ' ') rest++;
    dc_buf_puts(out, rest);
}

/* French "du"/"de l'" + the name with its first letter lower-cased, as in running text:
 * "du code de la sécurité sociale", "du décret n° …", "de l'instruction …". */
static void put_of_fr(dc_buf *out, const char *name)
{
    char first = name[0];
    if (first >= 'A' && first <= 'Z') first = (char)(first - 'A' + 'a');
    bool vowel = first && strchr("aeiouy", first) != NULL;
    /* É, È (UTF-8 C3 89 / C3 88) and é, è */
    const unsigned char *u = (const unsigned char *)name;
    bool accented_e = u[0] == 0xC3 && (u[1] == 0x89 || u[1] == 0x88 || u[1] == 0xA9 || u[1] == 0xA8);
    if (vowel || accented_e) dc_buf_puts(out, "de l'");
    else dc_buf_puts(out, "du ");
    if (accented_e) {
        dc_buf_putc(out, (char)0xC3);
        /* upper-case É/È become é/è */
        dc_buf_putc(out, (char)(u[1] == 0x89 ? 0xA9 : u[1] == 0x88 ? 0xA8 : u[1]));
        dc_buf_puts(out, name + 2);
        return;
    }
    if (first) dc_buf_putc(out, first);
    if (first) dc_buf_puts(out, name + 1);
}

void dc_article_cite(dc_buf *out, const dc_article *a, const char *lang)
{
    bool en = lang && strcmp(lang, "en") == 0;
    if (a->kind == DC_ARTICLE_CODE) {
        dc_buf_puts(out, "article ");
        put_num(out, a->num ? a->num : "?");
        if (!a->code) return;
        if (en) {
            dc_buf_puts(out, " of the ");
            dc_buf_puts(out, a->code);
        } else {
            dc_buf_putc(out, ' ');
            put_of_fr(out, a->code);
        }
        return;
    }
    const char *title = a->title ? a->title : (a->id ? a->id : "?");
    if (!a->num) {
        dc_buf_puts(out, title);
        return;
    }
    dc_buf_puts(out, "article ");
    put_num(out, a->num);
    if (en) {
        dc_buf_puts(out, " of ");
        dc_buf_puts(out, title);
    } else {
        dc_buf_putc(out, ' ');
        put_of_fr(out, title);
    }
}

void dc_ruleset_free(dc_ruleset *rs)
{
    if (!rs) return;
    for (uint32_t i = 0; i < rs->n_inputs; i++)
        if (rs->inputs[i].pattern_code) pcre2_code_free(rs->inputs[i].pattern_code);
    dc_program_free(rs->program);
    dc_program_free(rs->program_traced);
    dc_arena_free(&rs->arena);
    free(rs);
}
