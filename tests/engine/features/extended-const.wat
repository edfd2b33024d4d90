;; extended-const: a global initialised by arithmetic on constants
(module
  (global $g i32 (i32.sub (i32.mul (i32.const 6) (i32.const 7)) (i32.const 41)))
  (func (export "run") (result i32) (global.get $g)))
