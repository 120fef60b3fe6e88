/* ast.h — expression trees, as the parser builds them and the checker resolves them.
 *
 * The parser (parser.c) produces LITERAL, NAME, MEMBER, UNARY, BINARY, IF, IN, CALL
 * and AGG nodes. The checker (check.c) then rewrites every NAME/MEMBER in place into
 * a resolved reference (INPUT, FIELD, PARAM, COMPUTED, RECORD_COMPUTED, EVAL_DATE,
 * POSITION, LIST) carrying an index, and sets `type` (and `enum_of`) on every node.
 * After checking, evaluation never looks at a name: all references are indexes.
 * Nodes live in the rule set's arena. */
#ifndef DC_AST_H
#define DC_AST_H
#include <stdint.h>
#include "value.h"

#define DC_EXPR_KINDS(X) \
    X(LITERAL) X(NAME) X(MEMBER) \
    X(INPUT) X(FIELD) X(PARAM) X(COMPUTED) X(RECORD_COMPUTED) \
    X(EVAL_DATE) X(POSITION) X(LIST) \
    X(UNARY) X(BINARY) X(IF) X(IN) X(CALL) X(AGG)

typedef enum dc_expr_kind {
#define X(name) DC_E_##name,
    DC_EXPR_KINDS(X)
#undef X
    DC_E_COUNT_
} dc_expr_kind;

/* X(NAME, "spelling", precedence) — precedence for the binary operators. */
#define DC_BINOPS(X) \
    X(OR, "or", 1) X(AND, "and", 2) \
    X(EQ, "=", 4) X(NE, "!=", 4) X(LT, "<", 4) X(LE, "<=", 4) X(GT, ">", 4) X(GE, ">=", 4) \
    X(ADD, "+", 5) X(SUB, "-", 5) X(MUL, "*", 6) X(DIV, "/", 6)

typedef enum dc_binop {
#define X(name, str, prec) DC_OP_##name,
    DC_BINOPS(X)
#undef X
    DC_OP_COUNT_
} dc_binop;

typedef enum dc_unop { DC_UN_NEG, DC_UN_NOT } dc_unop;

/* X(NAME, "spelling", min_args, max_args) — max -1 = variadic. */
#define DC_FUNCS(X) \
    X(MIN, "min", 1, -1) X(MAX, "max", 1, -1) X(ABS, "abs", 1, 1) \
    X(ROUND_CENT, "round_cent", 1, 1) X(TRUNC_CENT, "trunc_cent", 1, 1) \
    X(ROUND, "round", 1, 2) X(TRUNC, "trunc", 2, 2) \
    X(AGE_AT, "age_at", 2, 2) X(ADD_DAYS, "add_days", 2, 2) \
    X(ADD_MONTHS, "add_months", 2, 2) X(ADD_YEARS, "add_years", 2, 2) \
    X(FIRST_DAY_OF_MONTH, "first_day_of_month", 1, 1) \
    X(FIRST_DAY_OF_NEXT_MONTH, "first_day_of_next_month", 1, 1) \
    X(DAYS_BETWEEN, "days_between", 2, 2) \
    X(YEARS, "years", 1, 1) X(MONTHS, "months", 1, 1) X(DAYS, "days", 1, 1)

typedef enum dc_func {
#define X(name, str, lo, hi) DC_FN_##name,
    DC_FUNCS(X)
#undef X
    DC_FN_COUNT_
} dc_func;

/* Aggregations: count(L [where C]), any(L where C), all(L [where F], C),
 * sum/min/max(L [where C], E). Note min/max with a list first argument are
 * aggregations; with scalar arguments they are the functions above. */
#define DC_AGGS(X) X(COUNT, "count") X(SUM, "sum") X(ANY, "any") X(ALL, "all") \
                   X(AMIN, "min") X(AMAX, "max")

typedef enum dc_agg {
#define X(name, str) DC_AGG_##name,
    DC_AGGS(X)
#undef X
    DC_AGG_COUNT_
} dc_agg;

/* Record frames: inside an of="E" value, frame 0 is the record being computed; each
 * aggregation pushes the next frame (in a top-level value the first aggregation is
 * frame 0). The evaluator keeps one current record index per frame. */
#define DC_MAX_FRAMES 8

typedef struct dc_expr dc_expr;
struct dc_expr {
    uint8_t kind;       /* dc_expr_kind */
    uint8_t op;         /* dc_binop / dc_unop / dc_func / dc_agg */
    uint8_t type;       /* dc_type_kind, set by the checker */
    uint8_t frame;      /* FIELD, RECORD_COMPUTED, POSITION: record frame (see eval.c) */
    int32_t ref;        /* resolved index: input, param, computed, or entity (LIST, AGG) */
    int32_t enum_of;    /* enum-typed nodes: index of the input declaring the values, else -1 */
    uint32_t line, column;   /* position of the node's first token in the rule set file */
    const char *name;   /* NAME, MEMBER (the part before '.'), CALL/AGG (spelling), AGG binder */
    const char *field;  /* MEMBER: the part after '.' */
    dc_value lit;       /* LITERAL (text literals: type TEXT, u.s) */
    dc_expr *a, *b, *c; /* UNARY a; BINARY a,b; IF a ? b : c; AGG a = where, b = body;
                           IN a = lhs */
    dc_expr **args;     /* CALL arguments; IN candidates; AGG: args[0] = LIST source */
    uint32_t nargs;
    uint8_t is_agg_binder; /* AGG: `x in list` form */
};

const char *dc_expr_kind_name(dc_expr_kind k);
const char *dc_binop_spelling(dc_binop op);
const char *dc_func_name(dc_func f);
const char *dc_agg_name(dc_agg a);
/* Writes the expression back as source text (canonical spacing), for traces and diffs. */
struct dc_ruleset;
void dc_expr_print(dc_buf *out, const dc_expr *e, const struct dc_ruleset *rs);
/* Structural equality (same tree, same literals/names/refs), for the identical-condition
 * warning and the rule set differ. */
int dc_expr_equal(const dc_expr *a, const dc_expr *b);
#endif
