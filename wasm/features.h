/*
 * The features beyond WebAssembly 2.0 that a build of the engine supports. Each is on
 * unless the build defines it to 0 (-DWASM_FEATURE_TAIL_CALL=0, for a smaller engine);
 * a module that needs a feature the build leaves out fails to load with
 * TK_ERR_UNSUPPORTED and a reason naming the feature (wasm_feature_missing).
 */
#ifndef TAKARA_WASM_FEATURES_H
#define TAKARA_WASM_FEATURES_H

#ifndef WASM_FEATURE_EXTENDED_CONST
#define WASM_FEATURE_EXTENDED_CONST 1 /* i32/i64 add, sub, mul in constant expressions */
#endif
#ifndef WASM_FEATURE_TAIL_CALL
#define WASM_FEATURE_TAIL_CALL 1 /* return_call, return_call_indirect */
#endif
#ifndef WASM_FEATURE_MULTI_MEMORY
#define WASM_FEATURE_MULTI_MEMORY 1 /* more than one memory, memory index immediates */
#endif
#ifndef WASM_FEATURE_EXCEPTIONS
#define WASM_FEATURE_EXCEPTIONS 1 /* tags, try/catch/delegate, throw, rethrow (legacy) */
#endif

/* The load error's reason when a module needs feature NAME ("tail-call", ...). */
#define WASM_FEATURE_MISSING(name) name ": feature not supported by this build of the engine"

#endif
