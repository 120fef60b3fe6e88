/* statute.c — reads statute corpora (DILA LEGI XML ARTICLE files and Akoma Ntoso acts)
 * into dc_statute_corpus records, one per article version, and answers the lookups
 * the differ needs (by LEGIARTI id, all versions of a number, the version in force).
 * Untrusted input: no network, no DTD, no entities; a bad file is reported and skipped. */
#include "statute.h"
#include "value.h"
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#define AKN_NS "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#define LEGI_PROPRIETARY_NS "urn:libdecide:legi"
/* Larger than any real consolidated code file; bounds memory on hostile input. */
#define MAX_FILE_BYTES ((size_t)256 * 1024 * 1024)

static const char *const state_names[] = {
    "",
#define X(name, str) str,
    DC_STATUTE_STATES(X)
#undef X
};

const char *dc_statute_state_name(dc_statute_state s)
{
    return (unsigned)s < DC_STATUTE_STATE_COUNT_ ? state_names[s] : "";
}

dc_statute_state dc_statute_state_from_text(const char *text)
{
    if (!text) return DC_STATUTE_STATE_OTHER;
    for (int i = 1; i < DC_STATUTE_STATE_COUNT_; i++)
        if (strcmp(text, state_names[i]) == 0) return (dc_statute_state)i;
    return DC_STATUTE_STATE_OTHER;
}

/* ------------------------------------------------------------------ text helpers */

/* Appends `s` to `out` with every whitespace run (ASCII, U+00A0, U+2007, U+2009, U+202F)
 * folded into one space and soft hyphens (U+00AD) dropped: Légifrance's XHTML uses
 * them freely and they are not part of the wording. Leading/trailing spaces are kept
 * as a single pending space so adjacent text nodes join correctly; trimmed later. */
static void append_normalised(dc_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t ws = 0;
        if (*p == ' ' || (*p >= '\t' && *p <= '\r')) ws = 1;
        else if (p[0] == 0xC2 && p[1] == 0xA0) ws = 2;
        else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x87 || p[2] == 0x89 || p[2] == 0xAF)) ws = 3;
        if (ws) {
            if (out->len > 0 && out->data[out->len - 1] != ' ') dc_buf_putc(out, ' ');
            else if (out->len == 0) dc_buf_putc(out, ' ');
            p += ws;
            continue;
        }
        if (p[0] == 0xC2 && p[1] == 0xAD) { p += 2; continue; }
        dc_buf_putc(out, (char)*p);
        p++;
    }
}

/* Trimmed copy in the arena, or NULL when the text is empty. */
static const char *trimmed_dup(dc_arena *arena, const dc_buf *b)
{
    if (!b->data) return NULL;
    size_t start = 0, end = b->len;
    while (start < end && b->data[start] == ' ') start++;
    while (end > start && b->data[end - 1] == ' ') end--;
    if (start == end) return NULL;
    return dc_arena_strndup(arena, b->data + start, end - start);
}

typedef struct str_vec { const char **items; size_t n, cap; int failed; } str_vec;

static void str_vec_push(str_vec *v, const char *s)
{
    const char **items = dc_grow(v->items, &v->cap, v->n, sizeof *items, 8);
    if (!items) { v->failed = 1; return; }
    v->items = items;
    v->items[v->n++] = s;
}

/* Moves the vector into the arena (the corpus owns everything it points to). */
static int str_vec_to_arena(dc_arena *arena, str_vec *v, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (v->failed) { free(v->items); return -1; }
    if (v->n) {
        const char **a = dc_arena_alloc(arena, v->n * sizeof *a);
        if (!a) { free(v->items); return -1; }
        memcpy(a, v->items, v->n * sizeof *a);
        *out = a;
        *n = v->n;
    }
    free(v->items);
    memset(v, 0, sizeof *v);
    return 0;
}

static int is_name(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    if (!n) return NULL;
    for (xmlNode *c = n->children; c; c = c->next)
        if (is_name(c, name)) return c;
    return NULL;
}

/* Follows a '/'-separated path of child element names. */
static xmlNode *path(const xmlNode *n, const char *p)
{
    char name[64];
    const xmlNode *cur = n;
    while (cur && *p) {
        size_t len = strcspn(p, "/");
        if (len >= sizeof name) return NULL;
        memcpy(name, p, len);
        name[len] = '\0';
        cur = child(cur, name);
        p += len + (p[len] == '/');
    }
    return (xmlNode *)cur;
}

/* Normalised text content of a node (arena), or NULL when absent or empty. */
static const char *node_text(dc_arena *arena, const xmlNode *n)
{
    if (!n) return NULL;
    xmlChar *c = xmlNodeGetContent(n);
    if (!c) return NULL;
    dc_buf b;
    dc_buf_init(&b);
    append_normalised(&b, (const char *)c);
    xmlFree(c);
    const char *r = trimmed_dup(arena, &b);
    dc_buf_free(&b);
    return r;
}

static const char *attr(dc_arena *arena, const xmlNode *n, const char *name)
{
    if (!n) return NULL;
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    const char *r = dc_arena_strdup(arena, (const char *)v);
    xmlFree(v);
    return r;
}

/* ------------------------------------------------------------------ paragraphs */

/* XHTML elements that end an alinéa. LEGI's CONTENU separates alinéas by <p> and,
 * inside one <p>, by <br/> (e.g. the "a) 32 % …" lines of D521-1). Table rows are
 * alinéas too so a barème stays readable line by line. */
static int is_block(const char *name)
{
    static const char *const blocks[] = { "p", "br", "div", "li", "tr", "blockquote",
                                          "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                                          "table", "TABLEAU", NULL };
    for (int i = 0; blocks[i]; i++)
        if (strcmp(name, blocks[i]) == 0) return 1;
    return 0;
}

typedef struct para_builder { dc_arena *arena; dc_buf cur; str_vec out; } para_builder;

static void para_flush(para_builder *pb)
{
    const char *t = trimmed_dup(pb->arena, &pb->cur);
    if (t) str_vec_push(&pb->out, t);
    dc_buf_clear(&pb->cur);
}

static void para_walk(para_builder *pb, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content) append_normalised(&pb->cur, (const char *)c->content);
        } else if (c->type == XML_ELEMENT_NODE) {
            int block = is_block((const char *)c->name);
            if (block) para_flush(pb);
            else if (strcmp((const char *)c->name, "td") == 0 || strcmp((const char *)c->name, "th") == 0)
                dc_buf_putc(&pb->cur, ' ');
            para_walk(pb, c);
            if (block) para_flush(pb);
        }
    }
}

static int content_paragraphs(dc_arena *arena, const xmlNode *contenu, const char ***out, size_t *n)
{
    para_builder pb = { arena, { 0 }, { 0 } };
    dc_buf_init(&pb.cur);
    if (contenu) {
        para_walk(&pb, contenu);
        para_flush(&pb);
    }
    int failed = pb.cur.failed;
    dc_buf_free(&pb.cur);
    int rc = str_vec_to_arena(arena, &pb.out, out, n);
    return failed ? -1 : rc;
}

/* ------------------------------------------------------------------ loader state */

typedef struct loader {
    dc_statute_corpus *corpus;
    dc_diag_list *diags;
    const char *file;        /* arena copy of the current path */
    int entity_declared;
    long entity_line;
    int oom;
} loader;

static dc_statute_article *new_article(loader *ld)
{
    dc_statute_corpus *c = ld->corpus;
    dc_statute_article *p = dc_grow(c->articles, &c->cap_, c->n_articles, sizeof *p, 64);
    if (!p) { ld->oom = 1; return NULL; }
    c->articles = p;
    dc_statute_article *a = &c->articles[c->n_articles];
    memset(a, 0, sizeof *a);
    a->date_fin = DC_STATUTE_OPEN_END;
    a->state_text = "";
    a->source_file = ld->file;
    return a;
}

static uint32_t node_line(const xmlNode *n)
{
    long l = n ? xmlGetLineNo(n) : 0;
    return l > 0 ? (uint32_t)l : 0;
}

/* LEGI and AKN both write YYYY-MM-DD; 2999-01-01 is LEGI's "no end". */
static int parse_legi_date(const char *s, int32_t *days, int is_end)
{
    if (!s) return -1;
    if (is_end && strcmp(s, "2999-01-01") == 0) { *days = DC_STATUTE_OPEN_END; return 0; }
    return dc_parse_date(s, strlen(s), days) == 0 ? 0 : -1;
}

/* Fills dates from text; reports and returns -1 when DATE_DEBUT is missing or bad. */
static int set_dates(loader *ld, dc_statute_article *a, const char *debut, const char *fin,
                     const xmlNode *where)
{
    if (parse_legi_date(debut, &a->date_debut, 0) != 0) {
        dc_diag_add(ld->diags, DC_DIAG_BAD_DATE, ld->file, node_line(where), 0, NULL, a->version_id,
                    "article %s: missing or invalid start date '%s'; article skipped",
                    a->num ? a->num : "?", debut ? debut : "");
        return -1;
    }
    if (fin && parse_legi_date(fin, &a->date_fin, 1) != 0) {
        dc_diag_add(ld->diags, DC_DIAG_BAD_DATE, ld->file, node_line(where), 0, NULL, a->version_id,
                    "article %s: invalid end date '%s'; article skipped", a->num ? a->num : "?", fin);
        return -1;
    }
    if (a->date_fin <= a->date_debut) {
        dc_diag_add(ld->diags, DC_DIAG_BAD_DATE, ld->file, node_line(where), 0, NULL, a->version_id,
                    "article %s: end date %s is not after start date %s; article skipped",
                    a->num ? a->num : "?", fin ? fin : "", debut);
        return -1;
    }
    return 0;
}

/* dc_diag_add always uses the code's default severity; libxml2 warnings and a
 * duplicate version with another text are only warnings. */
static void dc_diag_addv_sev(dc_diag_list *l, dc_severity sev, dc_diag_code code, const char *file,
                             uint32_t line, uint32_t column, const char *article, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void dc_diag_addv_sev(dc_diag_list *l, dc_severity sev, dc_diag_code code, const char *file,
                             uint32_t line, uint32_t column, const char *article, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dc_diag_addv(l, sev, code, file, line, column, NULL, article, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ LEGI */

static void load_legi_article(loader *ld, const xmlNode *art)
{
    dc_arena *arena = &ld->corpus->arena;
    dc_statute_article *a = new_article(ld);
    if (!a) return;
    a->format = DC_STATUTE_LEGI;
    a->source_line = node_line(art);
    const xmlNode *meta = path(art, "META/META_SPEC/META_ARTICLE");
    a->version_id = node_text(arena, path(art, "META/META_COMMUN/ID"));
    a->num = node_text(arena, child(meta, "NUM"));
    if (!a->version_id || !a->num) {
        dc_diag_add(ld->diags, DC_DIAG_SCHEMA, ld->file, a->source_line, 0, NULL, a->version_id,
                    "ARTICLE without %s; article skipped",
                    !a->version_id ? "META_COMMUN/ID" : "META_ARTICLE/NUM");
        return;
    }
    const char *etat = node_text(arena, child(meta, "ETAT"));
    a->state_text = etat ? etat : "";
    a->state = dc_statute_state_from_text(etat);
    a->type = node_text(arena, child(meta, "TYPE"));
    const xmlNode *debut = child(meta, "DATE_DEBUT");
    if (set_dates(ld, a, node_text(arena, debut), node_text(arena, child(meta, "DATE_FIN")),
                  debut ? debut : art) != 0)
        return;

    const xmlNode *texte = path(art, "CONTEXTE/TEXTE");
    a->code_id = attr(arena, texte, "cid");
    const xmlNode *titre = child(texte, "TITRE_TXT");
    if (titre) {
        a->code_title = node_text(arena, titre);
        a->code_short = attr(arena, titre, "c_titre_court");
        if (!a->code_id) a->code_id = attr(arena, titre, "id_txt");
    }

    if (content_paragraphs(arena, path(art, "BLOC_TEXTUEL/CONTENU"), &a->paragraphs, &a->n_paragraphs) != 0 ||
        content_paragraphs(arena, path(art, "NOTA/CONTENU"), &a->nota, &a->n_nota) != 0) {
        ld->oom = 1;
        return;
    }

    const xmlNode *liens = child(art, "LIENS");
    size_t n_links = 0;
    for (const xmlNode *l = liens ? liens->children : NULL; l; l = l->next)
        if (is_name(l, "LIEN")) n_links++;
    if (n_links) {
        a->links = dc_arena_zalloc(arena, n_links * sizeof *a->links);
        if (!a->links) { ld->oom = 1; return; }
        for (const xmlNode *l = liens->children; l; l = l->next) {
            if (!is_name(l, "LIEN")) continue;
            dc_statute_link *k = &a->links[a->n_links++];
            k->type = attr(arena, l, "typelien");
            k->sens = attr(arena, l, "sens");
            k->target_id = attr(arena, l, "id");
            k->num = attr(arena, l, "num");
            k->text = node_text(arena, l);
        }
    }
    ld->corpus->n_articles++;
}

/* ------------------------------------------------------------------ Akoma Ntoso */

static xmlXPathObject *xpath_eval(xmlXPathContext *xp, const char *expr, xmlNode *at)
{
    xp->node = at;
    return xmlXPathEvalExpression((const xmlChar *)expr, xp);
}

static xmlNode *xpath_first(xmlXPathContext *xp, const char *expr, xmlNode *at)
{
    xmlXPathObject *o = xpath_eval(xp, expr, at);
    xmlNode *r = NULL;
    if (o && o->nodesetval && o->nodesetval->nodeNr > 0) r = o->nodesetval->nodeTab[0];
    xmlXPathFreeObject(o);
    return r;
}

/* The libdecide proprietary record for an article: <legi:article article="EID" …/>,
 * or the only one when the document holds a single record. */
static xmlNode *akn_legi_record(xmlXPathContext *xp, xmlNode *root, const char *eid)
{
    xmlXPathObject *o = xpath_eval(xp, "//akn:proprietary/legi:article", root);
    xmlNode *r = NULL;
    if (o && o->nodesetval) {
        int n = o->nodesetval->nodeNr;
        for (int i = 0; i < n && !r; i++) {
            xmlChar *ref = xmlGetProp(o->nodesetval->nodeTab[i], (const xmlChar *)"article");
            if (ref && eid && strcmp((const char *)ref, eid) == 0) r = o->nodesetval->nodeTab[i];
            xmlFree(ref);
        }
        if (!r && n == 1) r = o->nodesetval->nodeTab[0];
    }
    xmlXPathFreeObject(o);
    return r;
}

static int in_nota(const xmlNode *p, const xmlNode *article)
{
    for (const xmlNode *n = p->parent; n && n != article; n = n->parent) {
        if (!is_name(n, "hcontainer") && !is_name(n, "authorialNote")) continue;
        if (is_name(n, "authorialNote")) return 1;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        int r = name && strcmp((const char *)name, "nota") == 0;
        xmlFree(name);
        if (r) return 1;
    }
    return 0;
}

static void load_akn_article(loader *ld, xmlXPathContext *xp, xmlNode *root, xmlNode *art)
{
    dc_arena *arena = &ld->corpus->arena;
    dc_statute_article *a = new_article(ld);
    if (!a) return;
    a->format = DC_STATUTE_AKN;
    a->source_line = node_line(art);
    const char *eid = attr(arena, art, "eId");
    xmlNode *rec = akn_legi_record(xp, root, eid);

    a->num = attr(arena, rec, "num");
    if (!a->num) {
        /* "<num>Article D521-1</num>": the number is the last word. */
        const char *t = node_text(arena, xpath_first(xp, "akn:num", art));
        if (t) {
            const char *sp = strrchr(t, ' ');
            a->num = sp ? sp + 1 : t;
        }
    }
    a->version_id = attr(arena, rec, "id");
    if (!a->version_id) {
        /* Without a LEGI link the expression IRI + eId names the version uniquely. */
        const char *expr = attr(arena, xpath_first(xp, "//akn:FRBRExpression/akn:FRBRthis", root), "value");
        if (expr && eid) {
            dc_buf b;
            dc_buf_init(&b);
            dc_buf_printf(&b, "%s#%s", expr, eid);
            a->version_id = b.data ? dc_arena_strdup(arena, b.data) : NULL;
            dc_buf_free(&b);
        }
    }
    if (!a->num || !a->version_id) {
        dc_diag_add(ld->diags, DC_DIAG_SCHEMA, ld->file, a->source_line, 0, NULL, a->version_id,
                    "Akoma Ntoso article without %s; article skipped",
                    !a->num ? "a number" : "a version identifier");
        return;
    }
    const char *etat = attr(arena, rec, "etat");
    a->state_text = etat ? etat : "";
    a->state = dc_statute_state_from_text(etat);
    a->type = attr(arena, rec, "type");
    const char *debut = attr(arena, rec, "debut");
    const char *fin = attr(arena, rec, "fin");
    if (!debut)
        debut = attr(arena, xpath_first(xp, "//akn:FRBRExpression/akn:FRBRdate", root), "date");
    if (set_dates(ld, a, debut, fin, rec ? rec : art) != 0) return;

    xmlNode *work = xpath_first(xp, "//akn:FRBRWork", root);
    a->code_id = attr(arena, xpath_first(xp, "akn:FRBRalias[@name='legifrance']", work), "value");
    a->code_short = attr(arena, xpath_first(xp, "akn:FRBRalias[@name='short']", work), "value");
    a->code_title = attr(arena, xpath_first(xp, "akn:FRBRname", work), "value");

    /* Alinéas are the <p> blocks of the article, in document order. */
    xmlXPathObject *ps = xpath_eval(xp, ".//akn:p", art);
    str_vec paras = { 0 }, notas = { 0 };
    dc_buf b;
    dc_buf_init(&b);
    for (int i = 0; ps && ps->nodesetval && i < ps->nodesetval->nodeNr; i++) {
        xmlNode *p = ps->nodesetval->nodeTab[i];
        xmlChar *c = xmlNodeGetContent(p);
        dc_buf_clear(&b);
        append_normalised(&b, c ? (const char *)c : "");
        xmlFree(c);
        const char *t = trimmed_dup(arena, &b);
        if (t) str_vec_push(in_nota(p, art) ? &notas : &paras, t);
    }
    xmlXPathFreeObject(ps);
    if (b.failed) ld->oom = 1;
    dc_buf_free(&b);
    if (str_vec_to_arena(arena, &paras, &a->paragraphs, &a->n_paragraphs) != 0 ||
        str_vec_to_arena(arena, &notas, &a->nota, &a->n_nota) != 0) {
        ld->oom = 1;
        return;
    }
    ld->corpus->n_articles++;
}

/* ------------------------------------------------------------------ one file */

static void on_xml_error(void *user, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = user;
    loader *ld = ctxt ? ctxt->_private : NULL;
    if (!ld || !err) return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
    size_t len = strlen(msg);
    while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' ')) msg[--len] = '\0';
    dc_severity sev = err->level == XML_ERR_WARNING ? DC_SEV_WARNING : DC_SEV_ERROR;
    uint32_t line = err->line > 0 ? (uint32_t)err->line : 0;
    uint32_t col = err->int2 > 0 ? (uint32_t)err->int2 : 0;
    dc_diag_addv_sev(ld->diags, sev, DC_DIAG_XML_SYNTAX, ld->file, line, col, NULL, "%s%s", msg,
                     sev == DC_SEV_ERROR ? "; file skipped" : "");
}

/* A DOCTYPE declaring entities is refused outright (entity expansion attacks,
 * external file inclusion); stopping here means no entity is ever parsed. */
static void on_entity_decl(void *user, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    (void)name; (void)type; (void)public_id; (void)system_id; (void)content;
    xmlParserCtxtPtr ctxt = user;
    loader *ld = ctxt->_private;
    if (!ld->entity_declared) {
        ld->entity_declared = 1;
        ld->entity_line = ctxt->input ? ctxt->input->line : 0;
    }
    xmlStopParser(ctxt);
}

static int read_file(const char *p, char **data, size_t *len)
{
    FILE *f = fopen(p, "rb");
    if (!f) return -1;
    dc_buf b;
    dc_buf_init(&b);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + got > MAX_FILE_BYTES || dc_buf_append(&b, chunk, got) != 0) {
            fclose(f);
            dc_buf_free(&b);
            errno = EFBIG;
            return -1;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { dc_buf_free(&b); errno = EIO; return -1; }
    *len = b.len;
    *data = b.data ? dc_buf_take(&b) : calloc(1, 1);
    return *data ? 0 : -1;
}

static void load_file(loader *ld, const char *file_path)
{
    ld->file = dc_arena_strdup(&ld->corpus->arena, file_path);
    if (!ld->file) { ld->oom = 1; return; }
    char *data = NULL;
    size_t len = 0;
    if (read_file(file_path, &data, &len) != 0) {
        dc_diag_add(ld->diags, DC_DIAG_IO, ld->file, 0, 0, NULL, NULL, "cannot read file: %s",
                    strerror(errno));
        return;
    }
    if (len > (size_t)INT32_MAX) { free(data); return; }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) { free(data); ld->oom = 1; return; }
    ctxt->_private = ld;
    ctxt->sax->serror = on_xml_error;
    ctxt->sax->entityDecl = on_entity_decl;
    ld->entity_declared = 0;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, file_path, NULL,
                                      XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA);
    int well_formed = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    free(data);
    if (ld->entity_declared) {
        dc_diag_add(ld->diags, DC_DIAG_XML_SYNTAX, ld->file, (uint32_t)(ld->entity_line > 0 ? ld->entity_line : 0), 0,
                    NULL, NULL, "entity declarations are not accepted in statute files; file skipped");
        xmlFreeDoc(doc);
        return;
    }
    if (!doc || !well_formed) {
        /* libxml2 reported the position through on_xml_error. */
        xmlFreeDoc(doc);
        return;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlXPathContext *xp = xmlXPathNewContext(doc);
    if (!xp || xmlXPathRegisterNs(xp, (const xmlChar *)"akn", (const xmlChar *)AKN_NS) != 0 ||
        xmlXPathRegisterNs(xp, (const xmlChar *)"legi", (const xmlChar *)LEGI_PROPRIETARY_NS) != 0) {
        xmlXPathFreeContext(xp);
        xmlFreeDoc(doc);
        ld->oom = 1;
        return;
    }
    int is_akn = root && strcmp((const char *)root->name, "akomaNtoso") == 0 && root->ns &&
                 strcmp((const char *)root->ns->href, AKN_NS) == 0;
    const char *query = is_akn ? "//akn:article" : "//ARTICLE";
    xmlXPathObject *found = xpath_eval(xp, query, root);
    int n = found && found->nodesetval ? found->nodesetval->nodeNr : 0;
    if (n == 0) {
        dc_diag_add(ld->diags, DC_DIAG_SCHEMA, ld->file, node_line(root), 0, NULL, NULL,
                    "<%s> is neither a LEGI ARTICLE nor an Akoma Ntoso document with articles; file skipped",
                    root ? (const char *)root->name : "?");
    }
    for (int i = 0; i < n && !ld->oom; i++) {
        xmlNode *art = found->nodesetval->nodeTab[i];
        if (is_akn) load_akn_article(ld, xp, root, art);
        else load_legi_article(ld, art);
    }
    xmlXPathFreeObject(found);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
}

/* ------------------------------------------------------------------ directories */

typedef struct path_vec { char **items; size_t n, cap; int failed; } path_vec;

static void path_vec_push(path_vec *v, const char *dir, const char *name)
{
    size_t len = strlen(dir) + 1 + strlen(name) + 1;
    char *s = malloc(len);
    if (!s) { v->failed = 1; return; }
    snprintf(s, len, "%s/%s", dir, name);
    char **items = dc_grow(v->items, &v->cap, v->n, sizeof *items, 32);
    if (!items) { free(s); v->failed = 1; return; }
    v->items = items;
    v->items[v->n++] = s;
}

static int ends_with_xml(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* Collects regular *.xml files below `dir` (hidden entries skipped); depth-limited so
 * a symlink loop cannot recurse forever. */
static void collect_dir(loader *ld, const char *dir, path_vec *files, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        dc_diag_add(ld->diags, DC_DIAG_IO, dir, 0, 0, NULL, NULL, "cannot read directory: %s", strerror(errno));
        return;
    }
    path_vec subdirs = { 0 };
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        path_vec_push(&subdirs, dir, e->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < subdirs.n; i++) {
        struct stat st;
        char *p = subdirs.items[i];
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (depth < 32) collect_dir(ld, p, files, depth + 1);
            free(p);
        } else if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && ends_with_xml(p)) {
            char **q = dc_grow(files->items, &files->cap, files->n, sizeof *q, 32);
            if (!q) { files->failed = 1; free(p); continue; }
            files->items = q;
            files->items[files->n++] = p;
        } else {
            free(p);
        }
    }
    if (subdirs.failed) files->failed = 1;
    free(subdirs.items);
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------------ index */

static int cmp_by_id(const dc_statute_article *arts, size_t a, size_t b)
{
    int c = strcmp(arts[a].version_id, arts[b].version_id);
    if (c) return c;
    return a < b ? -1 : a > b;
}

/* qsort has no user pointer in C11; a merge sort over indexes keeps it reentrant. */
static void sort_indexes(const dc_statute_article *arts, size_t *idx, size_t *tmp, size_t n)
{
    if (n < 2) return;
    size_t mid = n / 2;
    sort_indexes(arts, idx, tmp, mid);
    sort_indexes(arts, idx + mid, tmp, n - mid);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) tmp[k++] = cmp_by_id(arts, idx[i], idx[j]) <= 0 ? idx[i++] : idx[j++];
    while (i < mid) tmp[k++] = idx[i++];
    while (j < n) tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

static int same_text(const dc_statute_article *a, const dc_statute_article *b)
{
    if (a->n_paragraphs != b->n_paragraphs) return 0;
    for (size_t i = 0; i < a->n_paragraphs; i++)
        if (strcmp(a->paragraphs[i], b->paragraphs[i]) != 0) return 0;
    return 1;
}

/* Drops later copies of a version id (keeping load order) and builds the id index. */
static int dedupe_and_index(loader *ld)
{
    dc_statute_corpus *c = ld->corpus;
    size_t n = c->n_articles;
    if (n == 0) return 0;
    size_t *idx = malloc(n * sizeof *idx), *tmp = malloc(n * sizeof *tmp);
    unsigned char *drop = calloc(n, 1);
    if (!idx || !tmp || !drop) { free(idx); free(tmp); free(drop); return -1; }
    for (size_t i = 0; i < n; i++) idx[i] = i;
    sort_indexes(c->articles, idx, tmp, n);
    for (size_t g = 0; g < n;) {
        const dc_statute_article *first = &c->articles[idx[g]];
        size_t k = g + 1;
        for (; k < n && strcmp(c->articles[idx[k]].version_id, first->version_id) == 0; k++) {
            const dc_statute_article *dup = &c->articles[idx[k]];
            drop[idx[k]] = 1;
            c->n_duplicates++;
            if (!same_text(first, dup))
                dc_diag_addv_sev(ld->diags, DC_SEV_WARNING, DC_DIAG_DUPLICATE_NAME, dup->source_file,
                                 dup->source_line, 0, dup->version_id,
                                 "version %s of %s already read from %s:%u with a different text; this copy is ignored",
                                 dup->version_id, dup->num, first->source_file, (unsigned)first->source_line);
        }
        g = k;
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!drop[i]) c->articles[w++] = c->articles[i];
    c->n_articles = w;
    free(drop);
    size_t *by_id = dc_arena_alloc(&c->arena, (w ? w : 1) * sizeof *by_id);
    if (!by_id) { free(idx); free(tmp); return -1; }
    for (size_t i = 0; i < w; i++) by_id[i] = i;
    sort_indexes(c->articles, by_id, tmp, w);
    c->by_id_ = by_id;
    free(idx);
    free(tmp);
    return 0;
}

/* ------------------------------------------------------------------ public */

int dc_statute_corpus_load(dc_statute_corpus **out, const char *const *paths, size_t n_paths,
                           dc_diag_list *diags)
{
    if (!out || (!paths && n_paths) || !diags) return -1;
    *out = NULL;
    xmlInitParser();
    dc_statute_corpus *c = calloc(1, sizeof *c);
    if (!c) return -1;
    dc_arena_init(&c->arena, 64 * 1024);
    loader ld = { c, diags, NULL, 0, 0, 0 };
    for (size_t i = 0; i < n_paths && !ld.oom; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            dc_diag_add(diags, DC_DIAG_IO, paths[i], 0, 0, NULL, NULL, "cannot read: %s", strerror(errno));
            continue;
        }
        if (!S_ISDIR(st.st_mode)) { load_file(&ld, paths[i]); continue; }
        path_vec files = { 0 };
        collect_dir(&ld, paths[i], &files, 0);
        if (files.failed) ld.oom = 1;
        qsort(files.items, files.n, sizeof *files.items, cmp_str_ptr);
        for (size_t k = 0; k < files.n; k++) {
            if (!ld.oom) load_file(&ld, files.items[k]);
            free(files.items[k]);
        }
        free(files.items);
    }
    if (ld.oom || dedupe_and_index(&ld) != 0) {
        dc_statute_corpus_free(c);
        dc_diag_add(diags, DC_DIAG_NOMEM, NULL, 0, 0, NULL, NULL, "out of memory while loading statutes");
        return -1;
    }
    *out = c;
    return 0;
}

void dc_statute_corpus_free(dc_statute_corpus *c)
{
    if (!c) return;
    free(c->articles);
    dc_arena_free(&c->arena);
    free(c);
}

const dc_statute_article *dc_statute_find_by_id(const dc_statute_corpus *c, const char *version_id)
{
    if (!c || !version_id || !c->by_id_) return NULL;
    size_t lo = 0, hi = c->n_articles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->articles[c->by_id_[mid]].version_id, version_id);
        if (cmp == 0) return &c->articles[c->by_id_[mid]];
        if (cmp < 0) lo = mid + 1; else hi = mid;
    }
    return NULL;
}

static int matches(const dc_statute_article *a, const char *code_id, const char *num)
{
    if (strcmp(a->num, num) != 0) return 0;
    return !code_id || (a->code_id && strcmp(a->code_id, code_id) == 0);
}

int dc_statute_versions(const dc_statute_corpus *c, const char *code_id, const char *num,
                        const dc_statute_article ***versions, size_t *n)
{
    *versions = NULL;
    *n = 0;
    if (!c || !num) return 0;
    size_t count = 0;
    for (size_t i = 0; i < c->n_articles; i++) count += (size_t)matches(&c->articles[i], code_id, num);
    if (!count) return 0;
    const dc_statute_article **v = malloc(count * sizeof *v);
    if (!v) return -1;
    size_t k = 0;
    for (size_t i = 0; i < c->n_articles; i++)
        if (matches(&c->articles[i], code_id, num)) v[k++] = &c->articles[i];
    /* insertion sort: an article has a handful of versions */
    for (size_t i = 1; i < count; i++) {
        const dc_statute_article *x = v[i];
        size_t j = i;
        while (j > 0 && (v[j - 1]->date_debut > x->date_debut ||
                         (v[j - 1]->date_debut == x->date_debut && strcmp(v[j - 1]->version_id, x->version_id) > 0))) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    *versions = v;
    *n = count;
    return (int)(count > INT32_MAX ? INT32_MAX : count);
}

const dc_statute_article *dc_statute_in_force(const dc_statute_corpus *c, const char *num, int32_t date)
{
    if (!c || !num) return NULL;
    for (size_t i = 0; i < c->n_articles; i++) {
        const dc_statute_article *a = &c->articles[i];
        if (strcmp(a->num, num) == 0 && a->date_debut <= date && date < a->date_fin) return a;
    }
    return NULL;
}
