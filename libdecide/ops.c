/* ops.c — value-level operations shared by the evaluators (see ops.h). */
#include "ops.h"

/* Brings a numeric value to the 10^-9 scale (euros for money). */
static int to_scaled(dc_value v, int64_t *out)
{
    switch (v.type) {
    case DC_T_INT: return dc_dec_from_int(v.u.i, out);
    case DC_T_MONEY: return dc_dec_from_cents(v.u.i, out);
    default: *out = v.u.i; return DC_VOK;
    }
}

static int known(dc_type_kind t, int64_t i, dc_value *out)
{
    *out = dc_v_make(t, i);
    return DC_VOK;
}

int dc_op_arith(dc_binop op, dc_type_kind rt, dc_value a, dc_value b, dc_value *out)
{
    int64_t r = 0;
    int rc = DC_VOK;

    if (a.type == DC_T_DATE || b.type == DC_T_DATE) {
        /* date ± duration */
        dc_value d = a.type == DC_T_DATE ? a : b, du = a.type == DC_T_DATE ? b : a;
        int64_t months = du.u.i, days = du.aux;
        if (op == DC_OP_SUB) { months = -months; days = -days; }
        int32_t t;
        rc = dc_date_add_months((int32_t)d.u.i, months, &t);
        if (rc == DC_VOK) rc = dc_date_add_days(t, days, &t);
        if (rc != DC_VOK) return rc;
        return known(DC_T_DATE, t, out);
    }
    if (a.type == DC_T_DURATION) {
        int64_t m, d;
        rc = op == DC_OP_ADD ? dc_i64_add(a.u.i, b.u.i, &m) : dc_i64_sub(a.u.i, b.u.i, &m);
        if (rc == DC_VOK)
            rc = op == DC_OP_ADD ? dc_i64_add(a.aux, b.aux, &d) : dc_i64_sub(a.aux, b.aux, &d);
        if (rc != DC_VOK || d > INT32_MAX || d < INT32_MIN) return DC_VERR_OVERFLOW;
        known(DC_T_DURATION, m, out);
        out->aux = (int32_t)d;
        return DC_VOK;
    }

    if (rt == DC_T_INT || (rt == DC_T_MONEY && op != DC_OP_DIV)) {
        /* exact integer arithmetic: int op int, money ± money, money × int */
        switch (op) {
        case DC_OP_ADD: rc = dc_i64_add(a.u.i, b.u.i, &r); break;
        case DC_OP_SUB: rc = dc_i64_sub(a.u.i, b.u.i, &r); break;
        case DC_OP_MUL: rc = dc_i64_mul(a.u.i, b.u.i, &r); break;
        default: rc = DC_VERR_OVERFLOW; break;
        }
        if (rc != DC_VOK) return rc;
        return known(rt, r, out);
    }

    /* everything else is a decimal (rate is a decimal shown as a percentage) */
    if (op == DC_OP_MUL && (a.type == DC_T_INT || b.type == DC_T_INT) &&
        a.type != b.type && !(a.type == DC_T_MONEY || b.type == DC_T_MONEY)) {
        /* decimal × int: exact, no rounding */
        int64_t dec = a.type == DC_T_INT ? b.u.i : a.u.i, n = a.type == DC_T_INT ? a.u.i : b.u.i;
        if ((rc = dc_i64_mul(dec, n, &r)) != DC_VOK) return rc;
        return known(rt, r, out);
    }
    if (op == DC_OP_MUL && (a.type == DC_T_MONEY) != (b.type == DC_T_MONEY) &&
        dc_type_decimalish(a.type == DC_T_MONEY ? b.type : a.type)) {
        /* money × decimal/rate: what the general path below computes, in 64 bits
         * when the product of cents and the decimal fits */
        bool am = a.type == DC_T_MONEY;
        if ((rc = dc_dec_mul_cents(am ? a.u.i : b.u.i, am ? b.u.i : a.u.i, &r)) != DC_VOK) return rc;
        return known(rt, r, out);
    }
    if (op == DC_OP_DIV && b.type == DC_T_INT && dc_type_decimalish(a.type)) {
        /* decimal ÷ int: what the general path below computes, in 64 bits */
        if ((rc = dc_dec_div_int(a.u.i, b.u.i, &r)) != DC_VOK) return rc;
        return known(rt, r, out);
    }
    int64_t sa, sb;
    if ((rc = to_scaled(a, &sa)) != DC_VOK || (rc = to_scaled(b, &sb)) != DC_VOK) return rc;
    switch (op) {
    case DC_OP_ADD: rc = dc_i64_add(sa, sb, &r); break;
    case DC_OP_SUB: rc = dc_i64_sub(sa, sb, &r); break;
    case DC_OP_MUL: rc = dc_dec_mul(sa, sb, &r); break;
    case DC_OP_DIV: rc = dc_dec_div(sa, sb, &r); break;
    default: rc = DC_VERR_OVERFLOW; break;
    }
    if (rc != DC_VOK) return rc;
    return known(rt, r, out);
}

int dc_op_neg(dc_value a, dc_value *out)
{
    int64_t r;
    int rc = dc_i64_sub(0, a.u.i, &r);
    if (rc != DC_VOK) return rc;
    *out = a;
    out->u.i = r;
    return DC_VOK;
}

int dc_op_func(dc_func f, dc_type_kind rt, const dc_value *args, uint32_t n, dc_value *out)
{
    dc_value a = args[0];
    int64_t r = 0;
    int rc = DC_VOK;
    switch (f) {
    case DC_FN_ABS:
        if (a.u.i < 0 && (rc = dc_i64_sub(0, a.u.i, &r)) != DC_VOK) return rc;
        return known(rt, a.u.i < 0 ? r : a.u.i, out);
    case DC_FN_ROUND_CENT:
    case DC_FN_TRUNC_CENT:
        if (a.type == DC_T_MONEY) return known(DC_T_MONEY, a.u.i, out);
        rc = f == DC_FN_ROUND_CENT ? dc_dec_to_cents_half_away(a.u.i, &r)
                                   : dc_dec_to_cents_trunc(a.u.i, &r);
        break;
    case DC_FN_ROUND: {
        int64_t s;
        if ((rc = to_scaled(a, &s)) != DC_VOK) break;
        rc = n == 1 ? dc_dec_to_int_half_away(s, &r)
                    : dc_dec_round_half_away(s, (int)args[1].u.i, &r);
        break;
    }
    case DC_FN_TRUNC: {
        int64_t s;
        if ((rc = to_scaled(a, &s)) == DC_VOK) rc = dc_dec_round_trunc(s, (int)args[1].u.i, &r);
        break;
    }
    case DC_FN_AGE_AT:
        r = dc_date_age((int32_t)a.u.i, (int32_t)args[1].u.i);
        break;
    case DC_FN_ADD_DAYS: case DC_FN_ADD_MONTHS: case DC_FN_ADD_YEARS: {
        int32_t d;
        int64_t k = args[1].u.i;
        if (f == DC_FN_ADD_YEARS && (rc = dc_i64_mul(k, 12, &k)) != DC_VOK) break;
        rc = f == DC_FN_ADD_DAYS ? dc_date_add_days((int32_t)a.u.i, k, &d)
                                 : dc_date_add_months((int32_t)a.u.i, k, &d);
        r = d;
        break;
    }
    case DC_FN_FIRST_DAY_OF_MONTH: r = dc_date_first_of_month((int32_t)a.u.i); break;
    case DC_FN_FIRST_DAY_OF_NEXT_MONTH: {
        int32_t d;
        rc = dc_date_first_of_next_month((int32_t)a.u.i, &d);
        r = d;
        break;
    }
    case DC_FN_DAYS_BETWEEN: r = args[1].u.i - a.u.i; break;
    case DC_FN_YEARS: case DC_FN_MONTHS: case DC_FN_DAYS: {
        dc_value d = dc_v_make(DC_T_DURATION, 0);
        if (f == DC_FN_DAYS) {
            if (a.u.i > INT32_MAX || a.u.i < INT32_MIN) return DC_VERR_OVERFLOW;
            d.aux = (int32_t)a.u.i;
        } else if (f == DC_FN_YEARS) {
            if ((rc = dc_i64_mul(a.u.i, 12, &d.u.i)) != DC_VOK) return rc;
        } else {
            d.u.i = a.u.i;
        }
        *out = d;
        return DC_VOK;
    }
    default:
        rc = DC_VERR_SYNTAX;
    }
    if (rc != DC_VOK) return rc;
    return known(rt, r, out);
}

int dc_op_minmax_result(dc_value best, dc_type_kind rt, dc_value *out)
{
    if (best.type == rt) { *out = best; return DC_VOK; }
    int64_t s;
    int rc = to_scaled(best, &s);
    if (rc != DC_VOK) return rc;
    return known(rt, s, out);
}

int dc_op_coerce(dc_value v, dc_type_kind to, dc_value *out)
{
    if (v.type == DC_T_INT && dc_type_decimalish(to)) {
        int64_t s;
        int rc = dc_dec_from_int(v.u.i, &s);
        if (rc != DC_VOK) return rc;
        return known(to, s, out);
    }
    *out = v;
    out->type = (uint8_t)to;
    return DC_VOK;
}
