/*
 * abicheck: imports every function of the `takara` ABI (the list is generated from
 * include/takara/abi.def, like the SDK's declarations). The kernel type-checks each
 * import when it instantiates the module, so starting this module at all proves that the
 * SDK's C signatures lower to exactly the kernel's. Prints `abicheck: N imports, ABI vN`
 * and exits 0.
 */
#include <takara.h>
#include <tk_stdio.h>

/* Taking each import's address keeps it imported; volatile keeps the array. */
static void *volatile abicheck_imports[] = {
#define TK_ABI(name, cap, sig, ret, params)    (void *)tk_##name,
#define TK_CALL(name, cap, flags, ret, params) (void *)tk_##name,
#include <takara/abi.def>
#undef TK_CALL
#undef TK_ABI
};

int main(int argc, char **argv)
{
    unsigned n = 0;

    for (unsigned i = 0; i < sizeof abicheck_imports / sizeof abicheck_imports[0]; i++)
        n += abicheck_imports[i] != NULL;
    tk_printf("abicheck: %u imports, ABI v%d\n", n, (int)tk_abi_version());
    return tk_abi_version() == TAKARA_ABI_VERSION ? 0 : 1;
}
