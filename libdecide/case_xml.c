/* case_xml.c — reads an XML case record (libxml2) against a rule set's declared
 * inputs: <case date="…"><ressources>45000.00</ressources><enfants><enfant id="e1">
 * <date_naissance>…</date_naissance></enfant></enfants></case>. Parsed without network,
 * DTD loading or entity substitution; a DOCTYPE that declares entities is refused. */
#include "case.h"
#include "case_internal.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <string.h>

#define CASE_NS "urn:libdecide:case:1"
#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

typedef struct xml_reader {
    dc_case *c;
    dc_diag_list *diags;
    const char *file;
    size_t syntax_errors;
    bool entity_declared;
} xml_reader;

/* Errors are collected per parse through the context's own SAX handler: no global
 * libxml2 handler is touched, so concurrent loads in other threads are unaffected. */
static void on_xml_error(void *user, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = user;
    xml_reader *rd = ctxt ? ctxt->_private : NULL;
    if (!rd || !e || e->level < XML_ERR_ERROR) return;
    /* the entity refusal has already been reported in its own words */
    if (rd->entity_declared) return;
    const char *msg = e->message ? e->message : "XML error";
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
    rd->syntax_errors++;
    dc_diag_add(rd->diags, DC_DIAG_CASE_SYNTAX, rd->file, e->line > 0 ? (uint32_t)e->line : 0,
                e->int2 > 0 ? (uint32_t)e->int2 : 0, NULL, NULL,
                "malformed XML case record: %.*s", (int)n, msg);
}

/* Any entity declaration stops the parse: a case record has no use for entities, and
 * refusing them outright closes the door to expansion bombs and external fetches. */
static void on_entity_decl(void *user, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    (void)type; (void)public_id; (void)system_id; (void)content;
    xmlParserCtxtPtr ctxt = user;
    xml_reader *rd = ctxt->_private;
    if (!rd->entity_declared) {
        rd->entity_declared = true;
        rd->syntax_errors++;
        uint32_t line = ctxt->input ? (uint32_t)ctxt->input->line : 0;
        uint32_t col = ctxt->input ? (uint32_t)ctxt->input->col : 0;
        dc_diag_add(rd->diags, DC_DIAG_CASE_SYNTAX, rd->file, line, col, NULL, NULL,
                    "entity declarations are not allowed in a case record (entity '%s')",
                    name ? (const char *)name : "");
    }
    xmlStopParser(ctxt);
}

static uint32_t line_of(const xmlNode *n)
{
    long l = xmlGetLineNo(n);
    return l > 0 && l < (long)UINT32_MAX ? (uint32_t)l : 0;
}

static bool in_case_ns(const xmlNode *n)
{
    return !n->ns || !n->ns->href || !strcmp((const char *)n->ns->href, CASE_NS);
}

static bool is_nil(const xmlNode *n)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, "nil")) continue;
        if (a->ns && a->ns->href && strcmp((const char *)a->ns->href, XSI_NS) &&
            strcmp((const char *)a->ns->href, CASE_NS))
            continue;
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        bool nil = v && (!strcmp((const char *)v, "true") || !strcmp((const char *)v, "1"));
        xmlFree(v);
        if (nil) return true;
    }
    return false;
}

/* The element's own text (text and CDATA children). Returns false when it has child
 * elements: a field holds a value, not a structure. */
static bool own_text(const xmlNode *n, dc_buf *out)
{
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (k->type == XML_ELEMENT_NODE) return false;
        if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content)
            dc_buf_puts(out, (const char *)k->content);
    }
    return true;
}

static void warn_unknown(xml_reader *rd, const xmlNode *n, int32_t entity, const char *prefix)
{
    const char *name = (const char *)n->name;
    const char *suggestion = dc_case_suggest_field(rd->c->rs, entity, name);
    if (suggestion)
        dc_diag_add(rd->diags, DC_DIAG_CASE_UNKNOWN_FIELD, rd->file, line_of(n), 0, NULL, NULL,
                    "unknown field '%s%s'; did you mean '%s'?", prefix ? prefix : "", name,
                    suggestion);
    else
        dc_diag_add(rd->diags, DC_DIAG_CASE_UNKNOWN_FIELD, rd->file, line_of(n), 0, NULL, NULL,
                    "unknown field '%s%s'", prefix ? prefix : "", name);
}

/* One declared field from its element; `seen` guards against a field given twice,
 * which would leave the value ambiguous. */
static int read_field(xml_reader *rd, dc_fact *f, bool *seen, int32_t input, int32_t record,
                      const xmlNode *n)
{
    dc_case *c = rd->c;
    const dc_input *in = &c->rs->inputs[input];
    dc_buf path, text;
    dc_buf_init(&path);
    dc_buf_init(&text);
    dc_case_fact_path(&path, c->rs, input, record);
    if (*seen) {
        dc_case_set_invalid(c, f, in, "given more than once");
    } else {
        *seen = true;
        if (is_nil(n)) {
            dc_fact_set_missing(f, in->type);
        } else if (!own_text(n, &text)) {
            dc_case_set_invalid(c, f, in, "an element with child elements where %s is expected",
                                dc_case_type_phrase(in->type));
        } else {
            dc_case_set_from_text(c, f, in, text.data ? text.data : "", text.len);
        }
    }
    if (dc_fact_state_of(f) == DC_FACT_INVALID)
        dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, line_of(n), 0, NULL, NULL,
                    "%s: %s", path.data ? path.data : in->name, dc_fact_why(f));
    int failed = path.failed || text.failed;
    dc_buf_free(&path);
    dc_buf_free(&text);
    return failed ? -1 : 0;
}

static void read_date_text(xml_reader *rd, const xmlNode *at, const char *s)
{
    int32_t days;
    if (dc_parse_date(s, strlen(s), &days) == DC_VOK) {
        rd->c->has_date = true;
        rd->c->date = days;
        return;
    }
    dc_buf shown;
    dc_buf_init(&shown);
    dc_case_show_text(&shown, s, strlen(s));
    dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, line_of(at), 0, NULL, NULL,
                "date: %s: not a date (expected YYYY-MM-DD)",
                shown.data && !shown.failed ? shown.data : "(empty)");
    dc_buf_free(&shown);
}

static bool is_record(const xmlNode *k, const dc_entity *ent)
{
    return k->type == XML_ELEMENT_NODE && in_case_ns(k) && !strcmp((const char *)k->name, ent->name);
}

static int read_list(xml_reader *rd, int32_t e, const xmlNode *list)
{
    dc_case *c = rd->c;
    const dc_ruleset *rs = c->rs;
    const dc_entity *ent = &rs->entities[e];
    if (c->lists[e].count >= 0) {
        dc_diag_add(rd->diags, DC_DIAG_CASE_INVALID, rd->file, line_of(list), 0, NULL, NULL,
                    "%s: given more than once; only the first one is read", ent->plural);
        return 0;
    }
    if (is_nil(list)) return 0;   /* an unknown list, as when it is absent */
    size_t count = 0;
    for (const xmlNode *k = list->children; k; k = k->next)
        if (is_record(k, ent)) count++;
    if (dc_case_list_alloc(c, e, count) != 0) return -1;
    dc_case_list *l = &c->lists[e];
    bool *seen = NULL;
    if (ent->n_inputs) {
        seen = dc_arena_alloc(&c->arena, ent->n_inputs * sizeof *seen);
        if (!seen) return -1;
    }
    dc_buf prefix;
    dc_buf_init(&prefix);
    size_t r = 0;
    int rc = 0;
    for (const xmlNode *k = list->children; k && rc == 0; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        if (!is_record(k, ent)) {
            const char *name = (const char *)k->name;
            if (dc_edit_distance(name, ent->name, 3) <= 3)
                dc_diag_add(rd->diags, DC_DIAG_CASE_UNKNOWN_FIELD, rd->file, line_of(k), 0, NULL,
                            NULL, "unknown element '%s' in %s; did you mean '%s'?", name,
                            ent->plural, ent->name);
            else
                dc_diag_add(rd->diags, DC_DIAG_CASE_UNKNOWN_FIELD, rd->file, line_of(k), 0, NULL,
                            NULL, "unknown element '%s' in %s (records are <%s>)", name,
                            ent->plural, ent->name);
            continue;
        }
        xmlChar *id = xmlGetNoNsProp(k, (const xmlChar *)"id");
        if (id) {
            l->ids[r] = dc_arena_strdup(&c->arena, (const char *)id);
            xmlFree(id);
        }
        if (ent->n_inputs) memset(seen, 0, ent->n_inputs * sizeof *seen);
        dc_buf_clear(&prefix);
        dc_buf_printf(&prefix, "%s[%zu].", ent->plural, r);
        for (const xmlNode *fld = k->children; fld && rc == 0; fld = fld->next) {
            if (fld->type != XML_ELEMENT_NODE) continue;
            const char *name = (const char *)fld->name;
            int32_t i = in_case_ns(fld) ? dc_case_find_input(rs, e, name, strlen(name)) : -1;
            if (i < 0) {
                warn_unknown(rd, fld, e, prefix.data);
                continue;
            }
            uint32_t slot = rs->inputs[i].slot;
            rc = read_field(rd, &l->facts[r * ent->n_inputs + slot], &seen[slot], i, (int32_t)r,
                            fld);
        }
        r++;
    }
    if (prefix.failed) rc = -1;
    dc_buf_free(&prefix);
    return rc;
}

static int read_case(xml_reader *rd, const xmlNode *root)
{
    dc_case *c = rd->c;
    const dc_ruleset *rs = c->rs;
    xmlChar *date = xmlGetNoNsProp(root, (const xmlChar *)"date");
    if (date) {
        read_date_text(rd, root, (const char *)date);
        xmlFree(date);
    }
    bool *seen = NULL;
    if (rs->n_top_inputs) {
        seen = dc_arena_zalloc(&c->arena, rs->n_top_inputs * sizeof *seen);
        if (!seen) return -1;
    }
    for (const xmlNode *k = root->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE) continue;
        const char *name = (const char *)k->name;
        size_t len = strlen(name);
        if (!in_case_ns(k)) {
            warn_unknown(rd, k, -1, NULL);
            continue;
        }
        if (!strcmp(name, "date")) {
            dc_buf text;
            dc_buf_init(&text);
            if (!is_nil(k)) {
                own_text(k, &text);
                read_date_text(rd, k, text.data ? text.data : "");
            }
            dc_buf_free(&text);
            continue;
        }
        int32_t i = dc_case_find_input(rs, -1, name, len);
        if (i >= 0) {
            uint32_t slot = rs->inputs[i].slot;
            if (read_field(rd, &c->top[slot], &seen[slot], i, -1, k) != 0) return -1;
            continue;
        }
        int32_t e = dc_case_find_list(rs, name, len);
        if (e >= 0) {
            if (read_list(rd, e, k) != 0) return -1;
            continue;
        }
        warn_unknown(rd, k, -1, NULL);
    }
    return 0;
}

int dc_case_read_xml(dc_case **out, const dc_ruleset *rs, const char *data, size_t len,
                     const char *filename, dc_diag_list *diags)
{
    *out = NULL;
    if (len > (size_t)INT_MAX) {
        dc_diag_add(diags, DC_DIAG_CASE_SYNTAX, filename, 0, 0, NULL, NULL,
                    "case record too large (%zu bytes)", len);
        return -1;
    }
    xml_reader rd = { NULL, diags, filename, 0, false };
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        dc_diag_add(diags, DC_DIAG_NOMEM, filename, 0, 0, NULL, NULL, "out of memory");
        return -1;
    }
    ctxt->_private = &rd;
    ctxt->sax->serror = on_xml_error;
    ctxt->sax->entityDecl = on_entity_decl;
    /* no NOENT (no substitution), no DTDLOAD/DTDATTR, no network */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, filename, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOCDATA);
    xmlFreeParserCtxt(ctxt);
    if (!doc || rd.syntax_errors || rd.entity_declared) {
        if (!rd.syntax_errors)
            dc_diag_add(diags, DC_DIAG_CASE_SYNTAX, filename, 1, 1, NULL, NULL,
                        "malformed XML case record");
        xmlFreeDoc(doc);
        return -1;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (root && !strcmp((const char *)root->name, "case") && !in_case_ns(root)) {
        dc_diag_add(diags, DC_DIAG_CASE_SYNTAX, filename, line_of(root), 0, NULL, NULL,
                    "the root element <case> is in namespace '%s'; expected no namespace or "
                    CASE_NS, (const char *)root->ns->href);
        xmlFreeDoc(doc);
        return -1;
    }
    if (!root || strcmp((const char *)root->name, "case")) {
        dc_diag_add(diags, DC_DIAG_CASE_SYNTAX, filename, root ? line_of(root) : 1, 0, NULL, NULL,
                    "the root element must be <case> (no namespace or " CASE_NS "), not <%s>",
                    root ? (const char *)root->name : "");
        xmlFreeDoc(doc);
        return -1;
    }
    rd.c = dc_case_new(rs);
    int rc = rd.c ? read_case(&rd, root) : -1;
    xmlFreeDoc(doc);
    if (rc != 0) {
        dc_case_free(rd.c);
        dc_diag_add(diags, DC_DIAG_NOMEM, filename, 0, 0, NULL, NULL, "out of memory");
        return -1;
    }
    *out = rd.c;
    return 0;
}
