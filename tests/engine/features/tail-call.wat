;; tail-call: a million tail calls, far past the store's 20,000 frames, in constant stack
(module
  (func $count (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $count (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "run") (result i32) (call $count (i32.const 1000000))))
