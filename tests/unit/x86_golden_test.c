/*
 * Golden test of the x86-64 encoder: each line emits one instruction and states, written
 * by hand from the instruction set (never produced by the encoder), what llvm-mc's
 * disassembler must read back, in Intel syntax. It covers every emitter and form, every
 * register class (including r8-r15 and the byte registers that need a REX), and the
 * addressing corners: rsp/r12 bases (SIB), rbp/r13 bases (a zero displacement), r12 as an
 * index, no base, absolute, RIP-relative, disp8/disp32 boundaries, and labels.
 */
#include <stdio.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "tests/unit/x86_check.h"

static struct x86_check chk;

static void add(uint32_t start, uint32_t end, const char *want, int line)
{
    if (chk.n == X86_CHECK_MAX) return;
    chk.start[chk.n] = start;
    chk.end[chk.n] = end;
    chk.want[chk.n] = want;
    chk.line[chk.n] = line;
    chk.n++;
}

#define E(emit, text)                                                                              \
    do {                                                                                           \
        uint32_t s_ = b->len;                                                                      \
        emit;                                                                                      \
        add(s_, b->len, text, __LINE__);                                                           \
    } while (0)
#define M(expr) (&(const struct x86_mem[]){expr}[0])

static void emit_alu(struct x86_buf *b)
{
    E(x86_alu_rr(b, X86_ADD, X86_S64, X86_RAX, X86_RCX), "add rax, rcx");
    E(x86_alu_rr(b, X86_ADD, X86_S32, X86_R8, X86_R15), "add r8d, r15d");
    E(x86_alu_rr(b, X86_OR, X86_S64, X86_RSP, X86_R9), "or rsp, r9");
    E(x86_alu_rr(b, X86_ADC, X86_S32, X86_RDX, X86_RBX), "adc edx, ebx");
    E(x86_alu_rr(b, X86_SBB, X86_S64, X86_R13, X86_RBP), "sbb r13, rbp");
    E(x86_alu_rr(b, X86_AND, X86_S16, X86_RSI, X86_R10), "and si, r10w");
    E(x86_alu_rr(b, X86_SUB, X86_S8, X86_RAX, X86_RCX), "sub al, cl");
    E(x86_alu_rr(b, X86_SUB, X86_S8, X86_RSI, X86_RDI), "sub sil, dil");
    E(x86_alu_rr(b, X86_XOR, X86_S8, X86_R11, X86_RSP), "xor r11b, spl");
    E(x86_alu_rr(b, X86_XOR, X86_S32, X86_RDI, X86_RDI), "xor edi, edi");
    E(x86_alu_rr(b, X86_CMP, X86_S64, X86_R12, X86_R14), "cmp r12, r14");

    E(x86_alu_ri(b, X86_ADD, X86_S64, X86_RAX, 1), "add rax, 1");
    E(x86_alu_ri(b, X86_ADD, X86_S64, X86_RAX, 1000), "add rax, 1000");
    E(x86_alu_ri(b, X86_SUB, X86_S32, X86_RAX, -129),
      "sub eax, 4294967167"); /* llvm-mc prints imm32 of 32-bit ops unsigned */
    E(x86_alu_ri(b, X86_AND, X86_S32, X86_RCX, 127), "and ecx, 127");
    E(x86_alu_ri(b, X86_OR, X86_S32, X86_RCX, 128), "or ecx, 128");
    E(x86_alu_ri(b, X86_XOR, X86_S64, X86_R9, -128), "xor r9, -128");
    E(x86_alu_ri(b, X86_CMP, X86_S64, X86_R15, 0x12345678), "cmp r15, 305419896");
    E(x86_alu_ri(b, X86_CMP, X86_S16, X86_RAX, 1000), "cmp ax, 1000");
    E(x86_alu_ri(b, X86_ADD, X86_S16, X86_RDX, -2), "add dx, -2");
    E(x86_alu_ri(b, X86_ADD, X86_S16, X86_R8, 300), "add r8w, 300");
    E(x86_alu_ri(b, X86_CMP, X86_S8, X86_RAX, 7), "cmp al, 7");
    E(x86_alu_ri(b, X86_CMP, X86_S8, X86_RBP, 7), "cmp bpl, 7");
    E(x86_alu_ri(b, X86_AND, X86_S8, X86_RBX, -1), "and bl, -1");
    E(x86_alu_ri(b, X86_ADC, X86_S32, X86_RBX, 5), "adc ebx, 5");
    E(x86_alu_ri(b, X86_SBB, X86_S64, X86_RSP, 8), "sbb rsp, 8");

    E(x86_alu_rm(b, X86_ADD, X86_S64, X86_RAX, M(x86_mem_base(X86_RCX, 0))),
      "add rax, qword ptr [rcx]");
    E(x86_alu_rm(b, X86_SUB, X86_S32, X86_R10, M(x86_mem_base(X86_RBP, -8))),
      "sub r10d, dword ptr [rbp - 8]");
    E(x86_alu_rm(b, X86_CMP, X86_S8, X86_RSI, M(x86_mem_base(X86_RAX, 3))),
      "cmp sil, byte ptr [rax + 3]");
    E(x86_alu_mr(b, X86_ADD, X86_S64, M(x86_mem_base(X86_RSP, 16)), X86_RDX),
      "add qword ptr [rsp + 16], rdx");
    E(x86_alu_mr(b, X86_XOR, X86_S16, M(x86_mem_base(X86_R12, 0)), X86_R9),
      "xor word ptr [r12], r9w");
    E(x86_alu_mr(b, X86_OR, X86_S8, M(x86_mem_base(X86_RDI, 0)), X86_RDI),
      "or byte ptr [rdi], dil");
    E(x86_alu_mi(b, X86_ADD, X86_S32, M(x86_mem_base(X86_R13, 0)), 1), "add dword ptr [r13], 1");
    E(x86_alu_mi(b, X86_CMP, X86_S64, M(x86_mem_base(X86_RAX, 0x100)), 0x10000),
      "cmp qword ptr [rax + 256], 65536");
    E(x86_alu_mi(b, X86_CMP, X86_S8, M(x86_mem_base(X86_RBX, 1)), 0x7f),
      "cmp byte ptr [rbx + 1], 127");
    E(x86_alu_mi(b, X86_AND, X86_S16, M(x86_mem_base(X86_RBX, 0)), 0x1234),
      "and word ptr [rbx], 4660");
    E(x86_alu_mi(b, X86_SUB, X86_S32, M(x86_mem_rip(0x40)), 1000),
      "sub dword ptr [rip + 64], 1000");

    E(x86_test_rr(b, X86_S64, X86_RAX, X86_R8), "test rax, r8");
    E(x86_test_rr(b, X86_S32, X86_RCX, X86_RCX), "test ecx, ecx");
    E(x86_test_rr(b, X86_S8, X86_RSI, X86_RAX), "test sil, al");
    E(x86_test_ri(b, X86_S32, X86_RAX, 1), "test eax, 1");
    E(x86_test_ri(b, X86_S64, X86_RBX, -1), "test rbx, -1");
    E(x86_test_ri(b, X86_S8, X86_RAX, 0x80), "test al, -128");
    E(x86_test_ri(b, X86_S8, X86_R9, 1), "test r9b, 1");
    E(x86_test_ri(b, X86_S16, X86_RCX, 0x100), "test cx, 256");
    E(x86_neg_r(b, X86_S32, X86_RAX), "neg eax");
    E(x86_neg_r(b, X86_S64, X86_R11), "neg r11");
    E(x86_not_r(b, X86_S64, X86_RDX), "not rdx");
    E(x86_not_r(b, X86_S8, X86_RDI), "not dil");
}

static void emit_addressing(struct x86_buf *b)
{
    /* every base: rsp and r12 need a SIB byte, rbp and r13 a displacement */
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_RAX, 0))), "mov rax, qword ptr [rax]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_RSP, 0))), "mov rax, qword ptr [rsp]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_RBP, 0))), "mov rax, qword ptr [rbp]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_R12, 0))), "mov rax, qword ptr [r12]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_R13, 0))), "mov rax, qword ptr [r13]");
    E(x86_mov_rm(b, X86_S64, X86_R15, M(x86_mem_base(X86_R15, 0))), "mov r15, qword ptr [r15]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_RSP, 8))), "mov rax, qword ptr [rsp + 8]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_R12, -8))),
      "mov rax, qword ptr [r12 - 8]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_R13, 127))),
      "mov rax, qword ptr [r13 + 127]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_RBP, 128))),
      "mov rax, qword ptr [rbp + 128]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_RSI, -128))),
      "mov rax, qword ptr [rsi - 128]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_RDI, -129))),
      "mov rax, qword ptr [rdi - 129]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_R8, 0x7fffffff))),
      "mov rax, qword ptr [r8 + 2147483647]");
    /* base + index * scale */
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_sib(X86_RAX, X86_RCX, 1, 0))),
      "mov eax, dword ptr [rax + rcx]");
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_sib(X86_RBX, X86_RDX, 2, 4))),
      "mov eax, dword ptr [rbx + 2*rdx + 4]");
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_sib(X86_RSP, X86_RBP, 4, 0))),
      "mov eax, dword ptr [rsp + 4*rbp]");
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_sib(X86_RBP, X86_RAX, 8, 0))),
      "mov eax, dword ptr [rbp + 8*rax]");
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_sib(X86_R13, X86_R12, 8, 0))),
      "mov eax, dword ptr [r13 + 8*r12]");
    E(x86_mov_rm(b, X86_S32, X86_R9, M(x86_mem_sib(X86_R12, X86_R15, 1, -1000))),
      "mov r9d, dword ptr [r12 + r15 - 1000]");
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_sib(X86_R8, X86_R9, 4, 64))),
      "mov eax, dword ptr [r8 + 4*r9 + 64]");
    /* no base, absolute, RIP-relative */
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_index(X86_RCX, 4, 0))),
      "mov eax, dword ptr [4*rcx]");
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_index(X86_R11, 8, -16))),
      "mov eax, dword ptr [8*r11 - 16]");
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_index(X86_R12, 1, 8))),
      "mov eax, dword ptr [r12 + 8]"); /* scaled by one: a base, no SIB */
    E(x86_mov_rm(b, X86_S32, X86_RAX, M(x86_mem_abs(0x1000))), "mov eax, dword ptr [4096]");
    E(x86_mov_rm(b, X86_S64, X86_R10, M(x86_mem_abs(-8))), "mov r10, qword ptr [-8]");
    E(x86_mov_rm(b, X86_S64, X86_RAX, M(x86_mem_rip(0))), "mov rax, qword ptr [rip]");
    E(x86_mov_rm(b, X86_S64, X86_R14, M(x86_mem_rip(-100))), "mov r14, qword ptr [rip - 100]");
    E(x86_lea(b, X86_S64, X86_RAX, M(x86_mem_rip(16))), "lea rax, [rip + 16]");
}

static void emit_moves(struct x86_buf *b)
{
    E(x86_mov_rr(b, X86_S64, X86_RAX, X86_RSP), "mov rax, rsp");
    E(x86_mov_rr(b, X86_S64, X86_R12, X86_RBP), "mov r12, rbp");
    E(x86_mov_rr(b, X86_S32, X86_RCX, X86_R13), "mov ecx, r13d");
    E(x86_mov_rr(b, X86_S16, X86_RBX, X86_RSI), "mov bx, si");
    E(x86_mov_rr(b, X86_S8, X86_RBX, X86_RSI), "mov bl, sil");
    E(x86_mov_rr(b, X86_S8, X86_R8, X86_RAX), "mov r8b, al");

    E(x86_mov_ri(b, X86_S32, X86_RAX, 42), "mov eax, 42");
    E(x86_mov_ri(b, X86_S32, X86_R9, -1), "mov r9d, 4294967295");
    E(x86_mov_ri(b, X86_S64, X86_RAX, 42), "mov eax, 42");
    E(x86_mov_ri(b, X86_S64, X86_RCX, 0xffffffff), "mov ecx, 4294967295");
    E(x86_mov_ri(b, X86_S64, X86_RDX, -1), "mov rdx, -1");
    E(x86_mov_ri(b, X86_S64, X86_R15, INT32_MIN), "mov r15, -2147483648");
    E(x86_mov_ri(b, X86_S64, X86_RBX, 0x100000000), "movabs rbx, 4294967296");
    E(x86_mov_ri(b, X86_S64, X86_R11, (int64_t)INT32_MIN - 1), "movabs r11, -2147483649");
    E(x86_mov_ri(b, X86_S64, X86_RAX, INT64_MIN), "movabs rax, -9223372036854775808");
    E(x86_mov_ri(b, X86_S16, X86_RSI, 0x1234), "mov si, 4660");
    E(x86_mov_ri(b, X86_S8, X86_RCX, 5), "mov cl, 5");
    E(x86_mov_ri(b, X86_S8, X86_RSP, 5), "mov spl, 5");
    E(x86_mov_ri(b, X86_S8, X86_R14, -1), "mov r14b, -1");

    E(x86_mov_rm(b, X86_S8, X86_RDI, M(x86_mem_base(X86_RAX, 0))), "mov dil, byte ptr [rax]");
    E(x86_mov_rm(b, X86_S16, X86_RAX, M(x86_mem_base(X86_RAX, 0))), "mov ax, word ptr [rax]");
    E(x86_mov_mr(b, X86_S8, M(x86_mem_base(X86_RAX, 1)), X86_RCX), "mov byte ptr [rax + 1], cl");
    E(x86_mov_mr(b, X86_S8, M(x86_mem_base(X86_R8, 0)), X86_RSI), "mov byte ptr [r8], sil");
    E(x86_mov_mr(b, X86_S16, M(x86_mem_sib(X86_RDI, X86_RSI, 2, 0)), X86_R8),
      "mov word ptr [rdi + 2*rsi], r8w");
    E(x86_mov_mr(b, X86_S32, M(x86_mem_base(X86_RSP, -4)), X86_RBP),
      "mov dword ptr [rsp - 4], ebp");
    E(x86_mov_mr(b, X86_S64, M(x86_mem_base(X86_R13, 8)), X86_R12), "mov qword ptr [r13 + 8], r12");
    E(x86_mov_mi(b, X86_S8, M(x86_mem_base(X86_RAX, 0)), -1), "mov byte ptr [rax], -1");
    E(x86_mov_mi(b, X86_S16, M(x86_mem_base(X86_RAX, 0)), 0x1234), "mov word ptr [rax], 4660");
    E(x86_mov_mi(b, X86_S32, M(x86_mem_base(X86_RBP, 16)), 7), "mov dword ptr [rbp + 16], 7");
    E(x86_mov_mi(b, X86_S64, M(x86_mem_base(X86_R12, 0)), -2), "mov qword ptr [r12], -2");
    E(x86_mov_mi(b, X86_S32, M(x86_mem_rip(8)), 1), "mov dword ptr [rip + 8], 1");

    E(x86_movzx_rr(b, X86_S32, X86_S8, X86_RAX, X86_RCX), "movzx eax, cl");
    E(x86_movzx_rr(b, X86_S32, X86_S8, X86_RSI, X86_RAX), "movzx esi, al");
    E(x86_movzx_rr(b, X86_S32, X86_S8, X86_RAX, X86_RSI), "movzx eax, sil");
    E(x86_movzx_rr(b, X86_S64, X86_S8, X86_R8, X86_R9), "movzx r8, r9b");
    E(x86_movzx_rr(b, X86_S32, X86_S16, X86_RDX, X86_R15), "movzx edx, r15w");
    E(x86_movzx_rm(b, X86_S32, X86_S8, X86_RAX, M(x86_mem_base(X86_RSI, 0))),
      "movzx eax, byte ptr [rsi]");
    E(x86_movzx_rm(b, X86_S32, X86_S16, X86_R11, M(x86_mem_sib(X86_RAX, X86_RBX, 1, 2))),
      "movzx r11d, word ptr [rax + rbx + 2]");
    E(x86_movsx_rr(b, X86_S32, X86_S8, X86_RAX, X86_RDI), "movsx eax, dil");
    E(x86_movsx_rr(b, X86_S64, X86_S16, X86_RAX, X86_RCX), "movsx rax, cx");
    E(x86_movsx_rr(b, X86_S64, X86_S32, X86_RAX, X86_RCX), "movsxd rax, ecx");
    E(x86_movsx_rr(b, X86_S64, X86_S32, X86_R10, X86_R10), "movsxd r10, r10d");
    E(x86_movsx_rm(b, X86_S64, X86_S8, X86_RAX, M(x86_mem_base(X86_R12, 1))),
      "movsx rax, byte ptr [r12 + 1]");
    E(x86_movsx_rm(b, X86_S32, X86_S16, X86_RAX, M(x86_mem_base(X86_RBP, 0))),
      "movsx eax, word ptr [rbp]");
    E(x86_movsx_rm(b, X86_S64, X86_S32, X86_R9, M(x86_mem_base(X86_RSP, 0))),
      "movsxd r9, dword ptr [rsp]");

    E(x86_lea(b, X86_S64, X86_RAX, M(x86_mem_sib(X86_RAX, X86_RAX, 2, 0))),
      "lea rax, [rax + 2*rax]");
    E(x86_lea(b, X86_S32, X86_R8, M(x86_mem_base(X86_R13, -1))), "lea r8d, [r13 - 1]");
}

static void emit_shift_mul_bits(struct x86_buf *b)
{
    E(x86_shift_ri(b, X86_SHL, X86_S32, X86_RAX, 1), "shl eax");
    E(x86_shift_ri(b, X86_SHL, X86_S64, X86_RAX, 3), "shl rax, 3");
    E(x86_shift_ri(b, X86_SHR, X86_S32, X86_R9, 31), "shr r9d, 31");
    E(x86_shift_ri(b, X86_SAR, X86_S64, X86_R15, 63), "sar r15, 63");
    E(x86_shift_ri(b, X86_ROL, X86_S32, X86_RSI, 7), "rol esi, 7");
    E(x86_shift_ri(b, X86_ROR, X86_S64, X86_RBP, 1), "ror rbp");
    E(x86_shift_ri(b, X86_SHR, X86_S8, X86_RSI, 2), "shr sil, 2");
    E(x86_shift_ri(b, X86_SAR, X86_S16, X86_RCX, 1), "sar cx");
    E(x86_shift_rcl(b, X86_SHL, X86_S32, X86_RAX), "shl eax, cl");
    E(x86_shift_rcl(b, X86_SAR, X86_S64, X86_R12), "sar r12, cl");
    E(x86_shift_rcl(b, X86_ROR, X86_S32, X86_RDX), "ror edx, cl");
    E(x86_shift_rcl(b, X86_ROL, X86_S64, X86_R8), "rol r8, cl");
    E(x86_shift_rcl(b, X86_SHR, X86_S8, X86_RDI), "shr dil, cl");

    E(x86_imul_rr(b, X86_S32, X86_RAX, X86_RCX), "imul eax, ecx");
    E(x86_imul_rr(b, X86_S64, X86_R8, X86_R13), "imul r8, r13");
    E(x86_imul_rr(b, X86_S16, X86_RDX, X86_RBX), "imul dx, bx");
    E(x86_imul_rm(b, X86_S64, X86_RAX, M(x86_mem_base(X86_RSP, 8))),
      "imul rax, qword ptr [rsp + 8]");
    E(x86_imul_rri(b, X86_S32, X86_RAX, X86_RCX, 10), "imul eax, ecx, 10");
    E(x86_imul_rri(b, X86_S64, X86_R9, X86_R10, -100000), "imul r9, r10, -100000");
    E(x86_imul_rri(b, X86_S16, X86_RAX, X86_RAX, 1000), "imul ax, ax, 1000");
    E(x86_muldiv_r(b, X86_MUL, X86_S64, X86_RCX), "mul rcx");
    E(x86_muldiv_r(b, X86_IMUL1, X86_S32, X86_R8), "imul r8d");
    E(x86_muldiv_r(b, X86_DIV, X86_S32, X86_RBX), "div ebx");
    E(x86_muldiv_r(b, X86_IDIV, X86_S64, X86_R15), "idiv r15");
    E(x86_muldiv_r(b, X86_DIV, X86_S8, X86_RSI), "div sil");
    E(x86_sign_extend_rax(b, X86_S16), "cwd");
    E(x86_sign_extend_rax(b, X86_S32), "cdq");
    E(x86_sign_extend_rax(b, X86_S64), "cqo");

    E(x86_bitcount_rr(b, X86_LZCNT, X86_S32, X86_RAX, X86_RCX), "lzcnt eax, ecx");
    E(x86_bitcount_rr(b, X86_LZCNT, X86_S64, X86_R8, X86_RAX), "lzcnt r8, rax");
    E(x86_bitcount_rr(b, X86_TZCNT, X86_S32, X86_RDX, X86_R12), "tzcnt edx, r12d");
    E(x86_bitcount_rr(b, X86_TZCNT, X86_S64, X86_RBP, X86_RSP), "tzcnt rbp, rsp");
    E(x86_bitcount_rr(b, X86_POPCNT, X86_S32, X86_R15, X86_R15), "popcnt r15d, r15d");
    E(x86_bitcount_rr(b, X86_POPCNT, X86_S64, X86_RAX, X86_R9), "popcnt rax, r9");
    E(x86_bitcount_rr(b, X86_POPCNT, X86_S16, X86_RAX, X86_RCX), "popcnt ax, cx");
}

static void emit_conditions(struct x86_buf *b)
{
    static const char *const set[16] = {"seto",  "setno", "setb",  "setae", "sete", "setne",
                                        "setbe", "seta",  "sets",  "setns", "setp", "setnp",
                                        "setl",  "setge", "setle", "setg"};
    static const char *const dst[16] = {"al",   "cl",   "dl",   "bl",  "spl",  "bpl",
                                        "sil",  "dil",  "r8b",  "r9b", "r10b", "r11b",
                                        "r12b", "r13b", "r14b", "r15b"};
    static char set_text[16][24];

    /* each condition once, each byte register once: the cc numbering and the REX rule */
    for (int i = 0; i < 16; i++) {
        snprintf(set_text[i], sizeof(set_text[i]), "%s %s", set[i], dst[i]);
        E(x86_setcc(b, (enum x86_cond)i, (enum x86_reg)i), set_text[i]);
    }
    E(x86_cmov_rr(b, X86_CC_E, X86_S32, X86_RAX, X86_RCX), "cmove eax, ecx");
    E(x86_cmov_rr(b, X86_CC_L, X86_S64, X86_R8, X86_R15), "cmovl r8, r15");
    E(x86_cmov_rr(b, X86_CC_A, X86_S64, X86_RSP, X86_RBP), "cmova rsp, rbp");
    E(x86_cmov_rr(b, X86_CC_NP, X86_S32, X86_R12, X86_RDI), "cmovnp r12d, edi");
    E(x86_cmov_rr(b, X86_CC_O, X86_S16, X86_RAX, X86_RBX), "cmovo ax, bx");
    E(x86_cmov_rm(b, X86_CC_GE, X86_S64, X86_RAX, M(x86_mem_base(X86_R13, 0))),
      "cmovge rax, qword ptr [r13]");
    E(x86_cmov_rm(b, x86_cond_negate(X86_CC_B), X86_S32, X86_RCX, M(x86_mem_rip(4))),
      "cmovae ecx, dword ptr [rip + 4]");
}

static void emit_labels(struct x86_buf *b)
{
    struct x86_label fwd, back, far, func, pool;

    x86_label_init(&fwd);
    x86_label_init(&back);
    x86_label_init(&far);
    x86_label_init(&func);
    x86_label_init(&pool);

    /* forward: always rel32, patched at the bind; two branches chained on one label */
    E(x86_jmp(b, &fwd), "jmp 7");            /* over the jne (6) and a nop (1) */
    E(x86_jcc(b, X86_CC_NE, &fwd), "jne 1"); /* over the nop */
    E(x86_nop(b), "nop");
    x86_label_bind(b, &fwd);
    CHECK(!x86_label_pending(&fwd));
    /* backward: rel8 while it reaches */
    x86_label_bind(b, &back);
    E(x86_jmp(b, &back), "jmp -2");
    E(x86_jcc(b, X86_CC_LE, &back), "jle -4");
    E(x86_jcc(b, X86_CC_P, &back), "jp -6");
    /* backward beyond rel8 */
    x86_label_bind(b, &far);
    for (int i = 0; i < 130; i++) x86_nop(b);
    E(x86_jmp(b, &far), "jmp -135");
    E(x86_jcc(b, X86_CC_B, &far), "jb -141");
    /* calls: forward to a label bound later, backward to one bound before */
    x86_label_bind(b, &func);
    E(x86_call(b, &func), "call -5");
    E(x86_call(b, &pool), "call 7"); /* over the lea (7) */
    E(x86_lea(b, X86_S64, X86_R8, M(x86_mem_rip_label(&pool))), "lea r8, [rip]");
    CHECK(x86_label_pending(&pool));
    x86_label_bind(b, &pool);
    E(x86_movs_rm(b, X86_F64, X86_XMM1, M(x86_mem_rip_label(&pool))),
      "movsd xmm1, qword ptr [rip - 8]");
    E(x86_sse_logic_rm(b, X86_ANDP, X86_F32, X86_XMM9, M(x86_mem_rip_label(&pool))),
      "andps xmm9, xmmword ptr [rip - 16]");

    E(x86_call_r(b, X86_RAX), "call rax");
    E(x86_call_r(b, X86_R11), "call r11");
    E(x86_call_m(b, M(x86_mem_base(X86_RDI, 24))), "call qword ptr [rdi + 24]");
    E(x86_call_m(b, M(x86_mem_sib(X86_R12, X86_RAX, 8, 0))), "call qword ptr [r12 + 8*rax]");
    E(x86_jmp_r(b, X86_RCX), "jmp rcx");
    E(x86_jmp_r(b, X86_R15), "jmp r15");
    E(x86_jmp_m(b, M(x86_mem_index(X86_RAX, 8, 0x1000))), "jmp qword ptr [8*rax + 4096]");
    E(x86_ret(b), "ret");
    E(x86_push_r(b, X86_RBP), "push rbp");
    E(x86_push_r(b, X86_R12), "push r12");
    E(x86_pop_r(b, X86_RBX), "pop rbx");
    E(x86_pop_r(b, X86_R15), "pop r15");
    E(x86_ud2(b), "ud2");
    E(x86_int3(b), "int3");
}

static void emit_sse(struct x86_buf *b)
{
    E(x86_sse_rr(b, X86_ADDS, X86_F32, X86_XMM0, X86_XMM1), "addss xmm0, xmm1");
    E(x86_sse_rr(b, X86_ADDS, X86_F64, X86_XMM8, X86_XMM15), "addsd xmm8, xmm15");
    E(x86_sse_rr(b, X86_SUBS, X86_F32, X86_XMM2, X86_XMM10), "subss xmm2, xmm10");
    E(x86_sse_rr(b, X86_MULS, X86_F64, X86_XMM12, X86_XMM3), "mulsd xmm12, xmm3");
    E(x86_sse_rr(b, X86_DIVS, X86_F32, X86_XMM4, X86_XMM5), "divss xmm4, xmm5");
    E(x86_sse_rr(b, X86_MINS, X86_F64, X86_XMM6, X86_XMM7), "minsd xmm6, xmm7");
    E(x86_sse_rr(b, X86_MAXS, X86_F32, X86_XMM9, X86_XMM11), "maxss xmm9, xmm11");
    E(x86_sse_rr(b, X86_SQRTS, X86_F64, X86_XMM13, X86_XMM14), "sqrtsd xmm13, xmm14");
    E(x86_sse_rm(b, X86_ADDS, X86_F64, X86_XMM0, M(x86_mem_base(X86_RSP, 8))),
      "addsd xmm0, qword ptr [rsp + 8]");
    E(x86_sse_rm(b, X86_MULS, X86_F32, X86_XMM15, M(x86_mem_sib(X86_R13, X86_R12, 4, 0))),
      "mulss xmm15, dword ptr [r13 + 4*r12]");

    E(x86_sse_logic_rr(b, X86_ANDP, X86_F64, X86_XMM0, X86_XMM1), "andpd xmm0, xmm1");
    E(x86_sse_logic_rr(b, X86_ANDNP, X86_F32, X86_XMM2, X86_XMM8), "andnps xmm2, xmm8");
    E(x86_sse_logic_rr(b, X86_ORP, X86_F64, X86_XMM10, X86_XMM3), "orpd xmm10, xmm3");
    E(x86_sse_logic_rr(b, X86_XORP, X86_F32, X86_XMM7, X86_XMM7), "xorps xmm7, xmm7");
    E(x86_sse_logic_rm(b, X86_XORP, X86_F64, X86_XMM1, M(x86_mem_rip(32))),
      "xorpd xmm1, xmmword ptr [rip + 32]");
    E(x86_round(b, X86_F32, X86_XMM0, X86_XMM1, X86_ROUND_FLOOR), "roundss xmm0, xmm1, 9");
    E(x86_round(b, X86_F64, X86_XMM8, X86_XMM9, X86_ROUND_TRUNC), "roundsd xmm8, xmm9, 11");
    E(x86_round(b, X86_F64, X86_XMM2, X86_XMM2, X86_ROUND_NEAREST), "roundsd xmm2, xmm2, 8");
    E(x86_round(b, X86_F32, X86_XMM3, X86_XMM4, X86_ROUND_CEIL), "roundss xmm3, xmm4, 10");

    E(x86_movs_rr(b, X86_F32, X86_XMM0, X86_XMM1), "movss xmm0, xmm1");
    E(x86_movs_rr(b, X86_F64, X86_XMM9, X86_XMM2), "movsd xmm9, xmm2");
    E(x86_movs_rm(b, X86_F32, X86_XMM3, M(x86_mem_base(X86_RBP, -4))),
      "movss xmm3, dword ptr [rbp - 4]");
    E(x86_movs_rm(b, X86_F64, X86_XMM11, M(x86_mem_sib(X86_RAX, X86_RCX, 8, 0))),
      "movsd xmm11, qword ptr [rax + 8*rcx]");
    E(x86_movs_mr(b, X86_F32, M(x86_mem_base(X86_R12, 0)), X86_XMM4),
      "movss dword ptr [r12], xmm4");
    E(x86_movs_mr(b, X86_F64, M(x86_mem_base(X86_RSP, 16)), X86_XMM12),
      "movsd qword ptr [rsp + 16], xmm12");
    E(x86_movaps(b, X86_XMM0, X86_XMM15), "movaps xmm0, xmm15");
    E(x86_movaps(b, X86_XMM10, X86_XMM1), "movaps xmm10, xmm1");
    E(x86_movd_xr(b, X86_S32, X86_XMM0, X86_RAX), "movd xmm0, eax");
    E(x86_movd_xr(b, X86_S64, X86_XMM9, X86_R10), "movq xmm9, r10");
    E(x86_movd_rx(b, X86_S32, X86_RCX, X86_XMM1), "movd ecx, xmm1");
    E(x86_movd_rx(b, X86_S64, X86_R15, X86_XMM14), "movq r15, xmm14");

    E(x86_ucomis(b, X86_F32, X86_XMM0, X86_XMM1), "ucomiss xmm0, xmm1");
    E(x86_ucomis(b, X86_F64, X86_XMM8, X86_XMM2), "ucomisd xmm8, xmm2");
    E(x86_ucomis_m(b, X86_F64, X86_XMM3, M(x86_mem_rip(0))), "ucomisd xmm3, qword ptr [rip]");
    E(x86_ucomis_m(b, X86_F32, X86_XMM13, M(x86_mem_base(X86_R13, 0))),
      "ucomiss xmm13, dword ptr [r13]");

    E(x86_cvtsi2s(b, X86_F32, X86_S32, X86_XMM0, X86_RAX), "cvtsi2ss xmm0, eax");
    E(x86_cvtsi2s(b, X86_F64, X86_S64, X86_XMM1, X86_R9), "cvtsi2sd xmm1, r9");
    E(x86_cvtsi2s(b, X86_F32, X86_S64, X86_XMM12, X86_RCX), "cvtsi2ss xmm12, rcx");
    E(x86_cvtsi2s(b, X86_F64, X86_S32, X86_XMM15, X86_R15), "cvtsi2sd xmm15, r15d");
    E(x86_cvtts2si(b, X86_F32, X86_S32, X86_RAX, X86_XMM0), "cvttss2si eax, xmm0");
    E(x86_cvtts2si(b, X86_F64, X86_S64, X86_R11, X86_XMM1), "cvttsd2si r11, xmm1");
    E(x86_cvtts2si(b, X86_F64, X86_S32, X86_RDX, X86_XMM9), "cvttsd2si edx, xmm9");
    E(x86_cvtts2si(b, X86_F32, X86_S64, X86_R8, X86_XMM8), "cvttss2si r8, xmm8");
    E(x86_cvts2s(b, X86_F64, X86_XMM0, X86_XMM1), "cvtss2sd xmm0, xmm1");
    E(x86_cvts2s(b, X86_F32, X86_XMM10, X86_XMM11), "cvtsd2ss xmm10, xmm11");
}

TEST(x86_encoder_matches_llvm_mc)
{
    static char bytes[128];
    struct x86_buf buf, *b = &buf;
    int bad = 0;

    chk.n = 0;
    CHECK_EQ(x86_buf_init(b, 64), 0); /* small: growth is exercised too */
    emit_alu(b);
    emit_addressing(b);
    emit_moves(b);
    emit_shift_mul_bits(b);
    emit_conditions(b);
    emit_labels(b);
    emit_sse(b);
    CHECK_EQ(x86_buf_error(b), 0);
    CHECK(chk.n < X86_CHECK_MAX);
    CHECK_EQ(x86_check_disassemble(&chk, b), 0);
    for (int i = 0; i < chk.n; i++) {
        if (!strcmp(chk.got[i], chk.want[i])) continue;
        x86_check_bytes(&chk, b, i, bytes, sizeof(bytes));
        printf("  %s:%d: want \"%s\", llvm-mc read \"%s\" from %s\n", __FILE__, chk.line[i],
               chk.want[i], chk.got[i], bytes);
        bad++;
    }
    x86_buf_free(b);
    CHECK_EQ(bad, 0);
}
