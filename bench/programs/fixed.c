/* For runners that cannot pass arguments (wabt's wasm-interp): bench() = run(FIXED_ITERS). */
#include "common.h"

uint32_t run(uint32_t iters);

__attribute__((export_name("bench"), visibility("default"))) uint32_t bench(void)
{
    return run(FIXED_ITERS);
}
