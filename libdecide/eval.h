/* eval.h — the evaluator's result and trace: what eval.c fills and the renderers
 * (explain_text.c, explain_json.c) and the public API (api.c) read.
 *
 * Unknown values carry *reasons*: an immutable tree of leaves (a missing input, an
 * invalid input, a parameter without a value in force, a conflict between two rules,
 * a value no rule defines) joined by pairs. Joining is O(1) (one pair node in the
 * evaluation arena) and happens only on unknown paths, so known values cost nothing.
 * The missing list of a REVIEW decision is the set of leaves under the decision's
 * unknown values: facts that did not influence them are never listed.
 *
 * Trace format (recorded only when asked, one node per computed value evaluated; nodes
 * are created when a value starts and `order` lists them by completion, so in `order`
 * dependencies come before their users):
 *   node = {computed, record, value, applied rule or -1, how, reads[], skipped[]}
 *   read = {kind input|param|computed, index, record, value, param value index}
 *   skipped (FULL only) = {rule, condition value (false or unknown)}
 * The renderers keep the nodes reachable from the decision's eligible/amount values. */
#ifndef DC_EVAL_H
#define DC_EVAL_H
#include "decide.h"
#include "case.h"
#include "model.h"

typedef enum dc_reason_kind {
    DC_WHY_MISSING,      /* a = input index, b = record (-1 top level) */
    DC_WHY_INVALID,      /* same */
    DC_WHY_MISSING_LIST, /* a = entity index */
    DC_WHY_NO_PARAM,     /* a = parameter index: no value in force at the date */
    DC_WHY_CONFLICT,     /* a, b = rule indexes (rs->all_rules) */
    DC_WHY_NO_RULE,      /* a = computed index, b = record: no rule applies, no otherwise */
    DC_WHY_EMPTY,        /* min/max over no record */
    DC_WHY_PAIR
} dc_reason_kind;

typedef struct dc_reason dc_reason;
struct dc_reason {
    uint8_t kind;
    int32_t a, b;
    int32_t article;          /* leaves: article of the rule that read the fact, or -1 */
    const dc_reason *left, *right;   /* PAIR */
};

/* A value during evaluation: known (why == NULL) or unknown with its reasons. */
typedef struct dc_ev {
    dc_value v;
    const dc_reason *why;
} dc_ev;

typedef enum dc_read_kind { DC_READ_INPUT, DC_READ_PARAM, DC_READ_COMPUTED } dc_read_kind;

typedef struct dc_trace_read dc_trace_read;
struct dc_trace_read {
    uint8_t kind;             /* dc_read_kind */
    uint8_t state;            /* inputs: dc_fact_state */
    int32_t index, record;
    int32_t param_value;      /* params: index of the value in force, -1 none */
    dc_value value;
    dc_trace_read *next;
};

typedef struct dc_trace_skip dc_trace_skip;
struct dc_trace_skip {
    int32_t rule;
    uint8_t cond_unknown;     /* 0: condition false; 1: unknown (possible candidate) */
    dc_trace_skip *next;
};

typedef enum dc_how { DC_HOW_RULE, DC_HOW_OTHERWISE, DC_HOW_UNKNOWN, DC_HOW_CONFLICT,
                      DC_HOW_NONE } dc_how;

typedef struct dc_trace_node {
    int32_t computed, record;
    dc_ev value;
    int32_t rule;             /* applied rule (index in all_rules), -1 when none */
    uint8_t how;              /* dc_how */
    uint8_t reached;          /* set by renderers: contributes to the decision */
    dc_trace_read *reads, *reads_tail;
    uint64_t read_bits;       /* a bit per read recorded, by a hash of what it read: a read
                                 whose bit is clear is new without walking the list */
    dc_trace_skip *skipped, *skipped_tail;
} dc_trace_node;

/* Memo cell of a computed value during one evaluation. */
typedef struct dc_memo {
    uint8_t state;            /* 0 not computed, 1 in progress, 2 done */
    int32_t trace_node;       /* -1 when not traced */
    dc_ev value;
} dc_memo;

struct decide_result {
    dc_arena arena;           /* everything below that varies per case; reset per run */
    const dc_ruleset *rs;
    const dc_case *c;
    int status;               /* DECIDE_OK / DECIDE_EEVAL / DECIDE_EDATE */
    char error[512];
    decide_trace_level trace_level;
    int32_t date;
    char date_text[11];       /* built on first use (dc_result_date_text) */
    bool complete;            /* every top-level value computed (else only the decision's) */
    bool compiled;            /* decided by a compiled program, traced or not (tests) */
    bool fast;                /* decided by the compiled program: the reference evaluator's
                                 state (memo, params) is set up only if values are asked */
    struct dc_vm *vm;         /* the compiled programs' states, kept across runs: */
    struct dc_vm *vm_traced;  /* without trace, with */
    bool vm_ready;            /* vm holds this evaluation's run (no trace): the reference
                                 evaluator asks it each value first */
    int32_t *param_cache;     /* evaluation state kept to compute the rest on demand */
    dc_ev *param_ev;
    decide_outcome outcome;
    dc_ev eligible, amount;
    dc_memo *memo_top;        /* [rs->n_top_computeds] */
    dc_memo **memo_rec;       /* [n_entities] -> [records × n_record_computeds] */
    const char **value_texts; /* [n_top_computeds], built lazily by the API */
    decide_missing *missing;  size_t n_missing;
    dc_buf missing_path;      /* api.c's scratch for a record's fact path, kept across runs */
    decide_conflict *conflicts; size_t n_conflicts;
    dc_trace_node *nodes;     size_t n_nodes, cap_nodes;  /* malloc'ed, kept across runs */
    int32_t *order;           size_t n_order;             /* node indexes by completion */
};

/* The memo cell of top-level value ci; of per-record value ci for a record; of either
 * (record -1 for a top-level value). For eval.c and the traced program's returns. */
static inline dc_memo *dc_memo_top(const decide_result *r, int32_t ci)
{
    return &r->memo_top[r->rs->computeds[ci].slot];
}
static inline dc_memo *dc_memo_record(const decide_result *r, int32_t ci, int32_t record)
{
    const dc_computed *cv = &r->rs->computeds[ci];
    return &r->memo_rec[cv->entity][(size_t)record * r->rs->n_record_computeds[cv->entity] + cv->slot];
}
static inline dc_memo *dc_memo_cell(const decide_result *r, int32_t ci, int32_t record)
{
    return r->rs->computeds[ci].entity < 0 ? dc_memo_top(r, ci) : dc_memo_record(r, ci, record);
}

/* Trace building, for eval.c and for the compiled program's traced run (compile.c).
 * open: a node for a computed value starting (its index, -1 when out of memory);
 * add_read: a read recorded once in a node (nothing when node < 0); add_skip: a rule
 * that did not apply; close: the node's value, applied rule and how, in `order`. */
/* Room for one more node in r->nodes (and r->order): 0, or -1 when out of memory. */
int dc_trace_grow(decide_result *r);
/* The trace functions are inline: a traced run opens, closes and reads in them a few
 * hundred times per case, mostly with constant arguments the compiler folds. */
static inline int32_t dc_trace_open(decide_result *r, int32_t computed, int32_t record)
{
    if (r->n_nodes == r->cap_nodes && dc_trace_grow(r) < 0) return -1;
    r->nodes[r->n_nodes] = (dc_trace_node){ .computed = computed, .record = record, .rule = -1, .how = DC_HOW_NONE };
    return (int32_t)r->n_nodes++;
}
/* Whether node n records that read already (its read_bits bit being set). */
bool dc_trace_has_read(const dc_trace_node *n, dc_read_kind kind, int32_t index, int32_t record);
/* Most reads are new (bit clear: no list walk). */
static inline void dc_trace_add_read(decide_result *r, int32_t node, dc_read_kind kind, int32_t index,
                                     int32_t record, int32_t param_value, dc_value v, uint8_t state)
{
    if (node < 0) return;
    dc_trace_node *n = &r->nodes[node];
    uint64_t bit = UINT64_C(1) << (((uint32_t)index * 0x9E3779B1u + (uint32_t)record * 0x85EBCA6Bu + kind) >> 26);
    if ((n->read_bits & bit) && dc_trace_has_read(n, kind, index, record)) return;
    n->read_bits |= bit;
    dc_trace_read *rd = dc_arena_alloc(&r->arena, sizeof *rd);
    if (!rd) return;
    *rd = (dc_trace_read){ .kind = (uint8_t)kind, .state = state, .index = index, .record = record,
                           .param_value = param_value, .value = v, .next = NULL };
    if (n->reads_tail) n->reads_tail->next = rd; else n->reads = rd;
    n->reads_tail = rd;
}
static inline void dc_trace_add_skip(decide_result *r, int32_t node, int32_t rule, int unknown)
{
    dc_trace_skip *s = dc_arena_alloc(&r->arena, sizeof *s);
    if (!s) return;
    *s = (dc_trace_skip){ .rule = rule, .cond_unknown = (uint8_t)unknown, .next = NULL };
    dc_trace_node *n = &r->nodes[node];
    if (n->skipped_tail) n->skipped_tail->next = s; else n->skipped = s;
    n->skipped_tail = s;
}
static inline void dc_trace_close(decide_result *r, int32_t node, dc_ev value, int32_t rule, uint8_t how)
{
    dc_trace_node *n = &r->nodes[node];
    n->value = value;
    n->rule = rule;
    n->how = how;
    r->order[r->n_order++] = node;
}

/* Runs one evaluation into r (see decide_evaluate). */
int dc_evaluate(decide_result *r, const dc_ruleset *rs, const dc_case *c, int32_t date,
                decide_trace_level trace);

/* Computes the top-level values the decision did not need (evaluation without a
 * trace computes only eligible and amount); idempotent. Values, renderers and the
 * API call it before reading memo_top. */
void dc_evaluate_rest(decide_result *r);
/* "YYYY-MM-DD" of the evaluation date. */
const char *dc_result_date_text(decide_result *r);

/* Calls fn for each leaf under the roots (NULL ones are skipped), root after root, pairs
 * flattened, in left-to-right order of first occurrence. A leaf met again may be passed
 * again or not (shared subtrees are walked once): fn must do nothing more the second
 * time it sees a leaf. -1 when out of memory (not every leaf was passed), else 0. */
int dc_reason_walk(const dc_reason *const *roots, size_t n_roots,
                   void (*fn)(const dc_reason *leaf, void *ctx), void *ctx);

/* The i-th trace node in completion order (dependencies first). */
static inline const dc_trace_node *dc_trace_at(const decide_result *r, size_t i)
{
    return &r->nodes[r->order[i]];
}
/* Marks trace nodes reachable from the decision's values (eligible, amount). */
void dc_trace_mark_reached(decide_result *r);
/* The node of a computed value (and record), or NULL. */
const dc_trace_node *dc_trace_find(const decide_result *r, int32_t computed, int32_t record);

/* Renderers (explain_text.c, explain_json.c). Append to out. */
int dc_render_text(dc_buf *out, const decide_result *r, const char *lang, int verbose, int html);
int dc_render_json(dc_buf *out, const decide_result *r, const char *lang);
/* Formats a value of the rule set for people (enum names resolved). */
void dc_format_for(dc_buf *out, const dc_ruleset *rs, dc_value v, int32_t enum_of, const char *lang);
/* Pieces of the motivation shared by the text, HTML and JSON renderers. */
void dc_render_record(dc_buf *out, const decide_result *r, int32_t entity, int32_t record, const char *lang);
void dc_render_explanation(dc_buf *out, const decide_result *r, const dc_trace_node *n, const char *lang);
void dc_render_contribution(dc_buf *out, const decide_result *r, const char *lang);
void dc_render_data_line(dc_buf *out, const decide_result *r, const dc_trace_read *rd, const char *lang);
void dc_render_param_line(dc_buf *out, const decide_result *r, const dc_trace_read *rd, const char *lang);
void dc_render_operation(dc_buf *out, const decide_result *r, const dc_trace_node *n, const char *lang);
const char *dc_outcome_words(decide_outcome o, const char *lang);
void dc_buf_puts_folded(dc_buf *out, const char *s);
void dc_for_each_used(const decide_result *r, dc_read_kind kind,
                      void (*fn)(const dc_trace_read *rd, void *ctx), void *ctx);
#endif
