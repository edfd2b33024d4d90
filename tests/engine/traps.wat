;; Traps whose kind and location tests/engine/trap_test.c checks, and store limits.
(module
  (memory 1)
  (func $helper (param i32) (result i32)
    (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "divide") (param i32) (result i32)
    (call $helper (local.get 0)))
  (func $load_far (export "oob") (result i32)
    (i32.load offset=8 (i32.const 70000)))
  (func $deep (export "deep") (param i32) (result i32)
    (call $deep (i32.add (local.get 0) (i32.const 1))))
  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0))))
