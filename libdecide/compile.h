/* compile.h — a checked rule set compiled to flat programs over numbered registers:
 * the fast path of an evaluation, without trace and with one (the traced program
 * records the same trace as the reference evaluator: a node per computed value, its
 * reads in order, the rule applied, the rules that did not apply).
 *
 * The program computes with known values only. Each computed value is a function of
 * three-address instructions (operands are indexes into one register file; literals
 * are registers filled once); calls to other computed values are memoised per case.
 * As soon as anything is not plainly known — a missing or invalid fact, a missing
 * list, a parameter without a value in force, two applicable rules that disagree, no
 * rule applying, an arithmetic error, an evaluation date outside the span of the rule
 * set's parameter values (see dc_program in compile.c) — the run stops and says so, and
 * the caller runs the reference evaluator (eval.c), which gives the REVIEW with its
 * reasons, the conflict or the error. So the program never decides anything the reference
 * evaluator would not: on cases where every value it reads is known, the two compute
 * the same values (same order of evaluation, same operations from ops.c), which the
 * tests check case by case (values, and traces node by node).
 *
 * A program is built once at load and is immutable (shared by threads); the
 * per-evaluation state (registers, memo, parameters in force at the date) lives in a
 * dc_vm owned by one decide_result and is reused from case to case without malloc. */
#ifndef DC_COMPILE_H
#define DC_COMPILE_H
#include "case.h"
#include "model.h"

typedef struct dc_program dc_program;
typedef struct dc_vm dc_vm;

/* Builds the program of a checked rule set (no errors). NULL when out of memory, or
 * when the table of parameter values by epoch would be too large (dc_program in
 * compile.c): evaluation then always uses the reference evaluator. The traced program
 * records the trace (nodes, reads, applied and skipped rules) exactly as the reference
 * evaluator does; it calls every computed value (nothing compiled in place), so that
 * each has its node. */
dc_program *dc_program_build(const dc_ruleset *rs, bool traced);
void dc_program_free(dc_program *p);

/* Runs the decision's values (eligible, then amount when the rule set has one).
 * Returns 1 when both are known (written to *eligible, *amount), 0 when the reference
 * evaluator must decide, -1 when out of memory. *vm is created on first use. */
int dc_program_run(dc_vm **vm, const dc_program *p, const dc_case *c, int32_t date,
                   dc_value *eligible, dc_value *amount);
/* The traced program's run on r's case, date and trace level (r set up by eval.c:
 * memo cells, no node yet). 1: decided, the nodes recorded and r's memo filled as the
 * reference evaluator would have; 0: the reference evaluator must decide (the nodes
 * and reads recorded so far, and r's memo, are to be discarded); -1 out of memory. */
struct decide_result;
int dc_program_run_traced(dc_vm **vm, const dc_program *p, struct decide_result *r);
/* After dc_program_run on a case, while the reference evaluator works on the same case
 * and date (no trace): the program's value of computed ci (record: its record, -1 at
 * top level), from the memo of the runs so far. 1: known, in *out; 2: no rule of ci
 * applies, every condition of its rules known false (the reference evaluator's value is
 * unknown for that reason alone, "no rule applies" to ci and record, without an
 * article); 0: the program stops on it, the reference evaluator computes it (at once
 * for a value a run was computing when it stopped: those are marked as stopping). A
 * known value is the reference evaluator's own: the program computed it from known
 * facts only, without error, by the same operations, and a known value carries nothing
 * else when there is no trace.
 * This is how a REVIEW is fast: only the values that depend on what is missing are
 * the reference evaluator's work. */
int dc_program_value(dc_vm *vm, int32_t ci, int32_t record, dc_value *out);
/* The reference evaluator's value of ci for record: known (the program uses it from now
 * on, as the same value it would have computed) or NULL, unknown (a run that needs it
 * stops at once instead of again at the unknown fact). */
void dc_program_settle(dc_vm *vm, int32_t ci, int32_t record, const dc_value *known);
void dc_vm_free(dc_vm *vm);
#endif
