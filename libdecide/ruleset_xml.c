/* ruleset_xml.c — the load stage: reads a rule set's XML with libxml2 (no entities, no DTD
 * loading, no network), validates it against the embedded RELAX NG schema and builds the
 * model of model.h with expressions parsed; names, types and cycles are check.c's. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "model.h"
#include "parser.h"
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <pcre2.h>

/* Generated from rulesets/schema/ruleset.rng by cmake/embed.cmake. */
extern const unsigned char dc_schema_rng[];
extern const size_t dc_schema_rng_len;

#define DC_NS "urn:libdecide:ruleset:1"

/* Where an element starts (its '<') and where its content starts (after its '>'):
 * libxml2 only records the line where the start tag ends, and no column. */
typedef struct xpos {
    uint32_t line, col, cline, ccol;
    bool explained;        /* a schema error about its attributes was reported */
} xpos;

/* Registry scopes for duplicate detection: >= 0 is an entity's fields. */
enum { SCOPE_GLOBAL = -1, SCOPE_RULES = -2, SCOPE_ARTICLES = -3 };
typedef struct reg_entry {
    const char *name, *what;
    int scope;
    uint32_t line;
} reg_entry;

typedef struct loader {
    const char *file;
    dc_diag_list *diags;
    dc_arena scratch;          /* element positions and the registry; freed at the end */
    dc_ruleset *rs;
    bool oom;
    reg_entry *reg;
    size_t n_reg, cap_reg;
    /* schema errors without a line are kept back: libxml2 follows each with a precise one */
    const char *schema_unplaced;
    size_t schema_placed;
    const char *attr_names[16];   /* elements named in unplaced attribute errors */
    size_t n_attr_names;
} loader;

/* ---------------------------------------------------------------- diagnostics */

static void diag_node(loader *ld, dc_diag_code code, xmlNodePtr n, const char *rule,
                      const char *article, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void node_pos(xmlNodePtr n, uint32_t *line, uint32_t *col)
{
    const xpos *p = n ? n->_private : NULL;
    if (n && n->type == XML_ELEMENT_NODE && p) {
        *line = p->line;
        *col = p->col;
        return;
    }
    long l = n ? xmlGetLineNo(n) : 0;
    *line = l > 0 ? (uint32_t)l : 0;
    *col = 0;
}

static void diag_node(loader *ld, dc_diag_code code, xmlNodePtr n, const char *rule,
                      const char *article, const char *fmt, ...)
{
    uint32_t line, col;
    node_pos(n, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    dc_diag_addv(ld->diags, dc_diag_code_severity(code), code, ld->file, line, col, rule,
                 article, fmt, ap);
    va_end(ap);
}

static void note_oom(loader *ld)
{
    if (!ld->oom)
        dc_diag_add(ld->diags, DC_DIAG_NOMEM, ld->file, 0, 0, NULL, NULL,
                    "out of memory while loading the rule set");
    ld->oom = true;
}

/* Collapses runs of XML white space into one space and trims, in place. */
static char *normalize_ws(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
            space = w != s;
        } else {
            if (space) *w++ = ' ';
            space = false;
            *w++ = *r;
        }
    }
    *w = '\0';
    return s;
}

static bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* ---------------------------------------------------------------- XML reading */

static uint32_t utf8_chars(const xmlChar *a, const xmlChar *b)
{
    uint32_t n = 0;
    for (; a < b; a++)
        if ((*a & 0xC0) != 0x80) n++;
    return n;
}

/* 1-based column, in characters, of p (at or before the parser's current position). */
static uint32_t column_at(xmlParserInputPtr in, const xmlChar *p)
{
    const xmlChar *q = p;
    while (q > in->base && q[-1] != '\n') q--;
    if (q > in->base || in->consumed == 0) return 1 + utf8_chars(q, p);
    /* the start of the line was already discarded: go back from libxml2's column */
    long c = (long)in->col - (long)utf8_chars(p, in->cur);
    return c > 0 ? (uint32_t)c : 0;
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces,
                             const xmlChar **namespaces, int nb_attributes,
                             int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                          nb_attributes, nb_defaulted, attributes);
    loader *ld = ctxt->_private;
    xmlNodePtr n = ctxt->node;
    xmlParserInputPtr in = ctxt->input;
    if (!ld || !n || n->type != XML_ELEMENT_NODE || !in || !in->cur || !in->base) return;
    xpos *p = dc_arena_zalloc(&ld->scratch, sizeof *p);
    if (!p) return;
    /* The callback runs with the input on the '>' or "/>" closing the start tag; '<'
     * cannot occur inside attribute values, so the last '<' before it opens the tag. */
    const xmlChar *cur = in->cur, *lt = cur;
    while (lt > in->base && *lt != '<') lt--;
    uint32_t line = in->line > 0 ? (uint32_t)in->line : 0;
    if (*lt == '<') {
        uint32_t newlines = 0;
        for (const xmlChar *q = lt; q < cur; q++) newlines += *q == '\n';
        p->line = line > newlines ? line - newlines : line;
        p->col = column_at(in, lt);
    } else {
        p->line = line;
    }
    p->cline = line;
    p->ccol = column_at(in, cur) + (*cur == '>' ? 1 : 0);
    n->_private = p;
    if (p->line > 0 && p->line < 65535) n->line = (unsigned short)p->line;
}

/* A libxml2 warning stays a warning, whatever the code's default severity. */
static void add_sev(loader *ld, dc_severity sev, dc_diag_code code, uint32_t line,
                    uint32_t col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_sev(loader *ld, dc_severity sev, dc_diag_code code, uint32_t line,
                    uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dc_diag_addv(ld->diags, sev, code, ld->file, line, col, NULL, NULL, fmt, ap);
    va_end(ap);
}

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = ctx;
    loader *ld = ctxt ? ctxt->_private : NULL;
    if (!ld || !err) return;
    dc_buf msg;
    dc_buf_init(&msg);
    dc_buf_puts(&msg, err->message ? err->message : "XML error");
    const char *text = msg.data ? normalize_ws(msg.data) : "XML error";
    dc_severity sev = err->level == XML_ERR_WARNING ? DC_SEV_WARNING : DC_SEV_ERROR;
    uint32_t line = err->line > 0 ? (uint32_t)err->line : 0;
    uint32_t col = err->int2 > 0 ? (uint32_t)err->int2 : 0;
    add_sev(ld, sev, DC_DIAG_XML_SYNTAX, line, col, "%s", text);
    dc_buf_free(&msg);
}

/* Entity declarations are refused outright: no expansion bomb, no external file read. */
static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    (void)type; (void)public_id; (void)system_id; (void)content;
    xmlParserCtxtPtr ctxt = ctx;
    loader *ld = ctxt->_private;
    if (ld) {
        uint32_t line = ctxt->input && ctxt->input->line > 0 ? (uint32_t)ctxt->input->line : 0;
        dc_diag_add(ld->diags, DC_DIAG_XML_SYNTAX, ld->file, line, 0, NULL, NULL,
                    "entity declarations are not allowed in a rule set (entity '%s')",
                    name ? (const char *)name : "?");
    }
    xmlStopParser(ctxt);
}

static xmlDocPtr read_doc(loader *ld, const char *data, size_t len)
{
    if (len > INT_MAX) {
        dc_diag_add(ld->diags, DC_DIAG_IO, ld->file, 0, 0, NULL, NULL,
                    "rule set too large (%zu bytes)", len);
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt || !ctxt->sax) {
        if (ctxt) xmlFreeParserCtxt(ctxt);
        note_oom(ld);
        return NULL;
    }
    /* Per-context handlers: libxml2's global error hooks would be shared state. */
    ctxt->_private = ld;
    ctxt->sax->serror = on_xml_error;
    ctxt->sax->entityDecl = on_entity_decl;
    ctxt->sax->startElementNs = on_start_element;
    size_t errors_before = ld->diags->errors;
    /* No XML_PARSE_NOENT (no substitution), no DTDLOAD/DTDATTR, no network. */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, ld->file, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOCDATA |
                                      XML_PARSE_BIG_LINES);
    bool well_formed = ctxt->wellFormed && ctxt->nsWellFormed;
    xmlFreeParserCtxt(ctxt);
    if (doc && (!well_formed || ld->diags->errors > errors_before)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && ld->diags->errors == errors_before)
        dc_diag_add(ld->diags, DC_DIAG_XML_SYNTAX, ld->file, 0, 0, NULL, NULL,
                    "the rule set is not well-formed XML");
    return doc;
}

/* ---------------------------------------------------------------- schema */

/* libxml2 only says "Element input failed to validate attributes": this table, which
 * repeats the schema's required and enumerated attributes, lets the message say which. */
static const struct attr_rule {
    const char *element, *required[4], *enum_attr, *allowed;
} attr_rules[] = {
    { "ruleset", { "id", "version" }, NULL, NULL },
    { "article", { "id" }, "kind", "code texte" },
    { "input", { "name", "type", "label" }, "type",
      "bool int decimal money rate date enum text" },
    { "entity", { "name", "plural", "label" }, NULL, NULL },
    { "parameter", { "name", "type", "label" }, "type",
      "bool int decimal money rate date text" },
    { "value", { "from" }, NULL, NULL },
    { "define", { "name", "type" }, "type",
      "bool int decimal money rate date duration enum text" },
    { "variable", { "name", "type" }, "type",
      "bool int decimal money rate date duration enum text" },
    { "rule", { "id" }, NULL, NULL },
    { "decision", { "eligible", "period" }, "period", "month year once" },
};

static bool word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; n && (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
    return false;
}

/* Writes what is wrong with the element's attributes into `out`; false when the table
 * finds nothing wrong. */
static bool explain_attributes(dc_buf *out, xmlNodePtr node)
{
    for (size_t i = 0; i < sizeof attr_rules / sizeof attr_rules[0]; i++) {
        const struct attr_rule *ar = &attr_rules[i];
        if (strcmp((const char *)node->name, ar->element) != 0) continue;
        for (int k = 0; k < 4 && ar->required[k]; k++)
            if (!xmlHasNsProp(node, (const xmlChar *)ar->required[k], NULL))
                dc_buf_printf(out, "%s<%s> lacks the required attribute %s=",
                              out->len ? "; " : "", ar->element, ar->required[k]);
        xmlChar *v = ar->enum_attr ? xmlGetNoNsProp(node, (const xmlChar *)ar->enum_attr) : NULL;
        if (v && !word_in((const char *)v, ar->allowed))
            dc_buf_printf(out, "%s<%s> %s=\"%s\" is not one of: %s", out->len ? "; " : "",
                          ar->element, ar->enum_attr, (const char *)v, ar->allowed);
        xmlFree(v);
        return out->len > 0;
    }
    return false;
}

static void schema_diag(loader *ld, xmlNodePtr node, uint32_t line, const char *text)
{
    uint32_t col = 0;
    if (node && node->_private) node_pos(node, &line, &col);
    if (line == 0) {
        if (!ld->schema_unplaced) ld->schema_unplaced = dc_arena_strdup(&ld->scratch, text);
        return;
    }
    dc_diag_add(ld->diags, DC_DIAG_SCHEMA, ld->file, line, col, NULL, NULL, "%s", text);
    ld->schema_placed++;
}

static void on_schema_error(void *ctx, xmlErrorPtr err)
{
    loader *ld = ctx;
    if (!err) return;
    dc_buf msg;
    dc_buf_init(&msg);
    xmlNodePtr node = err->node;
    if (node && node->type == XML_ATTRIBUTE_NODE) node = node->parent;
    if (node && node->type != XML_ELEMENT_NODE) node = NULL;
    xpos *p = node ? node->_private : NULL;
    bool attr_error = err->code == XML_RELAXNG_ERR_ATTRVALID ||
                      err->code == XML_RELAXNG_ERR_INVALIDATTR;
    if (attr_error && !node) {
        /* placed after validation, by looking for the element (see place_attr_errors) */
        if (err->str1 && ld->n_attr_names < sizeof ld->attr_names / sizeof ld->attr_names[0])
            ld->attr_names[ld->n_attr_names++] = dc_arena_strdup(&ld->scratch, err->str1);
        return;
    }
    if (attr_error && p && p->explained) return;
    if (attr_error && explain_attributes(&msg, node)) {
        if (p) p->explained = true;
    } else {
        dc_buf_clear(&msg);
        dc_buf_puts(&msg, err->message ? err->message : "schema violation");
        normalize_ws(msg.data ? msg.data : (char *)"");
        /* "Invalid attribute type for element input": say what the value was */
        if (err->code == XML_RELAXNG_ERR_INVALIDATTR && err->str1 && node) {
            xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)err->str1);
            if (v) dc_buf_printf(&msg, " (%s=\"%s\")", err->str1, (const char *)v);
            xmlFree(v);
        }
    }
    schema_diag(ld, node, err->line > 0 ? (uint32_t)err->line : 0,
                msg.data ? msg.data : "schema violation");
    dc_buf_free(&msg);
}

/* libxml2 reports some attribute errors without the element: find the elements of that
 * name whose attributes are wrong. */
static void place_attr_errors(loader *ld, xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        xpos *p = n->_private;
        for (size_t i = 0; i < ld->n_attr_names; i++) {
            if (!ld->attr_names[i] || strcmp(ld->attr_names[i], (const char *)n->name) != 0 ||
                (p && p->explained))
                continue;
            dc_buf msg;
            dc_buf_init(&msg);
            if (explain_attributes(&msg, n)) {
                if (p) p->explained = true;
                schema_diag(ld, n, 0, msg.data ? msg.data : "schema violation");
            }
            dc_buf_free(&msg);
        }
        place_attr_errors(ld, n->children);
    }
}

static void on_schema_parse_error(void *ctx, xmlErrorPtr err)
{
    loader *ld = ctx;
    dc_diag_add(ld->diags, DC_DIAG_SCHEMA, ld->file, 0, 0, NULL, NULL,
                "internal error: the embedded schema does not load: %s",
                err && err->message ? err->message : "?");
}

/* 0 when the document matches the embedded schema. The schema is parsed per load: it
 * is small, and a cached one would be global state. */
static int validate(loader *ld, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !root->ns || strcmp((const char *)root->ns->href, DC_NS) != 0 ||
        strcmp((const char *)root->name, "ruleset") != 0) {
        diag_node(ld, DC_DIAG_SCHEMA, root, NULL, NULL,
                  "the root element must be <ruleset xmlns=\"" DC_NS "\">, not <%s> in %s%s%s",
                  root ? (const char *)root->name : "?",
                  root && root->ns ? "namespace '" : "no namespace",
                  root && root->ns ? (const char *)root->ns->href : "",
                  root && root->ns ? "'" : "");
        return -1;
    }
    xmlRelaxNGParserCtxtPtr pctxt =
        xmlRelaxNGNewMemParserCtxt((const char *)dc_schema_rng, (int)dc_schema_rng_len);
    if (!pctxt) { note_oom(ld); return -1; }
    xmlRelaxNGSetParserStructuredErrors(pctxt, on_schema_parse_error, ld);
    xmlRelaxNGPtr schema = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!schema) {
        on_schema_parse_error(ld, NULL);
        return -1;
    }
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
    int rc = -1;
    if (vctxt) {
        xmlRelaxNGSetValidStructuredErrors(vctxt, on_schema_error, ld);
        rc = xmlRelaxNGValidateDoc(vctxt, doc);
        xmlRelaxNGFreeValidCtxt(vctxt);
        place_attr_errors(ld, root);
    } else {
        note_oom(ld);
    }
    xmlRelaxNGFree(schema);
    if (rc != 0 && ld->schema_placed == 0 && !ld->oom)
        dc_diag_add(ld->diags, DC_DIAG_SCHEMA, ld->file, 0, 0, NULL, NULL, "%s",
                    ld->schema_unplaced ? ld->schema_unplaced
                                        : "the rule set does not match the schema");
    return rc == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- DOM helpers */

static bool is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, DC_NS) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

static xmlNodePtr next_el(xmlNodePtr n)
{
    while (n && !is_el(n, NULL)) n = n->next;
    return n;
}
#define FOR_EACH_CHILD(c, parent) \
    for (xmlNodePtr c = next_el((parent)->children); c; c = next_el(c->next))

static uint32_t count_children(xmlNodePtr parent, const char *name)
{
    uint32_t n = 0;
    FOR_EACH_CHILD(c, parent) n += is_el(c, name);
    return n;
}

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
    FOR_EACH_CHILD(c, parent) if (is_el(c, name)) return c;
    return NULL;
}

static const char *sdup(loader *ld, const char *s)
{
    char *p = dc_arena_strdup(&ld->rs->arena, s);
    if (!p) { note_oom(ld); return ""; }
    return p;
}

/* Attribute value copied into the rule set's arena, or NULL when absent. */
static const char *attr(loader *ld, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v) return NULL;
    const char *s = sdup(ld, (const char *)v);
    xmlFree(v);
    return s;
}

/* The element's text (all its text children), copied into the arena, untrimmed. */
static char *text_of(loader *ld, xmlNodePtr n)
{
    dc_buf b;
    dc_buf_init(&b);
    for (xmlNodePtr c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            dc_buf_puts(&b, (const char *)c->content);
    char *s = dc_arena_strdup(&ld->rs->arena, b.data ? b.data : "");
    if (!s || b.failed) { note_oom(ld); s = NULL; }
    dc_buf_free(&b);
    return s;
}

static const char *trimmed_copy(loader *ld, const char *s)
{
    while (*s && is_xml_space(*s)) s++;
    size_t n = strlen(s);
    while (n && is_xml_space(s[n - 1])) n--;
    char *p = dc_arena_strndup(&ld->rs->arena, s, n);
    if (!p) { note_oom(ld); return ""; }
    return p;
}

static void *zalloc_n(loader *ld, size_t n, size_t size)
{
    if (n == 0) return NULL;
    if (n > SIZE_MAX / size) { note_oom(ld); return NULL; }
    void *p = dc_arena_zalloc(&ld->rs->arena, n * size);
    if (!p) note_oom(ld);
    return p;
}

/* ---------------------------------------------------------------- names */

static bool is_name(const char *s)
{
    /* capitals allowed: French legal names keep them (conditions_titre_I) */
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static bool is_id(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return false;
    return true;
}

/* Words the expression language gives a meaning of its own (LANGUAGE.md §3). */
static bool is_reserved(const char *s)
{
    static const char *const words[] = { "and", "or", "not", "if", "then", "else", "in",
                                         "where", "true", "false", "date", "position" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i]) == 0) return true;
    return false;
}

/* Checks a declared name's spelling; false (after a diagnostic) when it is unusable. */
static bool check_name(loader *ld, xmlNodePtr n, const char *name, const char *what)
{
    if (!is_name(name)) {
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL,
                  "invalid name '%s' for %s: names are ASCII letters, digits and '_', "
                  "not starting with a digit", name, what);
        return false;
    }
    if (is_reserved(name)) {
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL,
                  "'%s' cannot name %s: it is a reserved word of the expression language",
                  name, what);
        return false;
    }
    return true;
}

static const reg_entry *reg_find(const loader *ld, const char *name, int scope)
{
    for (size_t i = 0; i < ld->n_reg; i++)
        if (ld->reg[i].scope == scope && strcmp(ld->reg[i].name, name) == 0) return &ld->reg[i];
    return NULL;
}

/* Declares `name` in `scope`; reports a duplicate and returns false when it is taken. */
static bool reg_add(loader *ld, xmlNodePtr n, const char *name, int scope, const char *what,
                    const char *rule)
{
    const reg_entry *old = reg_find(ld, name, scope);
    if (old) {
        diag_node(ld, DC_DIAG_DUPLICATE_NAME, n, rule, NULL,
                  "duplicate name '%s': already declared as %s at line %u", name, old->what,
                  old->line);
        return false;
    }
    if (ld->n_reg == ld->cap_reg) {
        size_t cap = ld->cap_reg ? ld->cap_reg * 2 : 64;
        reg_entry *p = dc_arena_alloc(&ld->scratch, cap * sizeof *p);
        if (!p) { note_oom(ld); return true; }
        if (ld->n_reg) memcpy(p, ld->reg, ld->n_reg * sizeof *p);
        ld->reg = p;
        ld->cap_reg = cap;
    }
    uint32_t line, col;
    node_pos(n, &line, &col);
    ld->reg[ld->n_reg++] = (reg_entry){ name, what, scope, line };
    return true;
}

/* ---------------------------------------------------------------- attributes */

static int32_t read_date(loader *ld, xmlNodePtr n, const char *attr_name, int32_t absent,
                         const char *rule, const char *article)
{
    const char *s = attr(ld, n, attr_name);
    if (!s) return absent;
    int32_t days;
    if (dc_parse_date(s, strlen(s), &days) != 0) {
        diag_node(ld, DC_DIAG_BAD_DATE, n, rule, article,
                  "bad date '%s' in %s=: expected YYYY-MM-DD, a real calendar day", s,
                  attr_name);
        return absent;
    }
    return days;
}

static void read_date_range(loader *ld, xmlNodePtr n, const char *from_name,
                            const char *to_name, int32_t *from, int32_t *to,
                            const char *rule, const char *article)
{
    *from = read_date(ld, n, from_name, DC_NO_DATE_FROM, rule, article);
    *to = read_date(ld, n, to_name, DC_NO_DATE_TO, rule, article);
    if (*from != DC_NO_DATE_FROM && *to != DC_NO_DATE_TO && *to < *from)
        diag_node(ld, DC_DIAG_BAD_DATE, n, rule, article, "%s= is before %s=", to_name,
                  from_name);
}

/* Positive decimal integer, 0 when it is not one. */
static uint32_t parse_count(const char *s)
{
    uint64_t v = 0;
    if (!*s) return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > UINT32_MAX) return 0;
    }
    return (uint32_t)v;
}

static const char *closest_article(const dc_ruleset *rs, const char *id)
{
    const char *best = NULL;
    size_t best_d = 4;   /* farther than this is no longer a typo */
    for (uint32_t i = 0; i < rs->n_articles; i++) {
        size_t d = dc_edit_distance(id, rs->articles[i].id, best_d - 1);
        if (d < best_d) { best_d = d; best = rs->articles[i].id; }
    }
    return best;
}

/* source= and alinea= of a rule, an otherwise, a simple define or a parameter value.
 * `who` names the element in messages ("rule 'af.droit'"), `rule` goes in the record. */
static dc_source_ref read_source(loader *ld, xmlNodePtr n, const char *who, const char *rule,
                                 const char **article_id)
{
    dc_source_ref ref = { -1, 0 };
    const char *src = attr(ld, n, "source");
    const char *alinea = attr(ld, n, "alinea");
    *article_id = src;
    if (alinea) {
        ref.alinea = parse_count(alinea);
        if (!ref.alinea)
            diag_node(ld, DC_DIAG_SCHEMA, n, rule, src,
                      "alinea=\"%s\" of %s is not a positive number", alinea, who);
    }
    if (!src) {
        diag_node(ld, DC_DIAG_MISSING_SOURCE, n, rule, NULL,
                  "%s has no source=: every rule must cite the article it implements", who);
        return ref;
    }
    ref.article = dc_rs_find_article(ld->rs, src);
    if (ref.article < 0) {
        const char *near = closest_article(ld->rs, src);
        if (near)
            diag_node(ld, DC_DIAG_UNKNOWN_SOURCE, n, rule, src,
                      "%s cites unknown article '%s' (did you mean '%s'?)", who, src, near);
        else
            diag_node(ld, DC_DIAG_UNKNOWN_SOURCE, n, rule, src,
                      "%s cites unknown article '%s'", who, src);
        return ref;
    }
    const dc_article *a = &ld->rs->articles[ref.article];
    if (ref.alinea && a->n_quotes) {
        bool found = false;
        for (uint32_t i = 0; i < a->n_quotes; i++) found |= a->quotes[i].alinea == ref.alinea;
        if (!found)
            diag_node(ld, DC_DIAG_UNKNOWN_SOURCE, n, rule, src,
                      "%s cites alinéa %u, but article %s has no alinéa %u", who,
                      ref.alinea, src, ref.alinea);
    }
    return ref;
}

/* ---------------------------------------------------------------- articles */

static void build_article(loader *ld, xmlNodePtr n, dc_article *a)
{
    node_pos(n, &a->line, &a->column);
    a->id = attr(ld, n, "id");
    if (!a->id) a->id = "";
    if (!is_id(a->id))
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, a->id,
                  "invalid article id '%s': use letters, digits, '.', '_' and '-'", a->id);
    reg_add(ld, n, a->id, SCOPE_ARTICLES, "an article", NULL);
    const char *kind = attr(ld, n, "kind");
    a->kind = kind && strcmp(kind, "texte") == 0 ? DC_ARTICLE_TEXTE : DC_ARTICLE_CODE;
    a->code = attr(ld, n, "code");
    a->num = attr(ld, n, "num");
    a->title = attr(ld, n, "title");
    a->legi = attr(ld, n, "legi");
    if (a->kind == DC_ARTICLE_CODE && (!a->code || !a->num))
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, a->id,
                  "article '%s' is an article of a code: it needs code= and num= "
                  "(or kind=\"texte\" with title=)", a->id);
    if (a->kind == DC_ARTICLE_TEXTE && !a->title)
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, a->id,
                  "article '%s' has kind=\"texte\": it needs title=", a->id);
    read_date_range(ld, n, "version-from", "version-to", &a->version_from, &a->version_to,
                    NULL, a->id);

    a->n_quotes = count_children(n, "quote");
    a->quotes = zalloc_n(ld, a->n_quotes, sizeof *a->quotes);
    if (!a->quotes) { a->n_quotes = 0; return; }
    uint32_t i = 0;
    FOR_EACH_CHILD(q, n) {
        if (!is_el(q, "quote")) continue;
        dc_quote *quote = &a->quotes[i++];
        char *text = text_of(ld, q);
        quote->text = text ? normalize_ws(text) : "";
        quote->alinea = i;
        const char *explicit_alinea = attr(ld, q, "alinea");
        if (explicit_alinea) {
            quote->alinea = parse_count(explicit_alinea);
            if (!quote->alinea)
                diag_node(ld, DC_DIAG_SCHEMA, q, NULL, a->id,
                          "alinea=\"%s\" is not a positive number", explicit_alinea);
        }
        for (uint32_t j = 0; j + 1 < i; j++)
            if (quote->alinea && a->quotes[j].alinea == quote->alinea)
                diag_node(ld, DC_DIAG_DUPLICATE_NAME, q, NULL, a->id,
                          "article '%s' quotes alinéa %u twice", a->id, quote->alinea);
    }
}

/* ---------------------------------------------------------------- inputs */

static void build_input(loader *ld, xmlNodePtr n, dc_input *in, int32_t entity, uint32_t slot)
{
    node_pos(n, &in->line, &in->column);
    in->entity = entity;
    in->slot = slot;
    in->name = attr(ld, n, "name");
    if (!in->name) in->name = "";
    in->label = attr(ld, n, "label");
    if (!in->label) in->label = in->name;
    if (check_name(ld, n, in->name, "an input"))
        reg_add(ld, n, in->name, entity < 0 ? SCOPE_GLOBAL : entity,
                entity < 0 ? "an input" : "a field of the same entity", NULL);
    const char *type = attr(ld, n, "type");
    in->type = type ? dc_type_from_name(type) : DC_T_COUNT_;
    if (in->type == DC_T_COUNT_) {
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL, "input '%s' has an unknown type '%s'",
                  in->name, type ? type : "");
        in->type = DC_T_TEXT;
    }

    const char *values = attr(ld, n, "values");
    if (in->type == DC_T_ENUM && !values)
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL,
                  "enum input '%s' needs values=\"a b c\"", in->name);
    if (in->type != DC_T_ENUM && values)
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL,
                  "values= is for enum inputs; input '%s' has type %s", in->name, type);
    if (in->type == DC_T_ENUM && values) {
        char *copy = dc_arena_strdup(&ld->rs->arena, values);
        if (!copy) { note_oom(ld); return; }
        normalize_ws(copy);
        uint32_t count = *copy ? 1 : 0;
        for (const char *p = copy; *p; p++) count += *p == ' ';
        in->enum_values = zalloc_n(ld, count, sizeof *in->enum_values);
        if (count && !in->enum_values) return;
        for (char *tok = copy; count && tok;) {
            char *sp = strchr(tok, ' ');
            if (sp) *sp = '\0';
            bool ok = *tok != '\0';
            for (const char *p = tok; *p; p++)
                ok &= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
            if (!ok)
                diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL,
                          "enum value '%s' of input '%s': values are lower-case letters, "
                          "digits and '_'", tok, in->name);
            for (uint32_t j = 0; j < in->n_enum_values; j++)
                if (strcmp(in->enum_values[j], tok) == 0)
                    diag_node(ld, DC_DIAG_DUPLICATE_NAME, n, NULL, NULL,
                              "enum value '%s' of input '%s' is listed twice", tok, in->name);
            in->enum_values[in->n_enum_values++] = tok;
            tok = sp ? sp + 1 : NULL;
        }
        if (count == 0)
            diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL, "enum input '%s' has no values",
                      in->name);
    }

    bool ordered = in->type == DC_T_INT || in->type == DC_T_DECIMAL || in->type == DC_T_MONEY ||
                   in->type == DC_T_RATE || in->type == DC_T_DATE;
    const char *bounds[2] = { attr(ld, n, "min"), attr(ld, n, "max") };
    for (int b = 0; b < 2; b++) {
        const char *s = bounds[b], *which = b ? "max" : "min";
        if (!s) continue;
        if (!ordered) {
            diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL,
                      "%s= is for numbers and dates; input '%s' has type %s", which, in->name,
                      type);
            continue;
        }
        if (b == 1 && in->type == DC_T_DATE && strcmp(s, "date") == 0) {
            in->max_is_eval_date = true;
            continue;
        }
        dc_value v;
        if (dc_parse_typed(in->type, s, strlen(s), &v) != 0) {
            diag_node(ld, DC_DIAG_BAD_LITERAL, n, NULL, NULL,
                      "%s=\"%s\" of input '%s' is not a %s", which, s, in->name, type);
            continue;
        }
        if (b) { in->has_max = true; in->max = v; }
        else   { in->has_min = true; in->min = v; }
    }

    in->pattern = attr(ld, n, "pattern");
    if (in->pattern && in->type != DC_T_TEXT) {
        diag_node(ld, DC_DIAG_SCHEMA, n, NULL, NULL,
                  "pattern= is for text inputs; input '%s' has type %s", in->name, type);
    } else if (in->pattern) {
        int errcode;
        PCRE2_SIZE offset;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)in->pattern, PCRE2_ZERO_TERMINATED,
                                         PCRE2_UTF, &errcode, &offset, NULL);
        if (!code) {
            PCRE2_UCHAR message[256];
            if (pcre2_get_error_message(errcode, message, sizeof message) < 0)
                strcpy((char *)message, "invalid pattern");
            diag_node(ld, DC_DIAG_BAD_PATTERN, n, NULL, NULL,
                      "pattern of input '%s' does not compile: %s at offset %zu", in->name,
                      (const char *)message, (size_t)offset);
        }
        in->pattern_code = code;
    }
}

static void build_inputs(loader *ld, xmlNodePtr inputs)
{
    dc_ruleset *rs = ld->rs;
    uint32_t n_inputs = 0;
    FOR_EACH_CHILD(c, inputs) {
        if (is_el(c, "input")) { n_inputs++; rs->n_top_inputs++; }
        else if (is_el(c, "entity")) { n_inputs += count_children(c, "input"); rs->n_entities++; }
    }
    rs->inputs = zalloc_n(ld, n_inputs, sizeof *rs->inputs);
    rs->entities = zalloc_n(ld, rs->n_entities, sizeof *rs->entities);
    if ((n_inputs && !rs->inputs) || (rs->n_entities && !rs->entities)) {
        rs->n_entities = 0;
        rs->n_top_inputs = 0;
        return;
    }
    uint32_t top_slot = 0, e = 0;
    FOR_EACH_CHILD(c, inputs) {
        if (is_el(c, "input")) {
            build_input(ld, c, &rs->inputs[rs->n_inputs++], -1, top_slot++);
            continue;
        }
        if (!is_el(c, "entity")) continue;
        dc_entity *ent = &rs->entities[e];
        node_pos(c, &ent->line, &ent->column);
        ent->name = attr(ld, c, "name");
        ent->plural = attr(ld, c, "plural");
        ent->label = attr(ld, c, "label");
        if (!ent->name) ent->name = "";
        if (!ent->plural) ent->plural = "";
        if (!ent->label) ent->label = ent->plural;
        if (check_name(ld, c, ent->name, "an entity"))
            reg_add(ld, c, ent->name, SCOPE_GLOBAL, "an entity", NULL);
        if (check_name(ld, c, ent->plural, "an entity list"))
            reg_add(ld, c, ent->plural, SCOPE_GLOBAL, "an entity list", NULL);
        ent->first_input = rs->n_inputs;
        uint32_t field = 0;
        FOR_EACH_CHILD(f, c)
            if (is_el(f, "input"))
                build_input(ld, f, &rs->inputs[rs->n_inputs++], (int32_t)e, field++);
        ent->n_inputs = field;
        e++;
    }
}

/* ---------------------------------------------------------------- parameters */

static void build_param(loader *ld, xmlNodePtr n, dc_param *p)
{
    node_pos(n, &p->line, &p->column);
    p->name = attr(ld, n, "name");
    if (!p->name) p->name = "";
    p->label = attr(ld, n, "label");
    if (!p->label) p->label = p->name;
    if (check_name(ld, n, p->name, "a parameter"))
        reg_add(ld, n, p->name, SCOPE_GLOBAL, "a parameter", NULL);
    const char *type = attr(ld, n, "type");
    p->type = type ? dc_type_from_name(type) : DC_T_COUNT_;
    if (p->type == DC_T_COUNT_ || p->type == DC_T_ENUM || p->type == DC_T_DURATION ||
        p->type == DC_T_LIST) {
        diag_node(ld, DC_DIAG_SCHEMA, n, p->name, NULL,
                  "parameter '%s' cannot have type '%s'", p->name, type ? type : "");
        p->type = DC_T_TEXT;
    }

    p->n_values = count_children(n, "value");
    p->values = zalloc_n(ld, p->n_values, sizeof *p->values);
    if (!p->values) { p->n_values = 0; return; }
    const char **from_text = dc_arena_zalloc(&ld->scratch, p->n_values * sizeof *from_text);
    bool *explicit_to = dc_arena_zalloc(&ld->scratch, p->n_values * sizeof *explicit_to);
    if (!from_text || !explicit_to) { note_oom(ld); p->n_values = 0; return; }
    xmlNodePtr *nodes = dc_arena_zalloc(&ld->scratch, p->n_values * sizeof *nodes);
    if (!nodes) { note_oom(ld); p->n_values = 0; return; }
    uint32_t i = 0;
    FOR_EACH_CHILD(c, n) {
        if (!is_el(c, "value")) continue;
        dc_param_value *v = &p->values[i];
        nodes[i] = c;
        node_pos(c, &v->line, &v->column);
        from_text[i] = attr(ld, c, "from");
        if (!from_text[i]) from_text[i] = "?";
        char who[160];
        snprintf(who, sizeof who, "the value of parameter '%s' from %s", p->name, from_text[i]);
        const char *article_id;
        v->source = read_source(ld, c, who, p->name, &article_id);
        v->from = read_date(ld, c, "from", DC_NO_DATE_FROM, p->name, article_id);
        v->to = read_date(ld, c, "to", DC_NO_DATE_TO, p->name, article_id);
        explicit_to[i] = v->to != DC_NO_DATE_TO;
        if (explicit_to[i] && v->from != DC_NO_DATE_FROM && v->to < v->from)
            diag_node(ld, DC_DIAG_TABLE_ORDER, c, p->name, article_id,
                      "%s ends (to=) before it starts", who);
        char *raw = text_of(ld, c);
        v->text = raw ? trimmed_copy(ld, raw) : "";
        if (p->type == DC_T_TEXT) {
            v->value = dc_v_make(DC_T_TEXT, 0);
            v->value.u.s = v->text;
        } else if (dc_parse_typed(p->type, v->text, strlen(v->text), &v->value) != 0) {
            diag_node(ld, DC_DIAG_BAD_LITERAL, c, p->name, article_id,
                      "'%s' is not a %s literal (%s)", v->text, dc_type_name(p->type), who);
            v->value = dc_v_unknown(p->type);
        }
        i++;
    }
    /* A value lasts until the day before the next one starts: the table must be in
     * order, and an explicit to= must meet the next from= exactly. */
    for (i = 0; i < p->n_values; i++) {
        dc_param_value *v = &p->values[i];
        if (i + 1 == p->n_values) break;
        dc_param_value *next = &p->values[i + 1];
        if (v->from == DC_NO_DATE_FROM || next->from == DC_NO_DATE_FROM) continue;
        if (next->from <= v->from) {
            diag_node(ld, DC_DIAG_TABLE_ORDER, nodes[i + 1], p->name, NULL,
                      "values of parameter '%s' are not in increasing from= order: %s "
                      "comes after %s", p->name, from_text[i + 1], from_text[i]);
            continue;
        }
        if (!explicit_to[i]) {
            v->to = next->from - 1;
        } else if (v->to >= next->from) {
            diag_node(ld, DC_DIAG_TABLE_OVERLAP, nodes[i], p->name, NULL,
                      "values of parameter '%s' overlap: the value from %s lasts to %s, "
                      "after the next one starts on %s", p->name, from_text[i],
                      attr(ld, nodes[i], "to"), from_text[i + 1]);
        } else if (v->to != next->from - 1) {
            diag_node(ld, DC_DIAG_TABLE_GAP, nodes[i], p->name, NULL,
                      "parameter '%s' has a gap between %s and %s: no value is in force "
                      "in between", p->name, attr(ld, nodes[i], "to"), from_text[i + 1]);
        }
    }
}

/* ---------------------------------------------------------------- computed values */

/* The expression starts where the element's content starts, so the parser's positions are
 * the file's; only a character reference (&gt;) before a token shifts its column. */
static dc_expr *parse_el(loader *ld, xmlNodePtr n, const char *rule, const char *article,
                         const char **text_out)
{
    char *raw = text_of(ld, n);
    if (!raw) { *text_out = ""; return NULL; }
    *text_out = trimmed_copy(ld, raw);
    const xpos *p = n->_private;
    uint32_t line, col;
    if (p) { line = p->cline; col = p->ccol; }
    else   { node_pos(n, &line, &col); }
    return dc_parse_expr(&ld->rs->arena, raw, ld->file, line, col, ld->diags, rule, article);
}

static void build_rule(loader *ld, xmlNodePtr n, dc_rule *r, int32_t owner);

static void build_rule_list(loader *ld, xmlNodePtr parent, int32_t owner, dc_rule **out,
                            uint32_t *count)
{
    *count = count_children(parent, "rule");
    *out = zalloc_n(ld, *count, sizeof **out);
    if (!*out) { *count = 0; return; }
    uint32_t i = 0;
    FOR_EACH_CHILD(c, parent)
        if (is_el(c, "rule")) build_rule(ld, c, &(*out)[i++], owner);
}

static void build_rule(loader *ld, xmlNodePtr n, dc_rule *r, int32_t owner)
{
    node_pos(n, &r->line, &r->column);
    r->owner = owner;
    r->id = attr(ld, n, "id");
    if (!r->id) r->id = "";
    if (!is_id(r->id))
        diag_node(ld, DC_DIAG_SCHEMA, n, r->id, NULL,
                  "invalid rule id '%s': use letters, digits, '.', '_' and '-'", r->id);
    else
        reg_add(ld, n, r->id, SCOPE_RULES, "a rule id", r->id);
    char who[160];
    snprintf(who, sizeof who, "rule '%s'", r->id);
    const char *article_id;
    r->source = read_source(ld, n, who, r->id, &article_id);
    read_date_range(ld, n, "valid-from", "valid-to", &r->valid_from, &r->valid_to, r->id,
                    article_id);
    xmlNodePtr cond = child(n, "if"), then = child(n, "then"), explain = child(n, "explain");
    if (cond) r->cond = parse_el(ld, cond, r->id, article_id, &r->cond_text);
    if (then) r->then = parse_el(ld, then, r->id, article_id, &r->then_text);
    if (explain) {
        dc_template *t = zalloc_n(ld, 1, sizeof *t);
        char *raw = text_of(ld, explain);
        if (t && raw) {
            t->raw = normalize_ws(raw);
            const xpos *p = explain->_private;
            if (p) { t->line = p->cline; t->column = p->ccol; }
            else   { node_pos(explain, &t->line, &t->column); }
            r->explain = t;
        }
    }
    build_rule_list(ld, n, owner, &r->exceptions, &r->n_exceptions);
}

static void build_computed(loader *ld, xmlNodePtr n, dc_computed *c, int32_t index)
{
    dc_ruleset *rs = ld->rs;
    node_pos(n, &c->line, &c->column);
    c->is_variable = is_el(n, "variable");
    c->enum_of = -1;
    c->entity = -1;
    c->name = attr(ld, n, "name");
    if (!c->name) c->name = "";
    c->label = attr(ld, n, "label");
    if (!c->label) c->label = c->name;
    const char *type = attr(ld, n, "type");
    c->type = type ? dc_type_from_name(type) : DC_T_COUNT_;
    if (c->type == DC_T_COUNT_ || c->type == DC_T_LIST) {
        diag_node(ld, DC_DIAG_SCHEMA, n, c->name, NULL, "'%s' has an unknown type '%s'",
                  c->name, type ? type : "");
        c->type = DC_T_TEXT;
    }
    const char *of = attr(ld, n, "of");
    if (of) {
        for (uint32_t e = 0; e < rs->n_entities; e++)
            if (strcmp(rs->entities[e].name, of) == 0) c->entity = (int32_t)e;
        if (c->entity < 0) {
            int32_t by_plural = dc_rs_find_entity(rs, of);
            if (by_plural >= 0)
                diag_node(ld, DC_DIAG_UNKNOWN_NAME, n, c->name, NULL,
                          "of=\"%s\": use the singular entity name '%s'", of,
                          rs->entities[by_plural].name);
            else
                diag_node(ld, DC_DIAG_UNKNOWN_NAME, n, c->name, NULL,
                          "of=\"%s\" names no entity", of);
        }
    }
    if (check_name(ld, n, c->name, c->is_variable ? "a variable" : "a value")) {
        reg_add(ld, n, c->name, SCOPE_GLOBAL, c->is_variable ? "a variable" : "a value", c->name);
        /* inside its entity, a per-record value is seen next to the entity's fields */
        const reg_entry *field = c->entity >= 0 ? reg_find(ld, c->name, c->entity) : NULL;
        if (field)
            diag_node(ld, DC_DIAG_DUPLICATE_NAME, n, c->name, NULL,
                      "duplicate name '%s': already a field of entity '%s' (line %u)",
                      c->name, rs->entities[c->entity].name, field->line);
    }
    if (c->entity < 0) c->slot = rs->n_top_computeds++;
    else c->slot = rs->n_record_computeds[c->entity]++;

    bool rule_form = child(n, "rule") || child(n, "otherwise");
    if (rule_form) {
        build_rule_list(ld, n, index, &c->rules, &c->n_rules);
        xmlNodePtr other = child(n, "otherwise");
        if (other) {
            dc_rule *r = zalloc_n(ld, 1, sizeof *r);
            if (!r) return;
            node_pos(other, &r->line, &r->column);
            r->owner = index;
            r->valid_from = DC_NO_DATE_FROM;
            r->valid_to = DC_NO_DATE_TO;
            char who[160];
            snprintf(who, sizeof who, "the otherwise of '%s'", c->name);
            const char *article_id;
            r->source = read_source(ld, other, who, c->name, &article_id);
            r->then = parse_el(ld, other, c->name, article_id, &r->then_text);
            c->otherwise = r;
        }
        return;
    }
    c->simple = true;
    dc_rule *r = zalloc_n(ld, 1, sizeof *r);
    if (!r) return;
    c->rules = r;
    c->n_rules = 1;
    r->line = c->line;
    r->column = c->column;
    r->owner = index;
    char who[160];
    snprintf(who, sizeof who, "'%s'", c->name);
    const char *article_id;
    r->source = read_source(ld, n, who, c->name, &article_id);
    read_date_range(ld, n, "valid-from", "valid-to", &r->valid_from, &r->valid_to, c->name,
                    article_id);
    r->then = parse_el(ld, n, c->name, article_id, &r->then_text);
}

static uint32_t count_rules(const dc_rule *rules, uint32_t n)
{
    uint32_t total = n;
    for (uint32_t i = 0; i < n; i++) total += count_rules(rules[i].exceptions, rules[i].n_exceptions);
    return total;
}

static void list_rules(dc_ruleset *rs, dc_rule *rules, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        rules[i].index = rs->n_all_rules;
        rs->all_rules[rs->n_all_rules++] = &rules[i];
        list_rules(rs, rules[i].exceptions, rules[i].n_exceptions);
    }
}

static void build_all_rules(loader *ld)
{
    dc_ruleset *rs = ld->rs;
    uint32_t total = 0;
    for (uint32_t i = 0; i < rs->n_computeds; i++) {
        const dc_computed *c = &rs->computeds[i];
        total += count_rules(c->rules, c->n_rules) + (c->otherwise ? 1 : 0);
    }
    rs->all_rules = zalloc_n(ld, total, sizeof *rs->all_rules);
    if (!rs->all_rules) return;
    for (uint32_t i = 0; i < rs->n_computeds; i++) {
        dc_computed *c = &rs->computeds[i];
        list_rules(rs, c->rules, c->n_rules);
        if (c->otherwise) list_rules(rs, c->otherwise, 1);
    }
}

/* ---------------------------------------------------------------- decision */

static int32_t decision_value(loader *ld, xmlNodePtr n, const char *attr_name,
                              dc_type_kind want)
{
    const char *name = attr(ld, n, attr_name);
    if (!name) return -1;
    dc_ruleset *rs = ld->rs;
    int32_t idx = dc_rs_find_computed(rs, name);
    if (idx < 0) {
        diag_node(ld, DC_DIAG_BAD_DECISION, n, NULL, NULL,
                  "%s=\"%s\" names no <define> or <variable>", attr_name, name);
        return -1;
    }
    const dc_computed *c = &rs->computeds[idx];
    if (c->type != want)
        diag_node(ld, DC_DIAG_BAD_DECISION, n, NULL, NULL,
                  "%s=\"%s\" must name a %s value, but '%s' has type %s", attr_name, name,
                  dc_type_name(want), name, dc_type_name(c->type));
    if (c->entity >= 0)
        diag_node(ld, DC_DIAG_BAD_DECISION, n, NULL, NULL,
                  "%s=\"%s\" is computed per %s, not for the whole case", attr_name, name,
                  rs->entities[c->entity].name);
    return idx;
}

static void build_decision(loader *ld, xmlNodePtr n)
{
    dc_ruleset *rs = ld->rs;
    rs->eligible = decision_value(ld, n, "eligible", DC_T_BOOL);
    rs->amount = decision_value(ld, n, "amount", DC_T_MONEY);
    const char *period = attr(ld, n, "period");
    rs->period = !period || strcmp(period, "month") == 0 ? DC_PERIOD_MONTH
               : strcmp(period, "year") == 0             ? DC_PERIOD_YEAR
                                                         : DC_PERIOD_ONCE;
}

/* ---------------------------------------------------------------- the model */

static void build(loader *ld, xmlNodePtr root)
{
    dc_ruleset *rs = ld->rs;
    rs->id = attr(ld, root, "id");
    rs->version = attr(ld, root, "version");
    if (rs->id && !is_id(rs->id))
        diag_node(ld, DC_DIAG_SCHEMA, root, NULL, NULL,
                  "invalid rule set id '%s': use letters, digits, '.', '_' and '-'", rs->id);
    if (rs->version && !is_id(rs->version))
        diag_node(ld, DC_DIAG_SCHEMA, root, NULL, NULL,
                  "invalid version '%s': use letters, digits, '.', '_' and '-'", rs->version);
    xmlChar *lang = xmlGetNsProp(root, (const xmlChar *)"lang", XML_XML_NAMESPACE);
    rs->lang = sdup(ld, lang ? (const char *)lang : "fr");
    xmlFree(lang);
    xmlNodePtr title = child(root, "title");
    char *title_text = title ? text_of(ld, title) : NULL;
    rs->title = title_text ? normalize_ws(title_text) : "";

    xmlNodePtr sources = child(root, "sources");
    if (sources) {
        rs->n_articles = count_children(sources, "article");
        rs->articles = zalloc_n(ld, rs->n_articles, sizeof *rs->articles);
        if (!rs->articles) rs->n_articles = 0;
        uint32_t i = 0;
        FOR_EACH_CHILD(c, sources)
            if (is_el(c, "article") && i < rs->n_articles) build_article(ld, c, &rs->articles[i++]);
    }
    xmlNodePtr inputs = child(root, "inputs");
    if (inputs) build_inputs(ld, inputs);
    rs->n_record_computeds = zalloc_n(ld, rs->n_entities, sizeof *rs->n_record_computeds);
    if (!rs->n_record_computeds) rs->n_entities = 0;

    xmlNodePtr params = child(root, "parameters");
    if (params) {
        rs->n_params = count_children(params, "parameter");
        rs->params = zalloc_n(ld, rs->n_params, sizeof *rs->params);
        if (!rs->params) rs->n_params = 0;
        uint32_t i = 0;
        FOR_EACH_CHILD(c, params)
            if (is_el(c, "parameter") && i < rs->n_params) build_param(ld, c, &rs->params[i++]);
    }

    uint32_t n_computeds = count_children(root, "define") + count_children(root, "variable");
    rs->computeds = zalloc_n(ld, n_computeds, sizeof *rs->computeds);
    if (rs->computeds) {
        FOR_EACH_CHILD(c, root) {
            if (!is_el(c, "define") && !is_el(c, "variable")) continue;
            int32_t index = (int32_t)rs->n_computeds++;
            build_computed(ld, c, &rs->computeds[index], index);
        }
    }
    build_all_rules(ld);

    rs->eligible = -1;
    rs->amount = -1;
    xmlNodePtr decision = child(root, "decision");
    if (decision) build_decision(ld, decision);
}

dc_ruleset *dc_ruleset_read_xml(const char *data, size_t len, const char *filename,
                                dc_diag_list *diags)
{
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.file = filename;
    ld.diags = diags;
    dc_arena_init(&ld.scratch, 16 * 1024);

    dc_ruleset *rs = NULL;
    xmlDocPtr doc = read_doc(&ld, data ? data : "", data ? len : 0);
    if (!doc || validate(&ld, doc) != 0) goto done;

    rs = calloc(1, sizeof *rs);
    if (!rs) { note_oom(&ld); goto done; }
    dc_arena_init(&rs->arena, 64 * 1024);
    rs->eligible = -1;
    rs->amount = -1;
    ld.rs = rs;
    if (filename) rs->file = sdup(&ld, filename);
    build(&ld, xmlDocGetRootElement(doc));
    if (ld.oom) {
        dc_ruleset_free(rs);
        rs = NULL;
    }
done:
    if (doc) xmlFreeDoc(doc);
    dc_arena_free(&ld.scratch);
    return rs;
}
