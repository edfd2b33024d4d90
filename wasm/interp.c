/*
 * The interpreter: runs lowered code (interp.h) with a dispatch loop over computed gotos.
 * Wasm calls do not recurse in C: frames live on the store's own frame stack, operands
 * and locals on its value stack, so deep recursion ends in "call stack exhausted", never
 * in a host stack overflow. Hot state (pc, sp, fp, memory base) stays in locals.
 *
 * Memory accesses are unchecked in guard mode (the 8 GiB reservation turns an
 * out-of-bounds access into a fault that the platform's guarded call reports) and
 * checked against the memory size in bounds mode (WASM_BOUNDS_CHECKS).
 */
#include <takara/error.h>

#include "wasm/fmath.h"
#include "wasm/interp.h"
#include "wasm/interp_forms.h"
#include "wasm/opcodes.h"
#include "wasm/shim.h"

#define MAX_REENTRY 64u /* host functions calling back into Wasm */

struct run {
    struct wasm_exec *exec;
    struct wasm_func *entry;
    uint64_t *args;
    /* where execution is, for trap reports */
    struct wasm_func *func;
    const uint32_t *pc;
    struct wasm_trap *trap;
    const struct wasm_exc *uncaught; /* WASM_TRAP_EXCEPTION: what was thrown */
};

static struct wasm_exec *exec_new(struct wasm_store *store)
{
    const struct wasm_store_limits *limits = &store->limits;
    size_t frames = limits->max_frames * sizeof(struct wasm_frame);
    size_t slots = limits->stack_bytes / sizeof(uint64_t);
    int64_t charged = wasm_store_charge(store, sizeof(struct wasm_exec) + frames + slots * 8);
    struct wasm_exec *exec =
        charged < 0 ? NULL : wasm_platform_alloc(sizeof(*exec) + frames + slots * 8);

    if (!exec) {
        wasm_store_uncharge(store, charged);
        return NULL;
    }
    exec->frames = (struct wasm_frame *)(exec + 1);
    exec->max_frames = limits->max_frames;
    exec->stack = (uint64_t *)((uint8_t *)exec->frames + frames);
    exec->stack_end = exec->stack + slots;
    exec->top = exec->stack;
    exec->nframes = 0;
    exec->reentry = 0;
    exec->excs = NULL;
    return exec;
}

void wasm_exec_free(struct wasm_exec *exec)
{
    if (exec) wasm_exc_free_all(exec);
    wasm_platform_free(exec);
}

static void run_locate(struct run *r, uint8_t kind)
{
    struct wasm_trap *t = r->trap;
    const struct wasm_lowered *l;
    uint32_t at, lo = 0, hi;

    *t = (struct wasm_trap){.kind = kind};
    if (!r->func || !r->func->code) return;
    l = r->func->code->lowered;
    t->func_index = r->func->index;
    if (r->func->instance->module->func_names)
        t->func_name = r->func->instance->module->func_names[r->func->index];
    if (!r->pc || !l->nwhere) return;
    at = (uint32_t)(r->pc - l->code); /* the opcode or an operand: inside the instruction */
    hi = l->nwhere;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (l->where[mid * 2] <= at)
            lo = mid;
        else
            hi = mid;
    }
    t->code_offset = l->where[lo * 2 + 1];
}

/* call_indirect's callee: element `i` of table `table` if it has type `type`; 0 or the
 * trap kind. */
static inline int indirect_target(const struct wasm_instance *in, uint32_t type, uint32_t table,
                                  uint32_t i, struct wasm_func **out)
{
    const struct wasm_table *t = in->tables[table];

    if (i >= t->size) return WASM_TRAP_UNDEFINED_ELEMENT;
    *out = t->elems[i];
    if (!*out) return WASM_TRAP_UNINITIALIZED_ELEMENT;
    if (!wasm_func_has_type(*out, &in->module->types[type])) return WASM_TRAP_INDIRECT_CALL_TYPE;
    return 0;
}

/* The uncaught exception's tag as an index of the throwing function's module. */
static uint32_t exc_tag_index(const struct run *r)
{
    const struct wasm_instance *in = r->func ? r->func->instance : NULL;

    for (uint32_t i = 0; in && r->uncaught && i < in->module->ntags; i++)
        if (in->tags[i] == wasm_exc_tag(r->uncaught)) return i;
    return UINT32_MAX;
}

/* Calls a host function with its operands at `sp - nparams`; results replace them. */
static __attribute__((noinline)) int call_host_values(struct wasm_func *f, uint64_t *args)
{
    union wasm_value in[16], out[16];
    union wasm_value *a = in, *res = out;
    int kind = 0;

    if (f->nparams > 16 || f->nresults > 16) {
        a = wasm_calloc(f->nparams + 1, sizeof(*a));
        res = wasm_calloc(f->nresults + 1, sizeof(*res));
        if (!a || !res) {
            kind = WASM_TRAP_HOST;
            goto out;
        }
    }
    for (uint32_t i = 0; i < f->nparams; i++) {
        memset(&a[i], 0, sizeof(a[i]));
        a[i].i64 = args[i];
    }
    kind = f->host(f->env, a, res);
    for (uint32_t i = 0; !kind && i < f->nresults; i++)
        args[i] = f->types[f->nparams + i] == WASM_I32 || f->types[f->nparams + i] == WASM_F32
                      ? res[i].i32
                      : res[i].i64;
out:
    if (a != in) {
        wasm_platform_free(a);
        wasm_platform_free(res);
    }
    return kind;
}

/* The slot convention needs no frame for conversions: kept apart so it pays for none. */
static inline int call_host(struct wasm_func *f, uint64_t *args)
{
    return f->host_slots ? f->host_slots(f->env, args) : call_host_values(f, args);
}

/* memory.init / memory.copy / memory.fill / table.* helpers: 0 or a trap kind. */
static int mem_init(struct wasm_instance *in, struct wasm_memory *mem, uint32_t seg, uint32_t d,
                    uint32_t s, uint32_t n)
{
    const struct wasm_data *data = &in->module->datas[seg];
    uint32_t len = in->data_dropped[seg] ? 0 : data->len;

    if ((uint64_t)s + n > len || (uint64_t)d + n > mem->size) return WASM_TRAP_MEMORY_OOB;
    memcpy(mem->base + d, data->bytes + s, n);
    return 0;
}

static int table_init(struct wasm_instance *in, struct wasm_table *t, uint32_t seg, uint32_t d,
                      uint32_t s, uint32_t n)
{
    const struct wasm_elem *e = &in->module->elems[seg];
    uint32_t len = in->elem_dropped[seg] ? 0 : e->count;

    if ((uint64_t)s + n > len || (uint64_t)d + n > t->size) return WASM_TRAP_TABLE_OOB;
    for (uint32_t i = 0; i < n; i++) {
        const struct wasm_init *it = &e->items[s + i];
        void *v = NULL;
        if (it->kind == WASM_INIT_REF_FUNC)
            v = in->funcs[it->index];
        else if (it->kind == WASM_INIT_GLOBAL_GET)
            v = (void *)(uintptr_t)in->globals[it->index]->value;
        t->elems[d + i] = v;
    }
    return 0;
}

/* The dispatch loop: runs r->entry (a Wasm function) with its args at exec->top. */
WASM_INTERP_SECTION static int run_loop(void *arg)
{
    struct run *r = arg;
    struct wasm_exec *exec = r->exec;
    uint64_t *const stack_end = exec->stack_end;
    const uint32_t base_frames = exec->nframes;
    struct wasm_func *func = r->entry, *callee;
    struct wasm_instance *inst = NULL; /* set on entering the first function */
    const struct wasm_lowered *low;
    const uint32_t *pc;
    uint64_t *fp = exec->top, *sp;
    uint8_t *mem_base;
    uint64_t mem_size;
    struct wasm_exc *thrown;
    int trap_kind = 0;

    /* every slot defaults to L_bad, then the opcode table fills in its handlers */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
    static const void *labels[IOP_COUNT] = {
        [0 ... IOP_COUNT - 1] = &&L_bad,
#define OP(name, code, text, imm, sig)                                                             \
    [(code) < 0x100 ? (code) : IOP_PREFIX_FC | ((code)&0xff)] = &&L_##name,
#include "wasm/opcodes.def"
#undef OP
        [IOP_BR] = &&L_IOP_BR,
        [IOP_BR_IF] = &&L_IOP_BR_IF,
        [IOP_BR_TABLE] = &&L_IOP_BR_TABLE,
        [IOP_IF] = &&L_IOP_IF,
        [IOP_JUMP] = &&L_IOP_JUMP,
        [IOP_RETURN] = &&L_IOP_RETURN,
        [IOP_BR_IF_N] = &&L_IOP_BR_IF_N,
        [IOP_BR_TABLE_N] = &&L_IOP_BR_TABLE_N,
        [IOP_BR_IF_L] = &&L_IOP_BR_IF_L,
        [IOP_BR_UNLESS_L] = &&L_IOP_BR_UNLESS_L,
        [IOP_COPY] = &&L_IOP_COPY,
        [IOP_CONST_D] = &&L_IOP_CONST_D,
#define FUSE(name, width) FUSE_##width(name)
#define LOAD_FORMS(op, h)                                                                          \
    [IOP_LOAD_L + WASM_OP_##op] = &&h##_L, [IOP_LOAD_D + WASM_OP_##op] = &&h##_D,                  \
                  [IOP_LOAD_X + WASM_OP_##op] = &&h##_X, [IOP_LOAD_LD + WASM_OP_##op] = &&h##_LD,  \
                  [IOP_LOAD_A + WASM_OP_##op] = &&h##_A, [IOP_LOAD_AD + WASM_OP_##op] = &&h##_AD,
        LOAD_FORMS(I32_LOAD, L_I32_LOAD) LOAD_FORMS(F32_LOAD, L_I32_LOAD) LOAD_FORMS(
            I64_LOAD32_U, L_I32_LOAD) LOAD_FORMS(I64_LOAD, L_I64_LOAD)
            LOAD_FORMS(F64_LOAD, L_I64_LOAD) LOAD_FORMS(I32_LOAD8_S, L_I32_LOAD8_S) LOAD_FORMS(
                I32_LOAD8_U, L_I32_LOAD8_U) LOAD_FORMS(I64_LOAD8_U, L_I32_LOAD8_U)
                LOAD_FORMS(I32_LOAD16_S, L_I32_LOAD16_S) LOAD_FORMS(I32_LOAD16_U, L_I32_LOAD16_U)
                    LOAD_FORMS(I64_LOAD16_U, L_I32_LOAD16_U) LOAD_FORMS(I64_LOAD8_S, L_I64_LOAD8_S)
                        LOAD_FORMS(I64_LOAD16_S, L_I64_LOAD16_S) LOAD_FORMS(I64_LOAD32_S,
                                                                            L_I64_LOAD32_S)
#define STORE_FORMS(op, h)                                                                         \
    [IOP_STORE_LL + WASM_OP_##op] = &&h##_LL, [IOP_STORE_LC + WASM_OP_##op] = &&h##_LC,            \
                    [IOP_STORE_X + WASM_OP_##op] = &&h##_X,                                        \
                    [IOP_STORE_SL + WASM_OP_##op] = &&h##_SL,                                      \
                    [IOP_STORE_SC + WASM_OP_##op] = &&h##_SC,
                            STORE_FORMS(I32_STORE, L_I32_STORE) STORE_FORMS(F32_STORE, L_I32_STORE)
                                STORE_FORMS(I64_STORE32, L_I32_STORE) STORE_FORMS(
                                    I64_STORE, L_I64_STORE) STORE_FORMS(F64_STORE, L_I64_STORE)
                                    STORE_FORMS(I32_STORE8, L_I32_STORE8)
                                        STORE_FORMS(I64_STORE8, L_I32_STORE8)
                                            STORE_FORMS(I32_STORE16, L_I32_STORE16)
                                                STORE_FORMS(I64_STORE16, L_I32_STORE16)
#define CMP(name, neg, width) CMP_##width(name)
#define CMP_32(name)                                                                               \
    [IOP_BRC_SS + WASM_OP_##name] = &&L_##name##_BSS,                                              \
                  [IOP_BRC_LL + WASM_OP_##name] = &&L_##name##_BLL,                                \
                  [IOP_BRC_LC + WASM_OP_##name] = &&L_##name##_BLC,                                \
                  [IOP_BRC_SL + WASM_OP_##name] = &&L_##name##_BSL,                                \
                  [IOP_BRC_SC + WASM_OP_##name] = &&L_##name##_BSC,
#define CMP_64(name)                                                                               \
    [IOP_BRC_SS + WASM_OP_##name] = &&L_##name##_BSS,                                              \
                  [IOP_BRC_LL + WASM_OP_##name] = &&L_##name##_BLL,                                \
                  [IOP_BRC_SL + WASM_OP_##name] = &&L_##name##_BSL,
#include "wasm/fused_cmps.def"
#undef CMP
#undef CMP_32
#undef CMP_64
#define F64_MEM(name)                                                                              \
    [IOP_FUSE_ML + WASM_OP_##name] = &&L_##name##_ML,                                              \
                   [IOP_FUSE_MA + WASM_OP_##name] = &&L_##name##_MA,
                                                    F64_MEM(F64_ADD) F64_MEM(F64_SUB)
                                                        F64_MEM(F64_MUL) F64_MEM(F64_DIV)
                                                            F64_MEM(F64_MIN) F64_MEM(F64_MAX)
#define FUSE(name, width) FUSE_##width(name)
#define FUSE_32(name)                                                                              \
    [IOP_FUSE_SSD + WASM_OP_##name] = &&L_##name##_SSD,                                            \
                    [IOP_FUSE_LL + WASM_OP_##name] = &&L_##name##_LL,                              \
                    [IOP_FUSE_LC + WASM_OP_##name] = &&L_##name##_LC,                              \
                    [IOP_FUSE_SL + WASM_OP_##name] = &&L_##name##_SL,                              \
                    [IOP_FUSE_SC + WASM_OP_##name] = &&L_##name##_SC,                              \
                    [IOP_FUSE_LLD + WASM_OP_##name] = &&L_##name##_LLD,                            \
                    [IOP_FUSE_LCD + WASM_OP_##name] = &&L_##name##_LCD,                            \
                    [IOP_FUSE_SLD + WASM_OP_##name] = &&L_##name##_SLD,                            \
                    [IOP_FUSE_SCD + WASM_OP_##name] = &&L_##name##_SCD,
#define FUSE_64(name)                                                                              \
    [IOP_FUSE_SSD + WASM_OP_##name] = &&L_##name##_SSD,                                            \
                    [IOP_FUSE_LL + WASM_OP_##name] = &&L_##name##_LL,                              \
                    [IOP_FUSE_SL + WASM_OP_##name] = &&L_##name##_SL,                              \
                    [IOP_FUSE_LLD + WASM_OP_##name] = &&L_##name##_LLD,                            \
                    [IOP_FUSE_SLD + WASM_OP_##name] = &&L_##name##_SLD,
#include "wasm/fused_ops.def"
#undef FUSE
#undef FUSE_32
#undef FUSE_64
    };
#pragma clang diagnostic pop

    /* Enter the entry function: its args are already at fp. */
    sp = fp + func->nparams;
    callee = func;
    goto enter;

L_CALL:
    callee = inst->funcs[*++pc];
    goto do_call;
L_CALL_INDIRECT : {
    int k = indirect_target(inst, pc[1], pc[2], POP_I32(), &callee);
    pc += 2;
    if (k) TRAP(k);
    goto do_call;
}
L_RETURN_CALL:
    callee = inst->funcs[pc[1]];
    goto do_tail_call;
L_RETURN_CALL_INDIRECT : {
    int k = indirect_target(inst, pc[1], pc[2], POP_I32(), &callee);
    if (k) TRAP(k);
    goto do_tail_call;
}
do_tail_call:
    /* The callee takes over this frame: its args move down to fp and no frame record is
     * pushed, so tail recursion runs in constant stack. A host callee runs in place, then
     * this function returns what it returned (validation made the result types equal). */
    if (!callee->code) {
        uint64_t *args = sp - callee->nparams;
        int k;
        exec->top = sp;
        r->pc = pc;
        k = call_host(callee, args);
        if (k) TRAP(k);
        sp = args + callee->nresults;
        if (!callee->host_slots) RELOAD_MEMORY();
        goto L_IOP_RETURN;
    }
    {
        uint32_t n = callee->nparams;
        uint64_t *src = sp - n;
        for (uint32_t i = 0; i < n; i++) fp[i] = src[i]; /* forward: src is above fp */
    }
    goto enter;
do_call:
    if (callee->host_slots) { /* it does not re-enter Wasm (wasm.h): nothing to save or reload */
        uint64_t *args = sp - callee->nparams;
        int k;
        r->pc = pc; /* a fault inside it (WASM_TRAP_HOST_FAULT) is located at the call */
        k = callee->host_slots(callee->env, args);
        if (k) TRAP(k);
        sp = args + callee->nresults;
        NEXT();
    }
    if (!callee->code) { /* a host function */
        uint64_t *args = sp - callee->nparams;
        int k;
        exec->top = sp;
        r->pc = pc;
        k = call_host_values(callee, args);
        if (k) TRAP(k);
        sp = args + callee->nresults;
        RELOAD_MEMORY();
        NEXT();
    }
    if (exec->nframes == exec->max_frames) TRAP(WASM_TRAP_STACK_EXHAUSTED);
    exec->frames[exec->nframes++] = (struct wasm_frame){pc, fp, func};
    fp = sp - callee->nparams;
enter:
    low = callee->code->lowered;
    if ((uint64_t)(stack_end - fp) < low->frame_slots) {
        func = callee;
        TRAP(WASM_TRAP_STACK_EXHAUSTED);
    }
    /* Declared locals start at zero. Most functions have a few: four unconditional stores
     * (into the frame's slack if there are fewer) instead of a memset call. */
    sp = fp + low->nparams;
    sp[0] = sp[1] = sp[2] = sp[3] = 0;
    for (uint32_t i = low->nparams + WASM_FRAME_SLACK; i < low->nlocals; i++) fp[i] = 0;
    sp = fp + low->nlocals;
    func = callee;
    r->func = func;
    pc = low->code;
    /* The memory base and size change only with memory.grow, which reloads them, and in
     * host calls, after which do_call reloads them: a call within the instance keeps them. */
    if (func->instance != inst) {
        inst = func->instance;
        RELOAD_MEMORY();
    }
    goto *labels[*pc];

L_IOP_RETURN : {
    uint32_t n = func->nresults;
    if (n == 1) /* the usual case, without a call */
        fp[0] = sp[-1];
    else
        memmove(fp, sp - n, n * sizeof(*sp));
    sp = fp + n;
    if (exec->nframes == base_frames) return 0;
    struct wasm_frame *f = &exec->frames[--exec->nframes];
    pc = f->ret_pc;
    fp = f->fp;
    func = f->func;
    r->func = func;
    if (func->instance != inst) { /* back from another instance: its memory was current */
        inst = func->instance;
        RELOAD_MEMORY();
    }
    NEXT();
}

L_IOP_BR : {
    /* arity is small: a forward copy (dst is below the values) beats calling memmove */
    uint32_t n = pc[3];
    uint64_t *dst = fp + pc[2], *src = sp - n;
    for (uint32_t i = 0; i < n; i++) dst[i] = src[i];
    sp = dst + n;
    pc += (int32_t)pc[1];
    goto *labels[*pc];
}
L_IOP_BR_IF:
    if (POP_I32()) goto L_IOP_BR;
    pc += 3;
    NEXT();
L_IOP_BR_TABLE : {
    uint32_t n = pc[1], i = POP_I32();
    pc += 1 + 3 * (i < n ? i : n);
    goto L_IOP_BR;
}
L_IOP_BR_TABLE_N : {
    uint32_t n = pc[1], i = POP_I32();
    pc += (int32_t)pc[2 + (i < n ? i : n)];
    goto *labels[*pc];
}
L_IOP_BR_IF_N:
    TAKE(POP_I32(), 0);
L_IOP_IF:
    TAKE(!POP_I32(), 0);
L_IOP_BR_IF_L:
    TAKE((uint32_t)fp[pc[1]], 1);
L_IOP_BR_UNLESS_L:
    TAKE(!(uint32_t)fp[pc[1]], 1);
L_IOP_JUMP:
    pc += (int32_t)pc[1];
    goto *labels[*pc];
L_IOP_COPY:
    fp[pc[2]] = fp[pc[1]];
    pc += 2;
    NEXT();
L_IOP_CONST_D:
    fp[pc[2]] = pc[1];
    pc += 2;
    NEXT();

L_THROW : {
    const struct wasm_tag *tag = inst->tags[pc[1]];
    sp -= tag->nparams;
    thrown = wasm_exc_new(exec, tag, sp);
    if (!thrown) TRAP(WASM_TRAP_OUT_OF_MEMORY);
    goto do_throw;
}
L_RETHROW:
    thrown = (struct wasm_exc *)(uintptr_t)fp[pc[1]];
    goto do_throw;
do_throw : {
    struct wasm_landing at = {pc, fp, sp, func};
    if (!wasm_exc_land(exec, base_frames, thrown, &at)) {
        r->uncaught = thrown;
        TRAP(WASM_TRAP_EXCEPTION); /* pc and func still say where it was thrown */
    }
    pc = at.pc;
    fp = at.fp;
    sp = at.sp;
    func = at.func;
    r->func = func;
    if (func->instance != inst) {
        inst = func->instance;
        RELOAD_MEMORY();
    }
    goto *labels[*pc];
}

L_UNREACHABLE:
    TRAP(WASM_TRAP_UNREACHABLE);
L_TRY:
L_CATCH:
L_DELEGATE:
L_CATCH_ALL:
L_NOP:
L_BLOCK:
L_LOOP:
L_IF:
L_ELSE:
L_END:
L_BR:
L_BR_IF:
L_BR_TABLE:
L_RETURN:
L_bad:
    TRAP(WASM_TRAP_UNREACHABLE); /* not reached: lowering emits only known ops */
L_DROP:
    sp--;
    NEXT();
L_SELECT_T:
L_SELECT : {
    uint32_t c = POP_I32();
    sp--;
    if (!c) sp[-1] = sp[0];
    NEXT();
}
L_LOCAL_GET:
    *sp++ = fp[*++pc];
    NEXT();
L_LOCAL_SET:
    fp[*++pc] = *--sp;
    NEXT();
L_LOCAL_TEE:
    fp[*++pc] = sp[-1];
    NEXT();
L_GLOBAL_GET:
    *sp++ = inst->globals[*++pc]->value;
    NEXT();
L_GLOBAL_SET:
    inst->globals[*++pc]->value = *--sp;
    NEXT();
L_TABLE_GET : {
    struct wasm_table *t = inst->tables[*++pc];
    uint32_t i = (uint32_t)sp[-1];
    if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
    sp[-1] = (uint64_t)(uintptr_t)t->elems[i];
    NEXT();
}
L_TABLE_SET : {
    struct wasm_table *t = inst->tables[*++pc];
    uint64_t v = *--sp;
    uint32_t i = POP_I32();
    if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
    t->elems[i] = (void *)(uintptr_t)v;
    NEXT();
}

L_F32_LOAD:
L_I64_LOAD32_U:
    LOAD(L_I32_LOAD, uint32_t, 4, v)
L_F64_LOAD:
    LOAD(L_I64_LOAD, uint64_t, 8, v)
    LOAD(L_I32_LOAD8_S, int8_t, 1, (uint32_t)(int32_t)v)
L_I64_LOAD8_U:
    LOAD(L_I32_LOAD8_U, uint8_t, 1, v)
    LOAD(L_I32_LOAD16_S, int16_t, 2, (uint32_t)(int32_t)v)
L_I64_LOAD16_U:
    LOAD(L_I32_LOAD16_U, uint16_t, 2, v)
    LOAD(L_I64_LOAD8_S, int8_t, 1, (uint64_t)(int64_t)v)
    LOAD(L_I64_LOAD16_S, int16_t, 2, (uint64_t)(int64_t)v)
    LOAD(L_I64_LOAD32_S, int32_t, 4, (uint64_t)(int64_t)v)
L_I64_STORE8:
    STORE(L_I32_STORE8, uint8_t, 1)
L_I64_STORE16:
    STORE(L_I32_STORE16, uint16_t, 2)
L_F32_STORE:
L_I64_STORE32:
    STORE(L_I32_STORE, uint32_t, 4)
L_F64_STORE:
    STORE(L_I64_STORE, uint64_t, 8)

L_MEMORY_SIZE:
    *sp++ = inst->memories[*++pc]->pages;
    NEXT();
L_MEMORY_GROW : {
    int64_t old = wasm_memory_grow(inst->memories[*++pc], (uint32_t)sp[-1]);
    sp[-1] = (uint32_t)old;
    RELOAD_MEMORY();
    NEXT();
}
L_F32_CONST:
L_I32_CONST:
    *sp++ = *++pc;
    NEXT();
L_F64_CONST:
L_I64_CONST:
    *sp++ = pc[1] | (uint64_t)pc[2] << 32;
    pc += 2;
    NEXT();

    I32_UN(L_I32_EQZ, a == 0)
    I32_CMP(L_I32_EQ, a == b)
    I32_CMP(L_I32_NE, a != b)
    I32_CMP(L_I32_LT_S, (int32_t)a < (int32_t)b)
    I32_CMP(L_I32_LT_U, a < b)
    I32_CMP(L_I32_GT_S, (int32_t)a > (int32_t)b)
    I32_CMP(L_I32_GT_U, a > b)
    I32_CMP(L_I32_LE_S, (int32_t)a <= (int32_t)b)
    I32_CMP(L_I32_LE_U, a <= b)
    I32_CMP(L_I32_GE_S, (int32_t)a >= (int32_t)b)
    I32_CMP(L_I32_GE_U, a >= b)
    I64_UN(L_I64_EQZ, a == 0)
    I64_CMP(L_I64_EQ, a == b)
    I64_CMP(L_I64_NE, a != b)
    I64_CMP(L_I64_LT_S, (int64_t)a < (int64_t)b)
    I64_CMP(L_I64_LT_U, a < b)
    I64_CMP(L_I64_GT_S, (int64_t)a > (int64_t)b)
    I64_CMP(L_I64_GT_U, a > b)
    I64_CMP(L_I64_LE_S, (int64_t)a <= (int64_t)b)
    I64_CMP(L_I64_LE_U, a <= b)
    I64_CMP(L_I64_GE_S, (int64_t)a >= (int64_t)b)
    I64_CMP(L_I64_GE_U, a >= b)
    F32_CMP(L_F32_EQ, a == b)
    F32_CMP(L_F32_NE, a != b)
    F32_CMP(L_F32_LT, a < b)
    F32_CMP(L_F32_GT, a > b)
    F32_CMP(L_F32_LE, a <= b)
    F32_CMP(L_F32_GE, a >= b)
    F64_CMP(L_F64_EQ, a == b)
    F64_CMP(L_F64_NE, a != b)
    F64_CMP(L_F64_LT, a < b)
    F64_CMP(L_F64_GT, a > b)
    F64_CMP(L_F64_LE, a <= b)
    F64_CMP(L_F64_GE, a >= b)

    I32_UN(L_I32_CLZ, a ? __builtin_clz(a) : 32)
    I32_UN(L_I32_CTZ, a ? __builtin_ctz(a) : 32)
    I32_UN(L_I32_POPCNT, __builtin_popcount(a))
    I32_BIN(L_I32_ADD, a + b)
    I32_BIN(L_I32_SUB, a - b)
    I32_BIN(L_I32_MUL, a * b)
L_I32_DIV_S : {
    int32_t b = (int32_t)sp[-1], a = (int32_t)sp[-2];
    if (b == 0) TRAP(WASM_TRAP_DIV_BY_ZERO);
    if (a == INT32_MIN && b == -1) TRAP(WASM_TRAP_INT_OVERFLOW);
    sp--;
    sp[-1] = (uint32_t)(a / b);
    NEXT();
}
L_I32_DIV_U : {
    uint32_t b = (uint32_t)sp[-1], a = (uint32_t)sp[-2];
    if (b == 0) TRAP(WASM_TRAP_DIV_BY_ZERO);
    sp--;
    sp[-1] = a / b;
    NEXT();
}
L_I32_REM_S : {
    int32_t b = (int32_t)sp[-1], a = (int32_t)sp[-2];
    if (b == 0) TRAP(WASM_TRAP_DIV_BY_ZERO);
    sp--;
    sp[-1] = (uint32_t)(b == -1 ? 0 : a % b);
    NEXT();
}
L_I32_REM_U : {
    uint32_t b = (uint32_t)sp[-1], a = (uint32_t)sp[-2];
    if (b == 0) TRAP(WASM_TRAP_DIV_BY_ZERO);
    sp--;
    sp[-1] = a % b;
    NEXT();
}
    I32_BIN(L_I32_AND, a & b)
    I32_BIN(L_I32_OR, a | b)
    I32_BIN(L_I32_XOR, a ^ b)
    I32_BIN(L_I32_SHL, a << (b & 31))
    I32_BIN(L_I32_SHR_S, (uint32_t)((int32_t)a >> (b & 31)))
    I32_BIN(L_I32_SHR_U, a >> (b & 31))
    I32_BIN(L_I32_ROTL, rotl32(a, b))
    I32_BIN(L_I32_ROTR, rotr32(a, b))
    I64_UN(L_I64_CLZ, a ? __builtin_clzll(a) : 64)
    I64_UN(L_I64_CTZ, a ? __builtin_ctzll(a) : 64)
    I64_UN(L_I64_POPCNT, __builtin_popcountll(a))
    I64_BIN(L_I64_ADD, a + b)
    I64_BIN(L_I64_SUB, a - b)
    I64_BIN(L_I64_MUL, a * b)
L_I64_DIV_S : {
    int64_t b = (int64_t)sp[-1], a = (int64_t)sp[-2];
    if (b == 0) TRAP(WASM_TRAP_DIV_BY_ZERO);
    if (a == INT64_MIN && b == -1) TRAP(WASM_TRAP_INT_OVERFLOW);
    sp--;
    sp[-1] = (uint64_t)(a / b);
    NEXT();
}
L_I64_DIV_U : {
    uint64_t b = sp[-1], a = sp[-2];
    if (b == 0) TRAP(WASM_TRAP_DIV_BY_ZERO);
    sp--;
    sp[-1] = a / b;
    NEXT();
}
L_I64_REM_S : {
    int64_t b = (int64_t)sp[-1], a = (int64_t)sp[-2];
    if (b == 0) TRAP(WASM_TRAP_DIV_BY_ZERO);
    sp--;
    sp[-1] = (uint64_t)(b == -1 ? 0 : a % b);
    NEXT();
}
L_I64_REM_U : {
    uint64_t b = sp[-1], a = sp[-2];
    if (b == 0) TRAP(WASM_TRAP_DIV_BY_ZERO);
    sp--;
    sp[-1] = a % b;
    NEXT();
}
    I64_BIN(L_I64_AND, a & b)
    I64_BIN(L_I64_OR, a | b)
    I64_BIN(L_I64_XOR, a ^ b)
    I64_BIN(L_I64_SHL, a << (b & 63))
    I64_BIN(L_I64_SHR_S, (uint64_t)((int64_t)a >> (b & 63)))
    I64_BIN(L_I64_SHR_U, a >> (b & 63))
    I64_BIN(L_I64_ROTL, rotl64(a, b))
    I64_BIN(L_I64_ROTR, rotr64(a, b))

    CONV(L_F32_ABS, a & 0x7fffffffu)
    CONV(L_F32_NEG, (uint32_t)a ^ 0x80000000u)
    F32_UN(L_F32_CEIL, f32_ceil(a))
    F32_UN(L_F32_FLOOR, f32_floor(a))
    F32_UN(L_F32_TRUNC, f32_trunc(a))
    F32_UN(L_F32_NEAREST, f32_nearest(a))
    F32_UN(L_F32_SQRT, __builtin_sqrtf(a))
    F32_BIN(L_F32_ADD, a + b)
    F32_BIN(L_F32_SUB, a - b)
    F32_BIN(L_F32_MUL, a * b)
    F32_BIN(L_F32_DIV, a / b)
    F32_BIN(L_F32_MIN, f32_min(a, b))
    F32_BIN(L_F32_MAX, f32_max(a, b))
L_F32_COPYSIGN : {
    uint32_t b = (uint32_t)sp[-1], a = (uint32_t)sp[-2];
    sp--;
    sp[-1] = (a & 0x7fffffffu) | (b & 0x80000000u);
    NEXT();
}
    CONV(L_F64_ABS, a & 0x7fffffffffffffffull)
    CONV(L_F64_NEG, a ^ 0x8000000000000000ull)
    F64_UN(L_F64_CEIL, f64_ceil(a))
    F64_UN(L_F64_FLOOR, f64_floor(a))
    F64_UN(L_F64_TRUNC, f64_trunc(a))
    F64_UN(L_F64_NEAREST, f64_nearest(a))
    F64_UN(L_F64_SQRT, __builtin_sqrt(a))
    F64_BIN(L_F64_ADD, a + b)
    F64_BIN(L_F64_SUB, a - b)
    F64_BIN(L_F64_MUL, a * b)
    F64_BIN(L_F64_DIV, a / b)
    F64_BIN(L_F64_MIN, f64_min(a, b))
    F64_BIN(L_F64_MAX, f64_max(a, b))
L_F64_COPYSIGN : {
    uint64_t b = sp[-1], a = sp[-2];
    sp--;
    sp[-1] = (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull);
    NEXT();
}

    CONV(L_I32_WRAP_I64, (uint32_t)a)
    TRUNC(L_I32_TRUNC_F32_S, f32_from((uint32_t)sp[-1]), I32_LO, I32_HI, (uint32_t)(int32_t)x)
    TRUNC(L_I32_TRUNC_F32_U, f32_from((uint32_t)sp[-1]), U32_LO, U32_HI, (uint32_t)x)
    TRUNC(L_I32_TRUNC_F64_S, f64_from(sp[-1]), I32_LO, I32_HI, (uint32_t)(int32_t)x)
    TRUNC(L_I32_TRUNC_F64_U, f64_from(sp[-1]), U32_LO, U32_HI, (uint32_t)x)
    CONV(L_I64_EXTEND_I32_S, (uint64_t)(int64_t)(int32_t)a)
    CONV(L_I64_EXTEND_I32_U, (uint32_t)a)
    TRUNC(L_I64_TRUNC_F32_S, f32_from((uint32_t)sp[-1]), I64_LO, I64_HI, (uint64_t)(int64_t)x)
    TRUNC(L_I64_TRUNC_F32_U, f32_from((uint32_t)sp[-1]), U32_LO, U64_HI, (uint64_t)x)
    TRUNC(L_I64_TRUNC_F64_S, f64_from(sp[-1]), I64_LO, I64_HI, (uint64_t)(int64_t)x)
    TRUNC(L_I64_TRUNC_F64_U, f64_from(sp[-1]), U32_LO, U64_HI, (uint64_t)x)
    CONV(L_F32_CONVERT_I32_S, f32_bits((float)(int32_t)a))
    CONV(L_F32_CONVERT_I32_U, f32_bits((float)(uint32_t)a))
    CONV(L_F32_CONVERT_I64_S, f32_bits((float)(int64_t)a))
    CONV(L_F32_CONVERT_I64_U, f32_bits((float)a))
    CONV(L_F32_DEMOTE_F64, f32_bits((float)f64_from(a)))
    CONV(L_F64_CONVERT_I32_S, f64_bits((double)(int32_t)a))
    CONV(L_F64_CONVERT_I32_U, f64_bits((double)(uint32_t)a))
    CONV(L_F64_CONVERT_I64_S, f64_bits((double)(int64_t)a))
    CONV(L_F64_CONVERT_I64_U, f64_bits((double)a))
    CONV(L_F64_PROMOTE_F32, f64_bits((double)f32_from((uint32_t)a)))
L_F32_REINTERPRET_I32:
    CONV(L_I32_REINTERPRET_F32, (uint32_t)a)
L_F64_REINTERPRET_I64:
    CONV(L_I64_REINTERPRET_F64, a)
    CONV(L_I32_EXTEND8_S, (uint32_t)(int32_t)(int8_t)a)
    CONV(L_I32_EXTEND16_S, (uint32_t)(int32_t)(int16_t)a)
    CONV(L_I64_EXTEND8_S, (uint64_t)(int64_t)(int8_t)a)
    CONV(L_I64_EXTEND16_S, (uint64_t)(int64_t)(int16_t)a)
    CONV(L_I64_EXTEND32_S, (uint64_t)(int64_t)(int32_t)a)
    CONV(L_I32_TRUNC_SAT_F32_S, sat_i32(f32_from((uint32_t)a)))
    CONV(L_I32_TRUNC_SAT_F32_U, sat_u32(f32_from((uint32_t)a)))
    CONV(L_I32_TRUNC_SAT_F64_S, sat_i32(f64_from(a)))
    CONV(L_I32_TRUNC_SAT_F64_U, sat_u32(f64_from(a)))
    CONV(L_I64_TRUNC_SAT_F32_S, sat_i64(f32_from((uint32_t)a)))
    CONV(L_I64_TRUNC_SAT_F32_U, sat_u64(f32_from((uint32_t)a)))
    CONV(L_I64_TRUNC_SAT_F64_S, sat_i64(f64_from(a)))
    CONV(L_I64_TRUNC_SAT_F64_U, sat_u64(f64_from(a)))

L_REF_NULL:
    *sp++ = 0;
    NEXT();
L_REF_IS_NULL:
    sp[-1] = sp[-1] == 0;
    NEXT();
L_REF_FUNC:
    *sp++ = (uint64_t)(uintptr_t)inst->funcs[*++pc];
    NEXT();

L_MEMORY_INIT : {
    uint32_t n = POP_I32(), s = POP_I32(), d = POP_I32();
    int k = mem_init(inst, inst->memories[pc[2]], pc[1], d, s, n);
    if (k) TRAP(k);
    pc += 2;
    NEXT();
}
L_DATA_DROP:
    inst->data_dropped[*++pc] = 1;
    NEXT();
L_MEMORY_COPY : {
    const struct wasm_memory *dm = inst->memories[pc[1]], *sm = inst->memories[pc[2]];
    uint32_t n = POP_I32(), s = POP_I32(), d = POP_I32();
    if ((uint64_t)s + n > sm->size || (uint64_t)d + n > dm->size) TRAP(WASM_TRAP_MEMORY_OOB);
    memmove(dm->base + d, sm->base + s, n);
    pc += 2;
    NEXT();
}
L_MEMORY_FILL : {
    const struct wasm_memory *dm = inst->memories[pc[1]];
    uint32_t n = POP_I32(), v = POP_I32(), d = POP_I32();
    if ((uint64_t)d + n > dm->size) TRAP(WASM_TRAP_MEMORY_OOB);
    memset(dm->base + d, (int)(v & 0xff), n);
    pc += 1;
    NEXT();
}
L_TABLE_INIT : {
    uint32_t n = POP_I32(), s = POP_I32(), d = POP_I32();
    int k = table_init(inst, inst->tables[pc[2]], pc[1], d, s, n);
    pc += 2;
    if (k) TRAP(k);
    NEXT();
}
L_ELEM_DROP:
    inst->elem_dropped[*++pc] = 1;
    NEXT();
L_TABLE_COPY : {
    struct wasm_table *dt = inst->tables[pc[1]], *st = inst->tables[pc[2]];
    uint32_t n = POP_I32(), s = POP_I32(), d = POP_I32();
    pc += 2;
    if ((uint64_t)s + n > st->size || (uint64_t)d + n > dt->size) TRAP(WASM_TRAP_TABLE_OOB);
    memmove(dt->elems + d, st->elems + s, n * sizeof(void *));
    NEXT();
}
L_TABLE_GROW : {
    struct wasm_table *t = inst->tables[*++pc];
    uint32_t n = POP_I32();
    void *init = (void *)(uintptr_t)sp[-1];
    sp[-1] = (uint32_t)wasm_table_grow(t, n, init);
    NEXT();
}
L_TABLE_SIZE:
    *sp++ = inst->tables[*++pc]->size;
    NEXT();
L_TABLE_FILL : {
    struct wasm_table *t = inst->tables[*++pc];
    uint32_t n = POP_I32();
    void *v = (void *)(uintptr_t) * --sp;
    uint32_t d = POP_I32();
    if ((uint64_t)d + n > t->size) TRAP(WASM_TRAP_TABLE_OOB);
    for (uint32_t i = 0; i < n; i++) t->elems[d + i] = v;
    NEXT();
}

trap:
    r->pc = pc;
    r->func = func;
    exec->nframes = base_frames;
    return trap_kind; /* a positive trap kind, never mistaken for TK_ERR_FAULT */
}

/*
 * Calls `func` with its args in slots[0..nparams); results come back in slots[0..).
 * Returns 0 or TK_ERR_TRAP with *trap filled.
 */
int wasm_interp_call(struct wasm_store *store, struct wasm_func *func, uint64_t *slots,
                     struct wasm_trap *trap)
{
    struct wasm_exec *exec = store->exec;
    struct run r = {.entry = func, .trap = trap};
    uint64_t *saved_top;
    uint32_t saved_frames;
    uintptr_t fault = 0;
    int k;

    if (!func->code) {
        k = call_host(func, slots);
        if (k) {
            *trap = (struct wasm_trap){.kind = (uint8_t)k};
            return TK_ERR_TRAP;
        }
        return 0;
    }
    if (!exec && !(exec = exec_new(store))) return TK_ERR_NOMEM;
    store->exec = exec;
    if (exec->reentry == MAX_REENTRY ||
        (uint64_t)(exec->stack_end - exec->top) < func->nparams + 1u) {
        *trap = (struct wasm_trap){.kind = WASM_TRAP_STACK_EXHAUSTED};
        return TK_ERR_TRAP;
    }
    saved_top = exec->top;
    saved_frames = exec->nframes;
    memcpy(exec->top, slots, func->nparams * sizeof(uint64_t));
    r.exec = exec;
    exec->reentry++;
    if (WASM_BOUNDS_CHECKS)
        k = run_loop(&r);
    else
        k = wasm_platform_guarded_call(run_loop, &r, &fault);
    exec->reentry--;
    if (k == TK_ERR_FAULT || k == WASM_TRAP_HOST_FAULT) {
        exec->nframes = saved_frames; /* drop the frames of the abandoned call */
        run_locate(&r, k == TK_ERR_FAULT ? WASM_TRAP_MEMORY_OOB : WASM_TRAP_HOST_FAULT);
        exec->top = saved_top;
        if (!exec->reentry) wasm_exc_free_all(exec);
        return TK_ERR_TRAP;
    }
    if (k > 0) {
        run_locate(&r, (uint8_t)k);
        if (k == WASM_TRAP_EXCEPTION) trap->tag_index = exc_tag_index(&r);
        exec->top = saved_top;
        if (!exec->reentry) wasm_exc_free_all(exec);
        return TK_ERR_TRAP;
    }
    memcpy(slots, saved_top, func->nresults * sizeof(uint64_t));
    exec->top = saved_top;
    if (!exec->reentry) wasm_exc_free_all(exec); /* no catch block is left to hold one */
    return 0;
}
